"""Reading the JSON format of `safetynet classify` (documented in the README) into the
classifier's ``HouseholdFacts`` and the standards the file overrides.

Every field is read through ``json_reader``, which reports every problem at once, each by its
JSON path ("members[1].id_number") with a Chinese reason.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from safetynet.policy.assessment.json_reader import (
    DATE_PATTERN,
    FactsError,
    Problem,
    Reader,
    json_type,
)
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


def _member(r: Reader, raw: Any, path: str, on: dt.date | None) -> MemberFacts | None:
    data = r.obj(raw, path, MEMBER_KEYS)
    if not data:
        if raw is None or raw == {}:
            r.fail(path, "成员不能为空")
        return None
    id_number, birth_date = _id_number(r, data.get("id_number"), f"{path}.id_number", on)
    relation = _relation(r, data.get("relation"), f"{path}.relation")
    income_data = r.obj(data.get("income"), f"{path}.income", INCOME_KEYS)
    income = MemberIncome(
        **{key: r.money(income_data.get(key), f"{path}.income.{key}") for key in INCOME_KEYS}
    )
    disability_type, disability_grade = _disability(r, data.get("disability"), path)
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


def _id_number(r: Reader, raw: Any, path: str, on: dt.date | None) -> tuple[str, dt.date | None]:
    """A member's ID number and the birth date it carries (not after the assessment date)."""
    if raw is None or raw == "":
        r.fail(path, "缺少身份证号")
        return "", None
    if not isinstance(raw, str):
        r.fail(path, "身份证号应写成字符串（加引号），以免末位 X 或前导 0 丢失")
        return "", None
    try:
        parsed = identity.parse_id_number(raw)
    except identity.InvalidIdNumber as exc:
        r.fail(path, exc.reason)
        return "", None
    if on is not None and parsed.birth_date > on:
        r.fail(path, f"出生日期 {parsed.birth_date.isoformat()} 晚于评估日期 {on.isoformat()}")
    return parsed.number, parsed.birth_date


def _relation(r: Reader, raw: Any, path: str) -> str:
    """A relation code (GB/T 4761) given as a code or a name; "" when absent."""
    if raw in (None, ""):
        return ""
    code = relation_from_text(raw) if isinstance(raw, str) else None
    if code is None:
        r.fail(path, f"“{raw}”不是家庭关系代码或名称（GB/T 4761）")
        return ""
    return code


def _disability(r: Reader, raw: Any, path: str) -> tuple[str, int | None]:
    disability = r.obj(raw, f"{path}.disability", frozenset({"type", "grade"}))
    if not disability:
        return "", None
    disability_type = r.choice(disability.get("type"), f"{path}.disability.type", DisabilityType)
    if not disability_type and disability.get("type") in (None, ""):
        r.fail(f"{path}.disability.type", "缺少残疾类别")
    grade = disability.get("grade")
    if isinstance(grade, bool) or not isinstance(grade, int) or not 1 <= grade <= 4:
        r.fail(f"{path}.disability.grade", f"残疾等级应为 1 至 4 的整数，实际为 {grade!r}")
        return disability_type, None
    return disability_type, grade


def _overrides(r: Reader, raw: Any) -> Overrides:
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
    r = Reader()
    if not isinstance(data, dict):
        raise FactsError([Problem("$", f"顶层应为对象（{{…}}），实际为 {json_type(data)}")])
    r.obj(data, "", TOP_KEYS)
    region_code = _region(r, data.get("region"))
    on = _assessment_date(r, data.get("date"))
    residence = ""
    if data.get("residence") in (None, ""):
        r.fail("residence", "缺少城乡类别（urban 或 rural）")
    else:
        residence = r.choice(data.get("residence"), "residence", Residence)
    overrides = _overrides(r, data.get("standards"))
    members = _members(r, data.get("members"), on)
    assets = _assets(r, data.get("assets"))
    spent = r.obj(data.get("rigid_expenditure_12m"), "rigid_expenditure_12m", EXPENDITURE_KEYS)
    rigid = RigidExpenditure12m(
        **{k: r.money(spent.get(k), f"rigid_expenditure_12m.{k}") for k in EXPENDITURE_KEYS}
    )
    supporters = _supporters(r, data.get("supporters"), {m.id_number for m in members})
    relapse_watch = r.choice(data.get("relapse_watch"), "relapse_watch", RelapseWatchType)
    year_earlier = None
    if data.get("income_year_earlier_12m") is not None:
        year_earlier = r.money(data.get("income_year_earlier_12m"), "income_year_earlier_12m")
    before_monthly, before_on = _income_before_drop(r, data.get("income_before_drop"))

    if r.problems or on is None:
        raise FactsError(r.problems)
    facts = HouseholdFacts(
        region_code=region_code,
        on=on,
        residence=residence,
        members=members,
        assets=assets,
        rigid_expenditure_12m=rigid,
        supporters=supporters,
        relapse_watch=relapse_watch,
        income_year_earlier_12m=year_earlier,
        income_before_drop_monthly=before_monthly,
        income_before_drop_on=before_on,
    )
    return facts, overrides


