"""Issue 16: the county's dashboard shows the amounts paid from its issued payment roll (and says
when a month's roll is not issued); a resident reads the public notice board of a township
without login, chosen with the region picker, and sends an objection to a notice."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from conftest import PASSWORD
from safetynet.assistance.payments import roll as rolls
from safetynet.determination import services
from safetynet.determination.models import Decision
from safetynet.determination.tests.notice_cases import accepted_case, at, decided_case
from safetynet.oversight.models import PublicObjection
from safetynet.regions.models import Region
from safetynet.reports.rollups import refresh_month

pytestmark = [
    pytest.mark.browser,
    pytest.mark.django_db(transaction=True),
]

JUNE, JULY = dt.date(2026, 6, 1), dt.date(2026, 7, 1)


def _login(page: Any, url: str, user: Any) -> None:
    page.goto(f"{url}/accounts/login/")
    page.fill("input[name=username]", user.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{url}/")


def test_the_dashboard_shows_the_amounts_paid_of_the_issued_roll(
    page: Any, live_server: Any, county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="发放甲", wages=Decimal("300.00"))
    case = decided_case(officer=jinshui_officer, county=county_officer, household=household)
    Decision.objects.filter(application=case).update(monthly_amount=Decimal("612.00"))
    county = Region.objects.get(code=county_officer.scope_region_id)
    rolls.roll_issue(actor=county_officer, county=county, month=JUNE)
    for month in (JUNE, JULY):
        refresh_month(month)

    _login(page, live_server.url, county_officer)
    page.goto(f"{live_server.url}/reports/?region={county.code}&month=2026-06")
    tile = page.locator("#tiles a[data-figure=paid_amount]")
    expect(tile).to_contain_text("本月实发金额(元)")
    expect(tile.locator(".tile-value")).to_have_text(re.compile(r"^612(\.00)?$"))
    tile.click()
    expect(page.locator("#drill")).to_contain_text("发放甲")
    expect(page.locator("#drill-amount")).to_have_text("612.00")

    page.goto(f"{live_server.url}/reports/?region={county.code}&month=2026-07")
    missing = page.locator("#tiles a[data-figure=paid_amount]")
    expect(missing.locator(".tile-value")).to_have_text("—")
    expect(missing).to_contain_text("本月发放名册未定稿")


def test_a_resident_reads_the_notice_board_and_objects(
    browser: Any,
    page: Any,
    live_server: Any,
    county_officer: Any,
    jinshui_officer: Any,
    make_household: Any,
) -> None:
    today = timezone.localdate()
    household = make_household(jinshui_officer, head_name="公示甲", wages=Decimal("300.00"))
    application = accepted_case(
        officer=jinshui_officer, household=household, applied_on=today - dt.timedelta(days=6)
    )
    with at(today - dt.timedelta(days=5)):
        services.home_visit_record(
            actor=jinshui_officer,
            application=application,
            visited_on=today - dt.timedelta(days=5),
            staff=["王建华", "李秀英"],
            findings="家中两人，无劳动能力。",
        )
        check = services.data_check_request(actor=jinshui_officer, application=application)
        services.data_check_answer(actor=county_officer, data_check=check, answer="未发现不一致。")
    application.refresh_from_db()
    with at(today - dt.timedelta(days=4)):
        services.township_review(actor=jinshui_officer, application=application, opinion="符合")
    application.refresh_from_db()
    with at(today - dt.timedelta(days=2)):
        services.publicity_start(
            actor=jinshui_officer, application=application, starts_on=today - dt.timedelta(days=2)
        )
    village = household.region

    page.goto(f"{live_server.url}/public/notices/")
    page.select_option("select[data-level=city]", village.code[:4] + "00000000")
    page.select_option("select[data-level=county]", village.code[:6] + "000000")
    page.select_option("select[data-level=township]", village.code[:9] + "000")
    page.click("#notice-picker button[type=submit]")
    board = page.locator("#in-publicity")
    expect(board).to_contain_text("公示甲")
    expect(board).to_contain_text(application.applicant.id_number_masked)
    row = board.locator("tbody tr", has_text="公示甲")
    row.locator("summary").click()
    row.locator("textarea[name=content]").fill("该户在县城有门面房出租。")
    row.locator("button[type=submit]").click()
    expect(page.locator("#case-number")).to_have_text(re.compile(r"GY\d{8}-[0-9A-Z]{8}"))
    filed = PublicObjection.objects.get()
    assert filed.application_id == application.pk
    expect(page.locator("#objected")).not_to_contain_text("公示甲")
