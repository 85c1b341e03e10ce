"""Downloads of the determination documents: a case's notices (one, or one kind for many cases in
one file), a review's outcome notice, a township's publicity list, a case's electronic archive,
and the page that checks an archive's integrity. Thin shells over ``notices`` and ``archive``,
which check capability and scope and audit every document generated."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_prefix
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record, client_of
from safetynet.core.uploads import UploadField
from safetynet.determination import selectors
from safetynet.determination.documents import archive, notices
from safetynet.determination.documents.notices import NoticeKind, NoticeUnavailable
from safetynet.downloads import PDF, ZIP, download
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region

MAX_ARCHIVE_UPLOAD = 200 * 1024 * 1024


def _pdf(data: bytes, filename: str) -> HttpResponse:
    return download(data, filename, PDF)


def _kind(value: str) -> str:
    if value not in NoticeKind.values:
        raise Http404("没有这种文书")
    return value


@login_required
@require_GET
def notice_download(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponse:
    require(request.user, Capability.VIEW_CASES)
    application = selectors.case_get(user=request.user, pk=pk)
    label = NoticeKind(_kind(kind)).label
    try:
        pdf = notices.notice_pdf(
            user=request.user, application=application, kind=kind, client=client_of(request)
        )
    except NoticeUnavailable as exc:
        messages.error(request, exc.message)
        return redirect("determination:case", pk=application.pk)
    return _pdf(pdf, f"{label}-{application.number}.pdf")


def _ids(values: list[str]) -> list[int]:
    ids = []
    for value in values:
        for part in value.replace("，", ",").split(","):
            part = part.strip()
            if not part:
                continue
            if not part.isdigit():
                raise NoticeUnavailable(f"案件编号“{part}”无效，应为数字")
            ids.append(int(part))
    return ids


@login_required
@require_http_methods(["GET", "POST"])
def notices_batch(request: AuthenticatedRequest) -> HttpResponse:
    """One kind of notice for the cases ticked on a work queue (``ids``), in one file."""
    require(request.user, Capability.VIEW_CASES)
    data = request.POST if request.method == "POST" else request.GET
    kind = _kind(data.get("kind", ""))
    back = data.get("next", "")
    try:
        pdf = notices.notices_pdf(
            user=request.user,
            applications=_ids(data.getlist("ids")),
            kind=kind,
            client=client_of(request),
        )
    except NoticeUnavailable as exc:
        messages.error(request, exc.message)
        if back.startswith("/") and not back.startswith("//"):
            return redirect(back)
        return redirect("determination:queue")
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return _pdf(pdf, f"{NoticeKind(kind).label}-批量-{stamp}.pdf")


@login_required
@require_GET
def review_notice_download(request: AuthenticatedRequest, review_pk: int) -> HttpResponse:
    require(request.user, Capability.VIEW_CASES)
    try:
        pdf = notices.review_notice_pdf(
            user=request.user, review=review_pk, client=client_of(request)
        )
    except NoticeUnavailable as exc:
        raise Http404(exc.message) from exc
    return _pdf(pdf, f"复核结果通知书-{review_pk}.pdf")


def townships_in_scope(user: User) -> list[Region]:
    prefix = scope_prefix(user)
    # A village's scope cannot publish its township's list.
    if prefix is None or len(prefix) > 9:
        return []
    lo, hi = prefix_bounds(prefix)
    return list(
        Region.objects.filter(level=Level.TOWNSHIP, code__gte=lo, code__lte=hi).order_by("code")
    )


class PublicityListForm(forms.Form):
    township = forms.ChoiceField(label="乡镇(街道)")
    starts_from = forms.DateField(
        label="公示开始日期自", widget=forms.DateInput(attrs={"type": "date"})
    )
    starts_to = forms.DateField(label="至", widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, townships: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["township"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.code, t.full_name or t.name) for t in townships]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_from"), data.get("starts_to")
        if start and end and end < start:
            self.add_error("starts_to", "截止日期不能早于起始日期")
        if start and end and (end - start).days > 366:
            self.add_error("starts_to", "一次最多生成一年内开始的公示")
        return data


@login_required
@require_GET
def publicity_list(request: AuthenticatedRequest) -> HttpResponse:
    """The form, and with its fields filled the township's publicity list as PDF."""
    require(request.user, Capability.VIEW_CASES)
    townships = townships_in_scope(request.user)
    today = timezone.localdate()
    initial = {"starts_from": today.replace(day=1), "starts_to": today}
    form = PublicityListForm(
        request.GET if "township" in request.GET else None,
        townships=townships,
        initial=initial,
    )
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            pdf = notices.publicity_list_pdf(
                user=request.user,
                township_code=data["township"],
                starts_from=data["starts_from"],
                starts_to=data["starts_to"],
                client=client_of(request),
            )
        except NoticeUnavailable as exc:
            form.add_error(None, exc.message)
        else:
            start: dt.date = data["starts_from"]
            return _pdf(pdf, f"公示名单-{data['township'][:9]}-{start:%Y%m%d}.pdf")
    return render(
        request,
        "determination/documents_publicity.html",
        {"form": form, "townships": townships},
    )


@login_required
@require_GET
def archive_download(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Capability.VIEW_CASES)
    application = selectors.case_get(user=request.user, pk=pk)
    try:
        payload = archive.case_archive(
            user=request.user, application=application, client=client_of(request)
        )
    except archive.ArchiveError as exc:
        messages.error(request, exc.message)
        return redirect("determination:case", pk=application.pk)
    return download(payload, archive.archive_name(application), ZIP)


class ArchiveVerifyForm(forms.Form):
    file = UploadField(
        label="电子档案(ZIP)",
        max_bytes=MAX_ARCHIVE_UPLOAD,
        suffixes=(".zip",),
        formats=".zip",
        advice="请用控制台核验。",
    )


@login_required
@require_http_methods(["GET", "POST"])
def archive_verify(request: AuthenticatedRequest) -> HttpResponse:
    """Upload an exported archive and see whether it is intact, file by file."""
    require(request.user, Capability.VIEW_CASES)
    form = ArchiveVerifyForm(request.POST or None, request.FILES or None)
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        payload = upload.read()
        problems = archive.archive_verify(payload)
        summary = archive.archive_summary(payload)
        result = {"name": upload.name, "problems": problems, **summary}
        audit_record(
            actor=request.user,
            action=Action.VIEW,
            object_type="determination_archive",
            object_id=summary.get("case", ""),
            summary=(
                f"核验案件电子档案 {summary.get('case') or upload.name}："
                f"{'完好' if not problems else f'{len(problems)} 处问题'}"
            ),
            detail={"problems": [str(p) for p in problems][:50]},
            client=client_of(request),
        )
    return render(request, "determination/documents_verify.html", {"form": form, "result": result})
