"""Issue 15/16: an export is a background job — the button opens the job page, which offers the
download when the file is made; the drill-down behind a statistic exports the same way."""

from __future__ import annotations

import datetime as dt
import io
import re
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import load_workbook
from playwright.sync_api import expect

from conftest import PASSWORD
from safetynet.registry import services as registry
from safetynet.reports.rollups import month_start, refresh_month

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]


def _download(page: Any) -> bytes:
    expect(page.locator("#export-result")).to_be_visible()
    with page.expect_download() as info:
        page.click("#export-download")
    path = info.value.path()
    with open(path, "rb") as handle:
        return handle.read()


def test_the_list_and_a_drill_down_export_through_the_job_page(
    page: Any, live_server: Any, county_officer: Any, make_household: Any
) -> None:
    household = make_household(county_officer, head_name="张三")
    registry.category_set(
        actor=county_officer,
        household=household,
        category="dibao",
        effective_from=timezone.localdate() - dt.timedelta(days=40),
        reason="测试认定",
    )
    refresh_month(month_start(timezone.localdate()))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("input[name=username]", county_officer.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")

    page.goto(f"{live_server.url}/households/")
    page.click("#export-button")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    rows = list(load_workbook(io.BytesIO(_download(page))).active.values)
    assert rows[0][0] == "家庭编号" and any("张三" in row for row in rows)

    page.goto(f"{live_server.url}/reports/drill/?figure=households&category=dibao")
    expect(page.locator("#drill")).to_contain_text("张三")
    page.click("#drill-export")
    page.wait_for_url(re.compile(r".*/jobs/\d+/$"))
    cells = str(list(load_workbook(io.BytesIO(_download(page))).active.values))
    assert "张三" in cells
