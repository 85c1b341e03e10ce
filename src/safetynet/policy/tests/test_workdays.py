"""Working days on China's 2025 and 2026 schedules, the administrator's table, coverage warnings,
the edit services and the per-process cache."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import make_user
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.audit.models import Action, AuditRecord
from safetynet.policy.calendar import services as calendar_services
from safetynet.policy.calendar import workdays
from safetynet.policy.calendar.services import CalendarError, CalendarPermissionDenied
from safetynet.policy.calendar.workdays import (
    Coverage,
    DaySource,
    add_working_days,
    is_working_day,
    working_days_between,
)
from safetynet.policy.models import CalendarDay, CalendarYear
from safetynet.regions.models import Region

pytestmark = pytest.mark.django_db

D = dt.date
WARNING_2027 = "2027 年节假日安排尚未录入，按周末推算"


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    # The compiled calendar lives for the process; a test's rows vanish with its transaction.
    workdays.cache_clear()
    yield
    workdays.cache_clear()


@pytest.fixture
def administrator(db: Any) -> User:
    return make_user("admin", Role.ADMINISTRATOR, Region.objects.get(code="410000000000"))


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A hand-driven monotonic clock for the cache's re-check interval."""
    now = [1000.0]
    monkeypatch.setattr(workdays, "_clock", lambda: now[0])
    return now


# --- the 2025 and 2026 schedules -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "n", "due"),
    [
        (D(2025, 1, 24), 3, D(2025, 2, 5)),  # Sunday 26 January worked; 28 Jan – 4 Feb off
        (D(2026, 2, 12), 3, D(2026, 2, 24)),  # Saturday 14 February worked; 15–23 Feb off
        (D(2026, 9, 30), 3, D(2026, 10, 10)),  # 1–7 October off; Saturday 10 October worked
        (D(2025, 9, 26), 1, D(2025, 9, 28)),  # Sunday 28 September 2025 worked
        (D(2025, 9, 30), 1, D(2025, 10, 9)),  # 1–8 October 2025 off
        (D(2025, 10, 9), 2, D(2025, 10, 11)),  # Saturday 11 October 2025 worked
    ],
)
def test_add_working_days_follows_the_published_schedule(
    start: dt.date, n: int, due: dt.date
) -> None:
    assert add_working_days(start, n) == due


def test_spring_festival_2026_has_no_working_day_from_15_to_23_february() -> None:
    days = [D(2026, 2, 15) + dt.timedelta(days=i) for i in range(9)]
    assert [is_working_day(d) for d in days] == [False] * 9


@pytest.mark.parametrize("day", [D(2026, 2, 14), D(2026, 2, 28), D(2026, 9, 20), D(2026, 10, 10)])
def test_adjusted_weekend_of_2026_is_a_working_day(day: dt.date) -> None:
    assert (day.weekday() >= 5, is_working_day(day)) == (True, True)


def test_zero_working_days_is_the_start_even_on_a_holiday() -> None:
    assert add_working_days(D(2026, 10, 3), 0) == D(2026, 10, 3)


def test_negative_n_is_the_working_day_before() -> None:
    assert add_working_days(D(2026, 10, 8), -1) == D(2026, 9, 30)


def test_negative_n_from_a_holiday_counts_back_over_the_holiday() -> None:
    assert add_working_days(D(2026, 10, 5), -3) == D(2026, 9, 28)


def test_between_counts_working_days_after_a_through_b() -> None:
    assert working_days_between(D(2026, 9, 30), D(2026, 10, 10)) == 3


def test_between_is_negative_when_b_is_before_a() -> None:
    assert working_days_between(D(2026, 10, 10), D(2026, 9, 30)) == -3


def test_between_a_friday_due_date_seen_on_saturday_is_one_day_overdue() -> None:
    assert working_days_between(D(2026, 11, 28), D(2026, 11, 27)) == -1


def test_between_the_same_day_is_zero() -> None:
    assert working_days_between(D(2026, 10, 1), D(2026, 10, 1)) == 0


