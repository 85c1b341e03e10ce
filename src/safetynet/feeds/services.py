"""What other apps call in feeds, in one place: each feature keeps its own ``services`` module
(``importing.services``, ``verification.services``); apps outside feeds import from here so that
a change inside a feature does not reach them."""

from __future__ import annotations

from safetynet.feeds.catalogue import FeedImportError
from safetynet.feeds.importing.services import ImportOutcome, batch_import
from safetynet.feeds.importing.uploads import incoming_purge
from safetynet.feeds.verification.services import VerificationError, verification_report_issue

__all__ = [
    "FeedImportError",
    "ImportOutcome",
    "VerificationError",
    "batch_import",
    "incoming_purge",
    "verification_report_issue",
]
