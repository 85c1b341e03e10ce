"""The row-by-row classifier: proposes the category of one household and of each member, with
every test it made, met or not, so that a civil servant can see why.

The rules are those of docs/adr/0005-classification-rules.md, which the set-based engine
(``safetynet.policy.bulk``) follows too. Every comparison is exact: totals are compared with
standard × members (cross-multiplication); per-head figures appear only in texts, rounded.
Pure: no database, no clock.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from safetynet.masking import mask_id_number
from safetynet.policy.assessment import rules
from safetynet.policy.common import (
    ZERO,
    Classification,
    ExpenditureRule,
    HouseholdFacts,
    MemberFacts,
    MemberResult,
    Reason,
    Standards,
)
from safetynet.registry.choices import (
    Category,
    DisabilityType,
    LegalStatus,
    RelapseWatchType,
    SchoolStage,
)
from safetynet.registry.relations import RELATION_NAMES

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


@dataclass(frozen=True)
class WhatIf:
    """How far the household's figures are from changing one test's result."""

    code: str  # the test concerned, e.g. "dibao_income"
    text: str  # Chinese, with the figures
    figures: dict[str, str] = field(default_factory=dict)


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


def _tie_note(total: Decimal, limit: Decimal, shown: str, shown_limit: str, met: bool) -> str:
    """When rounding makes both sides look equal, say which totals were compared."""
    if shown != shown_limit or total == limit:
        return ""
    sign = "<" if met else "≥"
    return f"（按家庭合计比较：{yuan(total)} 元 {sign} {yuan(limit)} 元）"


def _disability_label(member: MemberFacts) -> str:
    if not member.disability_type or member.disability_grade is None:
        return ""
    try:
        label = str(DisabilityType(member.disability_type).label)
    except ValueError:
        label = member.disability_type
    return f"{label} {member.disability_grade} 级"


def _watch_label(watch: str) -> str:
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


# --- the tests ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Figures:
    n: int
    income: Decimal  # I
    standard: Decimal  # S
    residence: str
    rigid: Decimal  # R

    @property
    def residence_label(self) -> str:
        return RESIDENCE_LABELS.get(self.residence, self.residence)


def _asset_reasons(facts: HouseholdFacts, standards: Standards, f: _Figures) -> list[Reason]:
    assets = facts.assets
    reasons = []

    limit = standards.financial_assets_months * f.standard * f.n
    met = assets.financial <= limit
    reasons.append(
        Reason(
            code="assets_financial",
            met=met,
            text=(
                f"家庭金融资产 {yuan(assets.financial)} 元 {'≤' if met else '>'} 上限 "
                f"{yuan(limit)} 元（{number(standards.financial_assets_months)} 个月 × "
                f"{f.residence_label}低保标准 {yuan(f.standard)} 元 × {f.n} 人）"
            ),
            clause=CLAUSE_DIBAO,
            figures={
                "financial": yuan(assets.financial),
                "limit": yuan(limit),
                "months": number(standards.financial_assets_months),
                "dibao_standard": yuan(f.standard),
                "members": str(f.n),
            },
        )
    )

    value_limit = standards.vehicle_value_limit
    offending = [v for v in assets.vehicles if not v.for_disability and not v.value < value_limit]
    met = not offending
    if not assets.vehicles:
        text = "家庭无机动车"
    elif met:
        text = (
            f"家庭机动车 {len(assets.vehicles)} 辆，均为残疾人功能性补偿代步车或价值低于 "
            f"{yuan(value_limit)} 元"
        )
    else:
        values = "、".join(f"{yuan(v.value)} 元" for v in offending)
        text = (
            f"有 {len(offending)} 辆机动车（{values}）价值 ≥ 上限 {yuan(value_limit)} 元，"
            "且不是残疾人功能性补偿代步车"
        )
    reasons.append(
        Reason(
            code="assets_vehicle",
            met=met,
            text=text,
            clause=CLAUSE_DIBAO,
            figures={
                "vehicles": str(len(assets.vehicles)),
                "over_limit": str(len(offending)),
                "limit": yuan(value_limit),
            },
        )
    )

    met = assets.dwellings <= standards.max_dwellings
    reasons.append(
        Reason(
            code="assets_dwelling",
            met=met,
            text=(
                f"家庭住房 {assets.dwellings} 套 {'≤' if met else '>'} 上限 "
                f"{standards.max_dwellings} 套"
            ),
            clause=CLAUSE_DIBAO,
            figures={"dwellings": str(assets.dwellings), "limit": str(standards.max_dwellings)},
        )
    )

    met = assets.business_capital <= standards.business_capital_limit
    reasons.append(
        Reason(
            code="assets_business",
            met=met,
            text=(
                f"工商登记注册资本 {yuan(assets.business_capital)} 元 {'≤' if met else '>'} 上限 "
                f"{yuan(standards.business_capital_limit)} 元"
            ),
            clause=CLAUSE_DIBAO,
            figures={
                "business_capital": yuan(assets.business_capital),
                "limit": yuan(standards.business_capital_limit),
            },
        )
    )
    return reasons


def _income_reason(
    *, code: str, clause: str, f: _Figures, limit_per_head: Decimal, label: str
) -> Reason:
    """``I < limit_per_head × n``, shown per head."""
    limit = limit_per_head * f.n
    met = f.income < limit
    shown, shown_limit = yuan(per_head(f.income, f.n)), yuan(limit_per_head)
    return Reason(
        code=code,
        met=met,
        text=(
            f"家庭月人均收入 {shown} 元 {'<' if met else '≥'} {label} {shown_limit} 元"
            + _tie_note(f.income, limit, shown, shown_limit, met)
        ),
        clause=clause,
        figures={
            "income_total": yuan(f.income),
            "members": str(f.n),
            "income_per_head": shown,
            "standard": shown_limit,
            "limit_total": yuan(limit),
        },
    )


def _school_label(stage: str) -> str:
    try:
        return str(SchoolStage(stage).label)
    except ValueError:
        return stage


def cannot_work_disability(member: MemberFacts) -> bool:
    """办法 art. 6(3)."""
    grade = member.disability_grade
    return grade is not None and grade in rules.CANNOT_WORK_DISABILITY.get(
        member.disability_type, ()
    )


def severe_disability(member: MemberFacts) -> bool:
    """Grades 1–2 of any type, or grade 3 intellectual or mental (art. 9(4); 单人保)."""
    grade = member.disability_grade
    return grade is not None and (
        grade in rules.SEVERE_GRADES
        or (grade == rules.GRADE3 and member.disability_type in rules.GRADE3_TYPES)
    )


def destitute_before_adult(member: MemberFacts) -> bool:
    since = member.destitute_since
    return since is not None and since < shift_years(member.birth_date, rules.AGE_ADULT)


def employment_deduction(member: MemberFacts, standards: Standards) -> Decimal:
    """就业成本 taken off the member's counted wages (never more than the wages)."""
    employed = member.employed if member.employed is not None else member.income.wages > 0
    if not employed or not standards.employment_cost_monthly:
        return ZERO
    return min(standards.employment_cost_monthly, member.income.wages)


