"""The registry's background task: the daily run that applies statuses whose date has come."""

from __future__ import annotations

from typing import Any

from safetynet.jobs.tasks import ProgressFn, task
from safetynet.registry.services import statuses_apply_due

STATUSES_APPLY_KIND = "registry.statuses_apply_due"


@task(kind=STATUSES_APPLY_KIND)
def statuses_apply_due_task(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    applied = statuses_apply_due()
    progress(1, 1, "完成")
    return {
        "on": applied.on.isoformat(),
        "category": applied.category,
        "relapse_watch": applied.relapse_watch,
    }
