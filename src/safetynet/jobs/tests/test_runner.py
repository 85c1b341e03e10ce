from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from django.core.management import call_command
from django.http import HttpResponse
from django.test import RequestFactory

from safetynet.jobs import runner, services
from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.tasks import task_path
from safetynet.jobs.tests import sample_tasks
from safetynet.jobs.tests.sample_tasks import CALLS


def submit(task: Any = sample_tasks.echo, **args: Any) -> Job:
    job = services.job_create(task=task, args=args, actor=None)
    runner.job_run_in_background(job)
    return job


@pytest.mark.django_db
def test_inline_runs_the_task_at_once_and_stores_its_result() -> None:
    job = submit(text="你好")
    assert (job.status, job.result, job.runner) == (JobStatus.SUCCEEDED, {"echo": "你好"}, "inline")


@pytest.mark.django_db
def test_expected_failure_shows_the_tasks_chinese_message() -> None:
    job = submit(sample_tasks.refuse)
    assert (job.status, job.error) == (JobStatus.FAILED, "文件中没有数据")


@pytest.mark.django_db
def test_unexpected_failure_shows_a_generic_message_and_logs_the_traceback(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.ERROR, logger="safetynet.jobs.runner"):
        job = submit(sample_tasks.crash)
    assert job.status == JobStatus.FAILED
    assert job.error == runner.UNEXPECTED_ERROR.format(id=job.pk)
    assert "RuntimeError" in caplog.text


@pytest.mark.django_db
def test_unexpected_failure_message_leaks_nothing_of_the_exception() -> None:
    job = submit(sample_tasks.crash)
    assert "410105199001011234" not in job.error and "secret" not in job.error


@pytest.mark.django_db
def test_run_refuses_a_func_other_than_the_jobs_task() -> None:
    job = services.job_create(task=sample_tasks.echo, args={"text": "x"}, actor=None)
    with pytest.raises(runner.UnknownTask):
        runner.job_run_in_background(job, sample_tasks.refuse)


@pytest.mark.django_db
def test_with_a_worker_configured_the_job_waits_in_the_queue(settings: Any) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    job = submit(text="x")
    job.refresh_from_db()
    assert job.status == JobStatus.QUEUED
    assert CALLS == []


@pytest.mark.django_db
def test_thread_runner_starts_only_when_the_transaction_commits(
    settings: Any, django_capture_on_commit_callbacks: Any
) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = False
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = submit(text="x")
    assert len(callbacks) == 1
    assert Job.objects.get(pk=job.pk).status == JobStatus.QUEUED


class SameThread:
    """Stands in for ``threading.Thread``: runs the target on ``start()``, so that the test's
    transaction (and the regions every test relies on) stays in place."""

    started: list[str] = []

    def __init__(self, *, target: Any, args: tuple[Any, ...], name: str, daemon: bool) -> None:
        self.target, self.args, self.name = target, args, name
        assert daemon  # a stuck import must not keep the web process from exiting

    def start(self) -> None:
        SameThread.started.append(self.name)
        self.target(*self.args)


@pytest.fixture
def same_thread(monkeypatch: pytest.MonkeyPatch, settings: Any) -> list[str]:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = False
    SameThread.started = []
    monkeypatch.setattr(runner.threading, "Thread", SameThread)
    return SameThread.started


