"""One dibao application from the household page to the decision notice, clicked through by a
township officer and a county officer in two browsers, with the clock frozen on working days of
March 2026 (publicity 03-02…03-08, closed and confirmed on Monday 03-09)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from conftest import PASSWORD
from safetynet.determination.models import Application, Decision, Status

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

SHANGHAI = ZoneInfo("Asia/Shanghai")
AUTHORISATION = b"%PDF-1.4\n% signed authorisation scan\n"


@pytest.fixture
def clock() -> Iterator[Any]:
    start = dt.datetime(2026, 3, 2, 9, tzinfo=SHANGHAI)
    with time_machine.travel(start, tick=True) as traveller:
        yield traveller


@pytest.fixture
def standards(db: Any) -> Any:
    from safetynet.policy.models import StandardVersion

    return StandardVersion.objects.create(
        region_id="410105000000",
        effective_from=dt.date(2026, 1, 1),
        dibao_urban_monthly=Decimal("700.00"),
        dibao_rural_monthly=Decimal("700.00"),
    )


def _login(browser: Any, base: str, user: Any) -> Any:
    context = browser.new_context(locale="zh-CN")
    page = context.new_page()
    page.set_default_timeout(15000)
    page.goto(f"{base}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/")
    return page


def _act(page: Any, label: str, fields: dict[str, str] | None = None) -> None:
    """Click an action button of the case page, fill its form, submit, land on the case."""
    case_url = page.url
    page.click(f"#case-actions a:text-is('{label}')")
    page.wait_for_selector("#action-form")
    for name, value in (fields or {}).items():
        page.fill(f"#action-form [name={name}]", value)
    page.click("#action-form button[type=submit]")
    page.wait_for_url(case_url)


def _status(page: Any) -> str:
    return str(page.locator("#case-status").inner_text())


def test_dibao_application_from_household_page_to_decision_notice(
    browser: Any,
    live_server: Any,
    settings: Any,
    clock: Any,
    standards: Any,
    jinshui_officer: Any,
    county_officer: Any,
    make_household: Any,
) -> None:
    settings.SESSION_COOKIE_AGE = 30 * 24 * 3600  # the clock jumps a week
    base = live_server.url
    household = make_household(jinshui_officer, head_name="张三", wages=Decimal("300.00"))
    township = _login(browser, base, jinshui_officer)
    county = _login(browser, base, county_officer)

    township.goto(f"{base}/households/{household.pk}/")
    township.click("text=申请救助")
    township.select_option("#application-form [name=type]", "dibao")
    township.set_input_files(
        "#application-form [name=authorisation]",
        {"name": "核对授权书.pdf", "mimeType": "application/pdf", "buffer": AUTHORISATION},
    )
    township.click("#application-form button[type=submit]")
    township.wait_for_url(re.compile(r".*/determination/cases/\d+/$"))
    case_url = township.url
    assert _status(township) == "待受理"

    _act(township, "受理")
    assert _status(township) == "调查核实"
    assert "2026-03-05" in township.locator("#step-deadline").inner_text()

    _act(township, "登记入户调查", {"staff": "王五、赵六", "findings": "二人户，均无稳定收入。"})
    _act(township, "提请经济状况核对")

    county.goto(case_url)
    _act(county, "反馈核对结果", {"answer": "未发现不符合条件的收入和财产。"})

    township.reload()
    _act(township, "乡镇审核意见", {"opinion": "经入户调查和核对，符合低保条件。"})
    _act(township, "开始公示", {"place": "村务公开栏"})
    assert _status(township) == "公示中"

    clock.move_to(dt.datetime(2026, 3, 9, 9, tzinfo=SHANGHAI))
    township.reload()
    _act(township, "公示期满无异议")
    assert _status(township) == "待审核确认"

    county.goto(case_url)
    county.click("#case-actions a:text-is('予以认定')")
    # (700 − 300 / 2) × 2 = 1,100 a month from April.
    assert "1100.00" in county.locator("#amounts").inner_text()
    county.fill("#action-form [name=reasons]", "符合最低生活保障条件。")
    county.click("#action-form button[type=submit]")
    county.wait_for_url(case_url)
    assert _status(county) == "已认定"

    application = Application.objects.get(household=household)
    decision = Decision.objects.get(application=application)
    assert application.status == Status.CONFIRMED
    assert (decision.monthly_amount, decision.start_month) == (
        Decimal("1100.00"),
        dt.date(2026, 4, 1),
    )

    notice = county.locator("#case-actions a[data-notice]:has-text('认定决定通知书')")
    response = county.context.request.get(base + notice.get_attribute("href"))
    assert response.ok
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")
