"""Monthly amounts of a confirmed case (pure functions; money is Decimal).

Dibao pays the gap: (standard − counted income per head) × members, the total rounded UP to the
whole yuan so that rounding never leaves a household below the standard (ADR 0010). Destitute
support is the basic-living standard (dibao standard × multiplier) plus the care standard of the
person's self-care tier, the total likewise rounded up to the yuan.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_CEILING, Decimal

from safetynet.policy.common import Standards

YUAN = Decimal("1")
CENT = Decimal("0.01")


class AmountError(ValueError):
    """The household does not qualify for an amount (e.g. income at or above the standard)."""


@dataclass(frozen=True)
class Amount:
    monthly: Decimal
    basis: dict[str, str]


def up_to_yuan(value: Decimal) -> Decimal:
    return value.quantize(YUAN, rounding=ROUND_CEILING).quantize(CENT)


def dibao_amount(*, standard: Decimal, income_total: Decimal, members: int) -> Amount:
    if members < 1:
        raise AmountError("家庭没有共同生活的成员，无法计算低保金")
    per_head = income_total / members
    gap = standard - per_head
    if gap <= 0:
        raise AmountError(
            f"家庭月人均收入 {per_head.quantize(CENT)} 元不低于低保标准 {standard} 元，"
            f"不能按低保认定"
        )
    total = up_to_yuan(gap * members)
    return Amount(
        monthly=total,
        basis={
            "standard": str(standard),
            "income_total": str(income_total.quantize(CENT)),
            "members": str(members),
            "income_per_head": str(per_head.quantize(CENT)),
            "gap_per_head": str(gap.quantize(CENT)),
            "rule": "(低保标准 − 家庭月人均收入) × 人数，向上取整到元",
        },
    )


def destitute_amount(*, standards: Standards, care_tier: str) -> Amount:
    care = {
        "self": standards.care_self_monthly,
        "partial": standards.care_partial_monthly,
        "full": standards.care_full_monthly,
    }
    if care_tier not in care:
        raise AmountError("请选择照料护理等级（全自理、半护理、全护理）")
    basic = standards.destitute_monthly
    total = up_to_yuan(basic + care[care_tier])
    return Amount(
        monthly=total,
        basis={
            "basic_living": str(basic.quantize(CENT)),
            "care_tier": care_tier,
            "care": str(care[care_tier]),
            "rule": "基本生活标准 + 照料护理标准，向上取整到元",
        },
    )
