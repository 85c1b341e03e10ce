"""What a decision weighs: the monthly amount from the standards in force (dibao, single-person
dibao, destitute support), a one-off sum for temporary assistance, and the amounts a review
weighs."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from safetynet.determination.amounts import (
    Amount,
    AmountError,
    destitute_amount,
    dibao_amount,
)
from safetynet.determination.common import (
    DeterminationError,
    today,
)
from safetynet.determination.models import (
    Application,
    ApplicationType,
    ReviewSchedule,
)
from safetynet.policy.assessment.facts import facts_from_household
from safetynet.policy.common import Standards
from safetynet.policy.standards.selectors import StandardsMissing, standards_for
from safetynet.registry.choices import Category
from safetynet.registry.models import Household


def _standards(household: Household, on: dt.date) -> Standards:
    try:
        return standards_for(region_code=household.region_id, on=on, residence=household.residence)
    except StandardsMissing as exc:
        raise DeterminationError(str(exc)) from exc


def standard_amount(
    *, household: Household, category: str, person_id: int | None, care_tier: str, on: dt.date
) -> Amount | None:
    """What the standards in force on ``on`` give ``category`` a month: the dibao gap of the
    co-residing members (of the one person for individual dibao), or the destitute standard with
    the care tier; None for a category without a monthly amount. Raises ``AmountError`` when the
    household does not qualify for one, ``DeterminationError`` when no standards are in force."""
    if category in (Category.DIBAO, Category.INDIVIDUAL_DIBAO):
        facts = facts_from_household(household=household, on=on)
        members = list(facts.members)
        if category == Category.INDIVIDUAL_DIBAO:
            members = [m for m in members if m.person_id == person_id]
        income = sum((m.income.counted for m in members), Decimal("0"))
        standards = _standards(household, on)
        return dibao_amount(
            standard=standards.dibao_monthly, income_total=income, members=len(members)
        )
    if category == Category.DESTITUTE:
        return destitute_amount(standards=_standards(household, on), care_tier=care_tier)
    return None


@dataclass(frozen=True)
class ReviewAmounts:
    """What the review form shows beside the amount field."""

    decided: Decimal | None  # the amount of the decision the review follows
    latest: ReviewSchedule | None  # the last review that changed the amount
    estimate: Amount | None  # what the standards in force today give the category
    estimate_problem: str  # why there is no estimate


def review_amounts(review: ReviewSchedule, *, on: dt.date | None = None) -> ReviewAmounts:
    """The amounts an officer weighs when recording a review: the decided one, the last change,
    and the estimate by the standards in force, for the category under review."""
    decision = getattr(review.application, "decision", None) if review.application else None
    latest = (
        ReviewSchedule.objects.filter(
            household_id=review.household_id,
            person=review.person,
            monthly_amount__isnull=False,
            done_on__isnull=False,
        )
        .order_by("-done_on", "-id")
        .first()
    )
    decided = decision.monthly_amount if decision is not None else None
    try:
        estimate = standard_amount(
            household=review.household,
            category=review.category,
            person_id=review.person_id,
            care_tier=decision.care_tier if decision is not None else "",
            on=on or today(),
        )
    except AmountError as exc:
        return ReviewAmounts(decided, latest, None, str(exc))
    except DeterminationError as exc:
        return ReviewAmounts(decided, latest, None, exc.message)
    return ReviewAmounts(
        decided, latest, estimate, "" if estimate else "该类别没有按标准测算的月金额"
    )


def decision_amount(
    *,
    application: Application,
    category: str,
    care_tier: str,
    amount: Decimal | None,
    on: dt.date,
) -> Amount | None:
    """The monthly amount a confirmation would record (also shown on the decision form before
    the officer confirms): the officer's own figure, or the one computed from the standards."""
    try:
        computed = standard_amount(
            household=application.household,
            category=category,
            person_id=application.applicant_id,
            care_tier=care_tier,
            on=on,
        )
    except AmountError as exc:
        raise DeterminationError(str(exc), field="category") from exc
    if computed is not None:
        return computed
    if application.type == ApplicationType.TEMPORARY_ASSISTANCE:
        if amount is None or amount <= 0:
            raise DeterminationError("请填写临时救助金额", field="amount")
        return Amount(
            monthly=amount.quantize(Decimal("0.01")), basis={"rule": "临时救助一次性金额"}
        )
    return None