def counted_income(member: MemberFacts, standards: Standards) -> Decimal:
    return member.income.counted - employment_deduction(member, standards)


def _destitute_unable(member: MemberFacts, on: dt.date) -> Reason:
    age = age_on(member.birth_date, on)
    causes = []
    if age >= rules.AGE_ELDERLY:
        causes.append(f"年满 {rules.AGE_ELDERLY} 周岁（{age} 岁）")
    if age < rules.AGE_WORK:
        causes.append(f"未满 {rules.AGE_WORK} 周岁（{age} 岁）")
    elif age < rules.AGE_ADULT and member.destitute_since is not None:
        causes.append(
            f"{age} 岁，自 {member.destitute_since.isoformat()} 起为特困人员，"
            f"可继续享受救助供养至 {rules.AGE_ADULT} 周岁（办法第二十四条）"
        )
    elif (
        age >= rules.AGE_ADULT
        and member.school_stage in rules.CONTINUING_SCHOOL_STAGES
        and destitute_before_adult(member)
    ):
        causes.append(
            f"{age} 岁，{rules.AGE_ADULT} 周岁前已为特困人员，仍在"
            f"{_school_label(member.school_stage)}就读（办法第二十四条）"
        )
    if cannot_work_disability(member):
        causes.append(_disability_label(member))
    if causes:
        text = "属于无劳动能力情形：" + "；".join(causes)
    else:
        disability = _disability_label(member) or "无残疾"
        stage = _school_label(member.school_stage) if member.school_stage else "未登记在学阶段"
        text = (
            f"{age} 岁，{disability}，{stage}，不属于无劳动能力情形（年满 60 周岁、未满 16 周岁、"
            "特困人员中的未成年人至 18 周岁、18 周岁前已为特困人员且仍在义务教育阶段、普通高中"
            "或中职就读、智力或精神残疾 1–3 级、肢体残疾 1–2 级、视力残疾 1 级；办法第六条、"
            "第二十四条）"
        )
    grade = member.disability_grade
    return Reason(
        code="destitute_unable",
        met=bool(causes),
        text=text,
        clause=CLAUSE_DESTITUTE,
        figures={
            "age": str(age),
            "disability_type": member.disability_type,
            "disability_grade": "" if grade is None else str(grade),
            "school_stage": member.school_stage,
            "destitute_since": (
                member.destitute_since.isoformat() if member.destitute_since else ""
            ),
        },
        member=member.id_number,
    )


