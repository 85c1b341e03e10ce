"""The row-by-row classifier: proposes the category of one household and of each member, with
every test it made, met or not, so that a civil servant can see why.

The rules are those of docs/adr/0005-classification-rules.md, which the set-based engine
(``safetynet.policy.bulk``) follows too. Every comparison is exact: totals are compared with
standard × members (cross-multiplication); per-head figures appear only in texts, rounded.
The household's tests are here; each member's in ``members``, the wording and date arithmetic in
``terms``, the what-if figures in ``what_if``. Pure: no database, no clock.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from decimal import Decimal

from safetynet.policy.assessment import rules
from safetynet.policy.assessment.expenditure import expenditure_reasons
from safetynet.policy.assessment.members import (
    counted_income,
    destitute_fixpoint,
    destitute_no_income,
    destitute_no_supporter,
    destitute_unable,
    employment_deduction,
    individual_dibao,
    supporters_of,
)
from safetynet.policy.assessment.terms import (
    CLAUSE_DIBAO,
    CLAUSE_NEAR_DIBAO,
    CLAUSE_WATCH,
    NONE,
    Figures,
    number,
    per_head,
    tie_note,
    valid_until,
    watch_label,
    yuan,
)
from safetynet.policy.common import (
    ZERO,
    Classification,
    HouseholdFacts,
    MemberFacts,
    MemberResult,
    Reason,
    Standards,
)
from safetynet.registry.choices import (
    Category,
)


def asset_reasons(facts: HouseholdFacts, standards: Standards, f: Figures) -> list[Reason]:
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
    *, code: str, clause: str, f: Figures, limit_per_head: Decimal, label: str
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
            + tie_note(f.income, limit, shown, shown_limit, met)
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


def household_figures(facts: HouseholdFacts, standards: Standards) -> Figures:
    return Figures(
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
    f = household_figures(facts, standards)
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
    f = household_figures(facts, standards)
    if f.n == 0:
        return _no_members(standards)

    reasons: list[Reason] = asset_reasons(facts, standards, f)
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

    destitute_ids, member_reasons = _destitute_members(facts, standards, f, assets_pass)
    near_reason = _near_dibao_reason(standards, f)
    reasons.append(near_reason)
    near_dibao = not dibao and not destitute_ids and near_reason.met and assets_pass
    individual_ids: set[str] = set()
    for member in facts.members:
        reason = individual_dibao(member, near_dibao)
        member_reasons[member.id_number].append(reason)
        if reason.met:
            individual_ids.add(member.id_number)

    spending, expenditure_met = expenditure_reasons(facts, standards, f)
    reasons.extend(spending)
    reasons.append(_watch_reason(facts.relapse_watch))
    verdict = _Verdict(
        all_destitute=len(destitute_ids) == f.n,
        dibao=dibao,
        destitute_ids=destitute_ids,
        near_dibao=near_dibao,
        individual_ids=frozenset(individual_ids),
        expenditure=(
            not dibao and not destitute_ids and not near_dibao and assets_pass and expenditure_met
        ),
        watch=facts.relapse_watch,
    )
    members = tuple(
        MemberResult(
            id_number=m.id_number,
            category=verdict.member_category(m),
            reasons=tuple(member_reasons[m.id_number]),
        )
        for m in facts.members
    )
    return Classification(
        category=verdict.category(),
        members=members,
        reasons=tuple(reasons + [r for m in members for r in m.reasons]),
        standards=standards,
        valid_until=valid_until(facts.on) if verdict.expenditure else None,
    )


def _no_members(standards: Standards) -> Classification:
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


def _destitute_members(
    facts: HouseholdFacts, standards: Standards, f: Figures, assets_pass: bool
) -> tuple[frozenset[str], dict[str, list[Reason]]]:
    """The destitute members (ADR 0005: unable to work, no income, no able supporter) and each
    member's reasons so far: unable, no income, no supporter."""
    unable = {m.id_number: destitute_unable(m, facts.on) for m in facts.members}
    no_income = {
        m.id_number: destitute_no_income(m, f, standards, assets_pass) for m in facts.members
    }
    candidates = [
        m for m in facts.members if unable[m.id_number].met and no_income[m.id_number].met
    ]
    destitute_ids = destitute_fixpoint(candidates, facts, standards, assets_pass)
    member_reasons: dict[str, list[Reason]] = {}
    for member in facts.members:
        considered = supporters_of(
            member,
            facts,
            standards=standards,
            assets_pass=assets_pass,
            destitute_ids=destitute_ids,
        )
        member_reasons.setdefault(member.id_number, []).extend(
            [
                unable[member.id_number],
                no_income[member.id_number],
                destitute_no_supporter(member, considered),
            ]
        )
    return destitute_ids, member_reasons


def _near_dibao_reason(standards: Standards, f: Figures) -> Reason:
    return _income_reason(
        code="near_dibao_income",
        clause=CLAUSE_NEAR_DIBAO,
        f=f,
        limit_per_head=standards.near_dibao_multiplier * f.standard,
        label=(
            f"低保边缘标准（{number(standards.near_dibao_multiplier)} 倍"
            f"{f.residence_label}低保标准）"
        ),
    )


def _watch_reason(watch: str) -> Reason:
    return Reason(
        code="relapse_watch",
        met=bool(watch),
        text=f"防返贫监测对象：{watch_label(watch)}" if watch else "不是防返贫监测对象",
        clause=CLAUSE_WATCH,
        figures={"watch_type": watch},
    )


@dataclass(frozen=True)
class _Verdict:
    """Which tests the household met, in the order of ADR 0005's precedence."""

    all_destitute: bool
    dibao: bool
    destitute_ids: frozenset[str]
    near_dibao: bool
    individual_ids: frozenset[str]
    expenditure: bool
    watch: str

    def category(self) -> str:
        if self.all_destitute:
            return Category.DESTITUTE.value
        if self.dibao:
            return Category.DIBAO.value
        if self.destitute_ids:
            return Category.DESTITUTE.value
        if self.near_dibao:
            return Category.NEAR_DIBAO.value
        if self.expenditure:
            return Category.EXPENDITURE_HARDSHIP.value
        if self.watch:
            return Category.OTHER_LOW_INCOME.value
        return NONE

    def member_category(self, member: MemberFacts) -> str:
        destitute = member.id_number in self.destitute_ids
        if self.all_destitute:
            return Category.DESTITUTE.value
        if self.dibao:
            return (Category.DESTITUTE if destitute else Category.DIBAO).value
        if self.destitute_ids:
            return Category.DESTITUTE.value if destitute else NONE
        if self.near_dibao:
            individual = member.id_number in self.individual_ids
            return (Category.INDIVIDUAL_DIBAO if individual else Category.NEAR_DIBAO).value
        return self.category()
