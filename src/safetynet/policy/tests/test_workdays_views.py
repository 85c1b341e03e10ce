"""The working-day calendar page: calculator and year view for everyone signed in, the holiday
table's forms for EDIT_CALENDAR users only."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import make_user
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.audit.models import Action, AuditRecord
from safetynet.policy.calendar import workdays
from safetynet.policy.models import CalendarDay, CalendarYear
from safetynet.regions.models import Region

pytestmark = pytest.mark.django_db

PAGE = "/policy/calendar/"
WARNING_2027 = "2027 年节假日安排尚未录入，按周末推算"


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    workdays.cache_clear()
    yield
    workdays.cache_clear()


@pytest.fixture
def administrator(db: Any) -> User:
    return make_user("admin", Role.ADMINISTRATOR, Region.objects.get(code="410000000000"))


@pytest.fixture
def officer_client(client: Client, jinshui_officer: User) -> Client:
    client.force_login(jinshui_officer)
    return client


@pytest.fixture
def admin_client(client: Client, administrator: User) -> Client:
    client.force_login(administrator)
    return client


def text(response: Any) -> str:
    return str(response.content.decode())


def test_page_is_at_policy_calendar() -> None:
    assert reverse("policy:calendar") == PAGE


def test_anonymous_user_is_sent_to_sign_in(client: Client) -> None:
    response = client.get(PAGE)
    assert (response.status_code, response["Location"].split("?")[0]) == (302, reverse("login"))


def test_navigation_links_to_the_calendar(officer_client: Client) -> None:
    assert f'href="{PAGE}">工作日历</a>' in text(officer_client.get(reverse("web:home")))


def test_calculator_gives_the_due_date(officer_client: Client) -> None:
    page = text(officer_client.get(PAGE, {"year": 2026, "start": "2026-09-30", "n": 3}))
    assert "2026-09-30 之后第 3 个工作日：<strong>2026-10-10</strong>" in page


def test_calculator_counts_backwards_for_negative_n(officer_client: Client) -> None:
    page = text(officer_client.get(PAGE, {"start": "2026-10-08", "n": -1}))
    assert "2026-10-08 之前第 1 个工作日：<strong>2026-09-30</strong>" in page


def test_calculator_counts_working_days_between(officer_client: Client) -> None:
    page = text(officer_client.get(PAGE, {"a": "2026-09-30", "b": "2026-10-10"}))
    assert "2026-09-30 至 2026-10-10：<strong>3</strong> 个工作日" in page


def test_calculator_warns_when_the_answer_reaches_an_uncovered_year(officer_client: Client) -> None:
    page = text(officer_client.get(PAGE, {"year": 2026, "start": "2026-12-30", "n": 5}))
    assert f'<p class="tag watch">{WARNING_2027}</p>' in page


def test_calculator_shows_a_bad_count_beside_the_field(officer_client: Client) -> None:
    page = text(officer_client.get(PAGE, {"start": "2026-09-30", "n": "abc"}))
    assert "工作日数：输入整数。" in page


def test_page_shows_the_current_year_by_default(client: Client, jinshui_officer: User) -> None:
    # Signed in inside the travelled time: sessions end after 30 idle minutes.
    with time_machine.travel(dt.datetime(2025, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        client.force_login(jinshui_officer)
        page = text(client.get(PAGE))
    assert "<h2>2025 年节假日安排</h2>" in page


def test_year_view_lists_package_days_with_their_source(officer_client: Client) -> None:
    page = text(officer_client.get(PAGE, {"year": 2026}))
    row = (
        "<td>2026-10-10</td>\n        <td>星期六</td>\n"
        '        <td><span class="tag watch">调休上班</span></td>\n'
        "        <td>国庆节</td>\n        <td>数据包</td>"
    )
    assert row in page


def test_year_view_marks_a_table_row_overriding_the_package(
    officer_client: Client, administrator: User
) -> None:
    CalendarDay.objects.create(date=dt.date(2026, 10, 7), is_working_day=True, name="国庆节")
    assert "管理员录入（覆盖数据包）" in text(officer_client.get(PAGE, {"year": 2026}))


def test_uncovered_year_view_warns(officer_client: Client) -> None:
    assert WARNING_2027 in text(officer_client.get(PAGE, {"year": 2027}))


def test_uncovered_year_view_says_who_enters_it_and_when(officer_client: Client) -> None:
    html = officer_client.get("/policy/calendar/", {"year": "2027"}).content.decode()

    assert "国务院办公厅每年秋季" in html and "维护节假日安排" in html


def test_declared_year_view_names_its_source_and_does_not_warn(officer_client: Client) -> None:
    CalendarYear.objects.create(year=2027, source="国办发明电〔2026〕X号")
    page = text(officer_client.get(PAGE, {"year": 2027}))
    assert ("依据：国办发明电〔2026〕X号" in page, WARNING_2027 in page) == (True, False)


def test_year_out_of_range_falls_back_with_a_message(officer_client: Client) -> None:
    assert "年份须在 2004—2100 之间" in text(officer_client.get(PAGE, {"year": 1990}))


def test_township_officer_sees_no_edit_form(officer_client: Client) -> None:
    page = text(officer_client.get(PAGE, {"year": 2027}))
    assert ('id="edit-day"' in page, 'id="declare-year"' in page) == (False, False)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("calendar_day_set", {"date": "2027-01-01", "kind": "0"}),
        ("calendar_day_delete", {"date": "2027-01-01"}),
        ("calendar_year_declare", {"year": "2027", "source": "国办发明电"}),
        ("calendar_year_withdraw", {"year": "2027"}),
    ],
)
def test_township_officer_cannot_edit(
    officer_client: Client, name: str, data: dict[str, str]
) -> None:
    assert officer_client.post(reverse(f"policy:{name}"), data).status_code == 403


def test_administrator_sees_the_edit_forms(admin_client: Client) -> None:
    page = text(admin_client.get(PAGE, {"year": 2027}))
    assert ('id="edit-day"' in page, 'id="declare-year"' in page) == (True, True)


def test_administrator_enters_a_holiday(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("policy:calendar_day_set"),
        {"date": "2027-01-01", "kind": "0", "name": "元旦", "note": ""},
    )
    assert response["Location"] == f"{PAGE}?year=2027"
    assert list(CalendarDay.objects.values_list("date", "is_working_day", "name")) == [
        (dt.date(2027, 1, 1), False, "元旦")
    ]


def test_entering_a_holiday_is_audited_from_the_web(admin_client: Client) -> None:
    admin_client.post(
        reverse("policy:calendar_day_set"), {"date": "2027-02-06", "kind": "1", "name": "春节"}
    )
    record = AuditRecord.objects.get(object_type="calendar_day")
    assert (record.action, record.object_id, record.channel) == (Action.CREATE, "2027-02-06", "web")


def test_entered_holiday_changes_the_calculator_at_once(admin_client: Client) -> None:
    admin_client.get(PAGE, {"start": "2026-12-31", "n": 1})
    admin_client.post(reverse("policy:calendar_day_set"), {"date": "2027-01-01", "kind": "0"})
    page = text(admin_client.get(PAGE, {"start": "2026-12-31", "n": 1}))
    assert "<strong>2027-01-04</strong>" in page


def test_administrator_removes_an_entry(admin_client: Client) -> None:
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working_day=False)
    response = admin_client.post(reverse("policy:calendar_day_delete"), {"date": "2027-01-01"})
    assert (response.status_code, CalendarDay.objects.count()) == (302, 0)


def test_removing_a_missing_entry_says_so(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("policy:calendar_day_delete"), {"date": "2027-01-01"}, follow=True
    )
    assert "2027-01-01 没有录入的节假日安排" in text(response)


def test_administrator_declares_a_year_complete(admin_client: Client) -> None:
    response = admin_client.post(
        reverse("policy:calendar_year_declare"), {"year": "2027", "source": "国办发明电〔2026〕X号"}
    )
    assert (response.status_code, list(CalendarYear.objects.values_list("year", flat=True))) == (
        302,
        [2027],
    )


def test_declaring_without_a_source_shows_why(admin_client: Client) -> None:
    response = admin_client.post(reverse("policy:calendar_year_declare"), {"year": "2027"})
    assert (
        response.status_code,
        "依据（国务院办公厅通知名称、文号）：这个字段是必填项。" in text(response),
    ) == (
        200,
        True,
    )


def test_administrator_withdraws_a_declaration(admin_client: Client) -> None:
    CalendarYear.objects.create(year=2027, source="国办发明电")
    admin_client.post(reverse("policy:calendar_year_withdraw"), {"year": "2027"})
    assert CalendarYear.objects.count() == 0


def test_edit_pages_refuse_get(admin_client: Client) -> None:
    assert admin_client.get(reverse("policy:calendar_day_set")).status_code == 405
