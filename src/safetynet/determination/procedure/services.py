"""From application to the request for confirmation: submit, return, accept, investigate
(home visit, data check), township review, publicity and objections."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client
from safetynet.determination import deadlines
from safetynet.determination.common import (
    DeterminationError,
    audit,
    bump,
    check_date,
    event,
    limits,
    require_any,
    require_scope,
    require_status,
    today,
)
from safetynet.determination.models import (
    OPEN_STATUSES,
    PUBLICITY_TYPES,
    Application,
    ApplicationType,
    Attachment,
    AttachmentKind,
    DataCheck,
    EventKind,
    HomeVisit,
    Objection,
    Publicity,
    SpotCheck,
    Status,
)
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Region
from safetynet.registry.models import Household, Membership, Person

MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024
ATTACHMENT_TYPES = {
    "application/pdf": "pdf",
    "image/jpeg": "jpg",
    "image/png": "png",
}
ATTACHMENT_SIGNATURES = {
    "application/pdf": b"%PDF-",
    "image/jpeg": b"\xff\xd8\xff",
    "image/png": b"\x89PNG\r\n\x1a\n",
}
MIN_VISIT_STAFF = 2


def _type_label(value: str) -> str:
    return str(ApplicationType(value).label)


# --- application ----------------------------------------------------------------------------


def application_submit(
    *,
    actor: User,
    household: Household,
    type: str,
    applicant: Person | None = None,
    reason: str = "",
    applied_on: dt.date | None = None,
    client: Client | None = None,
) -> Application:
    """An application handed in at the township, or entered by a village assistant on the
    family's behalf. The household is the registry's (its declared members, income, assets and
    expenditure); the applicant defaults to the head."""
    require_any(actor, Capability.ENTER_APPLICATIONS, Capability.ACCEPT_APPLICATIONS)
    require_scope(actor, household.region_id)
    if type not in ApplicationType.values:
        raise DeterminationError("申请类型无效", field="type")
    applied_on = check_date(applied_on or today(), field="applied_on", label="申请日期")
    applicant = applicant or household.head
    if (
        applicant is None
        or not Membership.objects.filter(
            household=household, person=applicant, left_on__isnull=True
        ).exists()
    ):
        raise DeterminationError("申请人须是本户现有成员", field="applicant")
    with transaction.atomic():
        Household.objects.select_for_update().get(pk=household.pk)
        if Application.objects.filter(
            household=household, type=type, status__in=OPEN_STATUSES
        ).exists():
            raise DeterminationError(f"该家庭已有一件办理中的{_type_label(type)}申请", field="type")
        application = Application.objects.create(
            type=type,
            household=household,
            region_id=household.region_id,
            applicant=applicant,
            reason=reason.strip(),
            entered_by=actor,
            applied_on=applied_on,
            status=Status.SUBMITTED,
        )
        event(
            household=household,
            application=application,
            kind=EventKind.SUBMITTED,
            actor=actor,
            on=applied_on,
            to_status=Status.SUBMITTED,
            note=application.reason,
            data={"type": type, "applicant_id": applicant.pk},
        )
        audit(
            actor=actor,
            application=application,
            action=Action.CREATE,
            summary=f"提出{_type_label(type)}申请",
            detail={"household_id": household.pk, "type": type},
            client=client,
        )
    return application


def attachment_add(
    *,
    actor: User,
    application: Application,
    kind: str,
    content: bytes,
    filename: str,
    content_type: str,
    home_visit: HomeVisit | None = None,
    client: Client | None = None,
) -> Attachment:
    """Store a scanned or photographed document (PDF, JPEG or PNG) with its SHA-256.

    Adding a document does not move the case on, so it does not bump the version: an officer
    uploading photos never makes a colleague's action on the same case fail.
    """
    require_any(
        actor,
        Capability.ENTER_APPLICATIONS,
        Capability.ACCEPT_APPLICATIONS,
        Capability.INVESTIGATE,
    )
    require_scope(actor, application.region_id)
    if kind not in AttachmentKind.values:
        raise DeterminationError("材料类型无效", field="kind")
    if content_type not in ATTACHMENT_TYPES:
        raise DeterminationError(
            f"文件“{filename}”的类型 {content_type or '未知'} 不支持：请上传 PDF、JPG 或 PNG",
            field="file",
        )
    if not content:
        raise DeterminationError(f"文件“{filename}”是空文件", field="file")
    # The type the browser claims is not evidence: the content must start as that type does.
    if not content.startswith(ATTACHMENT_SIGNATURES[content_type]):
        raise DeterminationError(
            f"文件“{filename}”的内容不是 {ATTACHMENT_TYPES[content_type].upper()} 文件，"
            "请上传真实的 PDF、JPG 或 PNG",
            field="file",
        )
    if len(content) > MAX_ATTACHMENT_BYTES:
        raise DeterminationError(
            f"文件“{filename}”超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB", field="file"
        )
    if home_visit is not None and home_visit.application_id != application.pk:
        raise DeterminationError("入户调查记录不属于本案件", field="home_visit")
    if not application.accepts_attachments:
        raise DeterminationError("案件已办结，不能再上传材料")
    sha256 = hashlib.sha256(content).hexdigest()
    with transaction.atomic():
        attachment = Attachment(
            application=application,
            home_visit=home_visit,
            kind=kind,
            original_name=filename[:200],
            sha256=sha256,
            size=len(content),
            content_type=content_type,
            uploaded_by=actor,
        )
        attachment.file.save(f"upload.{ATTACHMENT_TYPES[content_type]}", ContentFile(content))
        event(
            household=application.household,
            application=application,
            kind=EventKind.ATTACHMENT,
            actor=actor,
            on=today(),
            note=f"{attachment.get_kind_display()}：{attachment.original_name}",
            data={"attachment_id": attachment.pk, "sha256": sha256},
        )
        audit(
            actor=actor,
            application=application,
            action=Action.CREATE,
            summary=f"上传{attachment.get_kind_display()}",
            detail={"attachment_id": attachment.pk, "sha256": sha256},
            client=client,
        )
    return attachment


def application_return(
    *,
    actor: User,
    application: Application,
    missing_items: list[str],
    client: Client | None = None,
) -> Application:
    """Return the application for the listed missing items (一次性告知需补正的材料)."""
    require_any(actor, Capability.ACCEPT_APPLICATIONS)
    require_scope(actor, application.region_id)
    require_status(application, Status.SUBMITTED, doing="退回补正")
    items = [item.strip() for item in missing_items if item and item.strip()]
    if not items:
        raise DeterminationError("请列明需补正的材料", field="missing_items")
    with transaction.atomic():
        from_status = bump(
            application, to_status=Status.RETURNED, missing_items=items, step_due_on=None
        )
        event(
            household=application.household,
            application=application,
            kind=EventKind.RETURNED,
            actor=actor,
            on=today(),
            from_status=from_status,
            to_status=Status.RETURNED,
            note="；".join(items),
            data={"missing_items": items},
        )
        audit(actor=actor, application=application, summary="退回补正", client=client)
    return application


def application_resubmit(
    *, actor: User, application: Application, client: Client | None = None
) -> Application:
    """The family handed in the missing items: the application waits for acceptance again."""
    require_any(actor, Capability.ENTER_APPLICATIONS, Capability.ACCEPT_APPLICATIONS)
    require_scope(actor, application.region_id)
    require_status(application, Status.RETURNED, doing="重新提交")
    with transaction.atomic():
        from_status = bump(application, to_status=Status.SUBMITTED)
        event(
            household=application.household,
            application=application,
            kind=EventKind.RESUBMITTED,
            actor=actor,
            on=today(),
            from_status=from_status,
            to_status=Status.SUBMITTED,
        )
        audit(actor=actor, application=application, summary="补正后重新提交", client=client)
    return application


def application_withdraw(
    *, actor: User, application: Application, reason: str, client: Client | None = None
) -> Application:
    """The applicant withdraws before confirmation."""
    require_any(actor, Capability.ACCEPT_APPLICATIONS)
    require_scope(actor, application.region_id)
    require_status(
        application,
        Status.SUBMITTED,
        Status.RETURNED,
        Status.INVESTIGATING,
        Status.REVIEWED,
        Status.PUBLICITY,
        doing="撤回",
    )
    if not reason.strip():
        raise DeterminationError("请填写撤回原因", field="reason")
    with transaction.atomic():
        from_status = bump(
            application, to_status=Status.WITHDRAWN, step_due_on=None, closed_on=today()
        )
        event(
            household=application.household,
            application=application,
            kind=EventKind.WITHDRAWN,
            actor=actor,
            on=today(),
            from_status=from_status,
            to_status=Status.WITHDRAWN,
            note=reason.strip(),
        )
        audit(actor=actor, application=application, summary="撤回申请", client=client)
    return application


def application_accept(
    *,
    actor: User,
    application: Application,
    accepted_on: dt.date | None = None,
    client: Client | None = None,
) -> Application:
    """Accept (受理): the signed data-check authorisation must be attached. The investigation is
    due to start within 3 working days; the whole procedure runs from today (30, or 20 where the
    county has delegated confirmation to the township)."""
    require_any(actor, Capability.ACCEPT_APPLICATIONS)
    require_scope(actor, application.region_id)
    require_status(application, Status.SUBMITTED, doing="受理")
    accepted_on = check_date(
        accepted_on or today(),
        field="accepted_on",
        label="受理日期",
        not_before=application.applied_on,
    )
    if not application.attachments.filter(kind=AttachmentKind.AUTHORISATION).exists():
        raise DeterminationError(
            "尚未上传家庭经济状况核对授权书（核对授权书），不能受理", field="attachments"
        )
    rules = limits(application.region_id, accepted_on)
    delegated = rules.confirmation_delegated
    step_due = deadlines.investigation_start_due(accepted_on, rules)
    procedure_due = deadlines.procedure_due(
        accepted_on, delegated=delegated, extended=False, limits=rules
    )
    with transaction.atomic():
        from_status = bump(
            application,
            to_status=Status.INVESTIGATING,
            accepted_on=accepted_on,
            accepted_by=actor,
            delegated=delegated,
            step_due_on=step_due,
            procedure_due_on=procedure_due,
            missing_items=[],
        )
        event(
            household=application.household,
            application=application,
            kind=EventKind.ACCEPTED,
            actor=actor,
            on=accepted_on,
            from_status=from_status,
            to_status=Status.INVESTIGATING,
            data={
                "investigation_due_on": step_due.isoformat(),
                "procedure_due_on": procedure_due.isoformat(),
                "delegated": delegated,
            },
        )
        audit(actor=actor, application=application, summary="受理", client=client)
    return application


# --- investigation --------------------------------------------------------------------------


def investigation_step_due(application: Application) -> dt.date | None:
    """The due date while investigating: an open objection's reinvestigation; before any work,
    the start of the investigation; an open data check's answer; then the whole procedure."""
    open_objection = (
        application.objections.filter(resolved_on__isnull=True).order_by("received_on").first()
    )
    if open_objection is not None:
        return open_objection.reinvestigation_due_on
    started = application.home_visits.exists() or application.data_checks.exists()
    if not started and application.accepted_on is not None:
        rules = limits(application.region_id, application.accepted_on)
        return deadlines.investigation_start_due(application.accepted_on, rules)
    pending = application.data_checks.filter(answered_on__isnull=True).order_by("due_on").first()
    if pending is not None:
        return pending.due_on
    return application.procedure_due_on


