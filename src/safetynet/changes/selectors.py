"""Reads: the reports in a user's scope, and what a household page shows as pending."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from safetynet.accounts.scope import scope_queryset
from safetynet.changes.models import ChangeReport
from safetynet.determination.models import TERMINATION_OPEN, ReviewSchedule, Termination
from safetynet.registry.models import CategoryStatus, Household

if TYPE_CHECKING:
    from safetynet.accounts.models import User


def change_list(
    *,
    user: User,
    kind: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
    household_id: int | None = None,
) -> QuerySet[ChangeReport]:
    queryset = scope_queryset(
        ChangeReport.objects.select_related("household__head", "region", "person", "check_review"),
        user=user,
    )
    if kind:
        queryset = queryset.filter(kind=kind)
    if date_from:
        queryset = queryset.filter(reported_on__gte=date_from)
    if date_to:
        queryset = queryset.filter(reported_on__lte=date_to)
    if household_id is not None:
        queryset = queryset.filter(household_id=household_id)
    return queryset.order_by("-reported_on", "-id")


@dataclass
class Pending:
    checks: list[ReviewSchedule]
    terminations: list[Termination]
    categories_ending: list[CategoryStatus]
    changes: list[ChangeReport]

    def __bool__(self) -> bool:
        return bool(self.checks or self.terminations or self.categories_ending or self.changes)


def household_pending(*, household: Household, today: dt.date) -> Pending:
    """What awaits the household: checks not yet done, terminations under way, categories that
    end on a date still to come, and the latest reported changes (five queries)."""
    return Pending(
        checks=list(
            ReviewSchedule.objects.filter(household=household, done_on__isnull=True)
            .select_related("person")
            .order_by("due_on")
        ),
        terminations=list(
            Termination.objects.filter(household=household)
            .filter(status__in=TERMINATION_OPEN)
            .order_by("-id")
        ),
        categories_ending=list(
            CategoryStatus.objects.filter(
                household=household, category="", effective_from__gt=today
            )
            .select_related("person")
            .order_by("effective_from")
        ),
        changes=list(
            ChangeReport.objects.filter(household=household)
            .select_related("person")
            .order_by("-reported_on", "-id")[:5]
        ),
    )
