from __future__ import annotations

import datetime as dt
from io import StringIO
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safetynet.determination import services
from safetynet.determination.models import ApplicationType
from safetynet.determination.tests.conftest import submit_and_accept

D = dt.date

pytestmark = pytest.mark.django_db


def _run(*args: str) -> list[str]:
    out = StringIO()
    call_command("cases", *args, stdout=out)
    return out.getvalue().splitlines()


@pytest.fixture
def two_cases(clock: Any, make_household: Any, jinshui_officer: Any) -> tuple[Any, Any]:
    """One investigation due 02-24 (accepted 02-12), one due 03-05 (accepted 03-02)."""
    first = submit_and_accept(
        jinshui_officer,
        make_household(jinshui_officer),
        ApplicationType.DIBAO,
        clock,
        D(2026, 2, 11),
        D(2026, 2, 12),
    )
    second = submit_and_accept(
        jinshui_officer,
        make_household(jinshui_officer),
        ApplicationType.NEAR_DIBAO,
        clock,
        D(2026, 3, 2),
        D(2026, 3, 2),
    )
    return first, second


def test_cases_due_prints_overdue_then_due_and_the_totals(
    two_cases: tuple[Any, Any], jinshui_township: Any
) -> None:
    first, second = two_cases
    lines = _run("due", "--region", jinshui_township.code, "--date", "2026-03-02")
    assert lines == [
        # 02-24…02-27 and the working Saturday 02-28 have passed: 5 working days overdue.
        f"{first.number}\tdibao\tinvestigating\t2026-02-24\t-5",
        f"{second.number}\tnear_dibao\tinvestigating\t2026-03-05\t3",
        "due=1 overdue=1",
    ]


def test_cases_due_leaves_out_cases_due_later_than_the_horizon(
    two_cases: tuple[Any, Any], jinshui_township: Any
) -> None:
    lines = _run(
        "due", "--region", jinshui_township.code[:9], "--date", "2026-03-02", "--within", "2"
    )
    assert lines[-1] == "due=0 overdue=1"
    assert len(lines) == 2


def test_cases_due_as_user_of_another_township_sees_nothing(
    two_cases: tuple[Any, Any], zhongyuan_officer: Any
) -> None:
    lines = _run("due", "--region", "410105", "--date", "2026-03-02", "--as", "zhongyuan")
    assert lines == ["due=0 overdue=0"]


def test_extending_the_procedure_leaves_the_overdue_investigation_start_overdue(
    clock: Any, two_cases: tuple[Any, Any], jinshui_officer: Any
) -> None:
    first, _ = two_cases
    clock.on(D(2026, 3, 2))
    services.procedure_extend(actor=jinshui_officer, application=first, reason="补充调查")
    lines = _run("due", "--region", "410105", "--date", "2026-03-02")
    assert lines[0] == f"{first.number}\tdibao\tinvestigating\t2026-02-24\t-5"
    assert lines[-1] == "due=1 overdue=1"


def test_cases_due_rejects_an_unknown_region() -> None:
    with pytest.raises(CommandError, match="不存在"):
        _run("due", "--region", "419999", "--date", "2026-03-02")


def test_cases_due_rejects_a_bad_date(jinshui_township: Any) -> None:
    with pytest.raises(CommandError, match="日期格式错误"):
        _run("due", "--region", jinshui_township.code, "--date", "2026-13-01")
