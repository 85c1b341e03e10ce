"""Issue 16: the province dashboard and its map render, and a click on the map drills from the
province into a city and from there into a county's dashboard."""

from __future__ import annotations

import datetime as dt
import os
import re
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from safetynet.registry import services as registry
from safetynet.reports.rollups import month_start, refresh_month

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

# A point inside each region (the label points the map data ships).
ZHENGZHOU = [113.665412, 34.757975]
JINSHUI = [113.660617, 34.800004]


def _click_map_at(page: Any, lng_lat: list[float]) -> None:
    page.wait_for_selector("#map[data-ready='1']")
    page.locator("#map").scroll_into_view_if_needed()
    x, y = page.evaluate(
        """(point) => {
            const chart = echarts.getInstanceByDom(document.getElementById('map'));
            return chart.convertToPixel({seriesIndex: 0}, point);
        }""",
        lng_lat,
    )
    box = page.locator("#map").bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_province_dashboard_and_map_drill_into_a_county(
    page: Any, live_server: Any, supervisor: Any, county_officer: Any, make_household: Any
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
    page.fill("input[name=username]", supervisor.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.click("#sidebar >> text=统计概览")
    page.wait_for_url(re.compile(r".*/reports/$"))
    expect(page.locator("h1")).to_have_text("河南省统计概览")
    # the charts and the map draw on canvases
    expect(page.locator("#chart-categories canvas")).to_have_count(1)
    expect(page.locator("#chart-flows canvas")).to_have_count(1)
    expect(page.locator("#map canvas")).to_have_count(1)
    if os.environ.get("REPORTS_SCREENSHOT"):
        page.screenshot(path=os.environ["REPORTS_SCREENSHOT"], full_page=True)

    _click_map_at(page, ZHENGZHOU)
    page.wait_for_url(re.compile(r".*region=410100000000.*"))
    expect(page.locator("h1")).to_have_text("郑州市统计概览")
    _click_map_at(page, JINSHUI)
    page.wait_for_url(re.compile(r".*region=410105000000.*"))
    expect(page.locator("h1")).to_have_text("金水区统计概览")
    expect(page.locator("#by-category")).to_contain_text("低保")
    # the county's dibao figure drills down to the household
    page.locator("#by-category tbody tr", has_text="低保").first.locator("td").nth(5).locator(
        "a"
    ).click()
    expect(page.locator("#drill")).to_contain_text("张三")
