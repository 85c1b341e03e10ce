"""Importing a department's batch: read, validate the whole file, then store it once.

A batch with refused rows is stored only when the importer accepts the valid rows; the refused
ones are then kept in a quarantine file, and every refused cell is listed in the error report, so
nothing disappears silently. The same file for the same source and period is stored once.
"""

from __future__ import annotations

import hashlib
import re
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from django.db import IntegrityError, transaction
from django.utils import timezone

from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.feeds import storage
from safetynet.feeds.catalogue import FeedImportError, SourceSpec, source_get
from safetynet.feeds.common import batch_region_for, source_require_importable
from safetynet.feeds.importing.readers import read_table
from safetynet.feeds.importing.report import error_report_bytes
from safetynet.feeds.importing.validation import RowError, Validation, validate
from safetynet.feeds.models import BatchStatus, FeedBatch

if TYPE_CHECKING:
    from safetynet.accounts.models import User

__all__ = [
    "FeedImportError",
    "ImportOutcome",
    "RowError",
    "batch_import",
    "normalise_period",
]

Progress = Callable[[int, int, str], None]
STAGE_READ = "读取文件"
STAGE_VALIDATE = "校验"
STAGE_WRITE = "写入"

_PERIOD = re.compile(r"^(\d{4})\s*(?:[-/.年]\s*)?(\d{1,2})\s*月?$")


@dataclass(frozen=True)
class ImportOutcome:
    batch: FeedBatch
    accepted: int
    rejected: int
    duplicate: int
    already_imported: bool
    errors: list[RowError]
    report_path: Path | None


def normalise_period(period: str) -> str:
    """2026-01, 202601, 2026年1月 → 2026-01."""
    match = _PERIOD.match((period or "").strip())
    month = int(match.group(2)) if match else 0
    if not match or not 1 <= month <= 12:
        raise FeedImportError(f"数据期别应为 YYYY-MM 格式，如 2026-01（收到：{period}）")
    return f"{match.group(1)}-{month:02d}"


def _file_sha256(path: Path) -> tuple[str, int]:
    digest = hashlib.sha256()
    size = 0
    try:
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
                size += len(chunk)
    except OSError as exc:
        raise FeedImportError(f"无法打开文件：{path.name}") from exc
    return digest.hexdigest(), size


def _stored_copy(source: str, period: str, sha256: str) -> FeedBatch | None:
    return (
        FeedBatch.objects.filter(
            source=source, period=period, file_sha256=sha256, status=BatchStatus.STORED
        )
        .order_by("imported_at", "id")
        .first()
    )


def _already(batch: FeedBatch) -> ImportOutcome:
    return ImportOutcome(
        batch=batch,
        accepted=0,
        rejected=0,
        duplicate=batch.rows_total,
        already_imported=True,
        errors=[],
        report_path=None,
    )


def batch_import(
    *,
    source: str,
    path: Path,
    period: str,
    actor: User,
    accept_valid: bool = False,
    channel: str = "web",
    file_name: str | None = None,
    report_path: Path | None = None,
    progress: Progress | None = None,
) -> ImportOutcome:
    """Import one file as a batch of ``source`` for ``period``.

    ``accepted`` counts the distinct valid rows (stored unless the batch is refused), ``duplicate``
    the further copies of them, ``rejected`` the rows with an error: together every non-blank
    data row of the file. ``FeedImportError`` when the file cannot be imported at all.
    """
    started = time.perf_counter()
    path = Path(path)
    file_name = file_name or path.name
    spec = source_get(source)
    if actor is not None:  # None: the system itself (scheduled department exchanges)
        source_require_importable(actor, spec)
    period = normalise_period(period)
    report = progress or (lambda done, total, stage: None)

    sha256, size = _file_sha256(path)
    existing = _stored_copy(spec.code, period, sha256)
    if existing is not None:
        return _already(existing)

    report(0, 0, STAGE_READ)
    raw = read_table(path, spec)
    report(raw.rows, raw.rows, STAGE_READ)
    report(0, raw.rows, STAGE_VALIDATE)
    validation = validate(raw, spec, today=timezone.localdate())
    del raw
    try:
        total = validation.total
        if total == 0:
            raise FeedImportError("文件中没有数据行：表头下方全是空行")
        report(total, total, STAGE_VALIDATE)
        store = validation.rejected == 0 or accept_valid
        report(0, total, STAGE_WRITE)
        try:
            outcome = _save(
                validation=validation,
                spec=spec,
                period=period,
                store=store,
                actor=actor,
                channel=channel,
                file_name=file_name,
                sha256=sha256,
                size=size,
                report_path=report_path,
                started=started,
            )
        except IntegrityError:
            # The same file was stored by a concurrent import a moment ago.
            existing = _stored_copy(spec.code, period, sha256)
            if existing is None:
                raise
            return _already(existing)
        report(total, total, STAGE_WRITE)
        return outcome
    finally:
        validation.close()


