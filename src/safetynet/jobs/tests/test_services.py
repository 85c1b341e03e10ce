from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from safetynet.jobs import services
from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.tasks import UnknownTask, task_resolve
from safetynet.jobs.tests import sample_tasks

pytestmark = pytest.mark.django_db


def queued(actor: Any = None, text: str = "你好") -> Job:
    return services.job_create(task=sample_tasks.echo, args={"text": text}, actor=actor)


def test_create_stores_the_task_by_path_and_queues_it(county_officer: Any) -> None:
    job = queued(county_officer)
    job.refresh_from_db()
    assert (job.kind, job.task, job.args, job.status, job.created_by) == (
        "test.echo",
        "safetynet.jobs.tests.sample_tasks.echo",
        {"text": "你好"},
        JobStatus.QUEUED,
        county_officer,
    )


def test_create_refuses_a_function_not_marked_as_task() -> None:
    with pytest.raises(UnknownTask):
        services.job_create(task=sample_tasks.not_a_task, args={}, actor=None)


def test_resolve_refuses_a_path_to_an_unmarked_function() -> None:
    with pytest.raises(UnknownTask):
        task_resolve("safetynet.jobs.tests.sample_tasks.not_a_task")


def test_resolve_refuses_a_path_that_does_not_import() -> None:
    with pytest.raises(UnknownTask):
        task_resolve("os.path.nothing_here")


def test_claim_takes_a_queued_job_once() -> None:
    job = queued()
    assert services.job_claim(job=job, runner="a") is True
    assert services.job_claim(job=Job.objects.get(pk=job.pk), runner="b") is False
    job.refresh_from_db()
    assert (job.status, job.runner) == (JobStatus.RUNNING, "a")


def test_claim_next_takes_the_oldest_queued_job() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        first = queued(text="一")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 5, tzinfo=dt.UTC), tick=False):
        queued(text="二")
    claimed = services.job_claim_next(runner="worker")
    assert claimed is not None and claimed.pk == first.pk


def test_claim_next_skips_running_jobs_and_returns_none_when_nothing_is_queued() -> None:
    services.job_claim(job=queued(), runner="a")
    assert services.job_claim_next(runner="b") is None


def test_progress_is_recorded_for_a_running_job() -> None:
    job = queued()
    services.job_claim(job=job, runner="a")
    services.job_progress(job=job, done=40, total=100, stage="校验")
    job.refresh_from_db()
    assert (job.progress_done, job.progress_total, job.stage, job.percent) == (40, 100, "校验", 40)


def test_progress_does_not_revive_a_job_that_was_given_up() -> None:
    job = queued()
    services.job_claim(job=job, runner="a")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
    assert services.job_progress(job=job, done=1, total=2, stage="写入") is False
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_finish_with_result_succeeds_and_fills_the_bar() -> None:
    job = queued()
    services.job_claim(job=job, runner="a")
    services.job_progress(job=job, done=10, total=50, stage="校验")
    services.job_finish(job=job, result={"accepted": 50})
    assert (job.status, job.result, job.progress_done, job.percent) == (
        JobStatus.SUCCEEDED,
        {"accepted": 50},
        50,
        100,
    )
    assert job.finished_at is not None


def test_finish_with_error_fails_with_the_message() -> None:
    job = queued()
    services.job_claim(job=job, runner="a")
    services.job_finish(job=job, error="文件中没有数据")
    assert (job.status, job.error) == (JobStatus.FAILED, "文件中没有数据")


def test_finish_does_not_touch_a_job_that_is_not_running() -> None:
    job = queued()
    assert services.job_finish(job=job, result={"x": 1}) is False
    assert job.status == JobStatus.QUEUED


def test_fail_stale_gives_up_running_jobs_whose_heartbeat_stopped() -> None:
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC), tick=False):
        stale = queued()
        services.job_claim(job=stale, runner="a")
    with time_machine.travel(dt.datetime(2026, 3, 1, 9, 50, tzinfo=dt.UTC), tick=False):
        fresh = queued()
        services.job_claim(job=fresh, runner="b")
        assert services.job_fail_stale(older_than=dt.timedelta(minutes=30)) == 1
    stale.refresh_from_db()
    fresh.refresh_from_db()
    assert (stale.status, stale.error) == (JobStatus.FAILED, services.STALE_ERROR)
    assert fresh.status == JobStatus.RUNNING
