"""An application from submission to acceptance: submit, attachments, return for
completion, resubmit, withdraw, accept; and the audit of reading a case."""

from __future__ import annotations

import datetime as dt
import hashlib

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
    Application,
    ApplicationType,
    Attachment,
    AttachmentKind,
    EventKind,
    HomeVisit,
    Status,
)
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


def case_viewed(*, actor: User, application: Application, client: Client | None = None) -> None:
    """Audit that a user read a case (its page shows the household's personal data)."""
    audit(
        actor=actor,
        application=application,
        action=Action.VIEW,
        summary="查看认定案件",
        client=client,
    )
