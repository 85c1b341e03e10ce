"""A township officer takes an alert from the list through a visit to each kind of outcome."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from safetynet.monitoring.common import Outcome
from safetynet.monitoring.models import CoordinationCase, DataFlag, Visit
from safetynet.monitoring.tests.conftest import alert_for
from safetynet.registry import services as registry

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

EXTRA = {
    Outcome.CONFIRMED: ("#id_open_application", None),
    Outcome.REFERRED: (None, None),
    Outcome.NO_CHANGE: (None, None),
    Outcome.DATA_WRONG: ("#id_data_wrong_reason", "车辆已过户"),
    Outcome.MAY_NOT_QUALIFY: ("#id_termination_reason", "家庭拥有超值车辆"),
    Outcome.SPECIAL: ("#id_special_summary", "残疾人代步车，提请县级研究"),
}


@pytest.mark.parametrize("outcome", list(EXTRA))
def test_an_alert_through_a_visit_to_its_outcome(
    page: Any,
    live_server: Any,
    jinshui_officer: Any,
    county_officer: Any,
    make_household: Any,
    outcome: str,
) -> None:
    household = make_household(jinshui_officer, head_name="预警户")
    registry.category_set(
        actor=county_officer,
        household=household,
        category="dibao",
        effective_from=dt.date(2025, 1, 1),
        reason="测试",
    )
    household.refresh_from_db()
    alert = alert_for(household)

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", jinshui_officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/monitoring/alerts/")
    rows = page.locator("#alert-table tbody tr")
    expect(rows).to_have_count(1)
    rows.first.locator("a").first.click()
    page.wait_for_url(re.compile(rf".*/monitoring/alerts/{alert.pk}/$"))
    page.click("#to-check")
    page.wait_for_url(re.compile(r".*/monitoring/checks/\d+/$"))

    page.fill("#id_staff", "张干部、李协理员")
    page.fill("#id_findings", "入户查看，核实情况。")
    page.check(f"input[name=outcome][value={outcome}]")
    selector, text = EXTRA[outcome]
    if selector and text is None:
        page.check(selector)
    elif selector:
        page.fill(selector, text)
    page.click("#visit-form button[type=submit]")

    expect(page.locator("#visit-outcome")).to_have_text(str(Outcome(outcome).label))
    visit = Visit.objects.get(home_check__alert=alert)
    assert visit.outcome == outcome
    if outcome == Outcome.CONFIRMED:
        assert visit.application_id is not None
    if outcome == Outcome.MAY_NOT_QUALIFY:
        assert visit.termination_id is not None
    assert DataFlag.objects.filter(visit=visit).exists() == (outcome == Outcome.DATA_WRONG)
    assert CoordinationCase.objects.filter(visit=visit).exists() == (outcome == Outcome.SPECIAL)
