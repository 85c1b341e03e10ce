"""A small 金水区 registry with category histories over two past months, and its roll-ups."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import ZHONGYUAN, first_below
from safetynet.regions.models import Level, Region
from safetynet.registry import services as registry
from safetynet.registry.models import Household
from safetynet.reports.rollups import month_start, previous_month, refresh_month


@dataclass
class World:
    month: dt.date  # last month: the one with the flows
    before: dt.date  # the month before it
    current: dt.date
    households: dict[str, Household]
    townships: list[Region]


def _set(actor: Any, household: Household, category: str, on: dt.date, **extra: Any) -> None:
    registry.category_set(
        actor=actor,
        household=household,
        category=category,
        effective_from=on,
        reason="测试认定",
        **extra,
    )


def _paid(actor: Any, month: dt.date, amounts: dict[Household, str]) -> None:
    """A county's payment roll of the month as issued (the assistance tests issue real ones)."""
    from safetynet.assistance.models import PaidLine, PaidRoll

    first = next(iter(amounts))
    total = sum((Decimal(a.split()[0]) for a in amounts.values()), Decimal("0"))
    roll = PaidRoll.objects.create(
        county_code=first.region_id[:6] + "000000",
        month=month,
        households=len(amounts),
        total=total,
        previous_total=total,
        new=Decimal("0"),
        ended=Decimal("0"),
        changed=Decimal("0"),
        issued_by=actor,
    )
    for household, line in amounts.items():
        amount, category = line.split()
        PaidLine.objects.create(
            roll=roll,
            month=month,
            household=household,
            region_code=household.region_id,
            category=category,
            amount=Decimal(amount),
        )


@pytest.fixture
def world(county_officer: Any, zhongyuan_officer: Any, make_household: Any) -> World:
    current = month_start(timezone.localdate())
    month = previous_month(current)
    before = previous_month(month)
    county = Region.objects.get(code="410105000000")
    townships = list(Region.objects.filter(parent=county).order_by("code")[:2])
    villages = [first_below(t.code, Level.VILLAGE) for t in townships]
    h: dict[str, Household] = {}
    h["kept"] = make_household(county_officer, village=villages[0], residence="urban")
    h["new"] = make_household(county_officer, village=villages[0], residence="urban")
    h["ended"] = make_household(county_officer, village=villages[1], residence="rural")
    h["edge"] = make_household(county_officer, village=villages[1], residence="rural")
    h["member"] = make_household(county_officer, village=villages[0], residence="rural")
    h["moved"] = make_household(county_officer, village=villages[1], residence="urban")
    h["none"] = make_household(county_officer, village=villages[0], residence="urban")
    zhongyuan = first_below(ZHONGYUAN, Level.VILLAGE)
    h["other"] = make_household(zhongyuan_officer, village=zhongyuan, residence="urban")

    _set(county_officer, h["kept"], "dibao", before.replace(day=5))
    _set(county_officer, h["new"], "dibao", month.replace(day=10))
    _set(county_officer, h["ended"], "dibao", before.replace(day=3))
    _set(county_officer, h["ended"], "", month.replace(day=15))
    _set(county_officer, h["edge"], "near_dibao", month.replace(day=1))
    head = h["member"].head
    _set(county_officer, h["member"], "destitute", month.replace(day=2), person=head)
    # dibao → near-dibao during the month: out of one, into the other.
    _set(county_officer, h["moved"], "dibao", before.replace(day=20))
    _set(county_officer, h["moved"], "near_dibao", month.replace(day=20))
    _set(zhongyuan_officer, h["other"], "dibao", before.replace(day=1))
    paid = {h["kept"]: "500.00 dibao", h["new"]: "300.00 dibao", h["member"]: "800.00 destitute"}
    _paid(county_officer, month, paid)
    _paid(zhongyuan_officer, month, {h["other"]: "400.00 dibao"})
    for m in (before, month, current):
        refresh_month(m)
    for key, household in h.items():
        household.refresh_from_db()
        h[key] = household
    return World(month, before, current, h, townships)
