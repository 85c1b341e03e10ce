from __future__ import annotations

import re
from typing import Any

import pytest
from playwright.sync_api import expect

from conftest import PASSWORD

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def test_officer_logs_in_finds_household_by_initials_and_opens_it(
    page: Any, live_server: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="张三")
    make_household(jinshui_officer, head_name="王五")

    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", jinshui_officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.click("text=家庭档案")
    page.wait_for_url(re.compile(r".*/households/$"))
    page.fill("input[name=q]", "zs")
    page.click("#household-filter button[type=submit]")
    page.wait_for_url(re.compile(r".*/households/\?q=zs"))
    rows = page.locator("#household-table tbody tr")
    # expect() retries until the result page has rendered; count() would read it mid-load.
    expect(rows).to_have_count(1)
    rows.first.locator("a").click()

    page.wait_for_url(f"{live_server.url}/households/{household.pk}/")
    assert page.locator("h1").inner_text().startswith("张三户")
    assert page.locator("#members").inner_text().count("李四") == 1
