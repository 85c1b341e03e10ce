"""The daily refresh of the roll-ups (current and previous month), queued by ``JOBS_DAILY``
after the registry's daily run has applied the statuses due."""

from __future__ import annotations

from typing import Any

from safetynet.jobs.tasks import ProgressFn, task
from safetynet.reports.rollups import refresh_recent

REFRESH_KIND = "reports.refresh"


@task(kind=REFRESH_KIND)
def refresh_task(*, job: Any, progress: ProgressFn) -> dict[str, Any]:
    done = refresh_recent(trigger="daily")
    progress(1, 1, "完成")
    return {"months": [f"{r.month:%Y-%m}" for r in done], "rows": sum(r.rows for r in done)}
