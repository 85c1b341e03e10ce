"""A home check concluded 转相关部门 → the referral is sent → the department answers → the household
page shows it on its one timeline (issue 14)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import JINSHUI, PASSWORD, make_user
from safetynet.accounts.roles import Role
from safetynet.assistance.models import Referral
from safetynet.assistance.tests.conftest import illness_check
from safetynet.regions.models import Region
from safetynet.registry import services as registry

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser: Any, live_server: Any, username: str) -> Any:
    page = browser.new_context(locale="zh-CN").new_page()
    page.set_default_timeout(15000)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    return page


def test_home_check_to_referral_to_feedback_to_timeline(
    browser: Any, live_server: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="链条户")
    registry.category_set(
        actor=jinshui_officer,
        household=household,
        category="near_dibao",
        effective_from=dt.date(2025, 1, 1),
        reason="认定为低保边缘家庭",
    )
    check = illness_check(household)
    medical = make_user(
        "jinshui_yibao",
        Role.DEPARTMENT_OFFICER,
        Region.objects.get(code=JINSHUI),
        department="medical_security",
        real_name="医保经办",
    )

    # The township records the visit: 转相关部门.
    township = _login(browser, live_server, jinshui_officer.username)
    township.goto(f"{live_server.url}/monitoring/checks/{check.pk}/")
    township.fill("#id_staff", "张干部")
    township.fill("#id_findings", "户主住院，自付费用高。")
    township.check("input[name=outcome][value=referred]")
    township.click("#visit-form button[type=submit]")
    expect(township.locator("#visit-outcome")).to_have_text("转相关部门")

    # The proposal is confirmed and sent.
    township.goto(f"{live_server.url}/assistance/?status=proposed")
    rows = township.locator("#referral-table tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("医疗救助")
    rows.first.locator("input[name=referral]").check()
    township.click("#send-selected")
    expect(township.locator("body")).to_contain_text("已推送 1 项至相关部门")
    township.goto(f"{live_server.url}/assistance/?status=sent")
    expect(township.locator("#referral-table")).to_contain_text("已推送待签收")
    referral = Referral.objects.get(household=household)

    # The medical-security office acknowledges and answers.
    department = _login(browser, live_server, medical.username)
    department.goto(f"{live_server.url}/assistance/")
    department.locator("#referral-table tbody tr a").first.click()
    department.wait_for_url(re.compile(rf".*/assistance/referrals/{referral.pk}/$"))
    department.click("#acknowledge")
    expect(department.locator("#referral-status")).to_contain_text("部门已签收")
    department.fill("#id_kind", "住院医疗救助金")
    department.fill("#id_amount", "2600.00")
    department.fill("#id_given_on", dt.date.today().isoformat())
    department.click("#answer-form button[type=submit]")
    expect(department.locator("#referral-status")).to_contain_text("已救助帮扶")

    # The household page shows the chain.
    township.goto(f"{live_server.url}/households/{household.pk}/")
    timeline = township.locator("#household-timeline")
    expect(timeline).to_contain_text("核查结论：转相关部门")
    expect(timeline).to_contain_text("推送医保：")
    expect(timeline).to_contain_text("医疗救助：已救助帮扶")
    expect(timeline).to_contain_text("住院医疗救助金，2600.00 元")
