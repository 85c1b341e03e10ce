"""Standards for the assessment tests, set in full at county level (金水区) so that the shipped
provincial values, which may change, never decide a test's outcome."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from safetynet.policy.models import StandardVersion

JINSHUI = "410105000000"


@pytest.fixture
def jinshui_standards(db: Any) -> StandardVersion:
    return StandardVersion.objects.create(
        region_id=JINSHUI,
        effective_from=dt.date(2026, 1, 1),
        dibao_urban_monthly=Decimal("560.00"),
        dibao_rural_monthly=Decimal("480.00"),
        destitute_multiplier=Decimal("1.3"),
        near_dibao_multiplier=Decimal("1.5"),
        disposable_income_urban_annual=Decimal("40000.00"),
        disposable_income_rural_annual=Decimal("20000.00"),
        rigid_expenditure_share=Decimal("1"),
        expenditure_rule="share_of_income",
        financial_assets_months=Decimal("24"),
        vehicle_value_limit=Decimal("50000.00"),
        max_dwellings=1,
        business_capital_limit=Decimal("100000.00"),
        source="金水区测试文件",
    )
