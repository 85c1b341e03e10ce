"""The watched population (三(一)): every household of the low-income database in the user's
scope with its monitoring group, derived from the current category in the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Case, CharField, Count, Exists, OuterRef, Q, QuerySet, Value, When

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.monitoring.common import ASSISTED_CATEGORIES, FOCUS_CATEGORIES, Group
from safetynet.registry.choices import MEMBER_CATEGORIES
from safetynet.registry.models import CategoryStatus, Household


def _member_assisted() -> Exists:
    return Exists(
        CategoryStatus.objects.filter(
            household=OuterRef("pk"),
            person__isnull=False,
            effective_to__isnull=True,
            category__in=sorted(MEMBER_CATEGORIES),
        )
    )


def with_group(households: QuerySet[Any]) -> QuerySet[Any]:
    return households.annotate(
        group=Case(
            When(
                Q(category__in=sorted(ASSISTED_CATEGORIES)) | Q(member_assisted=True),
                then=Value(Group.ASSISTED),
            ),
            When(category__in=sorted(FOCUS_CATEGORIES), then=Value(Group.FOCUS)),
            When(~Q(relapse_watch=""), then=Value(Group.ANTI_RELAPSE)),
            default=Value(Group.REGISTERED),
            output_field=CharField(),
        )
    )


@dataclass(frozen=True)
class WatchedFilters:
    group: str = ""
    region: str = ""

    @classmethod
    def from_query(cls, query: Any) -> WatchedFilters:
        return cls(group=str(query.get("group", "")), region=str(query.get("region", "")).strip())


def watched_households(*, user: Any, filters: WatchedFilters | None = None) -> QuerySet[Any]:
    require(user, Capability.VIEW_MONITORING)
    filters = filters or WatchedFilters()
    households: QuerySet[Any] = scope_queryset(Household.objects.all(), user=user).annotate(
        member_assisted=_member_assisted()
    )
    if filters.region.isdigit() and len(filters.region) <= 12:
        households = households.filter(
            region_id__gte=filters.region.ljust(12, "0"),
            region_id__lte=filters.region.ljust(12, "9"),
        )
    households = with_group(households)
    if filters.group in Group.values:
        households = households.filter(group=filters.group)
    return households.select_related("head", "region").order_by("region_id", "id")


def watched_counts(*, user: Any, filters: WatchedFilters | None = None) -> list[dict[str, Any]]:
    """Households per township and group."""
    rows = (
        watched_households(user=user, filters=filters)
        .order_by()
        .values("region_id", "group")
        .annotate(total=Count("id"))
    )
    table: dict[tuple[str, str], int] = {}
    for row in rows:
        key = (row["region_id"][:9].ljust(12, "0"), row["group"])
        table[key] = table.get(key, 0) + row["total"]
    return [
        {"township": township, "group": group, "label": str(Group(group).label), "total": total}
        for (township, group), total in sorted(table.items())
    ]
