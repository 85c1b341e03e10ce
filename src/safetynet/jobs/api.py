"""GET /api/jobs/{id}: a job's progress and, once finished, its result, for a department system
that submitted work (e.g. a batch upload answered with 202). Only the job's creator (or an
administrator) sees it; anyone else gets 404."""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
import datetime as dt
from typing import Any

from ninja import Field, Router, Schema

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.api_errors import ErrorOut
from safetynet.jobs import selectors
from safetynet.jobs.models import Job, JobStatus

router = Router(tags=["后台任务"])


class JobOut(Schema):
    id: int
    kind: str = Field(description="任务类型，如 feeds.batch_import")
    status: JobStatus = Field(description="queued 排队中 / running 进行中 / succeeded / failed")
    status_display: str
    progress_done: int = Field(description="已处理的数量（如行数）")
    progress_total: int = Field(description="总数；尚不知道时为 0")
    percent: int
    stage: str = Field(description="当前步骤（中文）")
    result: dict[str, Any] = Field(description="任务完成后的结果；内容因任务类型而异")
    error: str = Field(description="失败原因（中文）")
    created_at: dt.datetime
    started_at: dt.datetime | None
    finished_at: dt.datetime | None
    url: str = Field(description="本任务的查询地址")


def job_out(job: Job) -> JobOut:
    return JobOut(
        id=job.pk,
        kind=job.kind,
        status=JobStatus(job.status),
        status_display=str(job.get_status_display()),
        progress_done=job.progress_done,
        progress_total=job.progress_total,
        percent=job.percent,
        stage=job.stage,
        result=job.result or {},
        error=job.error,
        created_at=job.created_at,
        started_at=job.started_at,
        finished_at=job.finished_at,
        url=f"/api/jobs/{job.pk}",
    )


@router.get(
    "/{int:job_id}",
    response={200: JobOut, 401: ErrorOut, 404: ErrorOut},
    summary="任务进度",
    description="排队中或进行中时返回进度；完成后 result 给出结果，失败时 error 说明原因。"
    "建议每 1～2 秒查询一次。",
)
def job_detail(request: AuthenticatedRequest, job_id: int) -> Any:
    return job_out(selectors.job_access(user=request.user, pk=job_id))
