"""REST endpoints of the determination procedure: the work queue, one case with its timeline, one
POST per procedure action and attachments (the reviews: ``after.api``). Thin shells over
``determination.selectors`` (scoped reads) and ``determination.services`` (audited actions).

Every action carries the ``version`` of the case the caller saw: if someone acted in between the
answer is 409 with "该案件已被他人更新，请刷新后重试". A case outside the caller's scope answers 404
like one that does not exist; an action the caller's role may not take answers 403; an input the
service refuses answers 422 naming the field; an action the case's step does not allow, 400.
"""

# No `from __future__ import annotations` here: ninja reads the endpoint parameter types
# (``Query[...]``, ``Form[...]``) when the routes are declared.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, File, Form, Query, Router, Schema
from ninja.errors import HttpError, ValidationError
from ninja.files import UploadedFile
from ninja.pagination import paginate
from ninja.responses import Status as HttpStatus

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped
from safetynet.api_errors import ErrorOut, ValidationErrorOut
from safetynet.api_pages import Pages
from safetynet.audit.services import client_of
from safetynet.determination import selectors, services
from safetynet.determination.deadlines import is_overdue, working_days_left
from safetynet.determination.models import (
    PROCEDURE_STATUSES,
    Application,
    ApplicationType,
    AttachmentKind,
    CareTier,
    DataCheck,
    SpotCheckResult,
    Status,
    Transfer,
)
from safetynet.registry.choices import Category
from safetynet.registry.models import Household, Person

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200
MAX_ATTACHMENT_BYTES = 20 * 1024 * 1024

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}
ACTION_ERRORS: dict[int, Any] = {
    **READ_ERRORS,
    400: ErrorOut,
    409: ErrorOut,
    422: ValidationErrorOut,
}

router = Router(tags=["认定案件"])


# --- errors ------------------------------------------------------------------------------------


@contextmanager
def refusals() -> Iterator[None]:
    """The services' refusals as HTTP answers (see the module docstring)."""
    try:
        yield
    except services.CaseChanged as exc:
        raise HttpError(409, exc.message) from exc
    except services.DeterminationError as exc:
        if exc.field:
            raise ValidationError(
                [
                    {
                        "loc": ("body", "payload", exc.field),
                        "type": "value_error",
                        "msg": exc.message,
                        "ctx": {"error": exc.message},
                    }
                ]
            ) from exc
        raise HttpError(400, exc.message) from exc


def api_today() -> dt.date:
    return timezone.localdate()


# --- output ------------------------------------------------------------------------------------


class CaseOut(Schema):
    id: int = Field(description="案件编号（内部）")
    number: str = Field(description="案件号：县级区划代码-申请年份-序号")
    version: int = Field(description="版本号：办理操作须带上，他人已先办理时返回 409")
    type: ApplicationType
    type_display: str
    status: Status = Field(description="当前环节")
    status_display: str
    household_id: int
    head_name: str = Field(description="户主姓名")
    applicant_id: int
    applicant_name: str
    region_code: str = Field(description="所属村(居)委会区划代码")
    region_name: str
    applied_on: dt.date
    step_due_on: dt.date | None = Field(description="本环节办理时限")
    step_days_left: int | None = Field(description="本环节剩余工作日；负数为已超期")
    procedure_due_on: dt.date | None = Field(description="全流程办理时限")
    procedure_days_left: int | None = Field(description="全流程剩余工作日；负数为已超期")
    overdue: bool = Field(description="本环节或全流程已超期")
    direct_inclusion: bool = Field(description="存量名单直接纳入")