def _destitute_no_income(
    member: MemberFacts, f: _Figures, standards: Standards, assets_pass: bool
) -> Reason:
    own = counted_income(member, standards)
    below = own < f.standard
    text = (
        f"本人月收入 {yuan(own)} 元 {'<' if below else '≥'} {f.residence_label}低保标准 "
        f"{yuan(f.standard)} 元"
        + ("，家庭财产符合规定" if assets_pass else "，但家庭财产不符合规定")
    )
    return Reason(
        code="destitute_no_income",
        met=below and assets_pass,
        text=text,
        clause=CLAUSE_DESTITUTE,
        figures={
            "own_income": yuan(own),
            "dibao_standard": yuan(f.standard),
            "assets_pass": "true" if assets_pass else "false",
        },
        member=member.id_number,
    )


# --- legal supporters (ADR 0005, 民法典 1059/1067/1074/1075, 办法 art. 9) ----------------------

_KIN_LABELS = {
    rules.SPOUSE_OF: ("丈夫", "妻子", "配偶"),
    rules.PARENT_OF: ("父亲", "母亲", "父母"),
    rules.CHILD_OF: ("儿子", "女儿", "子女"),
    rules.GRANDPARENT_OF: ("（外）祖父", "（外）祖母", "（外）祖父母"),
    rules.GRANDCHILD_OF: ("（外）孙子", "（外）孙女", "（外）孙子女"),
    rules.SIBLING_OF: ("哥哥", "姐姐", "兄姐"),
}


def _sex(id_number: str) -> str:
    if len(id_number) == 18 and id_number[16].isdigit():
        return "male" if int(id_number[16]) % 2 else "female"
    return ""


def _kin_label(kind: str, id_number: str) -> str:
    male, female, either = _KIN_LABELS[kind]
    sex = _sex(id_number)
    return male if sex == "male" else female if sex == "female" else either


@dataclass(frozen=True)
class Considered:
    """One legal supporter considered for a member, and the finding on their ability."""

    label: str  # 父亲, 配偶, … (relation to the supported member)
    id_number: str  # unmasked; masked in texts
    kinship: str  # rules.*_OF, or "outside" for a registered supporter outside the household
    able: bool
    why: str

    @property
    def text(self) -> str:
        shown = mask_id_number(self.id_number) if self.id_number else "（未登记身份证号）"
        where = "（户外登记）" if self.kinship == OUTSIDE else ""
        duty = rules.KINSHIP_DUTY.get(self.kinship, "赡(抚、扶)养")
        if self.able:
            return f"{self.label} {shown}{where} 有{duty}能力（{self.why}）"
        return f"{self.label} {shown}{where} 无履行义务能力（{self.why}）"


OUTSIDE = "outside"


def supporter_inability(
    s: MemberFacts,
    *,
    on: dt.date,
    standards: Standards,
    assets_pass: bool,
    destitute_ids: frozenset[str] | set[str],
) -> tuple[str, str] | None:
    """The case of 办法 art. 9 a co-resident supporter falls under (code, text), or None."""
    age = age_on(s.birth_date, on)
    own = counted_income(s, standards)
    disposable = standards.disposable_income_annual
    below = own * TWELVE < disposable
    income_text = (
        f"本人年收入 {yuan(own * TWELVE)} 元 < 上年度居民人均可支配收入 {yuan(disposable)} 元"
    )
    if s.recorded_category == Category.DESTITUTE:
        return rules.ART9_DESTITUTE, "特困人员"
    if age >= rules.AGE_ELDERLY and s.recorded_category in (
        Category.DIBAO,
        Category.INDIVIDUAL_DIBAO,
    ):
        return rules.ART9_OLD_DIBAO, f"{age} 岁，最低生活保障对象"
    if age >= rules.AGE_SUPPORTER_OLD and below and assets_pass:
        return rules.ART9_OLD, f"{age} 岁，{income_text}，财产符合规定"
    if severe_disability(s) and below and assets_pass:
        return rules.ART9_DISABLED, f"{_disability_label(s)}，{income_text}，财产符合规定"
    if s.legal_status in rules.LEGAL_STATUSES_UNABLE and assets_pass:
        return rules.ART9_LEGAL, f"{_legal_status_label(s.legal_status)}，财产符合规定"
    if s.other_inability and s.other_inability in standards.supporter_other_cases:
        return rules.ART9_OTHER, f"{s.other_inability}（省级规定的其他情形）"
    # Last, so that the text names the case of the person's own situation where there is one.
    if s.id_number in destitute_ids:
        return rules.ART9_DESTITUTE, "本次评估为特困人员"
    return None


def _legal_status_label(status: str) -> str:
    try:
        return str(LegalStatus(status).label)
    except ValueError:
        return status