def _region(r: Reader, raw: Any) -> str:
    if raw in (None, ""):
        r.fail("region", "缺少区划代码")
        return ""
    try:
        return normalise_code(str(raw))
    except ValueError as exc:
        r.fail("region", str(exc))
        return ""


def _assessment_date(r: Reader, raw: Any) -> dt.date | None:
    if raw in (None, ""):
        r.fail("date", "缺少评估日期")
        return None
    if not isinstance(raw, str) or not DATE_PATTERN.match(raw):
        r.fail("date", f"日期应写成 YYYY-MM-DD，实际为 {raw!r}")
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        r.fail("date", f"“{raw}”不是有效日期")
        return None


def _members(r: Reader, raw_members: Any, on: dt.date | None) -> tuple[MemberFacts, ...]:
    """The members readable, each ID number once."""
    if raw_members is None:
        r.fail("members", "缺少家庭成员")
    members: list[MemberFacts] = []
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
    return tuple(members)


def _assets(r: Reader, raw: Any) -> HouseholdAssets:
    assets_data = r.obj(raw, "assets", ASSET_KEYS)
    vehicles = []
    for index, raw_vehicle in enumerate(r.array(assets_data.get("vehicles"), "assets.vehicles")):
        path = f"assets.vehicles[{index}]"
        vehicle = r.obj(raw_vehicle, path, frozenset({"value", "for_disability"}))
        if "value" not in vehicle:
            r.fail(f"{path}.value", "缺少机动车价值")
        vehicles.append(
            Vehicle(
                value=r.money(vehicle.get("value"), f"{path}.value"),
                for_disability=r.flag(vehicle.get("for_disability"), f"{path}.for_disability"),
            )
        )
    return HouseholdAssets(
        financial=r.money(assets_data.get("financial"), "assets.financial"),
        vehicles=tuple(vehicles),
        dwellings=r.count(assets_data.get("dwellings"), "assets.dwellings"),
        business_capital=r.money(assets_data.get("business_capital"), "assets.business_capital"),
    )


def _supporters(r: Reader, raw: Any, member_ids: set[str]) -> tuple[Supporter, ...]:
    supporters = []
    for index, raw_supporter in enumerate(r.array(raw, "supporters")):
        path = f"supporters[{index}]"
        supporter = r.obj(raw_supporter, path, SUPPORTER_KEYS)
        if not isinstance(supporter.get("able_to_support"), bool):
            r.fail(f"{path}.able_to_support", "应为 true 或 false（是否具备赡养、抚养或扶养能力）")
            continue
        supported = supporter.get("supported_id_number") or ""
        if supported:
            supported = identity.normalise_id_number(supported)
            if supported not in member_ids:
                r.fail(f"{path}.supported_id_number", "不是本户成员的身份证号")
                continue
        supporters.append(
            Supporter(
                able_to_support=supporter["able_to_support"],
                supported_id_number=supported,
                relation=_relation(r, supporter.get("relation"), f"{path}.relation"),
                id_number=identity.normalise_id_number(
                    r.text(supporter.get("id_number"), f"{path}.id_number")
                ),
                name=r.text(supporter.get("name"), f"{path}.name"),
                note=r.text(supporter.get("note"), f"{path}.note"),
            )
        )
    return tuple(supporters)


def _income_before_drop(r: Reader, raw: Any) -> tuple[Decimal | None, dt.date | None]:
    before = r.obj(raw, "income_before_drop", ("monthly", "on"))
    if not before:
        return None, None
    monthly = r.money(before.get("monthly"), "income_before_drop.monthly")
    on = r.date(before.get("on"), "income_before_drop.on")
    if on is None:
        r.fail("income_before_drop.on", "缺少收入记录日期")
    return monthly, on


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
