"""Department-data pages: the batch list, uploading a batch (imported as a background job whose
progress the page polls), a batch's detail with its audited downloads, and the source catalogue
where an administrator adds a source."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import PermissionDenied, allowed, require
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.downloads import XLSX, download
from safetynet.feeds.catalogue import DEPARTMENT_LABELS, FeedImportError
from safetynet.feeds.common import batch_files_allowed, sources_importable, sources_visible
from safetynet.feeds.importing import samples, selectors
from safetynet.feeds.importing import uploads as batches
from safetynet.feeds.importing.definitions import (
    SourceDefinitionInvalid,
    SourceInput,
    source_definition_create,
)
from safetynet.feeds.importing.forms import BatchFilterForm, SourceDefinitionForm, UploadForm
from safetynet.feeds.models import FeedBatch
from safetynet.jobs.selectors import job_access
from safetynet.jobs.views import job_context

PAGE_SIZE = 50


@login_required
def batch_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_FEEDS)
    form = BatchFilterForm(request.GET or None, user=request.user)
    filters = selectors.BatchFilters()
    if form.is_valid():
        filters = selectors.BatchFilters(**form.cleaned_data)
    page = Paginator(selectors.batch_list(user=request.user, filters=filters), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "feeds/batch_list.html", {"form": form, "page": page})


@login_required
def upload(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.IMPORT_FEEDS)
    form = UploadForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        saved = ""
        try:
            saved = batches.incoming_save(data["file"])
            job = batches.batch_import_submit(
                actor=request.user,
                source=data["source"],
                period=data["period"],
                upload_path=saved,
                file_name=data["file"].name,
                accept_valid=data["accept_valid"],
            )
        except (FeedImportError, PermissionDenied) as exc:
            batches.incoming_discard(saved)
            form.add_error(None, str(exc))
        else:
            return redirect(f"{reverse('feeds:upload')}?job={job.pk}")
    context: dict[str, Any] = {"form": form, "samples": sources_importable(user=request.user)}
    job_id = request.GET.get("job")
    if job_id:
        context.update(job_context(job_access(user=request.user, pk=job_id)))
    return render(request, "feeds/upload.html", context)


@login_required
def source_sample(request: AuthenticatedRequest, code: str) -> HttpResponse:
    """A source's sample file: its columns, an example row and how to fill them in."""
    require(request.user, Capability.IMPORT_FEEDS)
    spec = next((s for s in sources_importable(user=request.user) if s.code == code), None)
    if spec is None:
        raise Http404("没有该数据源，或您不能导入该数据源。")
    content = samples.sample_workbook(
        spec, region_code=request.user.scope_region_id or "410000000000"
    )
    samples.sample_downloaded(actor=request.user, spec=spec, client=client_of(request))
    return download(content, f"{spec.name}_示例.xlsx", XLSX)


@login_required
@require_POST
def upload_accept_valid(request: AuthenticatedRequest, job_id: int) -> HttpResponse:
    """Run a refused upload again, accepting its valid rows and quarantining the others."""
    require(request.user, Capability.IMPORT_FEEDS)
    job = job_access(user=request.user, pk=job_id)
    try:
        rerun = batches.batch_import_rerun(actor=request.user, job=job)
    except (FeedImportError, PermissionDenied) as exc:
        messages.error(request, str(exc))
        return redirect(f"{reverse('feeds:upload')}?job={job.pk}")
    return redirect(f"{reverse('feeds:upload')}?job={rerun.pk}")


@login_required
def batch_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Capability.VIEW_FEEDS)
    batch = selectors.batch_access(user=request.user, pk=pk)
    return render(
        request,
        "feeds/batch_detail.html",
        {
            "batch": batch,
            "files_allowed": batch_files_allowed(user=request.user, batch=batch),
        },
    )


def _batch_for_download(request: AuthenticatedRequest, pk: int) -> FeedBatch:
    require(request.user, Capability.VIEW_FEEDS)
    return selectors.batch_access(user=request.user, pk=pk)


@login_required
def batch_report(request: AuthenticatedRequest, pk: int) -> FileResponse:
    batch = _batch_for_download(request, pk)
    path = batches.batch_report_download(actor=request.user, batch=batch, client=client_of(request))
    return FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=batches.batch_download_name(batch, batches.BatchFile.REPORT),
        content_type=XLSX,
    )


@login_required
def batch_quarantine(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    batch = _batch_for_download(request, pk)
    content = batches.batch_quarantine_download(
        actor=request.user, batch=batch, client=client_of(request)
    )
    return download(content, batches.batch_download_name(batch, batches.BatchFile.QUARANTINE), XLSX)


@login_required
def source_catalogue(request: AuthenticatedRequest) -> HttpResponse:
    if not allowed(request.user, Capability.IMPORT_FEEDS):
        require(request.user, Capability.VIEW_FEEDS)
    return render(
        request,
        "feeds/source_list.html",
        {
            "sources": [
                {
                    "spec": spec,
                    "department": DEPARTMENT_LABELS.get(spec.department, spec.department),
                    "columns": [(column, column.kind_label) for column in spec.columns],
                }
                for spec in sources_visible(user=request.user)
            ],
            "can_add": allowed(request.user, Capability.MANAGE_SOURCES),
        },
    )


@login_required
def source_create(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_SOURCES, message="只有系统管理员可以新增数据源")
    form = SourceDefinitionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            definition = source_definition_create(
                actor=request.user,
                data=SourceInput(
                    code=data["code"],
                    name=data["name"],
                    department=data["department"],
                    description=data["description"],
                    keeps_name=data["keeps_name"],
                    columns_text=data["columns"],
                ),
                client=client_of(request),
            )
        except SourceDefinitionInvalid as exc:
            for problem in exc.problems:
                form.add_error(None, problem)
        else:
            messages.success(request, f"已新增数据源：{definition.name}（{definition.code}）")
            return redirect("feeds:source_list")
    return render(request, "feeds/source_form.html", {"form": form})