def _case_out(
    application: Application, today: dt.date, head_name: str | None = None
) -> dict[str, Any]:
    """``head_name`` when the caller fetched the heads in bulk (a queue), else read here."""
    step_due = application.step_due_on
    procedure_due = (
        application.procedure_due_on if application.status in PROCEDURE_STATUSES else None
    )
    household = application.household
    return {
        "id": application.pk,
        "number": application.number,
        "version": application.version,
        "type": application.type,
        "type_display": str(application.get_type_display()),
        "status": application.status,
        "status_display": str(application.get_status_display()),
        "household_id": application.household_id,
        "head_name": head_name
        if head_name is not None
        else (household.head.name if household.head else ""),
        "applicant_id": application.applicant_id,
        "applicant_name": application.applicant.name,
        "region_code": application.region_id,
        "region_name": application.region.name,
        "applied_on": application.applied_on,
        "step_due_on": step_due,
        "step_days_left": working_days_left(step_due, today) if step_due else None,
        "procedure_due_on": procedure_due,
        "procedure_days_left": working_days_left(procedure_due, today) if procedure_due else None,
        "overdue": is_overdue(step_due, today) or is_overdue(procedure_due, today),
        "direct_inclusion": application.direct_inclusion,
    }


class EventOut(Schema):
    id: int
    kind: str
    kind_display: str
    from_status: str
    to_status: str
    actor_name: str = Field(description="办理人")
    at: dt.datetime = Field(description="登记时间")
    on: dt.date = Field(description="办理日期")
    note: str
    data: dict[str, Any]


class AttachmentOut(Schema):
    id: int
    kind: AttachmentKind
    kind_display: str
    original_name: str
    sha256: str
    size: int
    content_type: str
    uploaded_at: dt.datetime


class DataCheckOut(Schema):
    id: int
    requested_on: dt.date
    due_on: dt.date = Field(description="县级反馈时限")
    answered_on: dt.date | None
    answer: str


class DecisionOut(Schema):
    outcome: str
    outcome_display: str
    category: str
    care_tier: str
    monthly_amount: Decimal | None = Field(description="月救助金额（元）")
    start_month: dt.date | None
    reasons: str
    decided_on: dt.date
    refusal_notice_due_on: dt.date | None
    refusal_notice_issued_on: dt.date | None


class TransferOut(Schema):
    id: int
    proposed_type: ApplicationType
    informed_on: dt.date
    consent: bool | None
    new_application_id: int | None


class CaseDetailOut(CaseOut):
    reason: str
    missing_items: list[str]
    accepted_on: dt.date | None
    township_opinion: str
    delegated: bool = Field(description="由乡镇(街道)审核确认（县级委托）")
    spot_check_required: bool
    extension_reason: str
    actions: list[str] = Field(description="当前环节您可以办理的操作（服务名）")
    timeline: list[EventOut] = Field(description="办理记录，按时间先后")
    attachments: list[AttachmentOut]
    data_checks: list[DataCheckOut]
    decision: DecisionOut | None
    transfer: TransferOut | None


def _detail_out(user: User, application: Application) -> dict[str, Any]:
    decision = getattr(application, "decision", None)
    transfer = Transfer.objects.filter(application=application).first()
    return {
        **_case_out(application, api_today()),
        "reason": application.reason,
        "missing_items": [str(item) for item in application.missing_items],
        "accepted_on": application.accepted_on,
        "township_opinion": application.township_opinion,
        "delegated": application.delegated,
        "spot_check_required": application.spot_check_required,
        "extension_reason": application.extension_reason,
        "actions": selectors.actions_for(user=user, application=application),
        "timeline": [
            {
                "id": e.pk,
                "kind": e.kind,
                "kind_display": str(e.get_kind_display()),
                "from_status": e.from_status,
                "to_status": e.to_status,
                "actor_name": e.actor_name,
                "at": e.at,
                "on": e.on,
                "note": e.note,
                "data": e.data,
            }
            for e in selectors.case_timeline(user=user, pk=application.pk)
        ],
        "attachments": [
            {
                "id": a.pk,
                "kind": a.kind,
                "kind_display": str(a.get_kind_display()),
                "original_name": a.original_name,
                "sha256": a.sha256,
                "size": a.size,
                "content_type": a.content_type,
                "uploaded_at": a.uploaded_at,
            }
            for a in application.attachments.order_by("id")
        ],
        "data_checks": list(
            application.data_checks.order_by("id").values(
                "id", "requested_on", "due_on", "answered_on", "answer"
            )
        ),
        "decision": None
        if decision is None
        else {
            "outcome": decision.outcome,
            "outcome_display": str(decision.get_outcome_display()),
            "category": decision.category,
            "care_tier": decision.care_tier,
            "monthly_amount": decision.monthly_amount,
            "start_month": decision.start_month,
            "reasons": decision.reasons,
            "decided_on": decision.decided_on,
            "refusal_notice_due_on": decision.refusal_notice_due_on,
            "refusal_notice_issued_on": decision.refusal_notice_issued_on,
        },
        "transfer": None
        if transfer is None
        else {
            "id": transfer.pk,
            "proposed_type": transfer.proposed_type,
            "informed_on": transfer.informed_on,
            "consent": transfer.consent,
            "new_application_id": transfer.new_application_id,
        },
    }


