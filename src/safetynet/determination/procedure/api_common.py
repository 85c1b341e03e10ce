"""What the cases API's endpoints share: the router, the error mapping (``refusals``), the
output and input schemas, and loading a case at the version the caller saw."""

# No `from __future__ import annotations` here: ninja reads the endpoint parameter types
# (``Query[...]``, ``Form[...]``) when the routes are declared.
import datetime as dt
from collections.abc import Iterator
from contextlib import contextmanager
from decimal import Decimal
from typing import Any

from django.utils import timezone
from ninja import Field, Router, Schema
from ninja.errors import HttpError, ValidationError

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.api_errors import ErrorOut, ValidationErrorOut
from safetynet.determination import selectors, services
from safetynet.determination.deadlines import is_overdue, working_days_left
from safetynet.determination.models import (
    PROCEDURE_STATUSES,
    Application,
    ApplicationType,
    AttachmentKind,
    CareTier,
    SpotCheckResult,
    Status,
    Transfer,
)
from safetynet.registry.choices import Category

PAGE_SIZE = 50
MAX_PAGE_SIZE = 200


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
