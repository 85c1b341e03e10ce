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
from decimal import Decimal

from safetynet.policy.assessment import rules
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
    CLAUSE_EXPENDITURE,
    CLAUSE_NEAR_DIBAO,
    CLAUSE_WATCH,
    DISPOSABLE_LABELS,
    NONE,
    TWELVE,
    Figures,
    expenditure_window,
    number,
    per_head,
    percent,
    tie_note,
    valid_until,
    watch_label,
    yuan,
)
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


def _expenditure_reasons(
    facts: HouseholdFacts, standards: Standards, f: Figures
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
                + tie_note(remaining, limit, shown, shown_limit, met)
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


def _expenditure_income_reason(standards: Standards, f: Figures) -> Reason:
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
            + tie_note(annual_income, limit, shown, shown_limit, income_met)
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


def _expenditure_share_reason(standards: Standards, f: Figures) -> Reason:
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


def _income_drop_reason(facts: HouseholdFacts, standards: Standards, f: Figures) -> Reason:
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

    member_reasons: dict[str, list[Reason]] = {m.id_number: [] for m in facts.members}
    unable = {m.id_number: destitute_unable(m, facts.on) for m in facts.members}
    no_income = {
        m.id_number: destitute_no_income(m, f, standards, assets_pass) for m in facts.members
    }
    candidates = [
        m for m in facts.members if unable[m.id_number].met and no_income[m.id_number].met
    ]
    destitute_ids = destitute_fixpoint(candidates, facts, standards, assets_pass)
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
                destitute_no_supporter(member, considered),
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
        reason = individual_dibao(member, near_dibao)
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
            text=f"防返贫监测对象：{watch_label(watch)}" if watch else "不是防返贫监测对象",
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
