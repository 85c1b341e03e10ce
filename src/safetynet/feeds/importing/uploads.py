"""Batches as users see them: the batches one may see (by department, ``feeds.common``), the
import run as a background job (web and API), and the audited downloads of a batch's error report
and quarantined rows."""

from __future__ import annotations

import datetime as dt
import io
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.http import Http404

from safetynet import zipcheck
from safetynet.accounts.permissions import PermissionDenied
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_prefix
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.feeds.catalogue import FeedImportError, SourceSpec, source_get
from safetynet.feeds.common import (
    COUNTY_COLUMN,
    BatchFiles,
    batch_files_access,
    source_importable,
)
from safetynet.feeds.importing import services
from safetynet.feeds.importing.selectors import source_names
from safetynet.feeds.models import BatchStatus, FeedBatch
from safetynet.jobs.models import Job
from safetynet.jobs.runner import job_run_in_background
from safetynet.jobs.services import JobError, job_create
from safetynet.jobs.tasks import ProgressFn, task

if TYPE_CHECKING:
    from safetynet.accounts.models import User

SHOWN_ERRORS = 200
ALLOWED_SUFFIXES = (".csv", ".xlsx", ".parquet")
# A department's monthly file: a million CSV rows is about 100 MB. Larger files go through the
# console (`safetynet feeds import`), which reads them where they lie.
MAX_UPLOAD_BYTES = 200 * 1024 * 1024
# An upload whose batch was refused is kept this long so that its importer can accept the valid
# rows without uploading again; it holds plain ID numbers, so not a day longer.
INCOMING_KEPT = dt.timedelta(hours=24)
INCOMING_DIR = "incoming"
IMPORT_KIND = "feeds.batch_import"


def period_normalise(value: str) -> str:
    """2026-01, 202601 or 2026年1月 as 2026-01; ``FeedImportError`` saying why otherwise."""
    return services.normalise_period(value)


# --- the import as a job --------------------------------------------------------------------------


def _feeds_dir() -> Path:
    return Path(settings.FEEDS_DIR)


def incoming_purge(*, older_than: dt.timedelta = INCOMING_KEPT) -> int:
    """Delete uploads left in ``incoming/`` for longer than ``older_than``."""
    folder = _feeds_dir() / INCOMING_DIR
    if not folder.is_dir():
        return 0
    cutoff = time.time() - older_than.total_seconds()
    removed = 0
    for path in folder.iterdir():
        if path.is_file() and path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def incoming_save(upload: UploadedFile) -> str:
    """Store an upload under ``FEEDS_DIR/incoming/`` with a name nobody can guess or choose;
    returns its path relative to ``FEEDS_DIR``. The original name travels separately."""
    incoming_purge()
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in ALLOWED_SUFFIXES:
        raise FeedImportError("请上传 .csv、.xlsx 或 .parquet 文件")
    folder = _feeds_dir() / INCOMING_DIR
    folder.mkdir(parents=True, exist_ok=True)
    relative = f"{INCOMING_DIR}/{uuid.uuid4().hex}{suffix}"
    with (_feeds_dir() / relative).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    if suffix == ".xlsx":
        # Refused at once, before a job would inflate it (the reader checks again).
        try:
            zipcheck.zip_check(_feeds_dir() / relative, zipcheck.xlsx_limits(), what="Excel 文件")
        except zipcheck.UnsafeZip as exc:
            (_feeds_dir() / relative).unlink(missing_ok=True)
            raise FeedImportError(exc.message) from exc
    return relative


def incoming_discard(relative: str) -> None:
    if relative:
        (_feeds_dir() / relative).unlink(missing_ok=True)


def batch_import_submit(
    *,
    actor: User,
    source: str,
    period: str,
    upload_path: str,
    file_name: str,
    accept_valid: bool,
    channel: str = "web",
) -> Job:
    """Queue the import of a saved upload and start it; the job's result describes the batch."""
    source_importable(user=actor, code=source)  # refused before anything is queued
    job = job_create(
        task=batch_import_task,
        args={
            "source": source,
            "period": period,
            "upload_path": upload_path,
            "file_name": file_name,
            "accept_valid": accept_valid,
            "channel": channel,
        },
        actor=actor,
    )
    job_run_in_background(job, batch_import_task)
    return job


def batch_import_rerun(*, actor: User, job: Job) -> Job:
    """Import a refused upload again, this time accepting the valid rows."""
    if job.kind != IMPORT_KIND or not job.result.get("can_rerun"):
        raise FeedImportError("该次导入不能直接重新导入，请重新上传文件")
    if not (_feeds_dir() / job.args["upload_path"]).is_file():
        raise FeedImportError(
            "上传的文件已不在（已重新导入过，或已超过 24 小时的保留期限），请重新上传"
        )
    return batch_import_submit(
        actor=actor,
        source=job.args["source"],
        period=job.args["period"],
        upload_path=job.args["upload_path"],
        file_name=job.args["file_name"],
        accept_valid=True,
        channel=job.args.get("channel", "web"),
    )


def _result(
    outcome: services.ImportOutcome, *, spec: SourceSpec, can_rerun: bool
) -> dict[str, Any]:
    batch = outcome.batch
    return {
        "batch_id": batch.pk,
        "source": batch.source,
        "source_name": spec.name,
        "period": batch.period,
        "file_name": batch.file_name,
        "status": batch.status,
        "status_display": str(BatchStatus(batch.status).label),
        "accepted": outcome.accepted,
        "rejected": outcome.rejected,
        "duplicate": outcome.duplicate,
        "already_imported": outcome.already_imported,
        "error_count": len(outcome.errors),
        "errors": [
            {"row": e.row, "column": e.column, "value": e.value, "reason": e.reason}
            for e in outcome.errors[:SHOWN_ERRORS]
        ],
        "has_report": bool(batch.report_path),
        "has_quarantine": bool(batch.quarantine_path),
        "can_rerun": can_rerun,
    }


