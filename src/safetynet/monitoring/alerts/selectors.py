"""Reading alerts: the scoped, filtered list, one alert, and the figures (三(三): alerts by
indicator, region and status; the share confirmed on the visit; median working days to visit)."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q, QuerySet

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.monitoring.common import AlertStatus, Outcome
from safetynet.monitoring.models import Alert, Indicator, Visit


@dataclass(frozen=True)
class AlertFilters:
    indicator: str = ""
    status: str = ""
    severity: str = ""
    region: str = ""  # a code prefix within the user's scope

    @classmethod
    def from_query(cls, query: Any) -> AlertFilters:
        return cls(
            indicator=str(query.get("indicator", "")).strip(),
            status=str(query.get("status", "")).strip(),
            severity=str(query.get("severity", "")).strip(),
            region=str(query.get("region", "")).strip(),
        )


def alert_list(*, user: Any, filters: AlertFilters | None = None) -> QuerySet[Alert]:
    require(user, Capability.VIEW_MONITORING)
    filters = filters or AlertFilters()
    alerts = scope_queryset(Alert.objects.all(), user=user)
    if filters.indicator:
        alerts = alerts.filter(indicator_code=filters.indicator)
    if filters.status:
        alerts = alerts.filter(status=filters.status)
    if filters.severity:
        alerts = alerts.filter(severity=filters.severity)
    if filters.region.isdigit() and len(filters.region) <= 12:
        lo, hi = filters.region.ljust(12, "0"), filters.region.ljust(12, "9")
        alerts = alerts.filter(region_code__gte=lo, region_code__lte=hi)
    return alerts.select_related("indicator", "person", "household__head", "home_check").order_by(
        "-raised_on", "-id"
    )


def alert_get(*, user: Any, pk: Any) -> Alert:
    require(user, Capability.VIEW_MONITORING)
    return access_scoped(
        Alert.objects.select_related(
            "indicator", "person", "household__head", "first_scan", "last_scan"
        ),
        user=user,
        pk=pk,
    )


def indicator_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for code, name in Indicator.objects.order_by("code", "-effective_from").values_list(
        "code", "name"
    ):
        names.setdefault(code, name)
    return names


@dataclass(frozen=True)
class Figures:
    by_indicator: list[dict[str, Any]]
    by_region: list[dict[str, Any]]
    by_status: list[dict[str, Any]]
    median_working_days: float | None


def figures(*, user: Any, filters: AlertFilters | None = None) -> Figures:
    """Counts by indicator (with the share confirmed on the visit), by county/township and by
    status; the median working days from alert to visit. Aggregated in the database."""
    alerts = alert_list(user=user, filters=filters).order_by()
    names = indicator_names()
    confirmed = Q(home_check__visit__outcome=Outcome.CONFIRMED)
    visited = Q(home_check__visit__isnull=False)
    by_indicator = [
        {
            "code": row["indicator_code"],
            "name": names.get(row["indicator_code"], row["indicator_code"]),
            "total": row["total"],
            "visited": row["visited"],
            "confirmed": row["confirmed"],
            "share": (row["confirmed"] / row["visited"]) if row["visited"] else None,
        }
        for row in alerts.values("indicator_code")
        .annotate(
            total=Count("id"),
            visited=Count("id", filter=visited),
            confirmed=Count("id", filter=confirmed),
        )
        .order_by("indicator_code")
    ]
    by_region = list(
        alerts.values("region_code").annotate(total=Count("id")).order_by("region_code")
    )
    townships: dict[str, int] = {}
    for row in by_region:
        key = row["region_code"][:9]
        townships[key] = townships.get(key, 0) + row["total"]
    labels = dict(AlertStatus.choices)
    by_status = [
        {
            "status": row["status"],
            "label": str(labels.get(row["status"], row["status"])),
            "total": row["total"],
        }
        for row in alerts.values("status").annotate(total=Count("id")).order_by("status")
    ]
    days: list[int] = list(
        Visit.objects.filter(home_check__alert__in=alerts, working_days__isnull=False).values_list(
            "working_days", flat=True
        )  # type: ignore[arg-type]
    )
    return Figures(
        by_indicator=by_indicator,
        by_region=[
            {"township": k.ljust(12, "0"), "total": v} for k, v in sorted(townships.items())
        ],
        by_status=by_status,
        median_working_days=statistics.median(days) if days else None,
    )