def needs_parents(member: MemberFacts, age: int) -> bool:
    """A minor, or an adult child who cannot live independently (民法典 art. 1067): at school
    up to 高中/中职, a disability with which one cannot work, or labour capacity lost."""
    return (
        age < rules.AGE_ADULT
        or member.school_stage in rules.CONTINUING_SCHOOL_STAGES
        or cannot_work_disability(member)
        or member.labour_capacity in rules.LABOUR_NOT_INDEPENDENT
    )


def supporters_of(
    member: MemberFacts,
    facts: HouseholdFacts,
    *,
    standards: Standards,
    assets_pass: bool,
    destitute_ids: frozenset[str] | set[str],
) -> list[Considered]:
    """The legal supporters of a member: co-resident relatives by their relation codes, then
    the registered outside supporters (ADR 0005)."""
    on = facts.on
    age = age_on(member.birth_date, on)

    def finding(s: MemberFacts, kind: str) -> Considered:
        case = supporter_inability(
            s, on=on, standards=standards, assets_pass=assets_pass, destitute_ids=destitute_ids
        )
        if case is None:
            why = f"月收入 {yuan(counted_income(s, standards))} 元"
        else:
            why = f"{case[1]}，{rules.ART9}第{rules.ART9_ITEMS[case[0]]}项"
        return Considered(
            label=_kin_label(kind, s.id_number),
            id_number=s.id_number,
            kinship=kind,
            able=case is None,
            why=why,
        )

    kin: dict[str, list[MemberFacts]] = {}
    for other in facts.members:
        if other.id_number == member.id_number:
            continue
        kind = rules.kinship(other.relation, member.relation)
        if kind is not None:
            kin.setdefault(kind, []).append(other)

    def adult(s: MemberFacts) -> bool:
        return age_on(s.birth_date, on) >= rules.AGE_ADULT

    registered = [s for s in facts.supporters if s.supported_id_number in ("", member.id_number)]
    outside = [
        Considered(
            label=RELATION_NAMES.get(s.relation, "法定义务人"),
            id_number=s.id_number,
            kinship=OUTSIDE,
            able=s.able_to_support,
            why=("登记为有履行义务能力" if s.able_to_support else "登记为无履行义务能力")
            + (f"：{s.note}" if s.note else ""),
        )
        for s in registered
    ]
    considered = [finding(s, rules.SPOUSE_OF) for s in kin.get(rules.SPOUSE_OF, [])]
    parents = []
    if needs_parents(member, age):
        parents = [finding(s, rules.PARENT_OF) for s in kin.get(rules.PARENT_OF, [])]
    children = [finding(s, rules.CHILD_OF) for s in kin.get(rules.CHILD_OF, []) if adult(s)]
    considered += parents + children
    able_parent = any(c.able for c in parents) or any(
        s.able_to_support and s.relation in rules.OUTSIDE_PARENT for s in registered
    )
    able_child = any(c.able for c in children) or any(
        s.able_to_support and s.relation in rules.OUTSIDE_CHILD for s in registered
    )
    if age < rules.AGE_ADULT and not able_parent:
        considered += [finding(s, rules.GRANDPARENT_OF) for s in kin.get(rules.GRANDPARENT_OF, [])]
        considered += [
            finding(s, rules.SIBLING_OF)
            for s in kin.get(rules.SIBLING_OF, [])
            if adult(s) and s.birth_date < member.birth_date
        ]
    if not able_child:
        considered += [
            finding(s, rules.GRANDCHILD_OF) for s in kin.get(rules.GRANDCHILD_OF, []) if adult(s)
        ]
    return considered + outside


def _destitute_no_supporter(member: MemberFacts, considered: list[Considered]) -> Reason:
    able = [c for c in considered if c.able]
    if not considered:
        text = "无法定赡(抚、扶)养义务人"
    else:
        chain = "；".join(c.text for c in considered)
        if able:
            text = f"有具备赡养、抚养或扶养能力的法定义务人：{chain}"
        else:
            text = f"法定赡(抚、扶)养义务人均无履行义务能力：{chain}"
    return Reason(
        code="destitute_no_supporter",
        met=not able,
        text=text,
        clause=CLAUSE_DESTITUTE,
        figures={
            "supporters": str(len(considered)),
            "able": str(len(able)),
            "considered": "；".join(c.text for c in considered),
        },
        member=member.id_number,
    )


