"""Reads of department batches: the batch list and one batch as a user may see them (by
department, ``feeds.common``), and the rows of stored batches.

"The latest batch of a source" is its stored batch with the greatest period, then the latest
import (feeds contract). Rows are read from the batch's Parquet file filtered to a set of people's
``id_hash`` values, one scan per source, never the whole file into Python.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyarrow.parquet as pq
from django.conf import settings
from django.db.models import Case, CharField, F, QuerySet, Value, When
from django.http import Http404

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.feeds.catalogue import source_list
from safetynet.feeds.common import sources_visible
from safetynet.feeds.models import BatchStatus, FeedBatch

if TYPE_CHECKING:
    from safetynet.accounts.models import User


@dataclass(frozen=True)
class BatchFilters:
    source: str = ""
    period: str = ""
    status: str = ""


def batch_list(*, user: User, filters: BatchFilters | None = None) -> QuerySet[FeedBatch]:
    require(user, Capability.VIEW_FEEDS)
    filters = filters or BatchFilters()
    names = source_names()
    # The source's name for display, computed by the database so that a page needs one query.
    batches = FeedBatch.objects.select_related("imported_by").annotate(
        source_name=Case(
            *[When(source=code, then=Value(name)) for code, name in names.items()],
            default=F("source"),
            output_field=CharField(),
        )
    )
    if len(visible := sources_visible(user=user)) < len(names):
        batches = batches.filter(source__in=[spec.code for spec in visible])
    if filters.source:
        batches = batches.filter(source=filters.source)
    if filters.period:
        batches = batches.filter(period=filters.period)
    if filters.status:
        batches = batches.filter(status=filters.status)
    return batches.order_by("-imported_at", "-id")


def batch_access(*, user: User, pk: Any) -> FeedBatch:
    """One batch ``user`` may see; 404 otherwise, like one that does not exist."""
    try:
        return batch_list(user=user).get(pk=pk)
    except (FeedBatch.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("未找到该批次，或您无权查看。") from exc


def source_names() -> dict[str, str]:
    return {spec.code: spec.name for spec in source_list()}


# --- rows of stored batches -----------------------------------------------------------------------


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
