"""Referrals over the API: department systems pull the referrals sent to their department and
region (bearer token) and post their feedback; help given without a referral is reported too."""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.api_errors import ErrorOut
from safetynet.api_pages import Pages
from safetynet.assistance import catalogue
from safetynet.assistance.models import AssistanceRecord, Referral
from safetynet.assistance.referrals import selectors, services
from safetynet.assistance.selectors import household_timeline
from safetynet.registry import selectors as registry_selectors

router = Router(tags=["救助帮扶"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class ReferralOut(Schema):
    """Only what the department needs to act: who, where, what and why (ID number masked)."""

    id: int
    item: str = Field(description="帮扶项目代码（帮扶目录）")
    item_name: str
    clause: str = Field(description="政策依据条款（豫政办〔2022〕103号）")
    department: str
    status: str = Field(description="sent 待签收；acknowledged 办理中；given/declined 已反馈")
    reason: str
    household_id: int
    head_name: str
    head_id_number_masked: str
    address: str
    phone: str
    region_code: str
    category: str
    residence: str
    sent_on: dt.date | None
    acknowledge_due: dt.date | None
    answer_due: dt.date | None
    acknowledged_on: dt.date | None
    answered_on: dt.date | None
    answer_note: str

    @staticmethod
    def resolve_item_name(obj: Referral) -> str:
        return catalogue.item_name(obj.item)

    @staticmethod
    def resolve_head_name(obj: Referral) -> str:
        head = obj.household.head
        return head.name if head else ""

    @staticmethod
    def resolve_head_id_number_masked(obj: Referral) -> str:
        head = obj.household.head
        return head.id_number_masked if head else ""

    @staticmethod
    def resolve_address(obj: Referral) -> str:
        return obj.household.address

    @staticmethod
    def resolve_phone(obj: Referral) -> str:
        return obj.household.phone

    @staticmethod
    def resolve_category(obj: Referral) -> str:
        return obj.household.category

    @staticmethod
    def resolve_residence(obj: Referral) -> str:
        return obj.household.residence


class ReferralFilterIn(Schema):
    status: str = ""
    item: str = ""
    overdue: bool = False


class FeedbackIn(Schema):
    given: bool = Field(description="true：已给予救助帮扶；false：未予救助（须填 declined_reason）")
    kind: str = Field("", description="帮扶内容，如 医疗救助金、公租房配租")
    amount: Decimal | None = Field(None, description="金额（元）")
    given_on: dt.date | None = Field(None, description="实施日期")
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    note: str = ""
    declined_reason: str = ""


class RecordIn(Schema):
    id_number: str = Field(description="受助人身份证号（仅用于匹配，不保存、不返回）")
    item: str = Field(description="帮扶项目代码，须为本部门的项目")
    kind: str
    amount: Decimal | None = None
    given_on: dt.date
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    note: str = ""


class RecordOut(Schema):
    id: int
    household_id: int
    department: str
    item: str
    kind: str
    amount: Decimal | None
    given_on: dt.date
    period_from: dt.date | None
    period_to: dt.date | None
    referral_id: int | None
    source: str


class EventOut(Schema):
    on: dt.date
    stage: str
    text: str


def _given(payload: Any) -> Any:
    if not payload.given:
        return None
    if payload.given_on is None:
        raise HttpError(400, "请填写实施日期（given_on）")
    return services.Given(
        kind=payload.kind,
        given_on=payload.given_on,
        amount=payload.amount,
        period_from=payload.period_from,
        period_to=payload.period_to,
        note=payload.note,
    )


@router.get("/referrals", response={200: list[ReferralOut], **ERRORS}, summary="转办事项")
@paginate(Pages, page_size=50, max_page_size=500)
def referral_list(request: AuthenticatedRequest, filters: Query[ReferralFilterIn]) -> Any:
    return selectors.referral_list(
        user=request.user, filters=selectors.ReferralFilters(**filters.dict())
    )


@router.get("/referrals/{referral_id}", response={200: ReferralOut, **ERRORS}, summary="转办详情")
def referral_detail(request: AuthenticatedRequest, referral_id: int) -> Any:
    return selectors.referral_get(user=request.user, pk=referral_id)


@router.post(
    "/referrals/{referral_id}/acknowledge",
    response={200: ReferralOut, 400: ErrorOut, **ERRORS},
    summary="签收转办",
)
def referral_acknowledge(request: AuthenticatedRequest, referral_id: int) -> Any:
    referral = selectors.referral_get(user=request.user, pk=referral_id)
    try:
        return services.referral_acknowledge(actor=request.user, referral=referral)
    except services.AssistanceError as exc:
        raise HttpError(400, exc.message) from exc


@router.post(
    "/referrals/{referral_id}/feedback",
    response={200: ReferralOut, 400: ErrorOut, **ERRORS},
    summary="反馈办理结果（办结转办；给予的帮扶成为帮扶记录）",
)
def referral_feedback(request: AuthenticatedRequest, referral_id: int, payload: FeedbackIn) -> Any:
    referral = selectors.referral_get(user=request.user, pk=referral_id)
    try:
        return services.referral_answer(
            actor=request.user,
            referral=referral,
            given=_given(payload),
            declined_reason=payload.declined_reason,
        )
    except services.AssistanceError as exc:
        raise HttpError(400, exc.message) from exc


@router.post(
    "/records",
    response={201: RecordOut, 400: ErrorOut, **ERRORS},
    summary="报送未经转办实施的帮扶（五(二)）",
)
def record_report(request: AuthenticatedRequest, payload: RecordIn) -> Any:
    household = selectors.household_by_id_number(user=request.user, number=payload.id_number)
    if household is None:
        raise HttpError(404, "未找到该身份证号的在库家庭，或不在管辖范围内。")
    try:
        record: AssistanceRecord = services.record_report(
            actor=request.user,
            household=household,
            item=payload.item,
            given=services.Given(
                kind=payload.kind,
                given_on=payload.given_on,
                amount=payload.amount,
                period_from=payload.period_from,
                period_to=payload.period_to,
                note=payload.note,
            ),
        )
    except services.AssistanceError as exc:
        raise HttpError(400, exc.message) from exc
    return Status(201, record)


@router.get(
    "/households/{household_id}/timeline",
    response={200: list[EventOut], **ERRORS},
    summary="家庭救助帮扶链条",
)
def timeline(request: AuthenticatedRequest, household_id: int) -> Any:
    require(request.user, Capability.VIEW_HOUSEHOLDS)
    household = registry_selectors.household_get(user=request.user, pk=household_id)
    return household_timeline(user=request.user, household=household)
