"""`safetynet workdays`: the answer alone on stdout, warnings on stderr, bad input refused."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from safetynet.policy.calendar import workdays
from safetynet.policy.models import CalendarDay, CalendarYear

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    workdays.cache_clear()
    yield
    workdays.cache_clear()


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("workdays", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_add_prints_the_due_date_only() -> None:
    assert run("add", "2026-09-30", "3") == ("2026-10-10\n", "")


def test_add_with_negative_n_prints_the_day_before() -> None:
    assert run("add", "2026-10-08", "-1") == ("2026-09-30\n", "")


def test_between_prints_the_count_only() -> None:
    assert run("between", "2026-09-30", "2026-10-10") == ("3\n", "")


def test_between_backwards_prints_a_negative_count() -> None:
    assert run("between", "2026-10-10", "2026-09-30") == ("-3\n", "")


def test_add_into_uncovered_year_warns_on_stderr() -> None:
    assert run("add", "2026-12-31", "1") == (
        "2027-01-01\n",
        "警告：2027 年节假日安排尚未录入，按周末推算\n",
    )


def test_between_into_declared_year_does_not_warn() -> None:
    CalendarYear.objects.create(year=2027, source="国办发明电")
    assert run("between", "2026-12-31", "2027-01-05") == ("3\n", "")


def test_add_follows_the_table() -> None:
    CalendarDay.objects.create(date=dt.date(2027, 1, 1), is_working_day=False, name="元旦")
    assert run("add", "2026-12-31", "1")[0] == "2027-01-04\n"


def test_bad_date_is_refused_in_chinese() -> None:
    with pytest.raises(CommandError, match="日期格式错误：2026-13-01"):
        run("add", "2026-13-01", "3")


def test_non_integer_count_is_refused_in_chinese() -> None:
    with pytest.raises(CommandError, match="工作日数须为整数：三"):
        run("add", "2026-09-30", "三")


def test_count_beyond_the_bound_is_refused() -> None:
    with pytest.raises(CommandError, match="工作日数不能超过"):
        run("add", "2026-09-30", "100000")


def test_year_lists_holidays_and_adjusted_working_days() -> None:
    lines = run("year", "2026")[0].splitlines()
    assert "2026-10-10\t星期六\t上班\t国庆节\t数据包" in lines
    assert "2026-10-01\t星期四\t放假\t国庆节\t数据包" in lines


def test_year_ends_with_the_working_day_count() -> None:
    assert run("year", "2026")[0].splitlines()[-1] == "全年工作日 248 天"


def test_uncovered_year_listing_warns() -> None:
    assert run("year", "2027")[1] == "警告：2027 年节假日安排尚未录入，按周末推算\n"
