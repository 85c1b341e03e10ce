"""Department batches for the verification tests, stored through the importer
(``services.batch_import``) from a CSV written with the catalogue's column names."""

from __future__ import annotations

import csv
import itertools
from pathlib import Path
from typing import Any

from django.conf import settings

from safetynet.feeds.importing.services import batch_import
from safetynet.feeds.models import FeedBatch

_files = itertools.count(1)


def store_batch(source: str, period: str, rows: list[dict[str, Any]]) -> FeedBatch:
    """Import ``rows`` (canonical column names, plain ``id_number``) as a stored batch."""
    columns = list(dict.fromkeys(name for row in rows for name in row))
    folder = Path(settings.FEEDS_DIR).parent / "incoming-test-files"
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{source}-{period}-{next(_files)}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(columns)
        for row in rows:
            writer.writerow(["" if row.get(c) is None else str(row[c]) for c in columns])
    outcome = batch_import(source=source, path=path, period=period, actor=None, channel="cli")
    assert outcome.rejected == 0, outcome.errors
    return outcome.batch
