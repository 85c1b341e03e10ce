from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record, client_of
from safetynet.jobs import selectors
from safetynet.jobs.exports import WriteFn, export_submit
from safetynet.jobs.models import Job

POLL_SECONDS = 1


def job_context(job: Job) -> dict[str, object]:
    """What ``jobs/_job.html`` needs; pages that show a job inline render it with this."""
    return {
        "job": job,
        "result": job.result,
        "result_template": selectors.job_result_template(job) if job.finished else "",
        "stalled": selectors.job_stalled(job),
        "poll_seconds": POLL_SECONDS,
    }


@login_required
@require_GET
def job_status(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The job's progress as an htmx partial that polls itself until the job ends; the whole
    page when opened directly."""
    job = selectors.job_access(user=request.user, pk=pk)
    template = "jobs/_job.html" if request.headers.get("HX-Request") else "jobs/job.html"
    response = render(request, template, job_context(job))
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def job_download(request: AuthenticatedRequest, pk: int) -> HttpResponse | FileResponse:
    """The file a job made (an export), streamed from disk to its creator only, audited as the
    moment the data leaves the platform."""
    job = selectors.job_access(user=request.user, pk=pk)
    path = selectors.job_file(job)
    if path is None:
        context = {**job_context(job), "file_missing": True}
        return render(request, "jobs/job.html", context, status=404)
    result = job.result
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type=str(result.get("audit_object_type", "")) or "household_list",
        region_code=request.user.scope_region_id or "",
        summary=f"下载导出文件（后台任务 {job.pk}）",
        detail={"job": job.pk, "kind": job.kind, "rows": result.get("rows")},
        client=client_of(request),
    )
    return FileResponse(
        path.open("rb"), as_attachment=True, filename=str(result.get("filename") or path.name)
    )


def export_started(
    request: AuthenticatedRequest,
    write: WriteFn,
    params: dict[str, Any],
    *,
    region_code: str | None = None,
) -> HttpResponse:
    """What an export button's POST answers once the view has checked what it may: the export
    queued as a job, and the job page (progress, then the download)."""
    if request.method != "POST":
        return HttpResponseNotAllowed(["POST"])
    job = export_submit(
        write=write,
        user=request.user,
        params=params,
        client=client_of(request),
        region_code=region_code,
    )
    return redirect("jobs:status", pk=job.pk)