def _individual_dibao(member: MemberFacts, near_dibao: bool) -> Reason:
    causes = []
    if severe_disability(member):
        causes.append(_disability_label(member))
    if member.serious_illness:
        causes.append("患重特大疾病")
    if causes and near_dibao:
        text = "家庭为低保边缘家庭，本人" + "、".join(causes) + "，可单独纳入低保"
    elif causes:
        text = (
            "本人"
            + "、".join(causes)
            + "，但家庭不是低保边缘家庭（单人保只适用于低保边缘家庭成员）"
        )
    else:
        text = "本人无 1–2 级残疾、3 级智力或精神残疾，也未患重特大疾病"
    return Reason(
        code="individual_dibao",
        met=bool(causes) and near_dibao,
        text=text,
        clause=CLAUSE_INDIVIDUAL,
        figures={
            "qualifies": "true" if causes else "false",
            "near_dibao": "true" if near_dibao else "false",
        },
        member=member.id_number,
    )


def _expenditure_reasons(
    facts: HouseholdFacts, standards: Standards, f: _Figures
) -> tuple[list[Reason], bool]:
    annual_income = f.income * TWELVE
    drop_reason = _income_drop_reason(facts, standards, f)
    if standards.expenditure_rule == ExpenditureRule.AFTER_EXPENDITURE:
        remaining = annual_income - f.rigid
        limit = f.standard * TWELVE * f.n
        met = remaining < limit
        shown = yuan(per_head(remaining, f.n) / TWELVE)
        shown_limit = yuan(f.standard)
        reason = Reason(
            code="expenditure_after",
            met=met,
            text=(
                f"扣除近 12 个月刚性支出 {yuan(f.rigid)} 元后，家庭月人均收入 {shown} 元 "
                f"{'<' if met else '≥'} {f.residence_label}低保标准 {shown_limit} 元"
                + _tie_note(remaining, limit, shown, shown_limit, met)
            ),
            clause=CLAUSE_EXPENDITURE,
            figures={
                "income_annual": yuan(annual_income),
                "rigid_expenditure": yuan(f.rigid),
                "remaining_annual": yuan(remaining),
                "limit_annual": yuan(limit),
                "members": str(f.n),
            },
        )
        income_reason = _expenditure_income_reason(standards, f)
        return [reason, income_reason, drop_reason], met or (income_reason.met and drop_reason.met)

    income_reason = _expenditure_income_reason(standards, f)
    share_reason = _expenditure_share_reason(standards, f)
    return [income_reason, share_reason, drop_reason], income_reason.met and (
        share_reason.met or drop_reason.met
    )


def _expenditure_income_reason(standards: Standards, f: _Figures) -> Reason:
    annual_income = f.income * TWELVE
    disposable = standards.disposable_income_annual
    disposable_label = DISPOSABLE_LABELS.get(f.residence, f.residence)
    limit = disposable * f.n
    income_met = annual_income < limit
    shown, shown_limit = yuan(per_head(annual_income, f.n)), yuan(disposable)
    income_reason = Reason(
        code="expenditure_income",
        met=income_met,
        text=(
            f"家庭年人均收入 {shown} 元 {'<' if income_met else '≥'} 上年度{disposable_label}"
            f"居民人均可支配收入 {shown_limit} 元"
            + _tie_note(annual_income, limit, shown, shown_limit, income_met)
        ),
        clause=CLAUSE_EXPENDITURE,
        figures={
            "income_annual": yuan(annual_income),
            "members": str(f.n),
            "income_per_head_annual": shown,
            "disposable_income_annual": shown_limit,
        },
    )
    return income_reason


def _expenditure_share_reason(standards: Standards, f: _Figures) -> Reason:
    annual_income = f.income * TWELVE
    share = standards.rigid_expenditure_share
    share_limit = share * annual_income
    share_met = f.rigid > share_limit
    share_reason = Reason(
        code="expenditure_share",
        met=share_met,
        text=(
            f"近 12 个月刚性支出 {yuan(f.rigid)} 元 {'>' if share_met else '≤'} 家庭年收入 "
            f"{yuan(annual_income)} 元的 {percent(share)}（{yuan(share_limit)} 元）"
        ),
        clause=CLAUSE_EXPENDITURE,
        figures={
            "rigid_expenditure": yuan(f.rigid),
            "income_annual": yuan(annual_income),
            "share": number(share),
            "limit": yuan(share_limit),
        },
    )
    return share_reason


def prior_income_annual(facts: HouseholdFacts) -> Decimal | None:
    """The household's income before the drop, over 12 months: that of the same 12 months a
    year earlier, else a recorded monthly income × 12 when recorded within the 12 months up to
    the date (so that the drop happened within them)."""
    if facts.income_year_earlier_12m is not None:
        return facts.income_year_earlier_12m
    monthly, recorded = facts.income_before_drop_monthly, facts.income_before_drop_on
    if monthly is not None and recorded is not None:
        first, last = expenditure_window(facts.on)
        if first <= recorded <= last:
            return monthly * TWELVE
    return None