def test_a_year_of_2026_has_the_published_count_of_working_days() -> None:
    # The package's own day-by-day answer, against the compiled year.
    from chinese_calendar import get_workdays

    assert working_days_between(D(2025, 12, 31), D(2026, 12, 31)) == len(
        get_workdays(D(2026, 1, 1), D(2026, 12, 31))
    )


def test_more_than_the_bound_of_working_days_is_refused() -> None:
    with pytest.raises(ValueError, match="工作日数不能超过"):
        add_working_days(D(2026, 1, 1), workdays.MAX_WORKING_DAYS + 1)


DAYS_2025_2026 = st.dates(min_value=D(2025, 1, 1), max_value=D(2026, 12, 31))
NO_DB_RESET = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@NO_DB_RESET
@given(start=DAYS_2025_2026, n=st.integers(min_value=-80, max_value=80))
def test_between_is_the_inverse_of_add(start: dt.date, n: int) -> None:
    assert working_days_between(start, add_working_days(start, n)) == n


@NO_DB_RESET
@given(start=DAYS_2025_2026, n=st.integers(min_value=1, max_value=80))
def test_added_day_is_a_working_day_after_start(start: dt.date, n: int) -> None:
    due = add_working_days(start, n)
    assert (due > start, is_working_day(due)) == (True, True)


@NO_DB_RESET
@given(a=DAYS_2025_2026, b=DAYS_2025_2026)
def test_between_matches_counting_day_by_day(a: dt.date, b: dt.date) -> None:
    low, high = sorted((a, b))
    # a < d ≤ b forwards; b ≤ d < a backwards.
    shift = 1 if a <= b else 0
    days = [low + dt.timedelta(days=i + shift) for i in range((high - low).days)]
    expected = sum(is_working_day(d) for d in days)
    assert working_days_between(a, b) == (expected if a <= b else -expected)


# --- coverage ---------------------------------------------------------------------------------


def test_uncovered_2027_falls_back_to_monday_to_friday() -> None:
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 1)


def test_due_date_into_uncovered_2027_warns() -> None:
    assert workdays.due_date(D(2026, 12, 30), 5).warnings == (WARNING_2027,)


def test_due_date_within_2026_has_no_warning() -> None:
    assert workdays.due_date(D(2026, 9, 30), 3).warnings == ()


def test_count_across_uncovered_2027_warns() -> None:
    assert workdays.count_working_days(D(2026, 12, 1), D(2027, 1, 8)).warnings == (WARNING_2027,)


def test_uncovered_years_lists_each_year_without_schedule() -> None:
    assert workdays.uncovered_years(D(2029, 3, 1), D(2026, 1, 1)) == [2027, 2028, 2029]


def test_consecutive_uncovered_years_give_one_warning() -> None:
    assert workdays.due_date(D(2026, 12, 31), 800).warnings == (
        "2027—2030 年节假日安排尚未录入，按周末推算",
    )


def test_year_before_the_package_is_uncovered() -> None:
    assert workdays.uncovered_years(D(2003, 5, 1), D(2003, 5, 8)) == [2003]


def test_declared_2027_does_not_warn(administrator: User) -> None:
    calendar_services.calendar_year_declare(
        actor=administrator, year=2027, source="国办发明电〔2026〕X号"
    )
    assert workdays.due_date(D(2026, 12, 30), 5).warnings == ()


def test_table_rows_count_in_an_uncovered_year(administrator: User) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2027, 1, 1), is_working_day=False, name="元旦"
    )
    assert add_working_days(D(2026, 12, 31), 1) == D(2027, 1, 4)


def test_table_row_overrides_the_package(administrator: User) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2026, 10, 8), is_working_day=False, name="国庆节"
    )
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 12)


def test_table_row_can_make_a_package_holiday_a_working_day(administrator: User) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2026, 10, 7), is_working_day=True, note="更正"
    )
    assert add_working_days(D(2026, 9, 30), 1) == D(2026, 10, 7)