def _staff_entries(staff: list[Any]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for member in staff:
        if isinstance(member, str):
            name, user_id = member.strip(), None
        else:
            name = (member.get_full_name() or member.username).strip()
            user_id = member.pk
        if name and name not in seen:
            seen.add(name)
            entries.append({"name": name, "user_id": user_id})
    return entries


def home_visit_record(
    *,
    actor: User,
    application: Application,
    visited_on: dt.date,
    staff: list[Any],
    findings: str,
    client: Client | None = None,
) -> HomeVisit:
    """A home visit by at least two staff (users or names); photos are attachments of it."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="登记入户调查")
    assert application.accepted_on is not None
    check_date(visited_on, field="visited_on", label="调查日期", not_before=application.accepted_on)
    entries = _staff_entries(staff)
    if len(entries) < MIN_VISIT_STAFF:
        raise DeterminationError(
            "入户调查须由不少于 2 名工作人员进行，请填写全部调查人员", field="staff"
        )
    if not findings.strip():
        raise DeterminationError("请填写调查情况", field="findings")
    with transaction.atomic():
        visit = HomeVisit.objects.create(
            application=application,
            visited_on=visited_on,
            staff=entries,
            findings=findings.strip(),
            recorded_by=actor,
        )
        bump(application, step_due_on=investigation_step_due(application))
        event(
            household=application.household,
            application=application,
            kind=EventKind.HOME_VISIT,
            actor=actor,
            on=visited_on,
            note=visit.findings,
            data={"home_visit_id": visit.pk, "staff": [e["name"] for e in entries]},
        )
        audit(actor=actor, application=application, summary="登记入户调查", client=client)
    return visit


def data_check_request(
    *,
    actor: User,
    application: Application,
    requested_on: dt.date | None = None,
    client: Client | None = None,
) -> DataCheck:
    """Ask the county's checking body for the economic-status check, due in 3 working days."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="提请经济状况核对")
    assert application.accepted_on is not None
    requested_on = check_date(
        requested_on or today(),
        field="requested_on",
        label="提请日期",
        not_before=application.accepted_on,
    )
    if application.data_checks.filter(answered_on__isnull=True).exists():
        raise DeterminationError("已有一件尚未反馈的核对请求")
    rules = limits(application.region_id, requested_on)
    due = deadlines.data_check_due(requested_on, rules)
    with transaction.atomic():
        check = DataCheck.objects.create(
            application=application, requested_on=requested_on, requested_by=actor, due_on=due
        )
        bump(application, step_due_on=investigation_step_due(application))
        event(
            household=application.household,
            application=application,
            kind=EventKind.DATA_CHECK_REQUESTED,
            actor=actor,
            on=requested_on,
            data={"data_check_id": check.pk, "due_on": due.isoformat()},
        )
        audit(actor=actor, application=application, summary="提请经济状况核对", client=client)
    return check


def data_check_answer(
    *,
    actor: User,
    data_check: DataCheck,
    answer: str = "",
    verification_report: Any = None,
    answered_on: dt.date | None = None,
    client: Client | None = None,
) -> DataCheck:
    """The county's answer: by hand, or a verification report issued for the household."""
    require_any(actor, Capability.VERIFY_HOUSEHOLDS)
    application = data_check.application
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="反馈核对结果")
    if data_check.answered_on is not None:
        raise DeterminationError("该核对请求已反馈")
    answered_on = check_date(
        answered_on or today(),
        field="answered_on",
        label="反馈日期",
        not_before=data_check.requested_on,
    )
    if verification_report is not None:
        if verification_report.household_id != application.household_id:
            raise DeterminationError("核对报告不是本户的", field="verification_report")
        answer = answer.strip() or f"见家庭经济状况核对报告 {verification_report.number}"
    if not answer.strip():
        raise DeterminationError("请填写核对结果或选择核对报告", field="answer")
    with transaction.atomic():
        data_check.answered_on = answered_on
        data_check.answered_by = actor
        data_check.answer = answer.strip()
        data_check.verification_report = verification_report
        data_check.save(
            update_fields=["answered_on", "answered_by", "answer", "verification_report"]
        )
        bump(application, step_due_on=investigation_step_due(application))
        event(
            household=application.household,
            application=application,
            kind=EventKind.DATA_CHECK_ANSWERED,
            actor=actor,
            on=answered_on,
            note=data_check.answer,
            data={
                "data_check_id": data_check.pk,
                "late": answered_on > data_check.due_on,
                "verification_report": getattr(verification_report, "number", ""),
            },
        )
        audit(actor=actor, application=application, summary="反馈经济状况核对结果", client=client)
    return data_check