def _income_drop_reason(facts: HouseholdFacts, standards: Standards, f: _Figures) -> Reason:
    """二(一)4 收入大幅缩减: (P − I × 12) ≥ d × P, P the earlier income over 12 months."""
    prior = prior_income_annual(facts)
    share = standards.income_drop_share
    annual_income = f.income * TWELVE
    figures = {"income_annual": yuan(annual_income), "share": number(share)}
    if prior is None or prior <= 0:
        return Reason(
            code="income_drop",
            met=False,
            text="无上年同期（或收入缩减前）家庭收入记录，不评估收入大幅缩减",
            clause=CLAUSE_EXPENDITURE,
            figures=figures,
        )
    drop = prior - annual_income
    met = drop >= share * prior
    example = "（示例）" if "示例" in standards.provenance.get("income_drop_share", "示例") else ""
    text = (
        f"家庭年收入 {yuan(annual_income)} 元，较此前 12 个月收入 {yuan(prior)} 元"
        f"{'减少' if drop >= 0 else '增加'} {yuan(abs(drop))} 元，"
        f"{'≥' if met else '<'} 收入大幅缩减比例 {percent(share)}{example}"
        f"（{yuan(share * prior)} 元）"
    )
    figures.update({"prior_annual": yuan(prior), "drop": yuan(drop)})
    return Reason(
        code="income_drop", met=met, text=text, clause=CLAUSE_EXPENDITURE, figures=figures
    )


def _figures(facts: HouseholdFacts, standards: Standards) -> _Figures:
    return _Figures(
        n=len(facts.members),
        income=sum((counted_income(m, standards) for m in facts.members), ZERO),
        standard=standards.dibao_monthly,
        residence=facts.residence,
        rigid=facts.rigid_expenditure_12m.total,
    )


def gradual_exit_reason(facts: HouseholdFacts, standards: Standards) -> Reason:
    """Whether a dibao household leaves because its income rose above the standard, the only
    case a gradual exit (渐退期) is offered (ADR 0005): met when the counted income per head is
    no longer below the dibao standard (the dibao income test, 二(一)1, fails)."""
    f = _figures(facts, standards)
    below = _income_reason(
        code="gradual_exit_income",
        clause=rules.GRADUAL_EXIT_CLAUSE,
        f=f,
        limit_per_head=f.standard,
        label=f"{f.residence_label}低保标准",
    )
    met = f.n > 0 and not below.met
    verdict = (
        "收入已超过低保标准，可给予渐退期"
        if met
        else "收入未超过低保标准，不属于因收入增加退出，不给予渐退期"
    )
    return dataclasses.replace(
        below,
        met=met,
        text=f"{below.text}：{verdict}（{rules.GRADUAL_EXIT_CLAUSE}：对就业后家庭人均收入超过"
        "当地低保标准的低保家庭，可给予一定时间的渐退期）",
    )


def _destitute_fixpoint(
    candidates: list[MemberFacts],
    facts: HouseholdFacts,
    standards: Standards,
    assets_pass: bool,
) -> frozenset[str]:
    """The destitute members: those who cannot work, have no income and no able supporter,
    where a supporter found destitute is unable (art. 9(1)). Rounds from nobody, each round
    re-testing every candidate against the previous round's set, until the set is stable (the
    set-based engine makes the same rounds)."""
    destitute: frozenset[str] = frozenset()
    for _ in range(len(facts.members) + 1):
        found = frozenset(
            m.id_number
            for m in candidates
            if not any(
                c.able
                for c in supporters_of(
                    m, facts, standards=standards, assets_pass=assets_pass, destitute_ids=destitute
                )
            )
        )
        if found == destitute:
            break
        destitute = found
    return destitute


def _employment_reason(facts: HouseholdFacts, standards: Standards) -> Reason | None:
    """就业成本: shown only where a county sets a deduction."""
    per_member = standards.employment_cost_monthly
    if not per_member:
        return None
    deductions = [employment_deduction(m, standards) for m in facts.members]
    employed = sum(1 for d in deductions if d > 0)
    total = sum(deductions, ZERO)
    return Reason(
        code="employment_cost",
        met=employed > 0,
        text=(
            f"就业成本扣减：就业成员 {employed} 人，每人每月扣减 {yuan(per_member)} 元"
            f"（不超过本人工资性收入），共扣减 {yuan(total)} 元（民发〔2021〕57号）"
        ),
        clause=CLAUSE_DIBAO,
        figures={
            "per_member": yuan(per_member),
            "employed": str(employed),
            "total": yuan(total),
        },
    )


