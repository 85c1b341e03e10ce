"""Exports as background jobs: one mechanism for every list that can be of any size.

An app marks the function that writes its file with ``@export(...)``; its view posts the list's
filters to ``export_submit``, which queues ``export_task`` and answers with the job page
(``jobs:status``: progress while it runs, then the download). The task runs the writer as the
job's creator (the same scope and capabilities as the page: the writer checks them again, since
a job may run minutes later), into the job's own file under ``JOBS_FILES_DIR``, and records the
export in the audit trail when the file is made; ``jobs:download`` gives the file to its creator
only and records the moment it leaves. Files are purged after ``JOBS_FILES_KEPT_HOURS`` (24)
by the daily retention task. The watermark is the writer's (``spreadsheets``): the job runner
names the creator as the exporter.

A writer is called as ``write(user=..., params=..., out=path, progress=...)`` and returns a
``Written``: how many rows, the file name the user saves, the audit summary and detail. The
job row names the writer by its dotted path; only functions marked with ``@export`` run.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.http import Http404
from django.utils.module_loading import import_string

from safetynet.accounts.permissions import PermissionDenied
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.jobs.runner import job_run_in_background
from safetynet.jobs.services import JobError, job_create, job_file_path
from safetynet.jobs.tasks import ProgressFn, UnknownTask, task

if TYPE_CHECKING:
    from safetynet.accounts.models import User
    from safetynet.jobs.models import Job


@dataclass(frozen=True)
class Written:
    """What a writer made: ``rows`` data rows, saved by the user as ``filename``; ``summary``
    and ``detail`` go into the audit record (the job id and the rows are added); ``result``
    into the job's result for the result template (e.g. the households of a household list)."""

    rows: int
    filename: str
    summary: str
    detail: dict[str, Any] = field(default_factory=dict)
    region_code: str = ""  # the audit record's region; the creator's scope when empty
    object_id: str = ""  # the audit record's object id, when the export is of one object
    result: dict[str, Any] = field(default_factory=dict)
    # The writer's own service already recorded the export (e.g. the exchange with 金民工程,
    # which records the exchange and its audit together): no second record.
    audited: bool = False


WriteFn = Callable[..., Written]


@dataclass(frozen=True)
class ExportInfo:
    kind: str  # the job's kind, e.g. "monitoring.alert_export"
    label: str  # what the download button names, e.g. "监测预警清单"
    suffix: str  # "xlsx" or "csv"
    object_type: str  # the audit record's object type


_MARK = "_safetynet_export"


def export(*, kind: str, label: str, suffix: str, object_type: str) -> Callable[[WriteFn], WriteFn]:
    def mark(func: WriteFn) -> WriteFn:
        setattr(func, _MARK, ExportInfo(kind, label, suffix.lstrip("."), object_type))
        return func

    return mark


def export_info(func: WriteFn) -> ExportInfo:
    info = getattr(func, _MARK, None)
    if not isinstance(info, ExportInfo):
        raise UnknownTask(f"{func!r} is not marked with @export")
    return info


def _path(func: WriteFn) -> str:
    export_info(func)
    if "<locals>" in func.__qualname__:
        raise UnknownTask(f"{func.__qualname__} is not importable by a worker")
    return f"{func.__module__}.{func.__qualname__}"


def _resolve(path: str) -> WriteFn:
    try:
        func = import_string(path)
    except ImportError as exc:
        raise UnknownTask(f"export {path} cannot be imported") from exc
    export_info(func)
    return func


@task(kind="export", result_template="jobs/export_result.html")
def export_task(
    *,
    job: Job,
    progress: ProgressFn,
    writer: str,
    params: dict[str, Any],
    channel: str = "web",
    ip: str = "",
) -> dict[str, Any]:
    """The export job: the list its creator asked for, as of now, written to the job's file."""
    user = job.created_by
    if user is None or not user.is_active:
        raise JobError("提交导出的账号已不可用，无法导出。")
    func = _resolve(writer)
    info = export_info(func)
    path = job_file_path(job=job, suffix=info.suffix)
    try:
        written = func(user=user, params=params, out=path, progress=progress)
    except PermissionDenied as exc:  # the capability was withdrawn since the button was pressed
        path.unlink(missing_ok=True)
        raise JobError(str(exc) or "您已没有导出该清单的权限。") from exc
    except Http404 as exc:  # the region or record left the creator's scope meanwhile
        path.unlink(missing_ok=True)
        raise JobError("要导出的内容已不在您的管辖范围内。") from exc
    if not written.audited:
        audit_record(
            actor=user,
            action=Action.EXPORT,
            object_type=info.object_type,
            object_id=written.object_id,
            region_code=written.region_code or user.scope_region_id or "",
            summary=written.summary,
            detail={**written.detail, "rows": written.rows, "job": job.pk},
            client=Client(ip=ip, channel=channel),
        )
    return {
        **written.result,
        "rows": written.rows,
        "file": path.name,
        "filename": written.filename,
        "label": info.label,
        "suffix": info.suffix,
        "audit_object_type": info.object_type,
    }


def export_submit(
    *,
    write: WriteFn,
    user: User,
    params: dict[str, Any],
    client: Client | None,
    region_code: str | None = None,
) -> Job:
    """Queue the export ``write`` makes of ``params`` for ``user``; the job page shows its
    progress and, when done, the download."""
    args = {
        "writer": _path(write),
        "params": params,
        "channel": client.channel if client is not None else "cli",
        "ip": client.ip if client is not None else "",
    }
    job = job_create(
        task=export_task,
        args=args,
        actor=user,
        kind=export_info(write).kind,
        region_code=region_code,
    )
    job_run_in_background(job, export_task)
    return job
