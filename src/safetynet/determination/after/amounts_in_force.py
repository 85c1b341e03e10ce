"""The monthly amount of assistance a household receives on a day, for the household export
(issue 11): registered as a column of ``registry.exports`` from ``DeterminationConfig.ready``.

For each category the household (or one of its members) holds that day, the latest confirmed
decision of that category gives the amount; a later review that changed the amount (in force by
that day) replaces it. The household's amount is the sum: a dibao household with a destitute
member receives both. Three queries for a chunk of households, none per household.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db.models import F, Q
from django.utils import timezone

from safetynet.core.lookups import AnyOf
from safetynet.determination.models import Decision, Outcome, ReviewSchedule
from safetynet.registry.models import CategoryStatus

HEADER = "月救助金额(元)"


def _categories_in_force(ids: list[int], on: dt.date) -> dict[int, set[str]]:
    """Household id → the categories it and its members hold on ``on`` (dated statuses)."""
    held: dict[int, set[str]] = {}
    statuses = (
        CategoryStatus.objects.filter(AnyOf(F("household_id"), ids), effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .exclude(category="")
        .values_list("household_id", "category")
    )
    for household_id, category in statuses:
        held.setdefault(household_id, set()).add(category)
    return held


def monthly_amounts(households: list[Any], on: dt.date | None = None) -> dict[int, Decimal]:
    on = on or timezone.localdate()
    ids = [h.pk for h in households]
    decisions = (
        Decision.objects.filter(
            AnyOf(F("application__household_id"), ids),
            outcome=Outcome.CONFIRMED,
            monthly_amount__isnull=False,
            decided_on__lte=on,
        )
        .order_by("decided_on", "id")
        .values_list("application_id", "application__household_id", "category", "monthly_amount")
    )
    latest: dict[tuple[int, str], tuple[int, Decimal]] = {}
    for application_id, household_id, category, amount in decisions:
        if amount is not None:
            latest[(household_id, category)] = (application_id, amount)
    changed: dict[int, Decimal] = {
        application_id: amount
        for application_id, amount in ReviewSchedule.objects.filter(
            application_id__in={a for a, _ in latest.values()},
            monthly_amount__isnull=False,
            done_on__isnull=False,
            changes_from__lte=on,
        )
        .order_by("done_on", "id")
        .values_list("application_id", "monthly_amount")
        if application_id is not None and amount is not None
    }
    in_force = _categories_in_force(ids, on)
    # By household once, not every decision for every household (quadratic per chunk).
    amounts: dict[int, Decimal] = {}
    for (household_id, category), (application_id, amount) in latest.items():
        if category in in_force.get(household_id, ()):
            amounts[household_id] = amounts.get(household_id, Decimal(0)) + changed.get(
                application_id, amount
            )
    return amounts


def export_values(households: list[Any]) -> dict[int, Any]:
    return {pk: float(amount) for pk, amount in monthly_amounts(households).items()}