def classify(facts: HouseholdFacts, standards: Standards) -> Classification:
    """Propose the household's and each member's category on ``facts.on`` (ADR 0005)."""
    f = _figures(facts, standards)
    if f.n == 0:
        return Classification(
            category=NONE,
            members=(),
            reasons=(
                Reason(
                    code="no_members",
                    met=True,
                    text="家庭没有共同生活的成员，不作评估",
                    clause=CLAUSE_DIBAO,
                ),
            ),
            standards=standards,
        )

    reasons: list[Reason] = _asset_reasons(facts, standards, f)
    assets_pass = all(r.met for r in reasons)

    dibao_reason = _income_reason(
        code="dibao_income",
        clause=CLAUSE_DIBAO,
        f=f,
        limit_per_head=f.standard,
        label=f"{f.residence_label}低保标准",
    )
    reasons.append(dibao_reason)
    dibao = dibao_reason.met and assets_pass

    employment = _employment_reason(facts, standards)
    if employment is not None:
        reasons.append(employment)

    member_reasons: dict[str, list[Reason]] = {m.id_number: [] for m in facts.members}
    unable = {m.id_number: _destitute_unable(m, facts.on) for m in facts.members}
    no_income = {
        m.id_number: _destitute_no_income(m, f, standards, assets_pass) for m in facts.members
    }
    candidates = [
        m for m in facts.members if unable[m.id_number].met and no_income[m.id_number].met
    ]
    destitute_ids = _destitute_fixpoint(candidates, facts, standards, assets_pass)
    for member in facts.members:
        considered = supporters_of(
            member,
            facts,
            standards=standards,
            assets_pass=assets_pass,
            destitute_ids=destitute_ids,
        )
        member_reasons[member.id_number].extend(
            [
                unable[member.id_number],
                no_income[member.id_number],
                _destitute_no_supporter(member, considered),
            ]
        )
    all_destitute = len(destitute_ids) == f.n

    near_reason = _income_reason(
        code="near_dibao_income",
        clause=CLAUSE_NEAR_DIBAO,
        f=f,
        limit_per_head=standards.near_dibao_multiplier * f.standard,
        label=(
            f"低保边缘标准（{number(standards.near_dibao_multiplier)} 倍"
            f"{f.residence_label}低保标准）"
        ),
    )
    reasons.append(near_reason)
    near_dibao = not dibao and not destitute_ids and near_reason.met and assets_pass

    individual_ids: set[str] = set()
    for member in facts.members:
        reason = _individual_dibao(member, near_dibao)
        member_reasons[member.id_number].append(reason)
        if reason.met:
            individual_ids.add(member.id_number)

    expenditure_reasons, expenditure_met = _expenditure_reasons(facts, standards, f)
    reasons.extend(expenditure_reasons)
    expenditure = (
        not dibao and not destitute_ids and not near_dibao and assets_pass and expenditure_met
    )

    watch = facts.relapse_watch
    reasons.append(
        Reason(
            code="relapse_watch",
            met=bool(watch),
            text=f"防返贫监测对象：{_watch_label(watch)}" if watch else "不是防返贫监测对象",
            clause=CLAUSE_WATCH,
            figures={"watch_type": watch},
        )
    )

    def member_category(member: MemberFacts) -> str:
        if all_destitute:
            return Category.DESTITUTE.value
        if dibao:
            return (
                Category.DESTITUTE if member.id_number in destitute_ids else Category.DIBAO
            ).value
        if destitute_ids:
            return Category.DESTITUTE.value if member.id_number in destitute_ids else NONE
        if near_dibao:
            return (
                Category.INDIVIDUAL_DIBAO
                if member.id_number in individual_ids
                else Category.NEAR_DIBAO
            ).value
        if expenditure:
            return Category.EXPENDITURE_HARDSHIP.value
        if watch:
            return Category.OTHER_LOW_INCOME.value
        return NONE

    if all_destitute:
        category = Category.DESTITUTE.value
    elif dibao:
        category = Category.DIBAO.value
    elif destitute_ids:
        category = Category.DESTITUTE.value
    elif near_dibao:
        category = Category.NEAR_DIBAO.value
    elif expenditure:
        category = Category.EXPENDITURE_HARDSHIP.value
    elif watch:
        category = Category.OTHER_LOW_INCOME.value
    else:
        category = NONE

    members = tuple(
        MemberResult(
            id_number=m.id_number,
            category=member_category(m),
            reasons=tuple(member_reasons[m.id_number]),
        )
        for m in facts.members
    )
    all_reasons = reasons + [r for m in members for r in m.reasons]
    return Classification(
        category=category,
        members=members,
        reasons=tuple(all_reasons),
        standards=standards,
        valid_until=valid_until(facts.on) if expenditure else None,
    )


# --- what-if --------------------------------------------------------------------------------


