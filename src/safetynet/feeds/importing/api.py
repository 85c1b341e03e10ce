"""REST endpoints for department systems: hand in a batch, list and read batches, read the source
catalogue. Thin shells over ``safetynet.feeds.importing.uploads``.

POST /api/feeds/batches is asynchronous: it stores the upload, queues the import as a job and
answers 202 with the job (``Location: /api/jobs/{id}``); the job's ``result`` carries the batch,
its counts and the first 200 errors once it has finished. A department officer sees and hands in
only their own department's sources; another department's batch answers 404.
"""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
import datetime as dt
from typing import Any

from django.http import HttpResponse
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import PermissionDenied, allowed, require
from safetynet.accounts.roles import Capability
from safetynet.api_errors import ErrorOut
from safetynet.api_pages import Pages
from safetynet.feeds.catalogue import DEPARTMENT_LABELS, ColumnKind, FeedImportError
from safetynet.feeds.common import source_importable, sources_visible
from safetynet.feeds.importing import selectors
from safetynet.feeds.importing import uploads as batches
from safetynet.feeds.models import BatchStatus, FeedBatch
from safetynet.jobs.api import JobOut, job_out

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200

router = Router(tags=["部门数据"])

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class BatchOut(Schema):
    id: int
    source: str = Field(description="数据源代码，如 medical_claims")
    source_name: str
    period: str = Field(description="数据期别 YYYY-MM")
    status: BatchStatus = Field(description="stored 已入库 / rejected 有错误行未入库")
    status_display: str
    file_name: str
    file_sha256: str
    file_size: int
    rows_total: int
    rows_accepted: int
    rows_rejected: int
    rows_duplicate: int
    has_error_report: bool
    has_quarantine: bool
    channel: str = Field(description="web / api / cli")
    imported_by: str = Field(description="导入人账号")
    imported_at: dt.datetime
    duration_seconds: float

    # Rows come from ``selectors.batch_list``, which annotates ``source_name``.
    @staticmethod
    def resolve_status_display(obj: FeedBatch) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_has_error_report(obj: FeedBatch) -> bool:
        return bool(obj.report_path)

    @staticmethod
    def resolve_has_quarantine(obj: FeedBatch) -> bool:
        return bool(obj.quarantine_path)

    @staticmethod
    def resolve_imported_by(obj: FeedBatch) -> str:
        return obj.imported_by.username if obj.imported_by else ""


class BatchFilterIn(Schema):
    source: str = Field("", description="数据源代码")
    period: str = Field("", description="数据期别 YYYY-MM")
    status: BatchStatus | None = None


class ColumnOut(Schema):
    name: str
    label: str
    kind: str = Field(description="、".join(f"{k} {v}" for k, v in ColumnKind.LABELS.items()))
    unit: str = Field("", description="非金额的数值列的单位（如建筑面积：平方米）；金额列为空")
    required: bool
    aliases: list[str] = Field(description="部门文件中可用的其他列名")
    choices: dict[str, list[str]] = Field(description="选项类型的可选值及其别名")


class SourceOut(Schema):
    code: str
    name: str
    department: str
    department_display: str
    description: str
    keeps_name: bool = Field(description="是否保留姓名；否则姓名列不入库")
    builtin: bool
    columns: list[ColumnOut]


