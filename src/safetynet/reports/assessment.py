"""Performance assessment (考核, 五(四)): the dashboard's figures as rates for each region one
level below (the counties of a city, the townships of a county), ranked by the mean of the
rates where higher is better (home checks, decisions and reviews on time)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field, replace
from typing import Any

from safetynet.regions.models import Region
from safetynet.reports import figures as registry
from safetynet.reports.figures import Query
from safetynet.spreadsheets import Workbook

# Rates that rank (higher is better); the others are shown beside them.
RANKED = ("checks_rate", "decided_rate", "reviews_rate")


@dataclass
class Row:
    code: str
    name: str
    counts: dict[str, Any] = field(default_factory=dict)
    rates: dict[str, float | None] = field(default_factory=dict)
    score: float | None = None
    rank: int | None = None


@dataclass
class Table:
    region: Region
    month: dt.date
    rates: list[tuple[str, str]]
    rows: list[Row]


def build(q: Query) -> Table:
    from safetynet.reports.selectors import display_name

    needed = {key for rate in registry.RATES for key in rate[2:]}
    values: dict[str, dict[str, Any]] = {}
    for key in needed:
        figure = registry.get(key)
        values[key] = figure.by_region(replace(q, category="", residence="")) if figure else {}
    rates = [(key, label) for key, label, num, den in registry.RATES if registry.get(num)]
    rows = []
    for child in Region.objects.filter(parent=q.region).order_by("code"):
        row = Row(child.code, display_name(child.code, child.name))
        for key in needed:
            row.counts[key] = values[key].get(child.code, 0)
        for key, _label, num, den in registry.RATES:
            if not registry.get(num):
                continue
            denominator = row.counts.get(den, 0)
            row.rates[key] = (row.counts.get(num, 0) / denominator) if denominator else None
        ranked = [row.rates[key] for key in RANKED if row.rates.get(key) is not None]
        row.score = (sum(r for r in ranked if r is not None) / len(ranked)) if ranked else None
        rows.append(row)
    scored = sorted(
        (r for r in rows if r.score is not None), key=lambda r: (-(r.score or 0), r.code)
    )
    for position, row in enumerate(scored, start=1):
        row.rank = position
    rows.sort(key=lambda r: (r.rank is None, r.rank or 0, r.code))
    return Table(region=q.region, month=q.month, rates=rates, rows=rows)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.1f}%"


def workbook(table: Table) -> bytes:
    from safetynet.reports.selectors import display_name

    book = Workbook()
    sheet = book.active
    sheet.title = "考核排名"
    sheet.append(
        [f"{display_name(table.region.code, table.region.name)}考核排名（{table.month:%Y年%m月}）"]
    )
    sheet.append(["名次", "区划代码", "地区", *[label for _key, label in table.rates], "综合得分"])
    for row in table.rows:
        sheet.append(
            [
                row.rank if row.rank is not None else "—",
                row.code,
                row.name,
                *[percent(row.rates.get(key)) for key, _label in table.rates],
                percent(row.score),
            ]
        )
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
