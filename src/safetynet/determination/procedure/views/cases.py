"""The case page (household with masked IDs, timeline, current step and its due date, materials,
the action buttons), attachments (upload; audited download), the new application and a
household's whole assistance chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import PermissionDenied, allowed, require
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.determination import deadlines, selectors, services
from safetynet.determination.common import (
    attachment_downloaded,
    require_any,
    show_refusal,
    today,
)
from safetynet.determination.documents.notices import NoticeKind, available_kinds
from safetynet.determination.models import (
    OPEN_STATUSES,
    PROCEDURE_STATUSES,
    Application,
    AttachmentKind,
    Decision,
    SpotCheck,
    Status,
    Transfer,
)
from safetynet.determination.procedure.forms import ApplicationForm, AttachmentForm
from safetynet.determination.procedure.views.actions import action_specs
from safetynet.policy.calendar import workdays
from safetynet.registry import selectors as registry_selectors
from safetynet.registry import services as registry_services
from safetynet.registry.choices import Category
from safetynet.registry.models import Membership

# The steps of the procedure in order, for the progress line of a case page.
STEPS = [
    (Status.SUBMITTED, "申请"),
    (Status.INVESTIGATING, "调查核实"),
    (Status.REVIEWED, "乡镇审核"),
    (Status.PUBLICITY, "公示"),
    (Status.CONFIRMING, "审核确认"),
]


@dataclass(frozen=True)
class Deadline:
    label: str
    due_on: dt.date
    days_left: int
    overdue: bool
    warnings: tuple[str, ...]


def _deadline(label: str, due: dt.date | None, on: dt.date) -> Deadline | None:
    if due is None:
        return None
    return Deadline(
        label=label,
        due_on=due,
        days_left=deadlines.working_days_left(due, on),
        overdue=deadlines.is_overdue(due, on),
        # The count is only as good as the holiday schedules between today and the due date.
        warnings=workdays.coverage_warnings(min(on, due), max(on, due)),
    )


def _document_links(application: Application) -> list[tuple[str, str]]:
    """The notices this case has (PDF) and its electronic archive (ZIP)."""
    links = [
        (
            f"{NoticeKind(kind).label}(PDF)",
            reverse("determination:notice_pdf", kwargs={"pk": application.pk, "kind": kind}),
        )
        for kind in available_kinds(application)
    ]
    links.append(
        ("电子档案(ZIP)", reverse("determination:case_archive", kwargs={"pk": application.pk}))
    )
    return links


@login_required
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    # The village assistant follows the applications it submitted for a family (二(二)); the
    # rest of the case work stays with those who may view cases.
    require_any(request.user, Capability.VIEW_CASES, Capability.ENTER_APPLICATIONS)
    application = selectors.case_get(user=request.user, pk=pk)
    views_cases = allowed(request.user, Capability.VIEW_CASES)
    if not views_cases and application.entered_by_id != request.user.pk:
        raise PermissionDenied(
            "您只能查看本人提交的申请。其他案件请向乡镇(街道)社会救助经办人员了解。"
        )
    on = today()
    members = list(
        Membership.objects.filter(household_id=application.household_id, left_on__isnull=True)
        .select_related("person")
        .order_by("person__birth_date", "person_id")
    )
    step = _deadline("本环节办理时限", application.step_due_on, on)
    procedure = (
        _deadline("全流程办理时限", application.procedure_due_on, on)
        if application.status in PROCEDURE_STATUSES
        else None
    )
    attachments = list(application.attachments.select_related("uploaded_by", "home_visit"))
    decision = Decision.objects.filter(application=application).first()
    offered = selectors.actions_for(user=request.user, application=application)
    actions = action_specs(offered)
    services.case_viewed(actor=request.user, application=application, client=client_of(request))
    return render(
        request,
        "determination/case_detail.html",
        {
            "application": application,
            "household": application.household,
            "members": members,
            "step": step,
            "procedure": procedure,
            "steps": STEPS,
            "step_index": next(
                (i for i, (s, _) in enumerate(STEPS) if s == application.status), len(STEPS)
            ),
            "timeline": selectors.case_timeline(user=request.user, pk=pk),
            "attachments": attachments,
            "has_authorisation": any(a.kind == AttachmentKind.AUTHORISATION for a in attachments),
            "home_visits": list(application.home_visits.all()),
            "data_checks": list(application.data_checks.select_related("verification_report")),
            "publicities": list(application.publicities.all()),
            "objections": list(application.objections.all()),
            "decision": decision,
            "decision_category": Category(decision.category).label
            if decision and decision.category in Category.values
            else "",
            "transfer": Transfer.objects.filter(application=application)
            .select_related("new_application")
            .first(),
            "spot_check": SpotCheck.objects.filter(application=application).first(),
            "actions": actions,
            "transfer_prompt": any(a.slug == "transfer" for a in actions),
            "can_upload": application.accepts_attachments and "attachment_add" in offered,
            "notices": _document_links(application) if views_cases else [],
            "views_cases": views_cases,
            "today": on,
        },
    )


@login_required
def attachment_download(
    request: AuthenticatedRequest, pk: int, attachment_id: int
) -> HttpResponseBase:
    require(request.user, Capability.VIEW_CASES)
    application = selectors.case_get(user=request.user, pk=pk)
    attachment = application.attachments.filter(pk=attachment_id).first()
    if attachment is None:
        raise Http404("未找到该材料。")
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("材料文件已不在存储中，请联系管理员。") from exc
    attachment_downloaded(
        user=request.user, application=application, attachment=attachment, client=client_of(request)
    )
    response = FileResponse(handle, content_type=attachment.content_type)
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=attachment.original_name
    )
    response["X-Content-SHA256"] = attachment.sha256
    return response


@login_required
def attachment_upload(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require_any(request.user, *selectors.ACTION_CAPABILITIES["attachment_add"])
    application = selectors.case_get(user=request.user, pk=pk)
    visits = list(application.home_visits.all())
    form = AttachmentForm(request.POST or None, request.FILES or None, visits=visits)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            # Several files are one upload: all stored or none.
            with transaction.atomic():
                for upload in data["uploads"]:
                    services.attachment_add(
                        actor=request.user,
                        application=application,
                        kind=data["kind"],
                        content=upload.read(),
                        filename=upload.name,
                        content_type=upload.content_type,
                        home_visit=form.visits.get(data.get("home_visit") or 0),
                        client=client_of(request),
                    )
        except services.DeterminationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(request, f"已上传 {len(data['uploads'])} 份材料。")
            return redirect("determination:case", pk=application.pk)
    return render(
        request, "determination/attachment_form.html", {"application": application, "form": form}
    )


@login_required
def application_new(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    """An application for a registry household, at the township or entered by a village
    assistant on the family's behalf, with the signed authorisation attached."""
    require_any(request.user, Capability.ENTER_APPLICATIONS, Capability.ACCEPT_APPLICATIONS)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    members = [
        m.person
        for m in Membership.objects.filter(household=household, left_on__isnull=True)
        .select_related("person")
        .order_by("person__birth_date", "person_id")
    ]
    form = ApplicationForm(
        request.POST or None,
        request.FILES or None,
        members=members,
        initial={"applicant": household.head_id, "applied_on": today()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        upload = data["authorisation"]
        try:
            # The application and its authorisation stand or fall together.
            with transaction.atomic():
                application = services.application_submit(
                    actor=request.user,
                    household=household,
                    type=data["type"],
                    applicant=form.members[data["applicant"]],
                    reason=data["reason"],
                    applied_on=data["applied_on"],
                    client=client_of(request),
                )
                if upload is not None:
                    services.attachment_add(
                        actor=request.user,
                        application=application,
                        kind=AttachmentKind.AUTHORISATION,
                        content=upload.read(),
                        filename=upload.name,
                        content_type=upload.content_type,
                        client=client_of(request),
                    )
        except services.DeterminationError as exc:
            show_refusal(form, exc)
        else:
            missing = "" if upload else "尚未上传核对授权书，受理前须补充。"
            messages.success(
                request,
                f"已提交{application.get_type_display()}申请，"
                f"案件编号 {application.number}。{missing}",
            )
            # The one who entered it follows it on the case page (村级申请 lists it too).
            return redirect("determination:case", pk=application.pk)
    # A second application of the same type is refused (the service says so on the type field);
    # one of another type is allowed, so the page points to what is already open first.
    open_cases = list(
        Application.objects.filter(household=household, status__in=OPEN_STATUSES).order_by("-id")
    )
    return render(
        request,
        "determination/application_form.html",
        {"household": household, "form": form, "open_cases": open_cases},
    )


@login_required
def household_chain(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    """Every case, step, review and termination of one household (its assistance chain)."""
    require(request.user, Capability.VIEW_CASES)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    chain = selectors.household_chain(user=request.user, household_id=household.pk)
    registry_services.household_viewed(
        actor=request.user, household=household, client=client_of(request)
    )
    return render(
        request,
        "determination/household_chain.html",
        {"household": household, "chain": chain, "today": today()},
    )
