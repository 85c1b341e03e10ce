"""Reads for the dashboard pages: the region asked for (inside the user's scope), the month,
the tables of figures, the children for the map, the months for the flow chart."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from typing import Any

from django.apps import apps
from django.db.models import Count, Sum
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.scope import in_scope, scope_prefix
from safetynet.regions.codes import normalise_code
from safetynet.regions.models import Level, Region
from safetynet.registry.choices import Category, Residence
from safetynet.reports import figures as registry
from safetynet.reports import maps
from safetynet.reports.figures import Query, child_level
from safetynet.reports.models import MonthlyRollup
from safetynet.reports.rollups import last_refresh, month_start, parse_month, previous_month

NOT_FOUND = "未找到该区划，或不在您的管辖范围内。"


def region_for(user: Any, raw: str | None) -> Region:
    """The region asked for, or the user's own; 404 outside the user's scope."""
    prefix = scope_prefix(user)
    if prefix is None:
        raise Http404(NOT_FOUND)
    if not raw:
        region: Region = user.scope_region
        return region
    try:
        code = normalise_code(raw)
    except ValueError:
        raise Http404(NOT_FOUND) from None
    if not in_scope(code, user=user):
        raise Http404(NOT_FOUND)
    found = Region.objects.filter(code=code).first()
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def month_for(raw: str | None) -> dt.date:
    today = timezone.localdate()
    if not raw:
        return month_start(today)
    try:
        month = parse_month(raw)
    except ValueError:
        return month_start(today)
    return min(month, month_start(today))


def query_from(user: Any, params: Any) -> Query:
    region = region_for(user, params.get("region"))
    category = params.get("category", "")
    residence = params.get("residence", "")
    return Query(
        user=user,
        region=region,
        month=month_for(params.get("month")),
        category=category if category in Category.values else "",
        residence=residence if residence in Residence.values else "",
        indicator=str(params.get("indicator", ""))[:40],
        status=str(params.get("status", ""))[:16],
    )


def drill_url(figure: str, q: Query, **overrides: str) -> str:
    """The drill-down page of a figure for the query, with some filters replaced."""
    from urllib.parse import urlencode

    from django.urls import reverse

    params = {**q.params(), **overrides, "figure": figure}
    return reverse("reports:drill") + "?" + urlencode({k: v for k, v in params.items() if v})


def breadcrumbs(user: Any, region: Region) -> list[Region]:
    """The region's parents the user may open, top down, and the region itself."""
    chain = []
    current: Region | None = region
    while current is not None and in_scope(current.code, user=user):
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def category_table(q: Query) -> list[dict[str, Any]]:
    """Households and persons per category and residence, with the month's flows."""
    rows = (
        MonthlyRollup.objects.filter(month=q.month, level=q.region.level, region_code=q.region.code)
        .values("category", "residence", "households", "persons", "inflow", "outflow", "amount")
        .order_by()
    )
    found: dict[tuple[str, str], dict[str, Any]] = {
        (row["category"], row["residence"]): dict(row) for row in rows
    }
    table = []
    for category, label in Category.choices:
        line: dict[str, Any] = {"category": category, "label": label, "cells": []}
        totals = {"households": 0, "persons": 0, "inflow": 0, "outflow": 0}
        for residence, _residence_label in Residence.choices:
            row = found.get((category, residence), {})
            for key in totals:
                totals[key] += row.get(key, 0)
            line["cells"].append(
                {
                    "residence": residence,
                    "households": row.get("households", 0),
                    "persons": row.get("persons", 0),
                    "url": drill_url("households", q, category=category, residence=residence),
                }
            )
        line.update(totals)
        line["url"] = drill_url("households", q, category=category, residence="")
        line["inflow_url"] = drill_url("inflow", q, category=category, residence="")
        line["outflow_url"] = drill_url("outflow", q, category=category, residence="")
        table.append(line)
    return table


def flows(q: Query, months: int = 12) -> list[dict[str, Any]]:
    """Inflows and outflows per month (all categories) for the region, oldest first."""
    wanted = [q.month]
    while len(wanted) < months:
        wanted.append(previous_month(wanted[-1]))
    rows = (
        MonthlyRollup.objects.filter(
            level=q.region.level, region_code=q.region.code, month__in=wanted
        )
        .values("month")
        .order_by()
    )
    sums: dict[Any, dict[str, Any]] = {
        row["month"]: dict(row)
        for row in rows.annotate(
            households=Sum("households"), inflow=Sum("inflow"), outflow=Sum("outflow")
        )
    }
    return [
        {
            "month": month,
            "inflow_url": drill_url("inflow", replace(q, month=month)),
            "outflow_url": drill_url("outflow", replace(q, month=month)),
            "households": sums.get(month, {}).get("households", 0),
            "inflow": sums.get(month, {}).get("inflow", 0),
            "outflow": sums.get(month, {}).get("outflow", 0),
        }
        for month in reversed(wanted)
    ]


