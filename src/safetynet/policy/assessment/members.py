"""The classifier's tests of one member (ADR 0005): inability to work, own income, legal
supporters and their inability (办法 art. 9, 民法典 1059/1067/1074/1075), destitution found in
rounds, and the individual dibao (单人保). Pure: no database, no clock."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from safetynet.masking import mask_id_number
from safetynet.policy.assessment import rules
from safetynet.policy.assessment.terms import (
    CLAUSE_DESTITUTE,
    CLAUSE_INDIVIDUAL,
    TWELVE,
    Figures,
    age_on,
    disability_label,
    shift_years,
    yuan,
)
from safetynet.policy.common import (
    ZERO,
    HouseholdFacts,
    MemberFacts,
    Reason,
    Standards,
)
from safetynet.registry.choices import (
    Category,
    LegalStatus,
    SchoolStage,
)
from safetynet.registry.relations import RELATION_NAMES


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


def destitute_unable(member: MemberFacts, on: dt.date) -> Reason:
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
        causes.append(disability_label(member))
    if causes:
        text = "属于无劳动能力情形：" + "；".join(causes)
    else:
        disability = disability_label(member) or "无残疾"
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


def destitute_no_income(
    member: MemberFacts, f: Figures, standards: Standards, assets_pass: bool
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
        return rules.ART9_DISABLED, f"{disability_label(s)}，{income_text}，财产符合规定"
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


def destitute_no_supporter(member: MemberFacts, considered: list[Considered]) -> Reason:
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


def individual_dibao(member: MemberFacts, near_dibao: bool) -> Reason:
    causes = []
    if severe_disability(member):
        causes.append(disability_label(member))
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


def destitute_fixpoint(
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
