"""Money of a synthetic household: per-member incomes around the local dibao standard, assets,
rigid expenditure, and a category and anti-relapse flag consistent with them.

Every function draws from the generator it is given, in a fixed order, so that the same seed
gives the same amounts.
"""

from __future__ import annotations

import datetime as dt
import math
import random
from decimal import Decimal

from safetynet.registry.choices import (
    AssetKind,
    Category,
    DisabilityType,
    ExpenditureKind,
    HealthStatus,
    IncomeKind,
    RelapseWatchType,
    Residence,
    SchoolStage,
)
from safetynet.registry.inputs import AssetInput, ExpenditureInput, IncomeInput
from safetynet.registry.synthetic.people import SyntheticMember, age_on, yuan
from safetynet.registry.synthetic.vocabulary import EXAMPLE_DIBAO_STANDARD

CAPACITY_WEIGHT = {"full": 1.0, "partial": 0.4, "none": 0.0}


def counted_income(members: list[SyntheticMember]) -> float:
    """Monthly household income of the kinds that count (excluded kinds are kept aside)."""
    return sum(
        float(i.monthly_amount) for m in members for i in m.incomes if i.kind != IncomeKind.EXCLUDED
    )


def add_incomes(
    rng: random.Random, members: list[SyntheticMember], *, residence: str, as_of: dt.date
) -> None:
    """Give members incomes whose per-head total is drawn around the local dibao standard.

    The per-head ratio to the standard is log-normal; its median rises with the share of
    members able to work, so households of the old, the ill and the disabled fall below the
    standard far more often than working families. Pensions come first, then work income is
    split among those who can work; where nobody can, children's support or land rent.
    """
    standard = float(EXAMPLE_DIBAO_STANDARD[residence])
    weights = []
    for m in members:
        studying = m.school_stage != SchoolStage.NONE
        young = age_on(m.birth, as_of) < 16
        weights.append(0.0 if studying or young else CAPACITY_WEIGHT[m.labour_capacity])
    capacity = sum(weights) / len(members)
    median = (3.8 if residence == Residence.URBAN else 3.2) * (0.42 + 0.58 * capacity)
    ratio = math.exp(rng.gauss(math.log(median), 0.6))
    target = ratio * standard * len(members)
    counted = 0.0
    for m in members:
        if age_on(m.birth, as_of) >= 60:
            if residence == Residence.URBAN and rng.random() < 0.45:
                amount, text = yuan(rng.uniform(2100, 3900)), "城镇职工基本养老金"
            else:
                amount, text = yuan(rng.uniform(150, 260)), "城乡居民基本养老金"
            m.incomes.append(IncomeInput(IncomeKind.TRANSFER, amount, text))
            counted += float(amount)
        if m.disability_grade in (1, 2) and rng.random() < 0.7:
            # Not counted as household income under the dibao rules, but declared.
            m.incomes.append(
                IncomeInput(IncomeKind.EXCLUDED, yuan(rng.uniform(70, 110)), "重度残疾人护理补贴")
            )
    remaining = target - counted
    earners = [(m, w) for m, w in zip(members, weights, strict=True) if w > 0]
    if remaining > 0 and earners:
        total_weight = sum(w for _, w in earners)
        for m, w in earners:
            share = remaining * w / total_weight * rng.uniform(0.75, 1.25)
            if share < 30:
                continue
            if residence == Residence.RURAL and rng.random() < 0.4:
                m.incomes.append(IncomeInput(IncomeKind.BUSINESS, yuan(share, 10), "种植养殖"))
            else:
                m.incomes.append(IncomeInput(IncomeKind.WAGES, yuan(share, 10), "务工收入"))
    elif remaining > 30:
        head = members[0]
        if residence == Residence.RURAL and rng.random() < 0.4:
            rent = min(remaining, 600.0)
            head.incomes.append(IncomeInput(IncomeKind.PROPERTY, yuan(rent, 10), "土地流转租金"))
        else:
            support = min(remaining, 1500.0 if residence == Residence.URBAN else 900.0)
            head.incomes.append(IncomeInput(IncomeKind.TRANSFER, yuan(support, 10), "子女赡养费"))
    if residence == Residence.RURAL and rng.random() < 0.12:
        members[0].incomes.append(
            IncomeInput(IncomeKind.PROPERTY, yuan(rng.uniform(40, 160), 10), "土地流转租金")
        )


