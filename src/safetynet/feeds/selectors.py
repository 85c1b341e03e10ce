"""Reads of stored department batches and of issued verification reports.

Batches: "the latest batch of a source" is its stored batch with the greatest period, then the
latest import (feeds contract). Rows are read from the batch's Parquet file filtered to a set of
people's ``id_hash`` values, one scan per source, never the whole file into Python.

Verification reports hold households, so every query of them goes through the region scope.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import QuerySet

from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.feeds.models import BatchStatus, FeedBatch, VerificationReport


class BatchFileMissing(Exception):
    """A stored batch whose Parquet file is gone: the data cannot be trusted to be complete."""

    def __init__(self, batch: FeedBatch) -> None:
        message = (
            f"部门数据批次 #{batch.pk}（{batch.source} {batch.period}）的数据文件缺失，"
            "请联系系统管理员恢复后再核对"
        )
        super().__init__(message)
        self.message = message


def latest_batches(sources: Iterable[str]) -> dict[str, FeedBatch]:
    """The latest stored batch of each of ``sources`` that has one, by source code."""
    wanted = list(sources)
    latest: dict[str, FeedBatch] = {}
    # Ordered so that the first row of each source is its latest; a few rows per source and
    # month, so reading them all is cheaper than a window query both databases accept.
    candidates = (
        FeedBatch.objects.filter(source__in=wanted, status=BatchStatus.STORED)
        .exclude(parquet_path="")
        .order_by("source", "-period", "-imported_at", "-id")
        .only("id", "source", "period", "imported_at", "parquet_path", "rows_accepted")
    )
    for batch in candidates:
        latest.setdefault(batch.source, batch)
    return latest


def batch_file(batch: FeedBatch) -> Path:
    return Path(settings.FEEDS_DIR) / batch.parquet_path


def batch_rows(batch: FeedBatch, *, id_hashes: Collection[str]) -> list[dict[str, Any]]:
    """The batch's rows of the given people (decimals as ``Decimal``, dates as ``date``)."""
    if not id_hashes:
        return []
    path = batch_file(batch)
    if not path.is_file():
        raise BatchFileMissing(batch)
    table = pq.read_table(path, filters=[("id_hash", "in", sorted(id_hashes))])
    rows: list[dict[str, Any]] = table.to_pylist()
    return rows


def rows_by_source(
    sources: Iterable[str], *, id_hashes: Collection[str]
) -> tuple[dict[str, FeedBatch], dict[str, list[dict[str, Any]]]]:
    """The latest batch of each source and its rows of the given people (sources without a
    stored batch are absent from both)."""
    batches = latest_batches(sources)
    rows = {code: batch_rows(batch, id_hashes=id_hashes) for code, batch in batches.items()}
    return batches, rows


def verification_report_list(*, user: Any) -> QuerySet[VerificationReport]:
    return scope_queryset(
        VerificationReport.objects.select_related(
            "household__head", "person", "region", "created_by"
        ),
        user=user,
    ).order_by("-created_at", "-id")


def verification_report_get(*, user: Any, pk: Any) -> VerificationReport:
    return access_scoped(
        VerificationReport.objects.select_related(
            "household__head", "person", "region", "created_by"
        ),
        user=user,
        pk=pk,
    )