def _fresh(request: AuthenticatedRequest, case_id: int) -> dict[str, Any]:
    return _detail_out(request.user, selectors.case_get(user=request.user, pk=case_id))


# --- reads -------------------------------------------------------------------------------------


class CaseFilterIn(Schema):
    region: str = Field("", max_length=12, description="区划代码（2、4、6、9 或 12 位），含下级")
    step: Status | None = Field(None, description="办理环节")
    type: ApplicationType | None = Field(None, description="申请类型")
    overdue: bool | None = Field(None, description="true 只看已超期，false 只看未超期")


@router.get(
    "",
    response={200: list[CaseOut], **READ_ERRORS},
    summary="办理中的案件（工作队列）",
    description="管辖范围内办理中的案件，按本环节办理时限先后；可按区划、环节、类型、是否超期"
    f"筛选。每页默认 {PAGE_SIZE} 条，page_size 最大 {MAX_PAGE_SIZE}。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def case_list(request: AuthenticatedRequest, filters: Query[CaseFilterIn]) -> Any:
    require(request.user, Capability.VIEW_CASES)
    today = api_today()
    rows = selectors.case_queue(
        user=request.user,
        today=today,
        region_code=filters.region or None,
        step=filters.step.value if filters.step else None,
        overdue=filters.overdue,
        type=filters.type.value if filters.type else None,
    )
    heads = Person.objects.in_bulk({row.application.household.head_id for row in rows})
    return [
        _case_out(row.application, today, _name(heads, row.application.household.head_id))
        for row in rows
    ]


def _name(people: dict[int, Person], pk: int | None) -> str:
    person = people.get(pk) if pk is not None else None
    return person.name if person else ""


@router.get(
    "/{int:case_id}",
    response={200: CaseDetailOut, **READ_ERRORS},
    summary="案件详情",
    description="案件的当前环节与时限、办理记录（时间线）、材料（含 SHA-256）、核对请求、决定、"
    "转介，以及您在当前环节可以办理的操作。每次读取记入审计日志。",
)
def case_detail(request: AuthenticatedRequest, case_id: int) -> Any:
    require(request.user, Capability.VIEW_CASES)
    application = selectors.case_get(user=request.user, pk=case_id)
    services.case_viewed(actor=request.user, application=application, client=client_of(request))
    return _detail_out(request.user, application)


# --- the application ---------------------------------------------------------------------------


class CaseCreateIn(Schema):
    household_id: int = Field(description="家庭编号（须在您的管辖范围内）")
    type: ApplicationType
    applicant_id: int | None = Field(None, description="申请人（本户现有成员），默认户主")
    reason: str = Field("", max_length=2000, description="申请理由")
    applied_on: dt.date | None = Field(None, description="申请日期，默认今天")


@router.post(
    "",
    response={201: CaseDetailOut, **ACTION_ERRORS},
    summary="提出申请",
    description="乡镇(街道)受理窗口登记申请，或村(居)协理员代为录入；家庭须已建档。"
    "核对授权书随后以 POST /api/cases/{id}/attachments 上传，受理前必须上传。",
)
def case_create(request: AuthenticatedRequest, payload: CaseCreateIn) -> Any:
    household = access_scoped(
        Household.objects.select_related("head"), user=request.user, pk=payload.household_id
    )
    applicant = None
    if payload.applicant_id is not None:
        applicant = Person.objects.filter(pk=payload.applicant_id).first()
        if applicant is None:
            raise ValidationError(
                [
                    {
                        "loc": ("body", "payload", "applicant_id"),
                        "type": "value_error",
                        "msg": "申请人不存在",
                        "ctx": {"error": "申请人须是本户现有成员"},
                    }
                ]
            )
    with refusals():
        application = services.application_submit(
            actor=request.user,
            household=household,
            type=payload.type.value,
            applicant=applicant,
            reason=payload.reason,
            applied_on=payload.applied_on,
            client=client_of(request),
        )
    return HttpStatus(201, _fresh(request, application.pk))


@router.post(
    "/{int:case_id}/attachments",
    response={201: AttachmentOut, **ACTION_ERRORS, 413: ErrorOut},
    summary="上传材料",
    description="multipart/form-data：kind（authorisation 核对授权书 / photo 照片 / id_copy "
    "身份证件复印件 / other 其他）、file（PDF、JPEG 或 PNG，不超过 20 MB）。保存 SHA-256。"
    "上传材料不改变案件环节，不需要版本号。",
)
def attachment_upload(
    request: AuthenticatedRequest,
    case_id: int,
    kind: Form[AttachmentKind],
    file: File[UploadedFile],
) -> Any:
    application = selectors.case_get(user=request.user, pk=case_id)
    if (file.size or 0) > MAX_ATTACHMENT_BYTES:
        raise HttpError(413, "文件超过 20 MB，请压缩后再上传")
    with refusals():
        attachment = services.attachment_add(
            actor=request.user,
            application=application,
            kind=kind.value,
            content=file.read(),
            filename=file.name or "upload",
            content_type=file.content_type or "",
            client=client_of(request),
        )
    return HttpStatus(
        201,
        {
            "id": attachment.pk,
            "kind": attachment.kind,
            "kind_display": str(attachment.get_kind_display()),
            "original_name": attachment.original_name,
            "sha256": attachment.sha256,
            "size": attachment.size,
            "content_type": attachment.content_type,
            "uploaded_at": attachment.uploaded_at,
        },
    )


# --- actions on a case -------------------------------------------------------------------------


class VersionIn(Schema):
    version: int = Field(description="您看到的案件版本号（详情中的 version）")


class AcceptIn(VersionIn):
    accepted_on: dt.date | None = Field(None, description="受理日期，默认今天")


class ReturnIn(VersionIn):
    missing_items: list[str] = Field(min_length=1, description="需补正的材料，逐项列出")


class ReasonIn(VersionIn):
    reason: str = Field(max_length=300, description="原因")


class HomeVisitIn(VersionIn):
    visited_on: dt.date = Field(description="调查日期")
    staff: list[str] = Field(min_length=2, description="调查人员姓名，至少两人")
    findings: str = Field(max_length=5000, description="调查情况")


class DataCheckAnswerIn(VersionIn):
    answer: str = Field("", max_length=5000, description="核对结果（手工填写）")
    verification_report_id: int | None = Field(None, description="本户的家庭经济状况核对报告")
    answered_on: dt.date | None = None


class TownshipReviewIn(VersionIn):
    opinion: str = Field(max_length=5000, description="乡镇(街道)审核意见")
    objection_outcome: str = Field("", max_length=5000, description="异议复查结论（有异议时）")


class PublicityIn(VersionIn):
    starts_on: dt.date | None = Field(None, description="公示开始日期，默认今天")
    place: str = Field("", max_length=200, description="公示地点")


class ObjectionIn(VersionIn):
    content: str = Field(max_length=5000, description="异议内容")
    received_on: dt.date | None = None


class SpotCheckIn(VersionIn):
    result: SpotCheckResult
    note: str = Field("", max_length=5000)


class ConfirmIn(VersionIn):
    category: Category | None = Field(None, description="救助类别，默认按申请类型")
    care_tier: CareTier | None = Field(None, description="特困人员照料护理等级")
    amount: Decimal | None = Field(
        None, max_digits=12, decimal_places=2, description="临时救助金额（其他类型按标准计算）"
    )
    reasons: str = Field("", max_length=5000)
    income_unstable: bool = Field(False, description="收入不稳定（低保半年核查一次）")


class RefuseIn(VersionIn):
    reasons: str = Field(max_length=5000, description="不予认定的理由（写入告知书）")


class DateIn(VersionIn):
    on: dt.date | None = Field(None, description="办理日期，默认今天")


class ConsentIn(VersionIn):
    consent: bool = Field(description="申请人是否同意转介")


def _case(request: AuthenticatedRequest, case_id: int, version: int) -> Application:
    return selectors.case_for_action(user=request.user, pk=case_id, version=version)


def _action(path: str, summary: str, description: str) -> Any:
    return router.post(
        path,
        response={200: CaseDetailOut, **ACTION_ERRORS},
        summary=summary,
        description=description,
    )


@_action("/{int:case_id}/accept", "受理", "核对授权书已上传方可受理；受理后 3 个工作日内启动调查。")
def case_accept(request: AuthenticatedRequest, case_id: int, payload: AcceptIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_accept(
            actor=request.user,
            application=application,
            accepted_on=payload.accepted_on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/return", "退回补正", "退回申请并列出需补正的材料。")
def case_return(request: AuthenticatedRequest, case_id: int, payload: ReturnIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_return(
            actor=request.user,
            application=application,
            missing_items=payload.missing_items,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/resubmit", "补正后重新提交", "材料补齐后重新提交待受理。")
def case_resubmit(request: AuthenticatedRequest, case_id: int, payload: VersionIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_resubmit(
            actor=request.user, application=application, client=client_of(request)
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/withdraw", "撤回申请", "申请人撤回申请，须写明原因。")
def case_withdraw(request: AuthenticatedRequest, case_id: int, payload: ReasonIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.application_withdraw(
            actor=request.user,
            application=application,
            reason=payload.reason,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/home-visits", "登记入户调查", "至少两名工作人员入户调查的时间、人员和情况。"
)
def case_home_visit(request: AuthenticatedRequest, case_id: int, payload: HomeVisitIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.home_visit_record(
            actor=request.user,
            application=application,
            visited_on=payload.visited_on,
            staff=payload.staff,
            findings=payload.findings,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/data-checks", "提请经济状况核对", "县级 3 个工作日内反馈。")
def case_data_check(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.data_check_request(
            actor=request.user,
            application=application,
            requested_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/data-checks/{int:check_id}/answer",
    "反馈核对结果",
    "县级手工填写核对结果，或选择为本户出具的家庭经济状况核对报告。",
)
def case_data_check_answer(
    request: AuthenticatedRequest, case_id: int, check_id: int, payload: DataCheckAnswerIn
) -> Any:
    application = _case(request, case_id, payload.version)
    data_check = DataCheck.objects.filter(application=application, pk=check_id).first()
    if data_check is None:
        raise HttpError(404, "未找到该核对请求")
    data_check.application = application  # the version the caller saw
    report = None
    if payload.verification_report_id is not None:
        from safetynet.feeds.models import VerificationReport

        report = VerificationReport.objects.filter(
            pk=payload.verification_report_id, household_id=application.household_id
        ).first()
        if report is None:
            raise ValidationError(
                [
                    {
                        "loc": ("body", "payload", "verification_report_id"),
                        "type": "value_error",
                        "msg": "核对报告不是本户的",
                        "ctx": {"error": "核对报告不存在或不是本户的"},
                    }
                ]
            )
    with refusals():
        services.data_check_answer(
            actor=request.user,
            data_check=data_check,
            answer=payload.answer,
            verification_report=report,
            answered_on=payload.answered_on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/township-review", "乡镇(街道)审核", "登记审核意见；需公示的类型转入待公示。"
)
def case_township_review(
    request: AuthenticatedRequest, case_id: int, payload: TownshipReviewIn
) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.township_review(
            actor=request.user,
            application=application,
            opinion=payload.opinion,
            objection_outcome=payload.objection_outcome,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/publicity", "开始公示", "公示 7 天。")
def case_publicity(request: AuthenticatedRequest, case_id: int, payload: PublicityIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.publicity_start(
            actor=request.user,
            application=application,
            starts_on=payload.starts_on,
            place=payload.place,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/objections", "登记公示异议", "异议使案件重回调查（特困 15 个工作日复查）。"
)
def case_objection(request: AuthenticatedRequest, case_id: int, payload: ObjectionIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.objection_record(
            actor=request.user,
            application=application,
            content=payload.content,
            received_on=payload.received_on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/publicity/close", "结束公示", "公示期满无异议，报送审核确认。")
def case_publicity_close(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.publicity_close(
            actor=request.user,
            application=application,
            closed_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/spot-check", "登记县级抽查", "特困案件按不低于 30% 的比例抽查。")
def case_spot_check(request: AuthenticatedRequest, case_id: int, payload: SpotCheckIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.spot_check_record(
            actor=request.user,
            application=application,
            result=payload.result.value,
            note=payload.note,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/confirm",
    "审核确认（予以认定）",
    "县级（或受委托的乡镇）确认：类别、金额（按标准计算）、起始月份为决定的次月。",
)
def case_confirm(request: AuthenticatedRequest, case_id: int, payload: ConfirmIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.decision_confirm(
            actor=request.user,
            application=application,
            category=payload.category.value if payload.category else None,
            care_tier=payload.care_tier.value if payload.care_tier else "",
            amount=payload.amount,
            reasons=payload.reasons,
            income_unstable=payload.income_unstable,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/refuse",
    "不予认定",
    "写明理由；书面告知须在决定后 3 个工作日内送达。",
)
def case_refuse(request: AuthenticatedRequest, case_id: int, payload: RefuseIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.decision_refuse(
            actor=request.user,
            application=application,
            reasons=payload.reasons,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/refusal-notice", "登记告知书送达", "不予认定告知书已送达申请人。")
def case_refusal_notice(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.refusal_notice_issue(
            actor=request.user,
            application=application,
            issued_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action("/{int:case_id}/extend", "延长办理期限", "写明原因，全流程由 30 个工作日延至 45 个。")
def case_extend(request: AuthenticatedRequest, case_id: int, payload: ReasonIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.procedure_extend(
            actor=request.user,
            application=application,
            reason=payload.reason,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/transfer",
    "告知转介",
    "不符合所申请类型、但评估符合低保边缘或刚性支出困难条件时，告知申请人相关政策。",
)
def case_transfer(request: AuthenticatedRequest, case_id: int, payload: DateIn) -> Any:
    application = _case(request, case_id, payload.version)
    with refusals():
        services.transfer_offer(
            actor=request.user,
            application=application,
            informed_on=payload.on,
            client=client_of(request),
        )
    return _fresh(request, case_id)


@_action(
    "/{int:case_id}/transfer/consent",
    "登记转介意见",
    "申请人同意的，新建转介案件，3 个工作日内完成认定。",
)
def case_transfer_consent(request: AuthenticatedRequest, case_id: int, payload: ConsentIn) -> Any:
    application = _case(request, case_id, payload.version)
    transfer = Transfer.objects.filter(application=application).first()
    if transfer is None:
        raise HttpError(400, "该案件尚未告知转介")
    transfer.application = application  # the version the caller saw
    with refusals():
        services.transfer_consent(
            actor=request.user,
            transfer=transfer,
            consent=payload.consent,
            client=client_of(request),
        )
    return _fresh(request, case_id)