@task(kind=IMPORT_KIND, result_template="feeds/upload_result.html")
def batch_import_task(
    *,
    job: Job,
    progress: ProgressFn,
    source: str,
    period: str,
    upload_path: str,
    file_name: str,
    accept_valid: bool,
    channel: str,
) -> dict[str, Any]:
    path = _feeds_dir() / upload_path
    if not path.is_file():
        raise JobError("上传的文件已不存在（可能已超过保留期限被删除），请重新上传")
    if job.created_by is None:
        # batch_import treats no actor as the system itself; an upload always has a person.
        path.unlink(missing_ok=True)
        raise JobError("提交该导入的账号已不存在，请重新上传")
    keep = False
    try:
        spec = source_get(source)
        outcome = services.batch_import(
            source=source,
            path=path,
            period=period,
            actor=job.created_by,
            accept_valid=accept_valid,
            channel=channel,
            file_name=file_name,
            progress=progress,
        )
        keep = outcome.batch.status == BatchStatus.REJECTED
    except FeedImportError as exc:
        raise JobError(exc.message) from exc
    finally:
        if not keep:
            path.unlink(missing_ok=True)
    return _result(outcome, spec=spec, can_rerun=keep)


# --- downloads ------------------------------------------------------------------------------------


class BatchFile:
    REPORT = "report"
    QUARANTINE = "quarantine"
    LABELS = {REPORT: "错误报告", QUARANTINE: "隔离数据"}


def _download(*, actor: User, batch: FeedBatch, which: str, client: Client | None) -> None:
    access = batch_files_access(user=actor, batch=batch)
    if access == BatchFiles.COUNTY_ROWS and which == BatchFile.QUARANTINE:
        pass  # a province-level batch: the county reads its own people's rows
    elif access != BatchFiles.ALL:
        raise PermissionDenied(
            "只有本批次的导入人、县级民政经办人或系统管理员可以下载该文件",
            capability=Capability.DOWNLOAD_BATCH_ROWS,
        )
    relative = batch.report_path if which == BatchFile.REPORT else batch.quarantine_path
    if not relative or not (_feeds_dir() / relative).is_file():
        raise Http404(f"该批次没有{BatchFile.LABELS[which]}文件。")
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="feed_batch",
        object_id=batch.pk,
        summary=f"下载{source_names().get(batch.source, batch.source)} {batch.period} "
        f"批次的{BatchFile.LABELS[which]}",
        detail={"file": which, "source": batch.source, "period": batch.period},
        client=client,
    )


def batch_report_download(*, actor: User, batch: FeedBatch, client: Client | None) -> Path:
    """The batch's Excel error report, after the audit record of its download."""
    with transaction.atomic():
        _download(actor=actor, batch=batch, which=BatchFile.REPORT, client=client)
    return _feeds_dir() / batch.report_path


def batch_quarantine_download(*, actor: User, batch: FeedBatch, client: Client | None) -> bytes:
    """The quarantined rows as an Excel workbook (ID numbers as stored: masked)."""
    with transaction.atomic():
        _download(actor=actor, batch=batch, which=BatchFile.QUARANTINE, client=client)
    if batch_files_access(user=actor, batch=batch) == BatchFiles.ALL:
        return quarantine_workbook(batch)
    return quarantine_workbook(batch, county_prefix=(scope_prefix(actor) or "")[:6])


def quarantine_workbook(batch: FeedBatch, *, county_prefix: str | None = None) -> bytes:
    """The quarantine as a workbook; with ``county_prefix`` only the rows of that county."""
    import pyarrow as pa
    import pyarrow.parquet as pq

    from safetynet.spreadsheets import Workbook

    table = pq.read_table(_feeds_dir() / batch.quarantine_path)
    if county_prefix is not None:
        counties = (
            table.column(COUNTY_COLUMN).to_pylist()
            if COUNTY_COLUMN in table.column_names
            else [""] * table.num_rows  # written before rows carried their county
        )
        keep = [bool(county_prefix) and (c or "").startswith(county_prefix) for c in counties]
        table = table.filter(pa.array(keep, pa.bool_()))
    if COUNTY_COLUMN in table.column_names:
        table = table.drop_columns([COUNTY_COLUMN])
    labels: dict[str, str] = {"row_number": "行号", "reasons": "拒收原因"}
    try:
        spec = source_get(batch.source)
        labels.update({column.name: column.label for column in spec.columns})
    except FeedImportError:
        pass  # a since-removed custom source: its column names are header enough
    names = table.column_names
    order = ["row_number", *[n for n in names if n not in ("row_number", "reasons")], "reasons"]
    order = [n for n in order if n in names]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("隔离数据")
    sheet.append([labels.get(name, name) for name in order])
    columns = [table.column(name).to_pylist() for name in order]
    for row in zip(*columns, strict=True):
        sheet.append(["" if value is None else value for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def batch_download_name(batch: FeedBatch, which: str) -> str:
    name = source_names().get(batch.source, batch.source).replace("/", "-")
    return f"{name}_{batch.period}_批次{batch.pk}_{BatchFile.LABELS[which]}.xlsx"
