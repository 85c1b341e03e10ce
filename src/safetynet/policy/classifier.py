"""The row-by-row classifier: proposes the category of one household and of each member, with
every test it made, met or not, so that a civil servant can see why.

The rules are those of docs/adr/0005-classification-rules.md, which the set-based engine
(``safetynet.policy.bulk``) follows too. Every comparison is exact: totals are compared with
standard × members (cross-multiplication); per-head figures appear only in texts, rounded.
Pure: no database, no clock.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from safetynet.policy.types import (
    ZERO,
    Classification,
    ExpenditureRule,
    HouseholdFacts,
    MemberFacts,
    MemberResult,
    Reason,
    Standards,
)
from safetynet.registry.choices import Category, DisabilityType, RelapseWatchType

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


def _destitute_unable(member: MemberFacts, on: dt.date) -> Reason:
    age = age_on(member.birth_date, on)
    causes = []
    if age >= 60:
        causes.append(f"年满 60 周岁（{age} 岁）")
    if age < 18:
        causes.append(f"未满 18 周岁（{age} 岁）")
    if member.in_school and age >= 18:
        causes.append(f"{age} 岁仍在校就读")
    grade = member.disability_grade
    if grade is not None and (
        (member.disability_type in ("intellectual", "mental") and 1 <= grade <= 3)
        or (member.disability_type == "physical" and 1 <= grade <= 2)
        or (member.disability_type == "visual" and grade == 1)
    ):
        causes.append(_disability_label(member))
    if causes:
        text = "属于无劳动能力情形：" + "；".join(causes)
    else:
        disability = _disability_label(member) or "无残疾"
        text = (
            f"{age} 岁，{disability}，未在校就读，不属于无劳动能力情形"
            "（年满 60 周岁、未满 18 周岁、18 周岁以上在校、"
            "智力或精神残疾 1–3 级、肢体残疾 1–2 级、视力残疾 1 级）"
        )
    return Reason(
        code="destitute_unable",
        met=bool(causes),
        text=text,
        clause=CLAUSE_DESTITUTE,
        figures={
            "age": str(age),
            "disability_type": member.disability_type,
            "disability_grade": "" if grade is None else str(grade),
            "in_school": "true" if member.in_school else "false",
        },
        member=member.id_number,
    )


def _destitute_no_income(member: MemberFacts, f: _Figures, assets_pass: bool) -> Reason:
    own = member.income.counted
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


def _destitute_no_supporter(member: MemberFacts, facts: HouseholdFacts) -> Reason:
    applying = [s for s in facts.supporters if s.supported_id_number in ("", member.id_number)]
    able = [s for s in applying if s.able_to_support]
    if able:
        text = f"有 {len(able)} 名具备赡养、抚养或扶养能力的法定义务人"
    elif applying:
        text = f"法定赡(抚、扶)养义务人 {len(applying)} 名，均不具备赡养、抚养或扶养能力"
    else:
        text = "无法定赡(抚、扶)养义务人"
    return Reason(
        code="destitute_no_supporter",
        met=not able,
        text=text,
        clause=CLAUSE_DESTITUTE,
        figures={"supporters": str(len(applying)), "able": str(len(able))},
        member=member.id_number,
    )


def _individual_dibao(member: MemberFacts, near_dibao: bool) -> Reason:
    grade = member.disability_grade
    causes = []
    if grade is not None and (
        1 <= grade <= 2 or (grade == 3 and member.disability_type in ("intellectual", "mental"))
    ):
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
        return [reason], met

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
    return [income_reason, share_reason], income_met and share_met


def _figures(facts: HouseholdFacts, standards: Standards) -> _Figures:
    return _Figures(
        n=len(facts.members),
        income=sum((m.income.counted for m in facts.members), ZERO),
        standard=standards.dibao_monthly,
        residence=facts.residence,
        rigid=facts.rigid_expenditure_12m.total,
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

    member_reasons: dict[str, list[Reason]] = {m.id_number: [] for m in facts.members}
    destitute_ids: set[str] = set()
    for member in facts.members:
        tests = [
            _destitute_unable(member, facts.on),
            _destitute_no_income(member, f, assets_pass),
            _destitute_no_supporter(member, facts),
        ]
        member_reasons[member.id_number].extend(tests)
        if all(t.met for t in tests):
            destitute_ids.add(member.id_number)

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

    if dibao:
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
