"""The member record the generator fills in, and small date and money helpers."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from safetynet.registry.choices import HealthStatus, LabourCapacity, SchoolStage
from safetynet.registry.inputs import IncomeInput


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
    return Decimal(whole).quantize(Decimal("0.01"))
