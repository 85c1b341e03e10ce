"""What the policy features share: the classifier's inputs and outputs as plain values, and the
one resolver of settings versioned by region.

The values are shared by the row-by-row classifier (``assessment``), the set-based (DuckDB)
classifier (``bulk``), the JSON format of `safetynet classify` and the standards resolver
(``standards``). All money is ``Decimal`` yuan. Comparisons are made by cross-multiplication
(``total < standard × members``) so that both engines compare exact decimals and never a rounded
per-head figure; the rules themselves are written down in docs/adr/0005-classification-rules.md.

The resolver serves local standards and determination's time limits. A setting is a model with
``region`` (province, city or county), ``effective_from`` and nullable fields. For a region on a
date each field comes from the deepest level of its chain (county → city → province) whose latest
version in force on the date sets it; a township or village resolves through its county, and the
province's version must set every field. The callers word their own "missing" messages and keep
their own result types.
"""

from __future__ import annotations

import builtins
import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import Any, TypeVar

from django.db.models import Model

from safetynet.regions.models import SIGNIFICANT_DIGITS, Level

ZERO = Decimal("0")


class ExpenditureRule(StrEnum):
    """How a locality tests expenditure hardship (二(一)4)."""

    # Income per head below last year's disposable income and rigid expenditure of the last 12
    # months above a share of the household's income over the same 12 months.
    SHARE_OF_INCOME = "share_of_income"
    # The older form: income per head after rigid expenditure below the dibao standard.
    AFTER_EXPENDITURE = "after_expenditure"


@dataclass(frozen=True)
class Standards:
    """The standards in force for one region, date and residence (urban or rural)."""

    dibao_monthly: Decimal
    near_dibao_multiplier: Decimal = Decimal("1.5")
    destitute_multiplier: Decimal = Decimal("1.3")
    # Care standards of destitute persons by self-care ability, monthly yuan.
    care_self_monthly: Decimal = ZERO
    care_partial_monthly: Decimal = ZERO
    care_full_monthly: Decimal = ZERO
    # Last year's local per-capita disposable income for this residence, yearly yuan.
    disposable_income_annual: Decimal = ZERO
    rigid_expenditure_share: Decimal = Decimal("1")
    expenditure_rule: ExpenditureRule = ExpenditureRule.SHARE_OF_INCOME
    financial_assets_months: Decimal = Decimal("24")
    vehicle_value_limit: Decimal = ZERO
    max_dwellings: int = 1
    business_capital_limit: Decimal = ZERO
    # 二(一)4 收入大幅缩减: the share of the earlier income by which the household's income must
    # have dropped (a local standard; the default is a demonstration value, 示例).
    income_drop_share: Decimal = Decimal("0.5")
    # 就业成本 (民发〔2021〕57号): monthly deduction per employed member from counted wages; none
    # unless a county sets it.
    employment_cost_monthly: Decimal = ZERO
    # 特困人员认定办法 art. 9(6): the province's other cases in which a legal supporter is unable
    # to support (names of the cases); none unless the province sets them.
    supporter_other_cases: tuple[str, ...] = ()
    # True when any figure is a demonstration value rather than a published one (shown as 示例).
    is_example: bool = False
    # Where each figure came from: field name → "region code / effective date / source".
    provenance: dict[str, str] = field(default_factory=dict, compare=False)

    @property
    def destitute_monthly(self) -> Decimal:
        return self.dibao_monthly * self.destitute_multiplier


@dataclass(frozen=True)
class MemberIncome:
    """Monthly income of one member by kind; ``excluded`` is recorded but never counted."""

    wages: Decimal = ZERO
    business: Decimal = ZERO
    property: Decimal = ZERO
    transfer: Decimal = ZERO
    excluded: Decimal = ZERO

    # The field named ``property`` (net property income) shadows the builtin in this class body.
    @builtins.property
    def counted(self) -> Decimal:
        return self.wages + self.business + self.property + self.transfer


@dataclass(frozen=True)
class MemberFacts:
    id_number: str
    relation: str
    birth_date: dt.date
    income: MemberIncome = field(default_factory=MemberIncome)
    # DisabilityType value ("visual", "physical", "intellectual", "mental", …) or "" for none.
    disability_type: str = ""
    disability_grade: int | None = None
    serious_illness: bool = False
    in_school: bool = False
    # LabourCapacity value: "full", "partial" or "none".
    labour_capacity: str = "full"
    # SchoolStage value; "" when only ``in_school`` is known (then no stage counts for the
    # destitute rules past 18, which need compulsory education, 普通高中 or 中职).
    school_stage: str = ""
    # Employed (for the employment-cost deduction); None: employed when the member has wages.
    employed: bool | None = None
    # The person's own recorded category in force on the date ("destitute", "dibao",
    # "individual_dibao" or ""): art. 9(1)–(2) look at recorded recipients.
    recorded_category: str = ""
    # First day of the person's recorded destitute support (on or before the date), or None:
    # a minor destitute before 18 keeps the support until 18 and past 18 while at school.
    destitute_since: dt.date | None = None
    # LegalStatus value: "no_capacity", "missing", "imprisoned" or "" (art. 9(5)).
    legal_status: str = ""
    # The province's other case of art. 9(6) the person falls under, by name, or "".
    other_inability: str = ""
    # Display only (the UI shows names; the JSON format need not carry one).
    name: str = ""
    # The registry's person id when the facts come from the database (the id number is then the
    # decrypted number: it never leaves the server unmasked), else None.
    person_id: int | None = None


