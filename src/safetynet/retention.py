"""Files holding plain ID numbers that outlive their use: refused department uploads, registers
waiting for their inclusion job, import error reports. Each app also purges its own folder when
it next writes there; the daily run (``JOBS_DAILY``) makes the retention hold on a quiet server
too, where no next upload may come for weeks."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.conf import settings

from safetynet.jobs.tasks import ProgressFn, task

PURGE_KIND = "retention.uploads_purge"


def purge_older(folder: Path, *, older_than: dt.timedelta, recursive: bool = False) -> int:
    """Delete the files under ``folder`` last written more than ``older_than`` ago."""
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in folder.rglob("*") if recursive else folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def uploads_purge() -> dict[str, int]:
    """Every kept upload and report past its retention, per folder."""
    from safetynet.determination import inclusion
    from safetynet.feeds import services as feeds_services
    from safetynet.registry import imports

    media = Path(settings.MEDIA_ROOT)
    return {
        "feeds_incoming": feeds_services.incoming_purge(),
        "inclusion_uploads": purge_older(
            media / inclusion.UPLOADS_DIR, older_than=inclusion.UPLOAD_KEPT
        ),
        "import_reports": purge_older(
            media / "import-reports", older_than=imports.REPORT_MAX_AGE, recursive=True
        ),
        "job_files": purge_older(
            Path(settings.JOBS_FILES_DIR),
            older_than=dt.timedelta(hours=settings.JOBS_FILES_KEPT_HOURS),
        ),
    }


@task(kind=PURGE_KIND)
def uploads_purge_task(*, job: Any, progress: ProgressFn) -> dict[str, int]:
    removed = uploads_purge()
    progress(1, 1, "完成")
    return removed