@router.post(
    "/batches",
    response={202: JobOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 413: ErrorOut},
    summary="上传一个批次",
    description=(
        "multipart/form-data：source（数据源代码，见 GET /api/feeds/sources）、period（YYYY-MM）、"
        "accept_valid（true 时接收有效行、错误行隔离保存；默认 false，有任何错误行则整批不入库）、"
        "file（.csv / .xlsx / .parquet）。导入在后台进行：返回 202 和任务，按 Location 头或 url "
        "查询 GET /api/jobs/{id} 直到 status 为 succeeded 或 failed。完成后 result 含 batch_id、"
        "status、accepted、rejected、duplicate、already_imported 和前 200 条错误"
        "（row 行号、column 列、value 值（身份证号已脱敏）、reason 原因）。"
        "同一文件、同一数据源和期别只入库一次。"
    ),
)
def batch_upload(
    request: AuthenticatedRequest,
    response: HttpResponse,
    source: Form[str],
    period: Form[str],
    file: File[UploadedFile],
    accept_valid: Form[bool] = False,
) -> Any:
    require(request.user, Capability.IMPORT_FEEDS)
    try:
        normalised = batches.period_normalise(period)
    except FeedImportError as exc:
        raise HttpError(400, exc.message) from exc
    if (file.size or 0) > batches.MAX_UPLOAD_BYTES:
        raise HttpError(
            413,
            f"文件超过 {batches.MAX_UPLOAD_BYTES // (1024 * 1024)} MB 的上限，"
            "请按月份或地区拆分后分批上传",
        )
    try:
        source_importable(user=request.user, code=source)
        saved = batches.incoming_save(file)
    except PermissionDenied as exc:
        raise HttpError(403, str(exc)) from exc
    except FeedImportError as exc:
        raise HttpError(400, exc.message) from exc
    try:
        job = batches.batch_import_submit(
            actor=request.user,
            source=source,
            period=normalised,
            upload_path=saved,
            file_name=file.name or "upload",
            accept_valid=accept_valid,
            channel="api",
        )
    except (FeedImportError, PermissionDenied) as exc:
        batches.incoming_discard(saved)
        raise HttpError(400, str(exc)) from exc
    response["Location"] = f"/api/jobs/{job.pk}"
    return Status(202, job_out(job))


@router.get(
    "/batches",
    response={200: list[BatchOut], **READ_ERRORS, 400: ErrorOut},
    summary="批次列表",
    description="按导入时间倒序；可按数据源、期别、状态筛选。部门经办人只能看到本部门的数据源。"
    f"每页默认 {PAGE_SIZE} 条，page_size 最大 {MAX_PAGE_SIZE}。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def batch_list(request: AuthenticatedRequest, filters: Query[BatchFilterIn]) -> Any:
    require(request.user, Capability.VIEW_FEEDS)
    try:
        period = batches.period_normalise(filters.period) if filters.period else ""
    except FeedImportError as exc:
        raise HttpError(400, exc.message) from exc
    return selectors.batch_list(
        user=request.user,
        filters=selectors.BatchFilters(
            source=filters.source,
            period=period,
            status=filters.status.value if filters.status else "",
        ),
    )


@router.get(
    "/batches/{int:batch_id}",
    response={200: BatchOut, **READ_ERRORS},
    summary="批次详情",
    description="批次的来源、期别、行数、文件哈希、导入人和时间。",
)
def batch_detail(request: AuthenticatedRequest, batch_id: int) -> Any:
    require(request.user, Capability.VIEW_FEEDS)
    return selectors.batch_access(user=request.user, pk=batch_id)


@router.get(
    "/sources",
    response={200: list[SourceOut], **READ_ERRORS},
    summary="数据源目录",
    description="每个数据源的标准字段、类型、是否必填、部门常用的其他列名和选项值。",
)
def source_catalogue(request: AuthenticatedRequest) -> Any:
    if not allowed(request.user, Capability.IMPORT_FEEDS):
        require(request.user, Capability.VIEW_FEEDS)
    return [
        SourceOut(
            code=spec.code,
            name=spec.name,
            department=spec.department,
            department_display=DEPARTMENT_LABELS.get(spec.department, spec.department),
            description=spec.description,
            keeps_name=spec.keeps_name,
            builtin=spec.builtin,
            columns=[
                ColumnOut(
                    name=column.name,
                    label=column.label,
                    kind=column.kind,
                    unit=column.unit,
                    required=column.required,
                    aliases=list(column.aliases),
                    choices={value: list(aliases) for value, aliases in column.choices.items()},
                )
                for column in spec.columns
            ],
        )
        for spec in sources_visible(user=request.user)
    ]