def test_deleting_a_row_restores_the_package(administrator: User) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2026, 10, 8), is_working_day=False
    )
    calendar_services.calendar_day_delete(actor=administrator, date=D(2026, 10, 8))
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_withdrawn_declaration_warns_again(administrator: User) -> None:
    calendar_services.calendar_year_declare(actor=administrator, year=2027, source="国办发明电")
    calendar_services.calendar_year_withdraw(actor=administrator, year=2027)
    assert workdays.uncovered_years(D(2027, 1, 1), D(2027, 1, 1)) == [2027]


# --- the year's schedule ----------------------------------------------------------------------


def test_year_schedule_lists_package_holidays_and_adjusted_days_in_chinese() -> None:
    schedule = workdays.year_schedule(2026)
    national = [(d.date, d.is_working_day, d.name) for d in schedule.days if d.name == "国庆节"]
    assert national[0] == (D(2026, 9, 20), True, "国庆节")
    assert national[-1] == (D(2026, 10, 10), True, "国庆节")


def test_year_schedule_marks_a_table_row_and_what_the_package_said(administrator: User) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2026, 10, 7), is_working_day=True, name="国庆节"
    )
    day = next(d for d in workdays.year_schedule(2026).days if d.date == D(2026, 10, 7))
    assert (day.source, day.is_working_day, day.package_is_working_day) == (
        DaySource.TABLE,
        True,
        False,
    )


def test_year_schedule_of_uncovered_year_carries_the_warning() -> None:
    schedule = workdays.year_schedule(2027)
    assert (schedule.coverage, schedule.warning) == (Coverage.NONE, WARNING_2027)


def test_year_schedule_of_declared_year_names_its_source(administrator: User) -> None:
    calendar_services.calendar_year_declare(
        actor=administrator, year=2027, source="国办发明电〔2026〕X号"
    )
    schedule = workdays.year_schedule(2027)
    assert (schedule.coverage, schedule.source, schedule.warning) == (
        Coverage.TABLE,
        "国办发明电〔2026〕X号",
        "",
    )


# --- services: permission, validation, audit --------------------------------------------------


def test_township_officer_cannot_edit_the_table(jinshui_officer: User) -> None:
    with pytest.raises(CalendarPermissionDenied):
        calendar_services.calendar_day_set(
            actor=jinshui_officer, date=D(2027, 1, 1), is_working_day=False
        )


def test_county_officer_cannot_declare_a_year(county_officer: User) -> None:
    with pytest.raises(CalendarPermissionDenied):
        calendar_services.calendar_year_declare(actor=county_officer, year=2027, source="x")


def test_declaring_a_year_needs_its_source(administrator: User) -> None:
    with pytest.raises(CalendarError, match="国务院办公厅通知") as caught:
        calendar_services.calendar_year_declare(actor=administrator, year=2027, source="  ")
    assert caught.value.field == "source"


def test_year_out_of_range_is_refused(administrator: User) -> None:
    with pytest.raises(CalendarError, match="年份须在 2004—2100 之间"):
        calendar_services.calendar_day_set(
            actor=administrator, date=D(2101, 1, 1), is_working_day=False
        )


def test_deleting_a_date_without_entry_is_refused(administrator: User) -> None:
    with pytest.raises(CalendarError, match="2027-01-01 没有录入的节假日安排"):
        calendar_services.calendar_day_delete(actor=administrator, date=D(2027, 1, 1))


def test_setting_a_date_twice_corrects_the_one_row(administrator: User) -> None:
    for working in (False, True):
        calendar_services.calendar_day_set(
            actor=administrator, date=D(2027, 2, 6), is_working_day=working
        )
    assert list(CalendarDay.objects.values_list("date", "is_working_day")) == [
        (D(2027, 2, 6), True)
    ]


