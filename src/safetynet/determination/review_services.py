"""Review outcomes with a changed amount: the one outcome ``services.review_record`` does not carry.

A review may change the category, the monthly amount, or both. The category goes to the registry
through ``review_record``; the new amount (from the month after the review, like the category) is
appended to the household's timeline in the same transaction, so that the amount's history stays
as readable as the category's and nothing already recorded is overwritten.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from safetynet.determination import deadlines, services
from safetynet.determination.models import EventKind, ReviewOutcome, ReviewSchedule
from safetynet.determination.services._common import audit_household, event

CENT = Decimal("0.01")
AMOUNT_LIMIT = Decimal("1000000")


def review_outcome_record(
    *,
    actor: Any,
    review: ReviewSchedule,
    outcome: str,
    notes: str,
    new_category: str = "",
    monthly_amount: Decimal | None = None,
    income_unstable: bool = False,
    gradual_exit_months: int = 0,
    done_on: dt.date | None = None,
    request: HttpRequest | None = None,
) -> ReviewSchedule:
    """Record a review's outcome: continue, change (category and/or amount) or terminate."""
    if monthly_amount is not None and outcome != ReviewOutcome.CHANGE:
        raise services.DeterminationError(
            "只有“变更类别或金额”时才填写新的金额", field="monthly_amount"
        )
    if monthly_amount is not None and not Decimal(0) <= monthly_amount < AMOUNT_LIMIT:
        raise services.DeterminationError("金额应在 0 至 999,999.99 元之间", field="monthly_amount")
    if (
        outcome == ReviewOutcome.CHANGE
        and monthly_amount is None
        and (not new_category or new_category == review.category)
    ):
        raise services.DeterminationError(
            "变更须填写新的救助类别或新的月救助金额", field="new_category"
        )
    with transaction.atomic():
        services.review_record(
            actor=actor,
            review=review,
            outcome=outcome,
            notes=notes,
            new_category=new_category,
            income_unstable=income_unstable,
            gradual_exit_months=gradual_exit_months,
            done_on=done_on,
            request=request,
        )
        if monthly_amount is not None:
            amount = monthly_amount.quantize(CENT)
            assert review.done_on is not None
            starts = deadlines.first_of_next_month(review.done_on)
            event(
                household=review.household,
                application=review.application,
                kind=EventKind.REVIEW_RECORDED,
                actor=actor,
                on=review.done_on,
                note=f"月救助金额调整为 {amount:,} 元，自 {starts:%Y年%m月} 起",
                data={
                    "review_id": review.pk,
                    "monthly_amount": str(amount),
                    "effective_from": starts.isoformat(),
                },
            )
            audit_household(
                actor=actor,
                household=review.household,
                summary=f"{review.get_kind_display()}：月救助金额调整为 {amount} 元",
                detail={"review_id": review.pk, "monthly_amount": str(amount)},
                request=request,
            )
    return review