@pytest.mark.django_db
def test_thread_runner_runs_the_job_once_the_transaction_commits(
    same_thread: list[str], django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        job = submit(text="线程")
    job.refresh_from_db()
    assert (job.status, job.result) == (JobStatus.SUCCEEDED, {"echo": "线程"})
    assert job.runner.startswith("thread:") and same_thread == [f"job-{job.pk}"]


class FakeClock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.mark.django_db
def test_progress_writes_at_most_twice_a_second() -> None:
    job = services.job_create(task=sample_tasks.echo, args={"text": "x"}, actor=None)
    services.job_claim(job=job, runner="test")
    clock = FakeClock()
    progress = runner.Progress(job, clock=clock)
    for step in range(100):  # 100 calls over 5 seconds
        clock.now = step * 0.05
        progress(step, 100, "校验")
    assert progress.writes == 10


@pytest.mark.django_db
def test_progress_write_after_the_interval_records_the_latest_figures() -> None:
    job = services.job_create(task=sample_tasks.echo, args={"text": "x"}, actor=None)
    services.job_claim(job=job, runner="test")
    clock = FakeClock()
    progress = runner.Progress(job, clock=clock)
    progress(1, 10, "读取文件")
    clock.now = 0.1
    progress(2, 10, "读取文件")
    clock.now = 0.6
    progress(7, 10, "写入")
    job.refresh_from_db()
    assert (job.progress_done, job.stage) == (7, "写入")


def run_worker(*args: str) -> str:
    out = io.StringIO()
    call_command("jobs", "work", "--once", *args, stdout=out)
    return out.getvalue()


@pytest.mark.django_db
def test_worker_runs_a_queued_job_and_reports_it(settings: Any) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    job = submit(text="工作")
    output = run_worker()
    assert output.splitlines() == [f"job={job.pk} kind=test.echo status=succeeded", "ran=1"]


@pytest.mark.django_db
def test_worker_claims_a_queued_job_only_once(settings: Any) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    submit(text="一次")
    run_worker()
    assert run_worker().splitlines() == ["ran=0"]
    assert [call["text"] for call in CALLS] == ["一次"]


@pytest.mark.django_db
def test_worker_leaves_a_job_another_runner_claimed(settings: Any) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    job = submit(text="别人的")
    services.job_claim(job=job, runner="thread:other")
    assert run_worker().splitlines() == ["ran=0"]
    assert CALLS == []


@pytest.mark.django_db
def test_worker_runs_queued_jobs_oldest_first(settings: Any) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    submit(text="一")
    submit(text="二")
    run_worker()
    assert [call["text"] for call in CALLS] == ["一", "二"]


@pytest.mark.django_db
def test_jobs_list_shows_the_latest_jobs(settings: Any) -> None:
    job = submit(sample_tasks.refuse)
    out = io.StringIO()
    call_command("jobs", "list", stdout=out)
    assert out.getvalue().split("\t")[:3] == [str(job.pk), "test.refuse", "failed"]


@pytest.mark.django_db
def test_finished_job_shows_the_last_total_even_if_that_write_was_throttled() -> None:
    job = submit(text="x", steps=5)  # five quick reports: the throttle drops most of them
    assert (job.progress_done, job.progress_total) == (5, 5)


@pytest.mark.django_db
def test_without_a_worker_the_first_request_of_the_day_runs_the_daily_tasks(
    settings: Any, client: Any
) -> None:
    from safetynet.jobs.middleware import DailyJobsMiddleware

    settings.JOBS_WORKER = False
    settings.JOBS_DAILY = [task_path(sample_tasks.tick)]
    middleware = DailyJobsMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")

    middleware(request)
    middleware(request)

    assert Job.objects.filter(task=task_path(sample_tasks.tick)).count() == 1
    assert Job.objects.get(task=task_path(sample_tasks.tick)).status == JobStatus.SUCCEEDED
    assert [call["text"] for call in CALLS] == ["tick"]

    settings.JOBS_WORKER = True  # a worker is running: requests leave the daily tasks to it
    fresh = DailyJobsMiddleware(lambda request: HttpResponse("ok"))
    Job.objects.all().delete()
    fresh(request)
    assert not Job.objects.exists()


@pytest.mark.django_db
def test_a_failure_to_queue_the_daily_tasks_never_fails_the_request(
    settings: Any, monkeypatch: Any, caplog: Any
) -> None:
    from safetynet.jobs import middleware

    settings.JOBS_WORKER = False
    settings.JOBS_DAILY = [task_path(sample_tasks.tick)]

    def broken() -> list[Job]:
        raise RuntimeError("database away")

    monkeypatch.setattr(middleware, "daily_jobs_queue", broken)
    daily = middleware.DailyJobsMiddleware(lambda request: HttpResponse("ok"))
    request = RequestFactory().get("/")

    assert daily(request).content == b"ok"
    assert "daily jobs could not be queued" in caplog.text
    monkeypatch.setattr(middleware, "daily_jobs_queue", runner.daily_jobs_queue)
    daily(request)  # within the retry pause: not tried again
    assert not Job.objects.exists()
    daily._retry_at = 0.0
    daily(request)
    assert Job.objects.filter(task=task_path(sample_tasks.tick)).count() == 1
