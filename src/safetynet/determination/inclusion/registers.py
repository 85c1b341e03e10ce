"""Direct inclusion (二): existing dibao, destitute and anti-relapse registers imported in one step.

Policy 二: current dibao recipients, destitute persons and anti-relapse watch households are not
screened again; they enter the low-income population directly. A register file is the household
import file (one row per person, grouped by 户主身份证号) with a few more columns: 纳入日期, and by
register 保障类别 / 保障对象 (dibao, destitute) or 监测类型 (anti-relapse watch).

The whole file is validated first, exactly like a household import: on any problem nothing is
written and the user gets the row, column, value and reason of each. When it is clean, households
not yet in the registry are created through the registry services and every household gets its
category or watch with the register's effective date through the determination service for direct
inclusion. A household whose register status is already current is "unchanged", so importing the
same register twice changes nothing.

One module per part: ``columns`` (the register's columns, kinds and dates), ``checking`` (the
file's rows checked against each other and the registry), ``importing`` (the import itself);
this module runs it as the web page's background job and re-exports the parts' names.
"""

from __future__ import annotations

import datetime as dt
import time
import uuid
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied
from safetynet.determination.inclusion.columns import (
    CAPABILITIES,
    CARE_TIERS,
    DIBAO_CATEGORIES,
    EXTRA_BY_KEY,
    EXTRA_COLUMNS,
    NOT_A_MEMBER,
    REASON,
    REQUIRED_EXTRA,
    TYPE_OF_CATEGORY,
    WATCH_TYPES,
    InclusionResult,
    RegisterKind,
    Target,
    parse_date,
    require_inclusion,
)
from safetynet.determination.inclusion.importing import (
    REFUSED_FIELDS,
    registers_include,
)
from safetynet.jobs.models import Job
from safetynet.jobs.runner import job_run_in_background
from safetynet.jobs.services import JobError, job_create
from safetynet.jobs.tasks import ProgressFn, task
from safetynet.registry import imports
from safetynet.registry.imports import RowProblem

__all__ = [
    "CAPABILITIES",
    "CARE_TIERS",
    "DIBAO_CATEGORIES",
    "EXTRA_BY_KEY",
    "EXTRA_COLUMNS",
    "INCLUSION_JOB_KIND",
    "NOT_A_MEMBER",
    "REASON",
    "REFUSED_FIELDS",
    "REQUIRED_EXTRA",
    "SHOWN",
    "STAGE_READING",
    "TYPE_OF_CATEGORY",
    "UPLOADS_DIR",
    "UPLOAD_KEPT",
    "UPLOAD_SUFFIXES",
    "WATCH_TYPES",
    "InclusionResult",
    "RegisterKind",
    "RowProblem",
    "Target",
    "inclusion_job_result",
    "parse_date",
    "registers_include",
    "registers_include_submit",
    "registers_include_task",
    "require_inclusion",
    "upload_save",
]


# --- the web page's import, as a background job --------------------------------------------------

INCLUSION_JOB_KIND = "determination.register_inclusion"
UPLOADS_DIR = "inclusion-uploads"
# An upload holds plain ID numbers: it is deleted when its job ends, and anything a crashed
# runner left behind goes after a day.
UPLOAD_KEPT = dt.timedelta(days=1)
UPLOAD_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
SHOWN = 200  # households and problems listed on the page; the report has every problem
STAGE_READING = "正在读取和校验名册"


def _uploads_dir() -> Path:
    return Path(settings.MEDIA_ROOT) / UPLOADS_DIR


def upload_save(upload: UploadedFile) -> str:
    """Keep an uploaded register for its job under a name nobody can guess; returns its path
    relative to the uploads folder. Uploads older than a day are removed first."""
    folder = _uploads_dir()
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - UPLOAD_KEPT.total_seconds()
    for old in folder.iterdir():
        if old.is_file() and old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    suffix = Path(upload.name or "").suffix.lower()
    if suffix not in UPLOAD_SUFFIXES:
        raise ValueError(f"unexpected register suffix {suffix!r}")
    name = f"{uuid.uuid4().hex}{suffix}"
    with (folder / name).open("wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    return name


def registers_include_submit(*, actor: User, kind: str, upload_name: str, file_name: str) -> Job:
    """Queue the inclusion of a saved upload (``upload_save``) and start it in the background;
    the job's result is what the page shows (``inclusion_job_result``)."""
    require_inclusion(actor)
    if kind not in RegisterKind.values:
        raise ValueError(f"unknown register kind {kind!r}")
    job = job_create(
        task=registers_include_task,
        args={"kind": kind, "upload_name": upload_name, "file_name": file_name},
        actor=actor,
    )
    job_run_in_background(job, registers_include_task)
    return job


def inclusion_job_result(*, result: InclusionResult, report_token: str = "") -> dict[str, Any]:
    """The job's result (JSON) from which the page renders the outcome."""
    return {
        "kind": result.kind,
        "kind_label": str(RegisterKind(result.kind).label),
        "file_name": result.file_name,
        "ok": result.ok,
        "rows": result.rows,
        "included": len(result.included),
        "created": len(result.created),
        "unchanged": len(result.unchanged),
        "households": [
            {
                "id": household.pk,
                "name": household.head.name if household.head else "",
                "members": household.member_count,
            }
            for household in result.included[:SHOWN]
        ],
        "unchanged_ids": result.unchanged[:SHOWN],
        "problem_count": len(result.problems),
        "problems": [
            {"row": p.row_label, "column": p.column, "value": p.value, "reason": p.reason}
            for p in result.problems[:SHOWN]
        ],
        "report_token": report_token,
        "ignored_columns": list(result.ignored_columns),
    }


@task(kind=INCLUSION_JOB_KIND, result_template="determination/inclusion_result.html")
def registers_include_task(
    *, job: Job, progress: ProgressFn, kind: str, upload_name: str, file_name: str
) -> dict[str, Any]:
    path = _uploads_dir() / Path(upload_name).name
    try:
        if not path.is_file():
            raise JobError("上传的名册文件已不存在（可能已超过保留期限被删除），请重新上传")
        actor = job.created_by
        if actor is None or not actor.is_active:
            raise JobError("提交该导入的账号已不存在或已停用，请重新上传")
        content = path.read_bytes()
        progress(0, 0, STAGE_READING)
        result = registers_include(
            actor=actor,
            kind=kind,
            content=content,
            file_name=file_name,
            on_progress=lambda rows: progress(rows, 0, f"{STAGE_READING}（已读取 {rows} 行）"),
            on_write=lambda households: progress(0, households, f"正在写入 {households} 户"),
            channel="web",  # run by a job, without the request: the upload came from the page
        )
    except PermissionDenied as exc:
        raise JobError(str(exc)) from exc
    finally:
        path.unlink(missing_ok=True)
    token = ""
    if not result.ok:
        report = imports.error_report_workbook(file_name=file_name, problems=result.problems)
        token = imports.report_save(user=actor, content=report)
    return inclusion_job_result(result=result, report_token=token)