# --- township review, publicity, confirmation request ---------------------------------------


def _request_confirmation(
    application: Application, on: dt.date, *, due_from: dt.date | None = None
) -> dict[str, Any]:
    """Fields that send the case for confirmation on ``on``; a destitute case confirmed by the
    county is sampled for a spot check by its order among the county's cases of the year.

    The county's time limit runs from ``due_from`` when given: after a publicity that is the
    day the publicity period ended, so that closing it late never lengthens the limit."""
    rules = limits(application.region_id, on)
    fields: dict[str, Any] = {
        "confirmation_requested_on": on,
        "step_due_on": deadlines.confirmation_due(due_from or on, application.type, rules),
    }
    if application.type == ApplicationType.DESTITUTE and not application.delegated:
        county = application.region_id[:6]
        # The county's region row serialises the numbering: two cases sent at the same moment
        # must not draw the same number.
        Region.objects.select_for_update().filter(code=county.ljust(12, "0")).first()
        lo, hi = prefix_bounds(county)
        sequence = (
            Application.objects.filter(
                type=ApplicationType.DESTITUTE,
                delegated=False,
                region_id__gte=lo,
                region_id__lte=hi,
                confirmation_requested_on__year=on.year,
            )
            .exclude(pk=application.pk)
            .count()
            + 1
        )
        if deadlines.spot_check_sampled(sequence, rules.spot_check_share):
            SpotCheck.objects.create(application=application, sequence=sequence)
            fields["spot_check_required"] = True
    return fields


