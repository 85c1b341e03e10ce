from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import first_below
from safetynet.oversight import services
from safetynet.regions.models import Level

pytestmark = pytest.mark.django_db


def test_the_api_lists_tipoffs_and_recovery_figures_of_the_scope(
    client: Client, county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    tipoff = services.tipoff_file(
        matter="fraud",
        region_code=first_below(jinshui_officer.scope_region_id, Level.VILLAGE).code,
        content="内容",
    )
    services.recovery_decide(
        actor=county_officer,
        household=household,
        source="review",
        reason="unreported_change",
        period_from=dt.date(2026, 1, 1),
        period_to=dt.date(2026, 3, 31),
        amount=Decimal("900.00"),
        decision_number="追字〔2026〕9号",
        decided_on=dt.date(2026, 4, 10),
        facts="就业后未告知",
        officer_finding="no_fault",
    )
    client.force_login(county_officer)

    tipoffs = client.get("/api/oversight/tipoffs").json()
    detail = client.get(f"/api/oversight/tipoffs/{tipoff.pk}").json()
    figures = client.get("/api/oversight/figures").json()
    recoveries = client.get("/api/oversight/recoveries").json()

    assert [t["number"] for t in tipoffs["items"]] == [tipoff.number]
    assert detail["status"] == "received"
    assert figures == [
        {
            "county_code": "410105000000",
            "county_name": "金水区",
            "tipoffs": 1,
            "tipoffs_open": 1,
            "tipoffs_substantiated": 0,
            "recoveries": 1,
            "recovery_amount": "900.00",
            "recovery_repaid": "0.00",
        }
    ]
    assert recoveries["items"][0]["legal_basis"] == "《社会救助暂行办法》第十三条、第六十八条"
