"""The classifier's vocabulary (ADR 0005): the clauses it cites, the labels it shows, how it
writes money and shares, and its date arithmetic (ages, the 12-month expenditure window).
Pure: no database, no clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from safetynet.policy.common import (
    ZERO,
    MemberFacts,
)
from safetynet.registry.choices import (
    Category,
    DisabilityType,
    RelapseWatchType,
)

NONE = "none"
CENT = Decimal("0.01")
TWELVE = Decimal("12")

CLAUSE_DIBAO = "二(一)1"
CLAUSE_DESTITUTE = "二(一)2"
CLAUSE_NEAR_DIBAO = "二(一)3"
CLAUSE_INDIVIDUAL = "二(一)1、四(一)"
CLAUSE_EXPENDITURE = "二(一)4"
CLAUSE_WATCH = "二(一)3–5"

RESIDENCE_LABELS = {"urban": "城市", "rural": "农村"}
DISPOSABLE_LABELS = {"urban": "城镇", "rural": "农村"}

# How much poorer a category is than another, for "raising income never makes a household
# poorer" (dibao and destitute are both the floor: which one applies depends on the members).
CATEGORY_RANK = {
    Category.DIBAO.value: 4,
    Category.DESTITUTE.value: 4,
    Category.NEAR_DIBAO.value: 3,
    Category.EXPENDITURE_HARDSHIP.value: 2,
    Category.OTHER_LOW_INCOME.value: 1,
    NONE: 0,
}


# --- formatting -----------------------------------------------------------------------------


def yuan(value: Decimal) -> str:
    return str(value.quantize(CENT, rounding=ROUND_HALF_UP))


def number(value: Decimal) -> str:
    """A multiplier or count of months without trailing zeros: 1.5, 24, 1.333."""
    text = format(value.normalize(), "f")
    return text


def percent(share: Decimal) -> str:
    return number(share * 100) + "%"


def per_head(total: Decimal, members: int) -> Decimal:
    return total / members if members else ZERO


def tie_note(total: Decimal, limit: Decimal, shown: str, shown_limit: str, met: bool) -> str:
    """When rounding makes both sides look equal, say which totals were compared."""
    if shown != shown_limit or total == limit:
        return ""
    sign = "<" if met else "≥"
    return f"（按家庭合计比较：{yuan(total)} 元 {sign} {yuan(limit)} 元）"


def disability_label(member: MemberFacts) -> str:
    if not member.disability_type or member.disability_grade is None:
        return ""
    try:
        label = str(DisabilityType(member.disability_type).label)
    except ValueError:
        label = member.disability_type
    return f"{label} {member.disability_grade} 级"


def watch_label(watch: str) -> str:
    try:
        return str(RelapseWatchType(watch).label)
    except ValueError:
        return watch


# --- dates ----------------------------------------------------------------------------------


def shift_years(day: dt.date, years: int) -> dt.date:
    """The same calendar date ``years`` later; 29 February becomes 1 March in a common year."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return dt.date(day.year + years, 3, 1)


def age_on(birth_date: dt.date, on: dt.date) -> int:
    """Completed years on ``on``; a 29 February birthday is reached on 1 March in common years."""
    years = on.year - birth_date.year
    if shift_years(birth_date, years) > on:
        years -= 1
    return years


def valid_until(on: dt.date) -> dt.date:
    return shift_years(on, 1) - dt.timedelta(days=1)


def expenditure_window(on: dt.date) -> tuple[dt.date, dt.date]:
    """First and last day (inclusive) of the 12 months up to ``on`` for rigid expenditure."""
    return shift_years(on, -1) + dt.timedelta(days=1), on


@dataclass(frozen=True)
class Figures:
    n: int
    income: Decimal  # I
    standard: Decimal  # S
    residence: str
    rigid: Decimal  # R

    @property
    def residence_label(self) -> str:
        return RESIDENCE_LABELS.get(self.residence, self.residence)
