"""Bulk import pages: upload a file, download the template, download the error report."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import render

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_prefix
from safetynet.audit.services import client_of
from safetynet.core.uploads import UploadField
from safetynet.downloads import XLSX, download
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry import imports

MAX_UPLOAD_BYTES = 20 * 1024 * 1024
SHOWN_PROBLEMS = 200
SESSION_REPORTS = "import_reports"  # token -> original file name, for the download's name


class ImportForm(forms.Form):
    file = UploadField(
        label="导入文件",
        help_text="支持 .xlsx 和 .csv（UTF-8、GBK 或 GB18030 编码），不超过 20 MB。",
        max_bytes=MAX_UPLOAD_BYTES,
        advice="请分成几个文件导入，或使用命令行导入。",
    )


def _require(request: AuthenticatedRequest) -> None:
    if not request.user.has_capability(Capability.IMPORT_HOUSEHOLDS):
        raise PermissionDenied("您没有批量导入家庭的权限")


@login_required
def household_import(request: AuthenticatedRequest) -> HttpResponse:
    _require(request)
    form = ImportForm(request.POST or None, request.FILES or None)
    context: dict[str, object] = {"form": form, "shown": SHOWN_PROBLEMS}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        result = imports.households_import(
            actor=request.user,
            content=upload.read(),
            file_name=upload.name,
            client=client_of(request),
        )
        context["result"] = result
        context["problems_shown"] = result.problems[:SHOWN_PROBLEMS]
        if not result.ok:
            content = imports.error_report_workbook(file_name=upload.name, problems=result.problems)
            token = imports.report_save(user=request.user, content=content)
            reports = dict(request.session.get(SESSION_REPORTS, {}))
            reports[token] = upload.name
            request.session[SESSION_REPORTS] = dict(list(reports.items())[-20:])
            context["report_token"] = token
    return render(request, "registry/import.html", context)


def _example_village(user: User) -> str | None:
    prefix = scope_prefix(user)
    if prefix is None:
        return None
    lo, hi = prefix_bounds(prefix)
    return (
        Region.objects.filter(level=Level.VILLAGE, code__gte=lo, code__lte=hi)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )


@login_required
def import_template(request: AuthenticatedRequest) -> HttpResponse:
    _require(request)
    village = _example_village(request.user)
    content = (
        imports.template_workbook(example_village_code=village)
        if village
        else imports.template_workbook()
    )
    imports.template_downloaded(actor=request.user, client=client_of(request))
    return download(content, "家庭批量导入模板.xlsx", XLSX)


@login_required
def import_report(request: AuthenticatedRequest, token: str) -> FileResponse:
    """The error report, only to the user who ran the import (it lives in their own folder)."""
    _require(request)
    path = imports.report_path(user=request.user, token=token)
    if path is None:
        raise Http404("错误报告不存在或已过期，请重新导入生成。")
    name = request.session.get(SESSION_REPORTS, {}).get(token, "导入文件")
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=imports.report_file_name(name),
        content_type=XLSX,
    )
