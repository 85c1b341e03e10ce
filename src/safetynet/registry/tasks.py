"""The registry's background task: the daily run that applies statuses whose date has come."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import F
from django.utils import timezone

from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.tasks import ProgressFn, task, task_path
from safetynet.registry.services import statuses_apply_due

STATUSES_APPLY_KIND = "registry.statuses_apply_due"


def _last_run_on(job: Any) -> dt.date | None:
    """The day the previous successful run applied, so that a run looks only at statuses that
    started after it (without one, the service looks a month back)."""
    previous = (
        Job.objects.filter(task=task_path(statuses_apply_due_task), status=JobStatus.SUCCEEDED)
        .exclude(pk=job.pk)
        .order_by(F("finished_at").desc(nulls_last=True), "-id")
        .values_list("result", flat=True)
        .first()
    )
    try:
        return dt.date.fromisoformat(str((previous or {})["on"]))
    except (KeyError, TypeError, ValueError):
        return None


@task(kind=STATUSES_APPLY_KIND)
def statuses_apply_due_task(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    last = _last_run_on(job)
    # A second run the same day looks at the day's starters again (idempotent, cheap).
    since = None if last is None else min(last, timezone.localdate() - dt.timedelta(days=1))
    applied = statuses_apply_due(since=since)
    progress(1, 1, "完成")
    return {
        "on": applied.on.isoformat(),
        "category": applied.category,
        "relapse_watch": applied.relapse_watch,
    }
