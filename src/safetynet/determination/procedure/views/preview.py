"""What the decision and transfer forms show before the officer acts: the classifier's proposal
for the household and the monthly amount the confirmation would record. Both are computed by
the same functions the services use, so the figures shown are the figures recorded."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from safetynet.determination import deadlines
from safetynet.determination.amounts import Amount
from safetynet.determination.common import DeterminationError
from safetynet.determination.models import Application, CareTier
from safetynet.determination.procedure import decision_amounts as decision_services
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.facts import facts_from_household
from safetynet.policy.common import Classification
from safetynet.policy.standards.selectors import StandardsMissing, standards_for
from safetynet.registry.choices import Category


@dataclass(frozen=True)
class ClassificationPreview:
    result: Classification | None
    problem: str = ""

    @property
    def category_label(self) -> str:
        if self.result is None:
            return ""
        if self.result.category in Category.values:
            return str(Category(self.result.category).label)
        return "不符合救助条件"


def classification_preview(application: Application, on: dt.date) -> ClassificationPreview:
    household = application.household
    try:
        standards = standards_for(
            region_code=household.region_id, on=on, residence=household.residence
        )
    except StandardsMissing as exc:
        return ClassificationPreview(result=None, problem=str(exc))
    return ClassificationPreview(
        result=classify(facts_from_household(household=household, on=on), standards)
    )


@dataclass(frozen=True)
class AmountPreview:
    category: str
    care_tier: str
    amount: Amount | None
    start_month: dt.date
    problem: str = ""

    @property
    def label(self) -> str:
        label = str(Category(self.category).label) if self.category in Category.values else ""
        if self.care_tier:
            label += f"（{CareTier(self.care_tier).label}）"
        return label


def amount_previews(
    application: Application, *, categories: tuple[str, ...], on: dt.date
) -> list[AmountPreview]:
    """One preview per category the confirmation may record, destitute support per care tier.
    Temporary assistance is a sum the officer enters, so it has none."""
    wanted = [
        (category, tier)
        for category in categories
        if category
        for tier in (CareTier.values if category == Category.DESTITUTE else [""])
    ]
    start = deadlines.start_month(on)
    previews = []
    for category, tier in wanted:
        try:
            amount = decision_services.decision_amount(
                application=application, category=category, care_tier=tier, amount=None, on=on
            )
        except DeterminationError as exc:
            previews.append(AmountPreview(category, tier, None, start, problem=exc.message))
        else:
            previews.append(AmountPreview(category, tier, amount, start))
    return previews
