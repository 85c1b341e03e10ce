"""The member record the generator fills in, and small date, money and drawing helpers."""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import accumulate
from typing import Any, Generic, TypeVar

from safetynet.registry.choices import HealthStatus, LabourCapacity, SchoolStage
from safetynet.registry.inputs import IncomeInput

T = TypeVar("T")
_CENT = Decimal("0.01")


@dataclass
class SyntheticMember:
    surname: str
    sex: str  # "male" | "female"
    birth: dt.date
    relation: str
    name: str = ""
    id_number: str = ""
    disability_type: str = ""
    disability_grade: int | None = None
    health_status: str = HealthStatus.HEALTHY
    illness_name: str = ""
    labour_capacity: str = LabourCapacity.FULL
    school_stage: str = SchoolStage.NONE
    incomes: list[IncomeInput] = field(default_factory=list)

    @property
    def male(self) -> bool:
        return self.sex == "male"


def add_years(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a year without one
        return day.replace(year=day.year + years, day=28)


def age_on(birth: dt.date, day: dt.date) -> int:
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def yuan(amount: float, step: int = 1) -> Decimal:
    """Whole yuan rounded to a multiple of ``step``, never negative, as a 2-place Decimal."""
    whole = max(0, round(amount / step) * step)
    return Decimal(whole).quantize(_CENT)


class Weighted(Generic[T]):
    """A weighted draw set up once: ``draw(rng)`` returns what ``rng.choices(values,
    weights)[0]`` returns, from the same single ``rng.random()`` call (the same cumulative
    weights, total and bisection), without rebuilding the lists at every draw; a county of the
    province seed makes some hundred thousand draws."""

    __slots__ = ("_cum", "_hi", "_total", "_values")

    def __init__(self, pairs: Sequence[tuple[T, Any]]) -> None:
        self._values = [value for value, _ in pairs]
        self._cum = list(accumulate(weight for _, weight in pairs))
        self._total = self._cum[-1] + 0.0
        self._hi = len(self._values) - 1
        if self._total <= 0.0:
            raise ValueError("Total of weights must be greater than zero")

    def draw(self, rng: random.Random) -> T:
        return self._values[bisect(self._cum, rng.random() * self._total, 0, self._hi)]
