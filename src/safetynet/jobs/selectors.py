"""Reads of jobs. A job is its creator's: what it imported or built may be personal data, so
nobody else sees it but a holder of ``VIEW_ALL_JOBS`` (an administrator) whose scope holds the
job's region (an administrator of one township never sees another township's jobs), and "not
yours" looks the same as "does not exist"."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_prefix
from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.tasks import UnknownTask, task_info, task_resolve

if TYPE_CHECKING:
    from safetynet.accounts.models import User

# A running job without a progress write for this long has most likely lost its runner.
STALLED_AFTER = dt.timedelta(minutes=5)


def job_access(*, user: User, pk: Any) -> Job:
    if user is None or not user.is_authenticated or not user.is_active:
        raise Http404("未找到该任务。")
    try:
        job = Job.objects.get(pk=pk)
    except (Job.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该任务，或不是您提交的任务。") from exc
    if job.created_by_id == user.pk or _administers(user, job):
        return job
    raise Http404("未找到该任务，或不是您提交的任务。")


def _administers(user: User, job: Job) -> bool:
    """An administrator's view of jobs within its scope: a job of a region under it, or a
    system job (no region) for an administrator of the whole province."""
    if not allowed(user, Capability.VIEW_ALL_JOBS):
        return False
    prefix = scope_prefix(user)
    if prefix is None:
        return False
    if not job.region_code:
        return len(prefix) <= 2
    return job.region_code.startswith(prefix)


def job_result_template(job: Job) -> str:
    try:
        return task_info(task_resolve(job.task)).result_template
    except UnknownTask:
        return ""


def job_stalled(job: Job, *, now: dt.datetime | None = None) -> bool:
    if job.status != JobStatus.RUNNING or job.heartbeat_at is None:
        return False
    return (now or timezone.now()) - job.heartbeat_at > STALLED_AFTER


def job_file(job: Job) -> Path | None:
    """The file a succeeded job made for download, or None (none made, or already purged)."""
    name = (job.result or {}).get("file")
    if job.status != JobStatus.SUCCEEDED or not isinstance(name, str) or "/" in name:
        return None
    path = Path(settings.JOBS_FILES_DIR) / name
    return path if path.is_file() else None
