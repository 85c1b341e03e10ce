"""Running jobs: one code path (``job_execute``) whether the job runs inline (tests), in a
daemon thread of the web process (the embedded default) or on a worker (`safetynet jobs work`,
production with ``JOBS_WORKER``)."""

from __future__ import annotations

import datetime as dt
import logging
import os
import socket
import threading
import time
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, connection, transaction
from django.utils import timezone

from safetynet.audit.services import audit_flush
from safetynet.core import maintenance
from safetynet.jobs.models import Job
from safetynet.jobs.services import (
    JobError,
    job_claim,
    job_claim_next,
    job_create,
    job_fail_stale,
    job_finish,
    job_progress,
)
from safetynet.jobs.tasks import TaskFunc, UnknownTask, task_path, task_resolve
from safetynet.spreadsheets import exporter, exporter_label

logger = logging.getLogger(__name__)

# At most two progress writes a second: a poll every second cannot show more, and an import
# that reports often must not spend its time writing its own progress.
PROGRESS_INTERVAL = 0.5

UNEXPECTED_ERROR = "任务执行出错（任务编号 {id}），请联系系统管理员查看日志。"


class Progress:
    """The ``progress(done, total, stage)`` callback a task receives, throttled."""

    def __init__(
        self,
        job: Job,
        *,
        interval: float = PROGRESS_INTERVAL,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.job = job
        self.interval = interval
        self.clock = clock
        self._last: float | None = None
        self.writes = 0
        # The latest total reported, written or not: the finished job shows it.
        self.total = 0

    def __call__(self, done: int, total: int, stage: str) -> None:
        self.total = max(self.total, total)
        now = self.clock()
        if self._last is not None and now - self._last < self.interval:
            return
        self._last = now
        self.writes += 1
        job_progress(job=self.job, done=done, total=total, stage=stage)


def runner_name(kind: str) -> str:
    return f"{kind}:{socket.gethostname()}:{os.getpid()}"


def job_execute(job: Job) -> Job:
    """Run a claimed (running) job to its end: the task's result, its ``JobError`` message, or
    a generic message with the traceback in the log. Never raises for a task's failure."""
    progress = Progress(job)
    creator = job.created_by
    try:
        func = task_resolve(job.task)
        with exporter(exporter_label(creator) if creator else "系统"):
            result = func(job=job, progress=progress, **job.args)
    except JobError as exc:
        job_finish(job=job, error=str(exc))
    except Exception:  # the job must end as failed whatever went wrong; the log has the cause
        logger.exception("job failed", extra={"job_id": job.pk, "kind": job.kind})
        job_finish(job=job, error=UNEXPECTED_ERROR.format(id=job.pk))
    else:
        job_finish(job=job, result=result, total=progress.total)
    return job


def _run_in_thread(job_id: int) -> None:
    try:
        job = Job(pk=job_id)
        if job_claim(job=job, runner=runner_name("thread")):
            job_execute(job)
    except Exception:  # a dying thread must leave a trace, not vanish silently
        logger.exception("job thread failed", extra={"job_id": job_id})
    finally:
        # The thread's own connection: Django opens one per thread and would never close it.
        # (A thread never starts inside a transaction; the guard keeps a caller's intact.)
        if not connection.in_atomic_block:
            connection.close()


def job_run_in_background(job: Job, func: TaskFunc | None = None) -> None:
    """Start ``job`` (created by ``job_create``): at once when ``JOBS_INLINE`` (tests), left
    queued for `safetynet jobs work` when ``JOBS_WORKER``, otherwise in a daemon thread once the
    current transaction commits (so that the thread sees the job row).

    ``func``, when given, must be the job's own task: it documents at the call site what runs.
    """
    if func is not None and task_path(func) != job.task:
        raise UnknownTask(f"job {job.pk} runs {job.task}, not {task_path(func)}")
    if settings.JOBS_INLINE:
        if job_claim(job=job, runner="inline"):
            job_execute(job)
        return
    if settings.JOBS_WORKER:
        return
    thread = threading.Thread(
        target=_run_in_thread, args=(job.pk,), name=f"job-{job.pk}", daemon=True
    )
    transaction.on_commit(thread.start)


def daily_jobs_queue(*, now: dt.datetime | None = None) -> list[Job]:
    """Queue each task of ``JOBS_DAILY`` that has no job created since local midnight. Two
    workers may both queue one on the same morning; daily tasks are idempotent, so that costs a
    second run, not a wrong result."""
    local = timezone.localtime(now or timezone.now())
    midnight = local.replace(hour=0, minute=0, second=0, microsecond=0)
    queued = []
    for path in settings.JOBS_DAILY:
        if Job.objects.filter(task=path, created_at__gte=midnight).exists():
            continue
        queued.append(job_create(task=task_resolve(path), args={}, actor=None))
    return queued


def work(
    *,
    stop: threading.Event,
    poll_seconds: float,
    stale_after: dt.timedelta,
    once: bool = False,
    report: Callable[[Job], None] | None = None,
) -> int:
    """The worker loop: give up stale jobs, queue the day's daily tasks once, claim the oldest
    queued job, run it; sleep ``poll_seconds`` when there is none. ``once`` stops when the queue
    is empty. Returns how many jobs it ran."""
    ran = 0
    name = runner_name("worker")
    daily_checked: dt.date | None = None
    while not stop.is_set():
        # A long-lived worker must drop connections the server has closed; never inside a
        # transaction (a test's), where closing would lose it.
        if not connection.in_atomic_block:
            close_old_connections()
        if maintenance.active():  # a key rotation or a restore is running
            if once:
                break
            stop.wait(poll_seconds)
            continue
        job_fail_stale(older_than=stale_after)
        # Buffered audit reads whose own flush found the chain busy (ADR 0016).
        audit_flush(wait=False)
        if daily_checked != timezone.localdate():
            daily_checked = timezone.localdate()
            daily_jobs_queue()
        job = job_claim_next(runner=name)
        if job is None:
            if once:
                break
            stop.wait(poll_seconds)
            continue
        job_execute(job)
        ran += 1
        if report is not None:
            report(job)
    return ran
