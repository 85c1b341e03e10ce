"""The direct-inclusion page: upload an existing register, follow the background job's progress,
see what was included or why not, download the error report."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.core.uploads import UploadField
from safetynet.determination import inclusion
from safetynet.downloads import XLSX
from safetynet.jobs.models import Job
from safetynet.jobs.selectors import job_access
from safetynet.jobs.views import job_context
from safetynet.registry import imports

MAX_UPLOAD_BYTES = 20 * 1024 * 1024


class InclusionForm(forms.Form):
    kind = forms.ChoiceField(label="名册类型", choices=inclusion.RegisterKind.choices)
    file = UploadField(
        label="名册文件",
        help_text="支持 .xlsx 和 .csv（UTF-8、GBK 或 GB18030 编码），不超过 20 MB。",
        max_bytes=MAX_UPLOAD_BYTES,
        advice="请分成几个文件导入，或使用命令行导入。",
    )


@login_required
def inclusion_import(request: AuthenticatedRequest) -> HttpResponse:
    """Upload a register: it is saved and included by a background job whose progress (and then
    outcome) the page polls, so that a register of thousands of households never holds the
    request."""
    inclusion.require_inclusion(request.user)
    form = InclusionForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        saved = inclusion.upload_save(upload)
        job = inclusion.registers_include_submit(
            actor=request.user,
            kind=form.cleaned_data["kind"],
            upload_name=saved,
            file_name=upload.name,
        )
        return redirect(f"{reverse('determination:inclusion')}?job={job.pk}")
    context: dict[str, object] = {"form": form, "columns": inclusion.EXTRA_COLUMNS}
    job_id = request.GET.get("job")
    if job_id:
        context.update(job_context(_inclusion_job(request, job_id)))
    return render(request, "determination/inclusion.html", context)


def _inclusion_job(request: AuthenticatedRequest, pk: object) -> Job:
    """The user's own inclusion job (another kind of job, or someone else's, is not found)."""
    job = job_access(user=request.user, pk=pk)
    if job.kind != inclusion.INCLUSION_JOB_KIND:
        raise Http404("未找到该导入任务。")
    return job


@login_required
def inclusion_report(request: AuthenticatedRequest, job_id: int) -> FileResponse:
    """A refused register's error report, only to the user who ran the import (the report lives
    in their own folder)."""
    inclusion.require_inclusion(request.user)
    job = _inclusion_job(request, job_id)
    token = str(job.result.get("report_token") or "")
    path = imports.report_path(user=request.user, token=token) if token else None
    if path is None:
        raise Http404("错误报告不存在或已过期，请重新导入生成。")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=imports.report_file_name(str(job.result.get("file_name") or "名册文件")),
        content_type=XLSX,
    )
