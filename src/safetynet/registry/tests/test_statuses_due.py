"""Statuses recorded ahead of their date (a decision takes effect the month after it) change the
household's current category and relapse-watch flag on that date, through the daily run."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.management import call_command
from django.core.management.base import CommandError

from safetynet.audit.models import AuditRecord
from safetynet.jobs.models import Job, JobStatus
from safetynet.registry import services
from safetynet.registry.models import Household, Membership
from safetynet.registry.tasks import STATUSES_APPLY_KIND

pytestmark = pytest.mark.django_db

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


class Clock:
    def __init__(self, traveller: Any) -> None:
        self._traveller = traveller

    def on(self, day: dt.date, hour: int = 10) -> None:
        self._traveller.move_to(dt.datetime.combine(day, dt.time(hour), tzinfo=SHANGHAI))


@pytest.fixture
def clock() -> Iterator[Clock]:
    with time_machine.travel(dt.datetime(2026, 3, 10, 10, tzinfo=SHANGHAI), tick=False) as t:
        yield Clock(t)


@pytest.fixture
def household(jinshui_officer: Any, make_household: Any) -> Household:
    household: Household = make_household(jinshui_officer, head_name="张三")
    return household


def _category(household: Household) -> str:
    return Household.objects.values_list("category", flat=True).get(pk=household.pk)


def _watch(household: Household) -> str:
    return Household.objects.values_list("relapse_watch", flat=True).get(pk=household.pk)


def _set(officer: Any, household: Household, category: str, on: dt.date, **extra: Any) -> Any:
    return services.category_set(
        actor=officer,
        household=household,
        category=category,
        effective_from=on,
        reason="认定",
        **extra,
    )


def test_a_category_from_next_month_waits_for_its_date(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    _set(jinshui_officer, household, "near_dibao", D(2026, 1, 1))
    status = _set(jinshui_officer, household, "dibao", D(2026, 4, 1))

    assert status.pending
    assert _category(household) == "near_dibao"
    assert services.statuses_apply_due().category == 0

    clock.on(D(2026, 3, 31))
    assert services.statuses_apply_due().category == 0
    assert _category(household) == "near_dibao"

    clock.on(D(2026, 4, 1))
    applied = services.statuses_apply_due()
    assert (applied.on, applied.category, applied.relapse_watch) == (D(2026, 4, 1), 1, 0)
    assert _category(household) == "dibao"
    status.refresh_from_db()
    assert not status.pending
    # Idempotent: a second run the same day (or a second worker) changes nothing.
    assert services.statuses_apply_due().category == 0


def test_an_end_recorded_ahead_ends_the_category_on_its_date(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    _set(jinshui_officer, household, "dibao", D(2025, 6, 1))
    _set(jinshui_officer, household, "", D(2026, 4, 1))
    assert _category(household) == "dibao"

    clock.on(D(2026, 4, 2))
    assert services.statuses_apply_due().category == 1
    assert _category(household) == ""


def test_a_member_category_does_not_touch_the_household_category(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    _set(jinshui_officer, household, "dibao", D(2026, 1, 1))
    member = Membership.objects.filter(household=household).exclude(relation="02").first()
    assert member is not None
    _set(jinshui_officer, household, "individual_dibao", D(2026, 4, 1), person=member.person)

    clock.on(D(2026, 4, 1))
    assert services.statuses_apply_due().category == 0
    assert _category(household) == "dibao"


def test_relapse_watch_from_a_later_date_is_flagged_on_that_date(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    services.relapse_watch_set(
        actor=jinshui_officer,
        household=household,
        watch_type="at_risk",
        effective_from=D(2026, 3, 20),
        reason="因病风险",
    )
    assert _watch(household) == ""

    clock.on(D(2026, 3, 20))
    applied = services.statuses_apply_due()
    assert (applied.category, applied.relapse_watch) == (0, 1)
    assert _watch(household) == "at_risk"


def test_the_daily_run_looks_a_month_back_and_all_dates_reconciles_everything(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    _set(jinshui_officer, household, "dibao", D(2026, 4, 1))
    clock.on(D(2026, 6, 1))  # two months of runs missed

    assert services.statuses_apply_due().category == 0
    assert services.statuses_apply_due(all_dates=True).category == 1
    assert _category(household) == "dibao"


def test_a_run_that_changes_households_is_audited_once(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    _set(jinshui_officer, household, "dibao", D(2026, 4, 1))
    clock.on(D(2026, 4, 1))
    before = AuditRecord.objects.count()

    services.statuses_apply_due()
    services.statuses_apply_due()

    assert AuditRecord.objects.count() == before + 1
    record = AuditRecord.objects.latest("id")
    assert record.summary == "到期生效：救助类别 1 户，防返贫监测标识 0 户"
    assert record.detail["category"] == [household.pk]


def test_household_page_marks_a_status_waiting_for_its_date(
    clock: Clock, client: Any, jinshui_officer: Any, household: Household
) -> None:
    _set(jinshui_officer, household, "dibao", D(2026, 4, 1))
    client.force_login(jinshui_officer)

    page = client.get(f"/households/{household.pk}/").content.decode()

    assert "待生效" in page
    clock.on(D(2026, 4, 1))
    services.statuses_apply_due()
    assert "待生效" not in client.get(f"/households/{household.pk}/").content.decode()


def test_console_command_prints_what_it_changed(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    _set(jinshui_officer, household, "dibao", D(2026, 4, 1))
    out = io.StringIO()

    call_command("categories", "apply", "--date", "2026-04-01", stdout=out)
    call_command("categories", "apply", "--date", "2026-04-01", stdout=out)

    assert out.getvalue().splitlines() == [
        "category=1 relapse_watch=0",
        "category=0 relapse_watch=0",
    ]
    assert _category(household) == "dibao"


def test_worker_runs_the_daily_task_once_a_day(
    clock: Clock, settings: Any, jinshui_officer: Any, household: Household
) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    settings.JOBS_DAILY = ["safetynet.registry.tasks.statuses_apply_due_task"]
    _set(jinshui_officer, household, "dibao", D(2026, 4, 1))

    def work() -> list[str]:
        out = io.StringIO()
        call_command("jobs", "work", "--once", stdout=out)
        return out.getvalue().splitlines()

    clock.on(D(2026, 4, 1), hour=0)
    first = work()
    assert first[-1] == "ran=1" and f"kind={STATUSES_APPLY_KIND} status=succeeded" in first[0]
    assert _category(household) == "dibao"
    assert work() == ["ran=0"]

    clock.on(D(2026, 4, 2), hour=0)
    assert work()[-1] == "ran=1"
    jobs = Job.objects.filter(kind=STATUSES_APPLY_KIND).order_by("id")
    assert [job.status for job in jobs] == [JobStatus.SUCCEEDED, JobStatus.SUCCEEDED]
    assert jobs[0].result == {"on": "2026-04-01", "category": 1, "relapse_watch": 0}


def test_console_command_names_a_bad_date() -> None:
    with pytest.raises(CommandError, match="日期格式错误：2026-04-31"):
        call_command("categories", "apply", "--date", "2026-04-31", stdout=io.StringIO())


def test_the_daily_task_looks_only_after_its_previous_run(
    clock: Clock, settings: Any, jinshui_officer: Any, household: Household
) -> None:
    """Each run looks at the statuses starting after the previous run's day: the run of 4-3
    finds the dibao from 4-3, the run of 4-6 the near-dibao from 4-5."""
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    settings.JOBS_DAILY = ["safetynet.registry.tasks.statuses_apply_due_task"]

    def work() -> None:
        call_command("jobs", "work", "--once", stdout=io.StringIO())

    clock.on(D(2026, 4, 1), hour=0)
    work()  # nothing due yet
    _set(jinshui_officer, household, "dibao", D(2026, 4, 3))
    other = services.category_set(
        actor=jinshui_officer,
        household=household,
        category="near_dibao",
        effective_from=D(2026, 4, 5),
        reason="认定",
    )
    assert other.pending

    clock.on(D(2026, 4, 3), hour=0)
    work()
    assert _category(household) == "dibao"
    clock.on(D(2026, 4, 6), hour=0)
    work()
    assert _category(household) == "near_dibao"
    results = [job.result for job in Job.objects.filter(kind=STATUSES_APPLY_KIND).order_by("id")]
    assert [(r["on"], r["category"]) for r in results] == [
        ("2026-04-01", 0),
        ("2026-04-03", 1),
        ("2026-04-06", 1),
    ]


def test_last_run_day_is_read_from_the_previous_successful_job(
    clock: Clock, jinshui_officer: Any, household: Household
) -> None:
    from safetynet.jobs.tasks import task_path
    from safetynet.registry.tasks import _last_run_on, statuses_apply_due_task

    path = task_path(statuses_apply_due_task)
    Job.objects.create(
        kind=STATUSES_APPLY_KIND, task=path, status=JobStatus.SUCCEEDED, result={"on": "2026-03-09"}
    )
    Job.objects.create(kind=STATUSES_APPLY_KIND, task=path, status=JobStatus.FAILED, result={})
    current = Job.objects.create(kind=STATUSES_APPLY_KIND, task=path)

    assert _last_run_on(current) == D(2026, 3, 9)
