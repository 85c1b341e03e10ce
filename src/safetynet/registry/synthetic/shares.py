"""Categories of a province-scale register (`safetynet seed --province`).

A county register made by ``seed --county`` is a cross-section of families, most of them
without any category. The province seed fills the *low-income population database* of Henan
(豫政办〔2022〕103号 三(一)): about 3.66 million dibao and destitute persons in 2022 plus those
under dynamic monitoring, so most households carry a category. These are the shares it draws,
by household shape, and the bands of counted income per head (against the example standard)
that each category's incomes are scaled into, so that the money stays consistent with the
category (a dibao household below the standard, a near-dibao one between 1 and 1.5 times).
示例 shares of the right size, not statistics of record.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from safetynet.registry.choices import (
    AssetKind,
    Category,
    ExpenditureKind,
    HealthStatus,
    IncomeKind,
    RelapseWatchType,
    Residence,
)
from safetynet.registry.inputs import ExpenditureInput, HouseholdInput, IncomeInput
from safetynet.registry.synthetic.people import Weighted
from safetynet.registry.synthetic.vocabulary import AS_OF, EXAMPLE_DIBAO_STANDARD

CENT = Decimal("0.01")

# Household category draws: (category, weight). "" is a household in the database without a
# category (在库其他人员: monitored, a category ended, or an application refused).
SINGLE_ELDERLY_SHARES: list[tuple[str, float]] = [
    (Category.DESTITUTE, 62),
    (Category.DIBAO, 24),
    (Category.NEAR_DIBAO, 5),
    ("", 9),
]
ELDERLY_COUPLE_SHARES: list[tuple[str, float]] = [
    (Category.DESTITUTE, 28),
    (Category.DIBAO, 38),
    (Category.NEAR_DIBAO, 10),
    (Category.OTHER_LOW_INCOME, 6),
    ("", 18),
]
FAMILY_SHARES: list[tuple[str, float]] = [
    (Category.DIBAO, 44),
    (Category.INDIVIDUAL_DIBAO, 6),
    (Category.NEAR_DIBAO, 13),
    (Category.EXPENDITURE_HARDSHIP, 5),
    (Category.OTHER_LOW_INCOME, 6),
    ("", 26),
]
# Counted monthly income per head as a multiple of the standard, by category.
INCOME_BANDS: dict[str, tuple[float, float]] = {
    Category.DIBAO: (0.25, 0.95),
    Category.DESTITUTE: (0.2, 0.9),
    Category.INDIVIDUAL_DIBAO: (1.0, 1.45),
    Category.NEAR_DIBAO: (1.0, 1.48),
    Category.EXPENDITURE_HARDSHIP: (1.2, 2.4),
    Category.OTHER_LOW_INCOME: (1.1, 1.9),
}
# Anti-relapse monitoring (防止返贫监测对象) of rural households, independent of the category.
RELAPSE_SHARES: list[tuple[str, float]] = [
    (RelapseWatchType.UNSTABLE, 6),
    (RelapseWatchType.AT_RISK, 4),
    (RelapseWatchType.SUDDEN_HARDSHIP, 2),
    ("", 88),
]


_SINGLE_ELDERLY = Weighted(SINGLE_ELDERLY_SHARES)
_ELDERLY_COUPLE = Weighted(ELDERLY_COUPLE_SHARES)
_FAMILY = Weighted(FAMILY_SHARES)
_RELAPSE = Weighted(RELAPSE_SHARES)


def _counted(household: HouseholdInput) -> float:
    return sum(
        float(i.monthly_amount)
        for m in household.members
        for i in m.incomes
        if i.kind != IncomeKind.EXCLUDED
    )


def _scale_incomes(household: HouseholdInput, factor: float) -> None:
    for member in household.members:
        member.incomes = [
            IncomeInput(
                i.kind,
                i.monthly_amount
                if i.kind == IncomeKind.EXCLUDED
                else (i.monthly_amount * Decimal(f"{factor:.4f}")).quantize(CENT),
                i.description,
            )
            for i in member.incomes
        ]


def _needy_member(household: HouseholdInput) -> int | None:
    """The member an individual dibao (单人保) would be for: a severely disabled or seriously
    ill adult of a family above the standard."""
    for index, member in enumerate(household.members):
        if member.disability_grade in (1, 2, 3) or member.health_status != HealthStatus.HEALTHY:
            return index
    return None


def province_status(
    rng: random.Random, kind: str, household: HouseholdInput
) -> tuple[str, list[int]]:
    """Draw the household's category for the province register and make the household
    consistent with it (incomes scaled into the category's band, no car or business for those
    assisted, expenditure for a hardship case). Returns the household-level category (blank for
    member-level ones) and the indexes of the members holding a member-level category."""
    if kind == "single_elderly":
        category = _SINGLE_ELDERLY.draw(rng)
    elif kind == "elderly_couple":
        category = _ELDERLY_COUPLE.draw(rng)
    else:
        category = _FAMILY.draw(rng)
        if category == Category.INDIVIDUAL_DIBAO and _needy_member(household) is None:
            category = Category.DIBAO
        if category == Category.EXPENDITURE_HARDSHIP and not household.expenditures:
            # The category is defined by rigid spending: this family had a large medical bill.
            head = household.members[0]
            household.expenditures.append(
                ExpenditureInput(
                    ExpenditureKind.MEDICAL,
                    Decimal(rng.randrange(150, 1200) * 100).quantize(CENT),
                    AS_OF - dt.timedelta(days=rng.randint(0, 364)),
                    "住院自付医疗费用",
                    head.id_number,
                )
            )
    household.relapse_watch = _RELAPSE.draw(rng) if household.residence == Residence.RURAL else ""
    if not category:
        household.category = ""
        return "", []
    standard = float(EXAMPLE_DIBAO_STANDARD[household.residence or Residence.RURAL])
    lo, hi = INCOME_BANDS[category]
    target = rng.uniform(lo, hi) * standard * len(household.members)
    counted = _counted(household)
    if counted > 0:
        _scale_incomes(household, target / counted)
    household.assets = [
        a
        for a in household.assets
        if not (
            (a.kind == AssetKind.VEHICLE and not a.for_disability)
            or a.kind in (AssetKind.SECURITIES, AssetKind.BUSINESS)
        )
    ]
    members: list[int] = []
    if category == Category.DESTITUTE:
        members = list(range(len(household.members)))  # both of an elderly couple
        household.category = ""
    elif category == Category.INDIVIDUAL_DIBAO:
        needy = _needy_member(household)
        members = [needy] if needy is not None else []
        household.category = ""
    else:
        household.category = category
    return category, members
