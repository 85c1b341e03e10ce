"""How far a household's figures are from changing one test's result (ADR 0005): the
what-if figures shown beside a classification. Pure: no database, no clock."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from safetynet.policy.assessment.classifier import asset_reasons, household_figures
from safetynet.policy.assessment.terms import TWELVE, Figures, percent, yuan
from safetynet.policy.common import (
    ZERO,
    ExpenditureRule,
    HouseholdFacts,
    Standards,
)


@dataclass(frozen=True)
class WhatIf:
    """How far the household's figures are from changing one test's result."""

    code: str  # the test concerned, e.g. "dibao_income"
    text: str  # Chinese, with the figures
    figures: dict[str, str] = field(default_factory=dict)


def _income_threshold(*, code: str, f: Figures, limit_per_head: Decimal, what: str) -> WhatIf:
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


def _expenditure_what_if(standards: Standards, f: Figures) -> list[WhatIf]:
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
    f = household_figures(facts, standards)
    if f.n == 0:
        return []
    assets = asset_reasons(facts, standards, f)
    failed = [r for r in assets if not r.met]
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
