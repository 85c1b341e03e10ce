"""Writes to jobs. Every state change is a conditional UPDATE on the current status, so that a
thread and a worker (or two workers) racing for the same job cannot both run it, and a late
progress write cannot revive a job that has already finished or been given up.

Job rows are bookkeeping, not personal data: the work a job does (an import, a report) is
audited by the service it calls, with the job's creator as the actor.
"""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.utils import timezone

from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.tasks import TaskFunc, task_info, task_path

if TYPE_CHECKING:
    from safetynet.accounts.models import User

logger = logging.getLogger(__name__)

STAGE_QUEUED = "排队等候"
STALE_ERROR = "任务执行中断：执行进程已停止，请重新提交。"


class JobError(Exception):
    """An expected failure of a task, with a Chinese message shown to the user as is."""


def job_create(
    *,
    task: TaskFunc,
    args: dict[str, Any],
    actor: User | None,
    kind: str = "",
    region_code: str | None = None,
) -> Job:
    """A queued job; ``job_run_in_background`` (``safetynet.jobs.runner``) starts it. ``kind``
    defaults to the task's; ``region_code`` (whose work it is, for an administrator's view) to
    the creator's scope."""
    creator = actor if getattr(actor, "pk", None) else None
    if region_code is None:
        region_code = (getattr(creator, "scope_region_id", "") or "") if creator else ""
    return Job.objects.create(
        kind=kind or task_info(task).kind,
        task=task_path(task),
        args=args,
        created_by=creator,
        region_code=region_code[:12],
        stage=STAGE_QUEUED,
    )


def job_claim(*, job: Job, runner: str) -> bool:
    """Take a queued job for ``runner``; False when someone else already has."""
    now = timezone.now()
    claimed = Job.objects.filter(pk=job.pk, status=JobStatus.QUEUED).update(
        status=JobStatus.RUNNING, runner=runner[:100], started_at=now, heartbeat_at=now, stage=""
    )
    if claimed:
        job.refresh_from_db()
    return bool(claimed)


def job_claim_next(*, runner: str) -> Job | None:
    """The oldest queued job, claimed for ``runner``, or None when the queue is empty."""
    while True:
        pk = (
            Job.objects.filter(status=JobStatus.QUEUED)
            .order_by("created_at", "id")
            .values_list("pk", flat=True)
            .first()
        )
        if pk is None:
            return None
        job = Job(pk=pk)
        if job_claim(job=job, runner=runner):
            return job
        # Another runner took it between the read and the update: look again.


def job_progress(*, job: Job, done: int, total: int, stage: str) -> bool:
    """Record progress of a running job; False if it is no longer running (given up as stale)."""
    now = timezone.now()
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(
        progress_done=max(done, 0),
        progress_total=max(total, 0),
        stage=stage[:100],
        heartbeat_at=now,
    )
    job.progress_done, job.progress_total, job.stage, job.heartbeat_at = done, total, stage, now
    return bool(updated)


def job_finish(
    *, job: Job, result: dict[str, Any] | None = None, error: str = "", total: int = 0
) -> bool:
    """Succeeded with ``result`` (and ``total`` items done, when the task reported more than
    the last progress write shows), or failed with the Chinese ``error``. Only a running job
    finishes; False when it had already been given up."""
    now = timezone.now()
    fields: dict[str, Any] = {
        "status": JobStatus.FAILED if error else JobStatus.SUCCEEDED,
        "result": result or {},
        "error": error,
        "finished_at": now,
        "heartbeat_at": now,
        "stage": "",
    }
    if not error:
        fields["progress_done"] = fields["progress_total"] = max(total, job.progress_total)
    updated = Job.objects.filter(pk=job.pk, status=JobStatus.RUNNING).update(**fields)
    job.refresh_from_db()
    return bool(updated)


def job_fail_stale(*, older_than: dt.timedelta) -> int:
    """Give up running jobs whose runner stopped reporting (the web process restarted, a worker
    was killed): their creators see a clear error instead of a bar that never moves."""
    cutoff = timezone.now() - older_than
    stale = Job.objects.filter(status=JobStatus.RUNNING, heartbeat_at__lt=cutoff)
    count = stale.update(
        status=JobStatus.FAILED, error=STALE_ERROR, finished_at=timezone.now(), stage=""
    )
    if count:
        logger.warning("gave up stale jobs", extra={"count": count, "cutoff": cutoff.isoformat()})
    return count


def job_file_path(*, job: Job, suffix: str) -> Path:
    """Where a job writes the file its creator downloads (``result["file"]`` names it): one per
    job, outside the static and media folders, served only by ``jobs:download``."""
    folder = Path(settings.JOBS_FILES_DIR)
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"job-{job.pk}.{suffix.lstrip('.')}"
