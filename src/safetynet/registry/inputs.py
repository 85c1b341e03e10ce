"""Plain input records for creating households, shared by the web form, the API, the Excel
import and the synthetic-data generator so that all four validate the same way."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal


@dataclass
class IncomeInput:
    kind: str
    monthly_amount: Decimal
    description: str = ""


@dataclass
class MemberInput:
    id_number: str
    name: str
    relation: str
    co_resident: bool = True
    phone: str = ""
    disability_type: str = ""
    disability_grade: int | None = None
    health_status: str = "healthy"
    illness_name: str = ""
    labour_capacity: str = "full"
    school_stage: str = "none"
    # 《特困人员认定办法》 art. 9(5)–(6), when this person is someone's legal supporter.
    legal_status: str = ""
    other_inability: str = ""
    incomes: list[IncomeInput] = field(default_factory=list)


@dataclass
class AssetInput:
    kind: str
    value: Decimal
    description: str = ""
    for_disability: bool = False
    area_m2: Decimal | None = None
    owner_id_number: str = ""


@dataclass
class ExpenditureInput:
    kind: str
    amount: Decimal
    incurred_on: dt.date
    description: str = ""
    person_id_number: str = ""


@dataclass
class SupporterInput:
    """A legal supporter living outside the household (法定赡养、抚养、扶养义务人)."""

    name: str
    relation: str  # GB/T 4761, relation to the supported person (or to the head when all)
    able_to_support: bool = True
    id_number: str = ""
    supported_id_number: str = ""  # a member's; empty: every member
    note: str = ""


@dataclass
class HouseholdInput:
    region_code: str
    members: list[MemberInput]
    residence: str = ""  # empty: taken from the village's urban/rural class
    address: str = ""
    phone: str = ""
    assets: list[AssetInput] = field(default_factory=list)
    expenditures: list[ExpenditureInput] = field(default_factory=list)
    category: str = ""
    relapse_watch: str = ""
    # 二(一)4 收入大幅缩减: monthly income before the drop and the day it was recorded.
    income_before_drop_monthly: Decimal | None = None
    income_before_drop_on: dt.date | None = None
    supporters: list[SupporterInput] = field(default_factory=list)