def _write_error_report(
    validation: Validation,
    spec: SourceSpec,
    period: str,
    file_name: str,
    store: bool,
    errors_path: str,
    report_path: Path | None,
    written: list[Path],
) -> Path:
    """Keep the Excel error report beside the batch (and at ``report_path`` if asked); the
    path the outcome names."""
    content = error_report_bytes(
        file_name=file_name,
        source_name=spec.name,
        period=period,
        errors=validation.errors,
        rows_rejected=validation.rejected,
        stored=store,
    )
    kept = storage.feeds_dir() / errors_path
    kept.parent.mkdir(parents=True, exist_ok=True)
    kept.write_bytes(content)
    written.append(kept)
    if report_path is None:
        return kept
    report_path = Path(report_path)
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report_path.write_bytes(content)
    return report_path


def _audit_import(
    actor: User | None,
    batch: FeedBatch,
    spec: SourceSpec,
    validation: Validation,
    file_name: str,
    store: bool,
    channel: str,
) -> None:
    verdict = "已入库" if store else "有错误行，未入库"
    audit_record(
        actor=actor,
        action=Action.IMPORT,
        object_type="feed_batch",
        object_id=batch.pk,
        summary=(
            f"导入部门数据“{spec.name}”{batch.period}：{file_name}，接收 {validation.unique} 行，"
            f"拒收 {validation.rejected} 行，重复 {validation.duplicate} 行，{verdict}"
        ),
        detail={
            "source": spec.code,
            "period": batch.period,
            "file_name": file_name,
            "file_sha256": batch.file_sha256,
            "status": batch.status,
            "rows_total": validation.total,
            "rows_accepted": validation.unique,
            "rows_rejected": validation.rejected,
            "rows_duplicate": validation.duplicate,
            "accept_valid": store and bool(validation.rejected),
        },
        channel=channel,
    )


def _save(
    *,
    validation: Validation,
    spec: SourceSpec,
    period: str,
    store: bool,
    actor: User,
    channel: str,
    file_name: str,
    sha256: str,
    size: int,
    report_path: Path | None,
    started: float,
) -> ImportOutcome:
    written: list[Path] = []
    try:
        with transaction.atomic():
            batch = FeedBatch.objects.create(
                source=spec.code,
                period=period,
                status=BatchStatus.STORED if store else BatchStatus.REJECTED,
                file_name=file_name[:255],
                file_sha256=sha256,
                file_size=size,
                rows_total=validation.total,
                rows_accepted=validation.unique,
                rows_rejected=validation.rejected,
                rows_duplicate=validation.duplicate,
                channel=channel,
                imported_by=actor if getattr(actor, "pk", None) else None,
                region_code=batch_region_for(actor),
            )
            data_path, quarantine_path, errors_path = storage.batch_paths(
                spec.code, period, batch.pk
            )
            if store:
                written += storage.write_batch(
                    validation, data_path=data_path, quarantine_path=quarantine_path
                )
                batch.parquet_path = data_path
                batch.quarantine_path = quarantine_path if validation.rejected else ""
            outcome_report: Path | None = None
            if validation.errors:
                outcome_report = _write_error_report(
                    validation, spec, period, file_name, store, errors_path, report_path, written
                )
                batch.report_path = errors_path
            batch.duration_seconds = round(time.perf_counter() - started, 3)
            batch.save(
                update_fields=[
                    "parquet_path",
                    "quarantine_path",
                    "report_path",
                    "duration_seconds",
                ]
            )
            _audit_import(actor, batch, spec, validation, file_name, store, channel)
    except BaseException:
        for file in written:
            file.unlink(missing_ok=True)
        raise
    return ImportOutcome(
        batch=batch,
        accepted=validation.unique,
        rejected=validation.rejected,
        duplicate=validation.duplicate,
        already_imported=False,
        errors=validation.errors,
        report_path=outcome_report,
    )