def township_review(
    *,
    actor: User,
    application: Application,
    opinion: str,
    objection_outcome: str = "",
    reviewed_on: dt.date | None = None,
    client: Client | None = None,
) -> Application:
    """The township's review opinion, after a home visit and an answered data check. Types with
    publicity wait for it; the others go straight to confirmation. After an objection the
    outcome of the reinvestigation must be given."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="提出审核意见")
    reviewed_on = check_date(
        reviewed_on or today(),
        field="reviewed_on",
        label="审核日期",
        not_before=application.accepted_on,
    )
    if not opinion.strip():
        raise DeterminationError("请填写审核意见", field="opinion")
    if not application.home_visits.exists():
        raise DeterminationError("尚未登记入户调查", field="home_visits")
    checks = list(application.data_checks.all())
    if not checks or any(c.answered_on is None for c in checks):
        raise DeterminationError("经济状况核对尚未反馈", field="data_checks")
    open_objections = list(application.objections.filter(resolved_on__isnull=True))
    if open_objections and not objection_outcome.strip():
        raise DeterminationError("请填写异议复查结论", field="objection_outcome")
    publicity = application.type in PUBLICITY_TYPES
    to_status = Status.REVIEWED if publicity else Status.CONFIRMING
    with transaction.atomic():
        for objection in open_objections:
            objection.outcome = objection_outcome.strip()
            objection.resolved_on = reviewed_on
            objection.save(update_fields=["outcome", "resolved_on"])
        fields: dict[str, Any] = {
            "township_opinion": opinion.strip(),
            "township_reviewed_on": reviewed_on,
        }
        if publicity:
            fields["step_due_on"] = application.procedure_due_on
        else:
            fields.update(_request_confirmation(application, reviewed_on))
        from_status = bump(application, to_status=to_status, **fields)
        event(
            household=application.household,
            application=application,
            kind=EventKind.TOWNSHIP_REVIEW,
            actor=actor,
            on=reviewed_on,
            from_status=from_status,
            to_status=to_status,
            note=application.township_opinion,
            data={"objection_outcome": objection_outcome.strip()} if open_objections else {},
        )
        audit(actor=actor, application=application, summary="乡镇(街道)审核", client=client)
    return application


def publicity_start(
    *,
    actor: User,
    application: Application,
    starts_on: dt.date | None = None,
    place: str = "",
    client: Client | None = None,
) -> Publicity:
    """Publicise for 7 calendar days (the first day included)."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.REVIEWED, doing="开始公示")
    starts_on = check_date(
        starts_on or today(),
        field="starts_on",
        label="公示开始日期",
        not_before=application.township_reviewed_on,
    )
    rules = limits(application.region_id, starts_on)
    ends_on = deadlines.publicity_end(starts_on, rules)
    with transaction.atomic():
        publicity = Publicity.objects.create(
            application=application,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place.strip()[:200],
            started_by=actor,
        )
        from_status = bump(application, to_status=Status.PUBLICITY, step_due_on=ends_on)
        event(
            household=application.household,
            application=application,
            kind=EventKind.PUBLICITY_STARTED,
            actor=actor,
            on=starts_on,
            from_status=from_status,
            to_status=Status.PUBLICITY,
            data={"publicity_id": publicity.pk, "ends_on": ends_on.isoformat()},
        )
        audit(actor=actor, application=application, summary="开始公示", client=client)
    return publicity


