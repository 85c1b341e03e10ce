from __future__ import annotations

import io
import tempfile
import zipfile
from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record, client_of
from safetynet.downloads import download
from safetynet.jinmin import format as fmt
from safetynet.jinmin import selectors
from safetynet.jinmin.services import (
    DIFFERENCE_KINDS,
    ExchangeError,
    exchange_export_write,
    exchange_import,
)
from safetynet.jobs.views import export_started
from safetynet.zipcheck import UnsafeZip, archive_limits, zip_check

MAX_UPLOAD = 512 * 1024 * 1024


class ExportForm(forms.Form):
    since = forms.DateField(
        label="变动记录起始日期（不填则自上次导出起）",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ImportForm(forms.Form):
    file = forms.FileField(label="金民工程名单（ZIP，含清单文件）")


@login_required
def index(request: AuthenticatedRequest) -> HttpResponse:
    exchanges = list(selectors.exchange_list(user=request.user)[:50])
    return render(
        request,
        "jinmin/index.html",
        {
            "exchanges": exchanges,
            "export_form": ExportForm(),
            "import_form": ImportForm(),
            "version": fmt.FORMAT_VERSION,
        },
    )


@login_required
@require_POST
def export(request: AuthenticatedRequest) -> HttpResponse:
    """导出（ZIP）: the exchange of the user's scope, written by a background job; the job page
    offers the ZIP when done."""
    require(request.user, Capability.EXCHANGE_JINMIN)
    form = ExportForm(request.POST)
    if not form.is_valid():
        messages.error(request, "日期格式错误")
        return redirect("jinmin:index")
    since = form.cleaned_data["since"]
    client = client_of(request)
    params = {
        "since": since.isoformat() if since else "",
        "channel": client.channel if client else "web",
        "ip": client.ip if client else "",
    }
    return export_started(request, exchange_export_write, params)


@login_required
@require_POST
def import_lists(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.EXCHANGE_JINMIN)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "请选择 ZIP 文件")
        return redirect("jinmin:index")
    upload = form.cleaned_data["file"]
    if upload.size > MAX_UPLOAD:
        messages.error(request, "文件过大，请用控制台 safetynet jinmin import 导入")
        return redirect("jinmin:index")
    content = upload.read()
    try:
        zip_check(content, archive_limits(), what="名单压缩包")
        with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(io.BytesIO(content)) as archive:
            directory = Path(tmp)
            allowed = {*fmt.FILES, fmt.MANIFEST}
            for member in archive.namelist():
                if member in allowed:  # plain names only: nothing is written outside tmp
                    (directory / member).write_bytes(archive.read(member))
            exchange = exchange_import(
                actor=request.user, in_dir=directory, channel="web", client=client_of(request)
            )
    except (UnsafeZip, zipfile.BadZipFile) as exc:
        messages.error(request, f"压缩包无效：{exc}")
        return redirect("jinmin:index")
    except ExchangeError as exc:
        messages.error(request, str(exc))
        return redirect("jinmin:index")
    messages.success(
        request, f"比对完成：差异 {exchange.difference_total} 条（未修改本平台数据）。"
    )
    return redirect("jinmin:detail", pk=exchange.pk)


@login_required
def exchange_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    exchange = selectors.exchange_access(user=request.user, pk=pk)
    differences = [
        (DIFFERENCE_KINDS.get(kind, kind), count)
        for kind, count in sorted(exchange.differences.items())
    ]
    sample = [
        {**row, "kind": DIFFERENCE_KINDS.get(row.get("kind", ""), row.get("kind", ""))}
        for row in exchange.sample
    ]
    return render(
        request,
        "jinmin/detail.html",
        {"e": exchange, "differences": differences, "sample": sample},
    )


@login_required
def differences(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    exchange = selectors.exchange_access(user=request.user, pk=pk)
    # The full report lists names beside masked IDs: a list export like the registry's.
    require(request.user, Capability.EXPORT_HOUSEHOLDS)
    path = Path(exchange.report_path) if exchange.report_path else None
    if path is None or not path.is_file():
        raise Http404("差异报告不存在")
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="jinmin_exchange",
        object_id=exchange.pk,
        region_code=exchange.region_code,
        summary="下载金民工程比对差异报告",
        client=client_of(request),
    )
    return download(
        path.read_bytes(), f"金民工程比对差异-{exchange.pk}.csv", "text/csv; charset=utf-8"
    )