def _income_threshold(*, code: str, f: _Figures, limit_per_head: Decimal, what: str) -> WhatIf:
    limit = limit_per_head * f.n
    figures = {
        "income_total": yuan(f.income),
        "limit_total": yuan(limit),
        "limit_per_head": yuan(limit_per_head),
    }
    if f.income < limit:
        change = limit - f.income
        figures["increase"] = yuan(change)
        text = (
            f"家庭月收入增加 {yuan(change)} 元及以上（达到 {yuan(limit)} 元，即人均 "
            f"{yuan(limit_per_head)} 元）时，不再符合{what}收入条件"
        )
    else:
        change = f.income - limit
        figures["decrease"] = yuan(change)
        text = (
            f"家庭月收入减少超过 {yuan(change)} 元（低于 {yuan(limit)} 元，即人均低于 "
            f"{yuan(limit_per_head)} 元）时，符合{what}收入条件"
        )
    return WhatIf(code=code, text=text, figures=figures)


def _expenditure_what_if(standards: Standards, f: _Figures) -> list[WhatIf]:
    annual_income = f.income * TWELVE
    items = []
    if standards.expenditure_rule == ExpenditureRule.AFTER_EXPENDITURE:
        # I × 12 − R < S × 12 × n  ⇔  R > 12 × (I − S × n)
        needed = TWELVE * (f.income - f.standard * f.n)
        if f.rigid > needed:
            income_limit = f.standard * f.n + f.rigid / TWELVE
            items.append(
                WhatIf(
                    code="expenditure_after",
                    text=(
                        f"近 12 个月刚性支出 {yuan(f.rigid)} 元已满足扣除后条件；家庭月收入达到约 "
                        f"{yuan(income_limit)} 元及以上时不再满足"
                    ),
                    figures={"income_limit": yuan(income_limit), "rigid": yuan(f.rigid)},
                )
            )
        else:
            items.append(
                WhatIf(
                    code="expenditure_after",
                    text=(
                        f"近 12 个月刚性支出超过 {yuan(max(needed, ZERO))} 元（目前 "
                        f"{yuan(f.rigid)} 元）时，扣除刚性支出后人均收入低于低保标准"
                    ),
                    figures={"rigid_needed": yuan(max(needed, ZERO)), "rigid": yuan(f.rigid)},
                )
            )
        return items

    disposable_total = standards.disposable_income_annual * f.n
    if annual_income < disposable_total:
        items.append(
            WhatIf(
                code="expenditure_income",
                text=(
                    f"家庭年收入（月收入 × 12）增加 {yuan(disposable_total - annual_income)} 元"
                    f"及以上（达到 {yuan(disposable_total)} 元）时，"
                    "不再低于上年度居民人均可支配收入"
                ),
                figures={"income_limit_annual": yuan(disposable_total)},
            )
        )
    else:
        items.append(
            WhatIf(
                code="expenditure_income",
                text=(
                    f"家庭年收入（月收入 × 12）减少超过 {yuan(annual_income - disposable_total)} 元"
                    f"（低于 {yuan(disposable_total)} 元）时，低于上年度居民人均可支配收入"
                ),
                figures={"income_limit_annual": yuan(disposable_total)},
            )
        )
    share_limit = standards.rigid_expenditure_share * annual_income
    if f.rigid > share_limit:
        items.append(
            WhatIf(
                code="expenditure_share",
                text=(
                    f"近 12 个月刚性支出 {yuan(f.rigid)} 元已超过家庭年收入的 "
                    f"{percent(standards.rigid_expenditure_share)}（{yuan(share_limit)} 元）"
                ),
                figures={"rigid_needed": yuan(share_limit), "rigid": yuan(f.rigid)},
            )
        )
    else:
        items.append(
            WhatIf(
                code="expenditure_share",
                text=(
                    f"近 12 个月刚性支出超过 {yuan(share_limit)} 元（目前 {yuan(f.rigid)} 元，"
                    f"还需增加 {yuan(share_limit - f.rigid)} 元以上）时，满足刚性支出比例条件"
                ),
                figures={"rigid_needed": yuan(share_limit), "rigid": yuan(f.rigid)},
            )
        )
    return items


def what_if(facts: HouseholdFacts, standards: Standards) -> list[WhatIf]:
    """How much the household's monthly counted income (or rigid expenditure) would have to
    change for the dibao, near-dibao and expenditure-hardship tests to change their result."""
    f = _figures(facts, standards)
    if f.n == 0:
        return []
    asset_reasons = _asset_reasons(facts, standards, f)
    failed = [r for r in asset_reasons if not r.met]
    if failed:
        return [
            WhatIf(
                code="assets",
                text=(
                    "家庭财产不符合规定（"
                    + "；".join(r.text for r in failed)
                    + "），收入或支出的变化都不会使家庭符合低保、低保边缘或支出型困难条件"
                ),
            )
        ]
    items = [
        _income_threshold(code="dibao_income", f=f, limit_per_head=f.standard, what="低保"),
        _income_threshold(
            code="near_dibao_income",
            f=f,
            limit_per_head=standards.near_dibao_multiplier * f.standard,
            what="低保边缘",
        ),
    ]
    items.extend(_expenditure_what_if(standards, f))
    return items
