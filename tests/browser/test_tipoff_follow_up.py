"""Issue 16's acceptance: a resident files a tip-off on the public page without login, the county
hands it to the township, the township closes it on the household, and the resident follows it up
by its number and sees the status only."""

from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD
from safetynet.oversight.models import TipOff

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _login(page: Any, url: str, user: Any) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_a_tip_off_filed_publicly_is_followed_up_by_staff(
    browser: Any,
    page: Any,
    live_server: Any,
    county_officer: Any,
    jinshui_officer: Any,
    make_household: Any,
) -> None:
    household = make_household(jinshui_officer, head_name="被举报户")
    village = household.region

    # 1. A resident, not logged in, files the tip-off through the region picker.
    page.goto(f"{live_server.url}/public/tipoff/")
    page.select_option("#tipoff-form select[name=matter]", "fraud")
    page.select_option("select[data-level=city]", village.code[:4] + "00000000")
    page.select_option("select[data-level=county]", village.code[:6] + "000000")
    page.select_option("select[data-level=township]", village.code[:9] + "000")
    page.select_option("select[data-level=village]", village.code)
    page.fill("#id_subject_name", "被举报户")
    page.fill("#id_content", "家里有两辆轿车，还在领低保。")
    page.click("#tipoff-form button[type=submit]")
    number = page.locator("#case-number").inner_text()
    assert re.fullmatch(r"JB\d{8}-[0-9A-Z]{8}", number)

    # 2. The county officer hands it to the township.
    staff = browser.new_context(locale="zh-CN").new_page()
    _login(staff, live_server.url, county_officer)
    staff.goto(f"{live_server.url}/oversight/tipoffs/")
    staff.click(f"text={number}")
    staff.click("#assign-form button[type=submit]")
    expect(staff.locator("#tipoff-status")).to_have_text("已交乡镇(街道)核查")

    # 3. The township officer investigates and closes it on the household.
    township_page = browser.new_context(locale="zh-CN").new_page()
    _login(township_page, live_server.url, jinshui_officer)
    township_page.goto(f"{live_server.url}/oversight/tipoffs/")
    township_page.click(f"text={number}")
    township_page.select_option("#id_finding", "substantiated")
    township_page.fill("#id_investigation", "入户核实，家庭名下有两辆轿车，举报属实。")
    township_page.fill("#id_household", str(household.pk))
    township_page.click("#close-form button[type=submit]")
    expect(township_page.locator("#tipoff-finding")).to_have_text("举报属实")
    assert TipOff.objects.get(number=number).household_id == household.pk

    # 4. The resident follows it up: the status, nothing of the content or the household.
    page.goto(f"{live_server.url}/public/tipoff/follow-up/")
    page.fill("#id_number", number)
    page.click("#follow-up-form button[type=submit]")
    expect(page.locator("#follow-up-status")).to_have_text("已办结")
    answer = page.locator("#follow-up-answer").inner_text()
    for secret in ("被举报户", "两辆轿车", "举报属实", household.head.id_number_masked):
        assert secret not in answer