def household_assets(
    rng: random.Random, members: list[SyntheticMember], *, residence: str
) -> list[AssetInput]:
    """The house most families own, deposits and an occasional car in step with income."""
    head = members[0]
    monthly = counted_income(members)
    ratio = min(monthly / len(members) / float(EXAMPLE_DIBAO_STANDARD[residence]), 4.0)
    assets: list[AssetInput] = []
    if residence == Residence.RURAL and rng.random() < 0.9:
        area = rng.randint(80, 220)
        value = yuan(area * rng.uniform(500, 1200), 1000)
        assets.append(
            AssetInput(
                AssetKind.REAL_ESTATE,
                value,
                "自建房",
                area_m2=Decimal(area),
                owner_id_number=head.id_number,
            )
        )
    elif residence == Residence.URBAN and rng.random() < 0.65:
        area = rng.randint(55, 140)
        value = yuan(area * rng.uniform(3000, 6500), 1000)
        assets.append(
            AssetInput(
                AssetKind.REAL_ESTATE,
                value,
                "商品房",
                area_m2=Decimal(area),
                owner_id_number=head.id_number,
            )
        )
    if rng.random() < 0.3 + 0.12 * ratio:
        months = rng.uniform(0.5, 14) * max(ratio, 0.3)
        assets.append(
            AssetInput(
                AssetKind.DEPOSIT,
                yuan(monthly * months, 100),
                "银行存款",
                owner_id_number=head.id_number,
            )
        )
    if rng.random() < 0.02 + 0.05 * ratio:
        assets.append(
            AssetInput(
                AssetKind.VEHICLE,
                yuan(rng.uniform(25000, 160000), 1000),
                "小型汽车",
                owner_id_number=head.id_number,
            )
        )
    physical = [m for m in members if m.disability_type == DisabilityType.PHYSICAL]
    if physical and rng.random() < 0.15:
        assets.append(
            AssetInput(
                AssetKind.VEHICLE,
                yuan(rng.uniform(6000, 18000), 100),
                "残疾人机动轮椅车",
                for_disability=True,
                owner_id_number=physical[0].id_number,
            )
        )
    if residence == Residence.URBAN and rng.random() < 0.02 * ratio:
        assets.append(
            AssetInput(AssetKind.SECURITIES, yuan(rng.uniform(5000, 80000), 100), "股票基金")
        )
    farming = any(i.kind == IncomeKind.BUSINESS for m in members for i in m.incomes)
    if farming and rng.random() < 0.1:
        assets.append(
            AssetInput(AssetKind.BUSINESS, yuan(rng.uniform(10000, 100000), 1000), "个体工商户")
        )
    return assets


def household_expenditures(
    rng: random.Random, members: list[SyntheticMember], *, as_of: dt.date
) -> list[ExpenditureInput]:
    """Rigid spending of the past year: medical costs of the ill, tuition, rehabilitation."""
    rows: list[ExpenditureInput] = []

    def spend(kind: str, lo: int, hi: int, text: str, member: SyntheticMember | None) -> None:
        amount = yuan(rng.uniform(lo, hi), 100)
        day = as_of - dt.timedelta(days=rng.randint(0, 364))
        rows.append(ExpenditureInput(kind, amount, day, text, member.id_number if member else ""))

    for m in members:
        if m.health_status == HealthStatus.SERIOUS and rng.random() < 0.85:
            spend(ExpenditureKind.MEDICAL, 15000, 180000, f"{m.illness_name}自付医疗费用", m)
        elif m.health_status == HealthStatus.CHRONIC and rng.random() < 0.25:
            spend(ExpenditureKind.MEDICAL, 2000, 12000, f"{m.illness_name}门诊自付费用", m)
        higher = m.school_stage in (SchoolStage.UNIVERSITY, SchoolStage.HIGHER_VOCATIONAL)
        if higher and rng.random() < 0.4:
            spend(ExpenditureKind.EDUCATION, 6000, 15000, "学费及住宿费", m)
        severe_child = m.disability_grade in (1, 2) and age_on(m.birth, as_of) < 16
        if severe_child and rng.random() < 0.5:
            spend(ExpenditureKind.REHABILITATION, 8000, 40000, "残疾儿童康复训练", m)
    if rng.random() < 0.005:
        spend(ExpenditureKind.DISASTER, 5000, 60000, "暴雨致房屋受损", None)
    return rows


def household_status(
    rng: random.Random,
    members: list[SyntheticMember],
    assets: list[AssetInput],
    expenditures: list[ExpenditureInput],
    *,
    residence: str,
) -> tuple[str, str]:
    """A category for a small share of households and an anti-relapse flag for some rural
    ones, consistent with income per head against the example standard and with modest
    assets (no car, no securities or business, deposits of at most 24 months' standard per
    head). This only makes the register look lived-in; the real classifier and asset rules
    come with the policy issue. Destitute and individual dibao attach to a member and are left
    to the determination procedure."""
    standard = float(EXAMPLE_DIBAO_STANDARD[residence])
    counted = counted_income(members)
    per_head = counted / len(members)
    spending = sum(float(e.amount) for e in expenditures) / 12
    after_spending = (counted - spending) / len(members)
    deposits = sum(float(a.value) for a in assets if a.kind == AssetKind.DEPOSIT)
    wealthy = deposits > 24 * standard * len(members) or any(
        (a.kind == AssetKind.VEHICLE and not a.for_disability)
        or a.kind in (AssetKind.SECURITIES, AssetKind.BUSINESS)
        for a in assets
    )
    if wealthy:
        return "", ""
    category = ""
    if per_head < standard:
        category = Category.DIBAO if rng.random() < 0.4 else ""
    elif per_head < 1.5 * standard:
        category = Category.NEAR_DIBAO if rng.random() < 0.2 else ""
    elif spending > 0 and after_spending < 1.5 * standard:
        category = Category.EXPENDITURE_HARDSHIP if rng.random() < 0.3 else ""
    elif per_head < 2 * standard and rng.random() < 0.01:
        category = Category.OTHER_LOW_INCOME
    watch = ""
    if residence == Residence.RURAL:
        draw = rng.random()
        if spending > 1000 and after_spending < 1.5 * standard and draw < 0.2:
            watch = RelapseWatchType.SUDDEN_HARDSHIP
        elif per_head < standard and draw < 0.1:
            watch = RelapseWatchType.UNSTABLE
        elif per_head < 2 * standard and draw < 0.04:
            watch = RelapseWatchType.AT_RISK
    return category, watch
