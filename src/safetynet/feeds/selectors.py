"""What other apps read from feeds, in one place (each feature keeps its own ``selectors``):
the verification reports in a user's scope and the rows of stored department batches."""

from __future__ import annotations

from safetynet.feeds.importing.selectors import latest_batches, rows_by_source
from safetynet.feeds.verification.selectors import verification_report_get, verification_report_list

__all__ = [
    "latest_batches",
    "rows_by_source",
    "verification_report_get",
    "verification_report_list",
]
