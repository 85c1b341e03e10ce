"""Reading home checks: a township's (or village's) queue through the scope filter, the county's
queue of escalated overdue checks, and a social organisation's own assigned visits only."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.permissions import NOT_FOUND, PermissionDenied, allowed
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.monitoring.common import CheckStatus
from safetynet.monitoring.models import HomeCheck


@dataclass(frozen=True)
class CheckFilters:
    status: str = CheckStatus.DUE
    kind: str = ""
    overdue: bool = False
    escalated: bool = False

    @classmethod
    def from_query(cls, query: Any) -> CheckFilters:
        return cls(
            status=str(query.get("status", CheckStatus.DUE)),
            kind=str(query.get("kind", "")),
            overdue=query.get("overdue") == "1",
            escalated=query.get("escalated") == "1",
        )


def visible_checks(*, user: Any) -> QuerySet[HomeCheck]:
    """Every check the user may see: in scope (village assistants their village, townships
    their township, counties their county), or, for a social organisation, those assigned to it."""
    checks = HomeCheck.objects.select_related("alert", "household__head", "assigned_to")
    if allowed(user, Capability.VIEW_MONITORING):
        return scope_queryset(checks, user=user)
    if allowed(user, Capability.RECORD_CONTRACTED_VISITS):
        return scope_queryset(checks.filter(assigned_to=user), user=user)
    raise PermissionDenied(capability=Capability.VIEW_MONITORING)


def check_list(
    *, user: Any, filters: CheckFilters | None = None, today: dt.date | None = None
) -> QuerySet[HomeCheck]:
    filters = filters or CheckFilters()
    today = today or timezone.localdate()
    checks = visible_checks(user=user)
    if filters.status:
        checks = checks.filter(status=filters.status)
    if filters.kind:
        checks = checks.filter(kind=filters.kind)
    if filters.overdue:
        checks = checks.filter(status=CheckStatus.DUE, due_on__lt=today)
    if filters.escalated:
        checks = checks.filter(escalated_on__isnull=False, status=CheckStatus.DUE)
    return checks.order_by("due_on", "id")


def check_get(*, user: Any, pk: Any) -> HomeCheck:
    try:
        return visible_checks(user=user).select_related("visit").get(pk=pk)
    except (HomeCheck.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc


def overdue_count(*, user: Any, today: dt.date | None = None) -> int:
    """For the workbench: the user's overdue checks (a county sees its escalated ones)."""
    if not (
        allowed(user, Capability.VIEW_MONITORING)
        or allowed(user, Capability.RECORD_CONTRACTED_VISITS)
    ):
        return 0
    return check_list(user=user, filters=CheckFilters(overdue=True), today=today).count()


# --- for the apps above monitoring (assistance): what a visit concluded, without its models -----


@dataclass(frozen=True)
class VisitConclusion:
    visit_id: int
    household_id: int | None
    region_code: str
    outcome: str
    hardship_type: str
    referral_department: str
    visited_on: dt.date
    findings: str


def visit_model() -> type:
    """The visit model, for an app above that listens for recorded visits (post_save)."""
    from safetynet.monitoring.models import Visit

    return Visit


def visit_conclusion(*, visit_id: Any) -> VisitConclusion | None:
    """A recorded visit's outcome and what it concerns (no scope: for services acting on it)."""
    from safetynet.monitoring.models import Visit

    visit = (
        Visit.objects.select_related("home_check__alert").filter(pk=visit_id).first()
        if visit_id is not None
        else None
    )
    if visit is None:
        return None
    check = visit.home_check
    return VisitConclusion(
        visit_id=visit.pk,
        household_id=check.household_id,
        region_code=check.region_code,
        outcome=visit.outcome,
        hardship_type=check.alert.hardship_type if check.alert else "",
        referral_department=visit.referral_department,
        visited_on=visit.visited_on,
        findings=visit.findings,
    )


def visits_of_household(*, household_id: Any) -> list[VisitConclusion]:
    """The household's recorded visits, oldest first (for its timeline)."""
    from safetynet.monitoring.models import Visit

    visits = (
        Visit.objects.filter(home_check__household_id=household_id)
        .select_related("home_check__alert")
        .order_by("visited_on", "id")
    )
    return [
        VisitConclusion(
            visit_id=v.pk,
            household_id=household_id,
            region_code=v.home_check.region_code,
            outcome=v.outcome,
            hardship_type=v.home_check.alert.hardship_type if v.home_check.alert else "",
            referral_department=v.referral_department,
            visited_on=v.visited_on,
            findings=v.findings,
        )
        for v in visits
    ]


def alerts_of_household(*, household_id: Any) -> list[tuple[dt.date, str]]:
    """(raised on, summary) of the household's alerts, oldest first (for its timeline)."""
    from safetynet.monitoring.models import Alert

    return list(
        Alert.objects.filter(household_id=household_id)
        .order_by("raised_on", "id")
        .values_list("raised_on", "summary")
    )