def _current_publicity(application: Application) -> Publicity:
    publicity = (
        application.publicities.filter(closed_on__isnull=True).order_by("-starts_on").first()
    )
    if publicity is None:
        raise DeterminationError("没有进行中的公示")
    return publicity


def objection_record(
    *,
    actor: User,
    application: Application,
    content: str,
    received_on: dt.date | None = None,
    client: Client | None = None,
) -> Objection:
    """An objection during publicity interrupts it and reopens the investigation, due within
    the reinvestigation limit (15 working days)."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.PUBLICITY, doing="登记异议")
    publicity = _current_publicity(application)
    received_on = check_date(
        received_on or today(),
        field="received_on",
        label="收到异议日期",
        not_before=publicity.starts_on,
    )
    if received_on > publicity.ends_on:
        raise DeterminationError(
            f"公示期已于 {publicity.ends_on:%Y-%m-%d} 届满，期满后收到的意见不作为公示异议",
            field="received_on",
        )
    if not content.strip():
        raise DeterminationError("请填写异议内容", field="content")
    rules = limits(application.region_id, received_on)
    due = deadlines.reinvestigation_due(received_on, rules)
    with transaction.atomic():
        objection = Objection.objects.create(
            application=application,
            publicity=publicity,
            received_on=received_on,
            content=content.strip(),
            received_by=actor,
            reinvestigation_due_on=due,
        )
        publicity.closed_on = received_on
        publicity.interrupted = True
        publicity.save(update_fields=["closed_on", "interrupted"])
        from_status = bump(application, to_status=Status.INVESTIGATING, step_due_on=due)
        event(
            household=application.household,
            application=application,
            kind=EventKind.OBJECTION,
            actor=actor,
            on=received_on,
            from_status=from_status,
            to_status=Status.INVESTIGATING,
            note=objection.content,
            data={"objection_id": objection.pk, "reinvestigation_due_on": due.isoformat()},
        )
        audit(actor=actor, application=application, summary="登记公示异议", client=client)
    return objection


def publicity_close(
    *,
    actor: User,
    application: Application,
    closed_on: dt.date | None = None,
    client: Client | None = None,
) -> Application:
    """Close a publicity without objection once its last day has passed; the case goes for
    confirmation (10 working days, 15 for destitute persons, counted from the publicity's last
    day whenever the officer closes it)."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.PUBLICITY, doing="结束公示")
    publicity = _current_publicity(application)
    closed_on = check_date(closed_on or today(), field="closed_on", label="公示结束日期")
    if closed_on <= publicity.ends_on:
        raise DeterminationError(
            f"公示期至 {publicity.ends_on:%Y-%m-%d} 届满，届满后方可结束公示", field="closed_on"
        )
    with transaction.atomic():
        publicity.closed_on = closed_on
        publicity.save(update_fields=["closed_on"])
        fields = _request_confirmation(application, closed_on, due_from=publicity.ends_on)
        from_status = bump(application, to_status=Status.CONFIRMING, **fields)
        event(
            household=application.household,
            application=application,
            kind=EventKind.PUBLICITY_CLOSED,
            actor=actor,
            on=closed_on,
            from_status=from_status,
            to_status=Status.CONFIRMING,
            data={
                "confirmation_due_on": application.step_due_on.isoformat()
                if application.step_due_on
                else None,
                "spot_check": application.spot_check_required,
            },
        )
        audit(actor=actor, application=application, summary="公示期满无异议", client=client)
    return application


def case_viewed(*, actor: User, application: Application, client: Client | None = None) -> None:
    """Audit that a user read a case (its page shows the household's personal data)."""
    audit(
        actor=actor,
        application=application,
        action=Action.VIEW,
        summary="查看认定案件",
        client=client,
    )