@dataclass(frozen=True)
class Vehicle:
    value: Decimal
    for_disability: bool = False


@dataclass(frozen=True)
class HouseholdAssets:
    financial: Decimal = ZERO
    vehicles: tuple[Vehicle, ...] = ()
    dwellings: int = 0
    business_capital: Decimal = ZERO


@dataclass(frozen=True)
class RigidExpenditure12m:
    medical: Decimal = ZERO
    education: Decimal = ZERO
    rehabilitation: Decimal = ZERO
    disaster: Decimal = ZERO
    accident: Decimal = ZERO

    @property
    def total(self) -> Decimal:
        return self.medical + self.education + self.rehabilitation + self.disaster + self.accident


@dataclass(frozen=True)
class Supporter:
    """A legal supporter registered outside the household (its ability is the officer's finding).

    ``supported_id_number`` names the member the duty is owed to; empty means every member (the
    JSON format carries no link, and the registry may leave it open). ``relation`` is the
    supporter's GB/T 4761 relation to the supported person (父亲 51 …), "" when not given.
    """

    able_to_support: bool
    supported_id_number: str = ""
    relation: str = ""
    id_number: str = ""
    name: str = ""
    note: str = ""


@dataclass(frozen=True)
class HouseholdFacts:
    """Everything the classifier looks at for one household on one date."""

    region_code: str
    on: dt.date
    residence: str  # Residence value: "urban" or "rural"
    members: tuple[MemberFacts, ...]
    assets: HouseholdAssets = field(default_factory=HouseholdAssets)
    rigid_expenditure_12m: RigidExpenditure12m = field(default_factory=RigidExpenditure12m)
    supporters: tuple[Supporter, ...] = ()
    # RelapseWatchType value or "" when the household is not monitored.
    relapse_watch: str = ""
    # 二(一)4 收入大幅缩减: the household's counted income of the same 12 months a year
    # earlier; or a recorded monthly income before the drop and the day it was recorded.
    income_year_earlier_12m: Decimal | None = None
    income_before_drop_monthly: Decimal | None = None
    income_before_drop_on: dt.date | None = None
    # The registry's household id when the facts come from the database, else None.
    household_id: int | None = None


@dataclass(frozen=True)
class Reason:
    """One test the classifier made: what was compared, whether it held, and the clause."""

    code: str  # stable machine name, e.g. "dibao_income", "assets_vehicle"
    met: bool
    text: str  # Chinese, with the figures, e.g. "家庭月人均收入 480.00 元 < 城市低保标准 560.00 元"
    clause: str  # the policy clause, e.g. "二(一)1"
    figures: dict[str, str] = field(default_factory=dict)
    # The member the test is about (id number), or "" for the household.
    member: str = ""


@dataclass(frozen=True)
class MemberResult:
    id_number: str
    category: str  # Category value or "none"
    reasons: tuple[Reason, ...] = ()


@dataclass(frozen=True)
class Classification:
    category: str  # Category value (household level) or "none"
    members: tuple[MemberResult, ...]
    reasons: tuple[Reason, ...]
    standards: Standards
    # Expenditure hardship holds for at most 12 months from the date classified.
    valid_until: dt.date | None = None


# The one resolver of settings versioned by region.

V = TypeVar("V", bound=Model)

# The levels that may set versioned settings, from the top; their code prefix lengths.
SETTING_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
_CHAIN_DIGITS = tuple(SIGNIFICANT_DIGITS[level] for level in SETTING_LEVELS)


class FieldUnset(Exception):
    """No version of the chain sets ``name`` (the province's lacks it)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def chain_codes(code: str) -> list[str]:
    """The 12-digit codes of the levels that set settings for a region, province first.

    Every county's parent is the city with the same first four digits (济源 sits under
    419000 省直辖县级行政区划), so the chain follows from the code alone: the padded 2-, 4- and
    6-digit prefixes, of which a city's or province's own code is the last.
    """
    codes: list[str] = []
    for digits in _CHAIN_DIGITS:
        candidate = code[:digits].ljust(12, "0")
        if candidate not in codes:
            codes.append(candidate)
    return codes


def versions_in_force(model: type[V], codes: Iterable[str], on: dt.date) -> dict[str, V]:
    """Each region's latest version in force on the date, keyed by region code (one query)."""
    latest: dict[str, V] = {}
    for version in (
        model._default_manager.filter(region_id__in=set(codes), effective_from__lte=on)
        .select_related("region")
        .order_by("region_id", "-effective_from")
    ):
        latest.setdefault(version.region_id, version)  # type: ignore[attr-defined]
    return latest


def is_set(value: Any) -> bool:
    return value is not None and value != ""


def resolve_fields(
    chain: Sequence[str],
    in_force: Mapping[str, V],
    fields: Iterable[str],
    *,
    set_test: Callable[[Any], bool] = is_set,
) -> dict[str, V]:
    """For each field the version it comes from: the deepest of ``chain`` (codes, province
    first) whose version in force sets it. No query; ``FieldUnset`` names a field none sets."""
    deepest_first = [in_force[code] for code in reversed(chain) if code in in_force]
    origins: dict[str, V] = {}
    for name in fields:
        origin = next((v for v in deepest_first if set_test(getattr(v, name))), None)
        if origin is None:
            raise FieldUnset(name)
        origins[name] = origin
    return origins
