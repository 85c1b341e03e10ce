"""Reading the JSON format of `safetynet classify` (documented in the README) into the
classifier's ``HouseholdFacts`` and the standards the file overrides.

The reader checks every field and reports every problem at once, each by its JSON path
("members[1].id_number") with a Chinese reason, so that the person who wrote the file can fix it
in one pass.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from safetynet.policy.assessment.rules import RIGID_EXPENDITURE_KINDS
from safetynet.policy.common import (
    ZERO,
    ExpenditureRule,
    HouseholdAssets,
    HouseholdFacts,
    MemberFacts,
    MemberIncome,
    RigidExpenditure12m,
    Standards,
    Supporter,
    Vehicle,
)
from safetynet.regions.codes import normalise_code
from safetynet.registry import identity
from safetynet.registry.choices import (
    Category,
    DisabilityType,
    LabourCapacity,
    LegalStatus,
    RelapseWatchType,
    Residence,
    SchoolStage,
)
from safetynet.registry.relations import relation_from_text

Overrides = dict[str, Decimal | int | str]

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# DECIMAL(18,2) in the set-based engine: 16 digits before the point.
_MONEY_MAX = Decimal("1e16")

TOP_KEYS = frozenset(
    {
        "region",
        "date",
        "residence",
        "standards",
        "members",
        "assets",
        "rigid_expenditure_12m",
        "supporters",
        "relapse_watch",
        "income_year_earlier_12m",
        "income_before_drop",
    }
)
MEMBER_KEYS = frozenset(
    {
        "id_number",
        "relation",
        "name",
        "income",
        "disability",
        "serious_illness",
        "in_school",
        "labour_capacity",
        "school_stage",
        "employed",
        "recorded_category",
        "destitute_since",
        "legal_status",
        "other_inability",
    }
)
INCOME_KEYS = ("wages", "business", "property", "transfer", "excluded")
ASSET_KEYS = frozenset({"financial", "vehicles", "dwellings", "business_capital"})
EXPENDITURE_KEYS = RIGID_EXPENDITURE_KINDS
SUPPORTER_KEYS = frozenset(
    {"able_to_support", "supported_id_number", "relation", "id_number", "name", "note"}
)
RECORDED_CATEGORIES = (Category.DESTITUTE, Category.DIBAO, Category.INDIVIDUAL_DIBAO)

MONEY_OVERRIDES = frozenset(
    {
        "dibao_monthly",
        "disposable_income_monthly",
        "vehicle_value_limit",
        "business_capital_limit",
        "employment_cost_monthly",
    }
)
RATIO_OVERRIDES = frozenset(
    {
        "near_dibao_multiplier",
        "destitute_multiplier",
        "rigid_expenditure_share",
        "financial_assets_months",
        "income_drop_share",
    }
)
STANDARD_KEYS = MONEY_OVERRIDES | RATIO_OVERRIDES | {"max_dwellings", "expenditure_rule"}
OVERRIDE_SOURCE = "输入文件指定"


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class FactsError(ValueError):
    """Every problem of one input, each with its JSON path and a Chinese reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class _Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def obj(self, value: Any, path: str, keys: frozenset[str] | tuple[str, ...]) -> dict[str, Any]:
        """A JSON object (null or absent reads as empty), unknown keys reported."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, "应为对象（{…}）")
            return {}
        for key in value:
            if key not in keys:
                self.fail(f"{path}.{key}" if path else key, "未知字段")
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "应为数组（[…]）")
            return []
        return value

    def decimal(self, value: Any, path: str, *, places: int, what: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, f"应为{what}（数字），实际为 {_json_type(value)}")
            return None
        try:
            # Through str so that 480.1 reads as 480.1, not as its binary approximation.
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(path, f"“{value}”不是数字")
            return None
        if not amount.is_finite():
            self.fail(path, f"“{value}”不是有限的数字")
            return None
        if amount < 0:
            self.fail(path, f"不能为负数（{value}）")
            return None
        if amount >= _MONEY_MAX:
            self.fail(path, f"数值过大（{value}）")
            return None
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.fail(path, f"最多 {places} 位小数（{value}）")
            return None
        return amount

    def money(self, value: Any, path: str, *, default: Decimal = ZERO) -> Decimal:
        if value is None:
            return default
        amount = self.decimal(value, path, places=2, what="金额")
        return default if amount is None else amount

    def count(self, value: Any, path: str) -> int:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"应为非负整数，实际为 {_json_type(value)}")
            return 0
        if value < 0:
            self.fail(path, f"不能为负数（{value}）")
            return 0
        return value

    def flag(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(path, f"应为 true 或 false，实际为 {_json_type(value)}")
            return False
        return value

    def date(self, value: Any, path: str) -> dt.date | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not _DATE.match(value):
            self.fail(path, f"日期应写成 YYYY-MM-DD，实际为 {value!r}")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"“{value}”不是有效日期")
            return None

    def text(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(path, "应为字符串")
            return ""
        return value.strip()

    def choice(self, value: Any, path: str, choices: Any, *, default: str = "") -> str:
        if value is None or value == "":
            return default
        allowed = [str(member.value) for member in choices]
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"“{value}”不是可选值（可选：{'、'.join(allowed)}）")
            return default
        return value


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "数组"
    return "对象"


def _member(r: _Reader, raw: Any, path: str, on: dt.date | None) -> MemberFacts | None:
    data = r.obj(raw, path, MEMBER_KEYS)
    if not data:
        if raw is None or raw == {}:
            r.fail(path, "成员不能为空")
        return None
    birth_date: dt.date | None = None
    id_number = ""
    raw_id = data.get("id_number")
    if raw_id is None or raw_id == "":
        r.fail(f"{path}.id_number", "缺少身份证号")
    elif not isinstance(raw_id, str):
        r.fail(f"{path}.id_number", "身份证号应写成字符串（加引号），以免末位 X 或前导 0 丢失")
    else:
        try:
            parsed = identity.parse_id_number(raw_id)
        except identity.InvalidIdNumber as exc:
            r.fail(f"{path}.id_number", exc.reason)
        else:
            id_number, birth_date = parsed.number, parsed.birth_date
            if on is not None and birth_date > on:
                r.fail(
                    f"{path}.id_number",
                    f"出生日期 {birth_date.isoformat()} 晚于评估日期 {on.isoformat()}",
                )

    relation = ""
    raw_relation = data.get("relation")
    if raw_relation not in (None, ""):
        code = relation_from_text(str(raw_relation)) if isinstance(raw_relation, str) else None
        if code is None:
            r.fail(f"{path}.relation", f"“{raw_relation}”不是家庭关系代码或名称（GB/T 4761）")
        else:
            relation = code

    income_data = r.obj(data.get("income"), f"{path}.income", INCOME_KEYS)
    income = MemberIncome(
        **{key: r.money(income_data.get(key), f"{path}.income.{key}") for key in INCOME_KEYS}
    )

    disability_type, disability_grade = "", None
    disability = r.obj(data.get("disability"), f"{path}.disability", frozenset({"type", "grade"}))
    if disability:
        disability_type = r.choice(
            disability.get("type"), f"{path}.disability.type", DisabilityType
        )
        if not disability_type and disability.get("type") in (None, ""):
            r.fail(f"{path}.disability.type", "缺少残疾类别")
        grade = disability.get("grade")
        if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
            r.fail(f"{path}.disability.grade", f"残疾等级应为 1 至 4 的整数，实际为 {grade!r}")
        else:
            disability_grade = grade

    name = data.get("name") or ""
    if not isinstance(name, str):
        r.fail(f"{path}.name", "姓名应为字符串")
        name = ""

    school_stage = r.choice(data.get("school_stage"), f"{path}.school_stage", SchoolStage)
    in_school = r.flag(data.get("in_school"), f"{path}.in_school")
    if school_stage:
        in_school = school_stage != SchoolStage.NONE
    employed = data.get("employed")
    if employed is not None:
        employed = r.flag(employed, f"{path}.employed")
    recorded = r.choice(data.get("recorded_category"), f"{path}.recorded_category", Category)
    if recorded and recorded not in RECORDED_CATEGORIES:
        r.fail(f"{path}.recorded_category", "只记录本人的特困、低保或单人保类别")
    destitute_since = r.date(data.get("destitute_since"), f"{path}.destitute_since")
    if destitute_since is not None and on is not None and destitute_since > on:
        r.fail(f"{path}.destitute_since", "晚于评估日期")

    if birth_date is None:
        return None
    return MemberFacts(
        id_number=id_number,
        relation=relation,
        birth_date=birth_date,
        income=income,
        disability_type=disability_type,
        disability_grade=disability_grade,
        serious_illness=r.flag(data.get("serious_illness"), f"{path}.serious_illness"),
        in_school=in_school,
        labour_capacity=r.choice(
            data.get("labour_capacity"),
            f"{path}.labour_capacity",
            LabourCapacity,
            default=LabourCapacity.FULL.value,
        ),
        name=name,
        school_stage="" if school_stage == SchoolStage.NONE else school_stage,
        employed=employed,
        recorded_category=recorded,
        destitute_since=destitute_since,
        legal_status=r.choice(data.get("legal_status"), f"{path}.legal_status", LegalStatus),
        other_inability=r.text(data.get("other_inability"), f"{path}.other_inability"),
    )


def _overrides(r: _Reader, raw: Any) -> Overrides:
    data = r.obj(raw, "standards", STANDARD_KEYS)
    overrides: Overrides = {}
    for key, value in data.items():
        if key not in STANDARD_KEYS:
            continue
        path = f"standards.{key}"
        if value is None:
            continue
        if key in MONEY_OVERRIDES:
            amount = r.decimal(value, path, places=2, what="金额")
            if amount is not None:
                overrides[key] = amount
        elif key in RATIO_OVERRIDES:
            ratio = r.decimal(value, path, places=3, what="比例或倍数")
            if ratio is not None:
                overrides[key] = ratio
        elif key == "max_dwellings":
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                r.fail(path, f"应为非负整数，实际为 {value!r}")
            else:
                overrides[key] = value
        else:
            rule = r.choice(value, path, ExpenditureRule)
            if rule:
                overrides[key] = rule
    if overrides.get("dibao_monthly") == ZERO:
        r.fail("standards.dibao_monthly", "低保标准必须大于 0")
    return overrides


def facts_from_json(data: Any) -> tuple[HouseholdFacts, Overrides]:
    """Read one household in the format of `safetynet classify`; raise ``FactsError`` listing
    every problem."""
    r = _Reader()
    if not isinstance(data, dict):
        raise FactsError([Problem("$", f"顶层应为对象（{{…}}），实际为 {_json_type(data)}")])
    r.obj(data, "", TOP_KEYS)

    region_code = ""
    raw_region = data.get("region")
    if raw_region in (None, ""):
        r.fail("region", "缺少区划代码")
    else:
        try:
            region_code = normalise_code(str(raw_region))
        except ValueError as exc:
            r.fail("region", str(exc))

    on: dt.date | None = None
    raw_date = data.get("date")
    if raw_date in (None, ""):
        r.fail("date", "缺少评估日期")
    elif not isinstance(raw_date, str) or not _DATE.match(raw_date):
        r.fail("date", f"日期应写成 YYYY-MM-DD，实际为 {raw_date!r}")
    else:
        try:
            on = dt.date.fromisoformat(raw_date)
        except ValueError:
            r.fail("date", f"“{raw_date}”不是有效日期")

    residence = ""
    if data.get("residence") in (None, ""):
        r.fail("residence", "缺少城乡类别（urban 或 rural）")
    else:
        residence = r.choice(data.get("residence"), "residence", Residence)

    overrides = _overrides(r, data.get("standards"))

    members: list[MemberFacts] = []
    raw_members = data.get("members")
    if raw_members is None:
        r.fail("members", "缺少家庭成员")
    seen: dict[str, int] = {}
    for index, raw in enumerate(r.array(raw_members, "members")):
        member = _member(r, raw, f"members[{index}]", on)
        if member is None:
            continue
        if member.id_number in seen:
            r.fail(
                f"members[{index}].id_number",
                f"与 members[{seen[member.id_number]}] 的身份证号重复",
            )
            continue
        seen[member.id_number] = index
        members.append(member)

    assets_data = r.obj(data.get("assets"), "assets", ASSET_KEYS)
    vehicles = []
    for index, raw in enumerate(r.array(assets_data.get("vehicles"), "assets.vehicles")):
        path = f"assets.vehicles[{index}]"
        vehicle = r.obj(raw, path, frozenset({"value", "for_disability"}))
        if "value" not in vehicle:
            r.fail(f"{path}.value", "缺少机动车价值")
        vehicles.append(
            Vehicle(
                value=r.money(vehicle.get("value"), f"{path}.value"),
                for_disability=r.flag(vehicle.get("for_disability"), f"{path}.for_disability"),
            )
        )
    assets = HouseholdAssets(
        financial=r.money(assets_data.get("financial"), "assets.financial"),
        vehicles=tuple(vehicles),
        dwellings=r.count(assets_data.get("dwellings"), "assets.dwellings"),
        business_capital=r.money(assets_data.get("business_capital"), "assets.business_capital"),
    )

    spent = r.obj(data.get("rigid_expenditure_12m"), "rigid_expenditure_12m", EXPENDITURE_KEYS)
    rigid = RigidExpenditure12m(
        **{k: r.money(spent.get(k), f"rigid_expenditure_12m.{k}") for k in EXPENDITURE_KEYS}
    )

    supporters = []
    for index, raw in enumerate(r.array(data.get("supporters"), "supporters")):
        path = f"supporters[{index}]"
        supporter = r.obj(raw, path, SUPPORTER_KEYS)
        if not isinstance(supporter.get("able_to_support"), bool):
            r.fail(f"{path}.able_to_support", "应为 true 或 false（是否具备赡养、抚养或扶养能力）")
            continue
        supported = supporter.get("supported_id_number") or ""
        if supported:
            supported = identity.normalise_id_number(supported)
            if supported not in seen:
                r.fail(f"{path}.supported_id_number", "不是本户成员的身份证号")
                continue
        relation = ""
        raw_relation = supporter.get("relation")
        if raw_relation not in (None, ""):
            code = relation_from_text(raw_relation) if isinstance(raw_relation, str) else None
            if code is None:
                r.fail(f"{path}.relation", f"“{raw_relation}”不是家庭关系代码或名称（GB/T 4761）")
            else:
                relation = code
        supporters.append(
            Supporter(
                able_to_support=supporter["able_to_support"],
                supported_id_number=supported,
                relation=relation,
                id_number=identity.normalise_id_number(
                    r.text(supporter.get("id_number"), f"{path}.id_number")
                ),
                name=r.text(supporter.get("name"), f"{path}.name"),
                note=r.text(supporter.get("note"), f"{path}.note"),
            )
        )

    relapse_watch = r.choice(data.get("relapse_watch"), "relapse_watch", RelapseWatchType)
    year_earlier = None
    if data.get("income_year_earlier_12m") is not None:
        year_earlier = r.money(data.get("income_year_earlier_12m"), "income_year_earlier_12m")
    before = r.obj(data.get("income_before_drop"), "income_before_drop", ("monthly", "on"))
    before_monthly, before_on = None, None
    if before:
        before_monthly = r.money(before.get("monthly"), "income_before_drop.monthly")
        before_on = r.date(before.get("on"), "income_before_drop.on")
        if before_on is None:
            r.fail("income_before_drop.on", "缺少收入记录日期")

    if r.problems or on is None:
        raise FactsError(r.problems)
    facts = HouseholdFacts(
        region_code=region_code,
        on=on,
        residence=residence,
        members=tuple(members),
        assets=assets,
        rigid_expenditure_12m=rigid,
        supporters=tuple(supporters),
        relapse_watch=relapse_watch,
        income_year_earlier_12m=year_earlier,
        income_before_drop_monthly=before_monthly,
        income_before_drop_on=before_on,
    )
    return facts, overrides


def standards_with_overrides(standards: Standards, overrides: Overrides) -> Standards:
    """The standards with the input file's figures in place of the configured ones."""
    changes: dict[str, Any] = {}
    for key, value in overrides.items():
        if key == "disposable_income_monthly":
            changes["disposable_income_annual"] = Decimal(value) * 12
        elif key == "expenditure_rule":
            changes[key] = ExpenditureRule(str(value))
        elif key == "max_dwellings":
            changes[key] = int(value)
        else:
            changes[key] = Decimal(value)
    if not changes:
        return standards
    provenance = dict(standards.provenance)
    provenance.update({key: OVERRIDE_SOURCE for key in changes})
    return dataclasses.replace(standards, provenance=provenance, **changes)


def standards_from_overrides(overrides: Overrides) -> Standards:
    """Standards made of the input file's figures alone (when none are configured): the
    dataclass defaults fill in the rest."""
    return standards_with_overrides(
        Standards(dibao_monthly=Decimal(overrides["dibao_monthly"])), overrides
    )