def test_setting_a_day_is_audited_with_before_and_after(administrator: User) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2027, 1, 1), is_working_day=False, name="元旦"
    )
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2027, 1, 1), is_working_day=True, name="元旦"
    )
    record = AuditRecord.objects.filter(object_type="calendar_day").order_by("-id").first()
    assert record is not None
    assert (record.action, record.object_id, record.actor_username) == (
        Action.UPDATE,
        "2027-01-01",
        "admin",
    )
    assert (
        record.detail["before"]["is_working_day"],
        record.detail["after"]["is_working_day"],
    ) == (
        False,
        True,
    )


def test_deleting_a_day_is_audited(administrator: User) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2027, 1, 1), is_working_day=False
    )
    calendar_services.calendar_day_delete(actor=administrator, date=D(2027, 1, 1))
    assert list(
        AuditRecord.objects.filter(object_type="calendar_day")
        .order_by("id")
        .values_list("action", flat=True)
    ) == [Action.CREATE, Action.DELETE]


def test_declaring_a_year_is_audited_with_its_source(administrator: User) -> None:
    calendar_services.calendar_year_declare(actor=administrator, year=2027, source="国办发明电")
    record = AuditRecord.objects.get(object_type="calendar_year")
    assert (record.action, record.object_id, record.detail["source"]) == (
        Action.CREATE,
        "2027",
        "国办发明电",
    )


def test_declaring_a_declared_year_again_replaces_its_source(administrator: User) -> None:
    calendar_services.calendar_year_declare(actor=administrator, year=2027, source="旧")
    calendar_services.calendar_year_declare(actor=administrator, year=2027, source="新")
    assert list(CalendarYear.objects.values_list("year", "source")) == [(2027, "新")]


# --- the cache --------------------------------------------------------------------------------


def test_answers_within_the_recheck_interval_need_no_query(
    clock: list[float], django_assert_num_queries: Any
) -> None:
    add_working_days(D(2026, 1, 5), 1)
    with django_assert_num_queries(0):
        for i in range(500):
            start = D(2025, 1, 1) + dt.timedelta(days=i)
            working_days_between(start, add_working_days(start, 20))


def test_recheck_after_the_interval_reads_the_table_once(
    clock: list[float], django_assert_num_queries: Any
) -> None:
    add_working_days(D(2026, 1, 5), 1)
    clock[0] += workdays.RECHECK_SECONDS
    with django_assert_num_queries(2):
        add_working_days(D(2026, 1, 5), 1)
        add_working_days(D(2026, 1, 5), 2)


def test_edit_through_the_service_is_seen_at_once(administrator: User, clock: list[float]) -> None:
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2026, 10, 8), is_working_day=False
    )
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 12)


def test_edit_from_another_process_is_seen_after_the_recheck_interval(clock: list[float]) -> None:
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)
    # Written behind this process's back, as a web worker elsewhere or the Django admin would.
    CalendarDay.objects.create(date=D(2026, 10, 8), is_working_day=False)
    clock[0] += workdays.RECHECK_SECONDS
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 12)


def test_in_place_change_of_a_row_is_seen_after_the_recheck_interval(
    administrator: User, clock: list[float]
) -> None:
    calendar_services.calendar_day_set(
        actor=administrator, date=D(2026, 10, 8), is_working_day=False
    )
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 12)
    CalendarDay.objects.filter(date=D(2026, 10, 8)).update(is_working_day=True)
    clock[0] += workdays.RECHECK_SECONDS
    assert add_working_days(D(2026, 9, 30), 3) == D(2026, 10, 10)


def test_declaration_from_another_process_is_seen_after_the_recheck_interval(
    clock: list[float],
) -> None:
    assert workdays.uncovered_years(D(2027, 1, 1), D(2027, 1, 1)) == [2027]
    CalendarYear.objects.create(year=2027, source="国办发明电")
    clock[0] += workdays.RECHECK_SECONDS
    assert workdays.uncovered_years(D(2027, 1, 1), D(2027, 1, 1)) == []