def children(q: Query, figure_key: str) -> list[dict[str, Any]]:
    """Each region one level below, with the figure's value (the map and the table below it)."""
    figure = registry.get(figure_key) or registry.FIGURES[0]
    below = child_level(q.region.level)
    if below is None:
        return []
    values = figure.by_region(q)
    coverage = paid_coverage(q.region, q.month) if figure.paid else None
    regions = Region.objects.filter(parent=q.region).order_by("code").values("code", "name")
    return [
        {
            "note": coverage.note(region["code"]) if coverage else "",
            "code": region["code"],
            "name": display_name(region["code"], region["name"]),
            "map_id": map_id(region["code"]),
            "map_ids": maps.feature_ids(map_id(region["code"])),
            "value": values.get(region["code"], 0),
            "url": drill_url(figure.key, q, region=region["code"]),
        }
        for region in regions
    ]


# 省直辖县级行政区划 (4190) holds only 济源: the map and the tables show it as 济源市.
JIYUAN_CITY = "419000000000"


def display_name(code: str, name: str) -> str:
    return "济源市" if code == JIYUAN_CITY else name


def map_id(code: str) -> str:
    """The feature id of a city or county in the shipped map data (6-digit code)."""
    return "419001" if code == JIYUAN_CITY else code[:6]


def figure_values(q: Query) -> list[dict[str, Any]]:
    """Every available figure's value for the region (the tiles); the amounts paid say when
    counties of the region have not issued their roll of the month."""
    coverage = paid_coverage(q.region, q.month)
    tiles = []
    for figure in registry.available():
        tile = {"figure": figure, "value": figure.value(q), "url": drill_url(figure.key, q)}
        if figure.paid and coverage is not None:
            tile["note"] = coverage.note(q.region.code)
            tile["missing"] = coverage.status(q.region.code) == "none"
        tiles.append(tile)
    return tiles


def alerts_by_indicator_status(q: Query) -> list[dict[str, Any]]:
    figure = registry.get("alerts")
    if figure is None:
        return []
    rows = (
        figure.drill(q)
        .order_by()
        .values("indicator_code", "status")
        .annotate(total=Count("pk"))
        .order_by("indicator_code", "status")
    )
    return [
        {
            **row,
            "url": drill_url("alerts", q, indicator=row["indicator_code"], status=row["status"]),
        }
        for row in rows
    ]


def freshness(q: Query) -> Any:
    return last_refresh(q.month)


@dataclass
class PaidCoverage:
    """Which counties of a region have issued their payment roll of the month: the amounts paid
    count only those (a county without a roll is said so, not shown as a silent zero)."""

    counties: dict[str, str]  # code → name, the counties in or above the region
    issued: set[str]

    def status(self, code: str) -> str:
        """``all``, ``none`` or ``partial`` for a region (its counties, or the county above)."""
        mine = [c for c in self.counties if c.startswith(_county_prefix(code))]
        done = [c for c in mine if c in self.issued]
        if mine and len(done) == len(mine):
            return "all"
        return "partial" if done else "none"

    def note(self, code: str) -> str:
        status = self.status(code)
        if status == "all":
            return ""
        if status == "none":
            return "本月发放名册未定稿，实发数暂缺"
        mine = [c for c in self.counties if c.startswith(_county_prefix(code))]
        missing = [self.counties[c] for c in mine if c not in self.issued]
        shown = "、".join(missing[:5]) + ("等" if len(missing) > 5 else "")
        return f"{len(mine)} 个县(市、区)中 {len(missing)} 个未定稿（{shown}），未计入"


def _county_prefix(code: str) -> str:
    """The code prefix of the counties that make a region: its own digits down to a county's."""
    region = code.rstrip("0")
    return code[:6] if len(region) >= 6 else code[: max(2, len(region) + len(region) % 2)]


def paid_coverage(region: Region, month: dt.date) -> PaidCoverage | None:
    """The counties of the region and which of them issued their roll of the month; None where
    the assistance app (the payment roll) is not installed."""
    if not apps.is_installed("safetynet.assistance"):
        return None
    prefix = region.code[:6] if len(region.prefix) >= 6 else region.prefix
    counties = dict(
        Region.objects.filter(level=Level.COUNTY, code__startswith=prefix)
        .order_by("code")
        .values_list("code", "name")
    )
    roll = apps.get_model("assistance", "PaidRoll")
    issued = set(
        roll.objects.filter(month=month, county_code__startswith=prefix).values_list(
            "county_code", flat=True
        )
    )
    return PaidCoverage(counties=counties, issued=issued)
