"""The classifier's expenditure-hardship tests (二(一)4, ADR 0005): income below last year's
disposable income, rigid expenditure above its share of income (or income after it below the
dibao standard, where a county keeps the older rule), and a large drop of income. Pure: no
database, no clock."""

from __future__ import annotations

from decimal import Decimal

from safetynet.policy.assessment.terms import (
    CLAUSE_EXPENDITURE,
    DISPOSABLE_LABELS,
    TWELVE,
    Figures,
    expenditure_window,
    number,
    per_head,
    percent,
    tie_note,
    yuan,
)
from safetynet.policy.common import (
    ExpenditureRule,
    HouseholdFacts,
    Reason,
    Standards,
)


def expenditure_reasons(
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
