"""REST endpoints after the decision, under /api/cases/reviews: the reviews due and recording a
review's outcome (errors as in ``procedure.api``)."""

# No `from __future__ import annotations` here: ninja reads the endpoint parameter types
# (``Query[...]``) when the routes are declared.
import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped
from safetynet.api_pages import Pages
from safetynet.audit.services import client_of
from safetynet.determination import services
from safetynet.determination.after import queue
from safetynet.determination.models import ReviewKind, ReviewOutcome, ReviewSchedule
from safetynet.determination.procedure.api_common import (
    ACTION_ERRORS,
    MAX_PAGE_SIZE,
    PAGE_SIZE,
    READ_ERRORS,
    api_today,
    refusals,
)
from safetynet.registry.choices import Category

router = Router(tags=["认定案件"])


class ReviewOut(Schema):
    id: int | None = Field(
        description="复核编号（登记结果用）；其他应用交来的核查（如动态监测的定期核查）为空"
    )
    kind: ReviewKind | None = Field(description="复核类型；归不进复核类型的核查为空")
    kind_display: str
    household_id: int | None
    head_name: str
    person_id: int | None
    person_name: str
    region_code: str
    region_name: str
    category: str
    due_on: dt.date = Field(description="应复核日期")
    days_left: int = Field(description="距应复核日期的自然日；负数为已超期")
    overdue: bool
    case_id: int | None
    url: str = Field(description="登记该项的页面地址；无权登记时为空")


class ReviewFilterIn(Schema):
    region: str = Field("", max_length=12, description="区划代码，含下级")
    within_days: int = Field(30, ge=0, le=366, description="列出多少天内到期的（另含已超期的）")


@router.get(
    "",
    response={200: list[ReviewOut], **READ_ERRORS},
    summary="到期和超期的复核",
    description="年度复核、定期核查、自理能力复评、死亡复核中尚未办理的，以及其他应用交来的"
    "核查（动态监测的定期核查），按应复核日期先后；与复核页面列出的相同。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def review_list(request: AuthenticatedRequest, filters: Query[ReviewFilterIn]) -> Any:
    require(request.user, Capability.VIEW_CASES)
    today = api_today()
    checks = queue.review_queue(
        user=request.user,
        today=today,
        within_days=filters.within_days,
        region_code=filters.region or None,
    )
    return [_review_out(check, today) for check in checks]


def _review_out(check: queue.QueueCheck, today: dt.date) -> dict[str, Any]:
    days_left = (check.due_on - today).days
    return {
        "id": check.review_id,
        "kind": check.review_kind or None,
        "kind_display": check.kind,
        "household_id": check.household_id,
        "head_name": check.head_name,
        "person_id": check.person_id,
        "person_name": check.person,
        "region_code": check.region_code,
        "region_name": check.village,
        "category": check.category,
        "due_on": check.due_on,
        "days_left": days_left,
        "overdue": days_left < 0,
        "case_id": check.case_id,
        "url": check.url,
    }


class ReviewRecordIn(Schema):
    outcome: ReviewOutcome = Field(description="continue 继续享受 / change 变更 / terminate 终止")
    notes: str = Field(max_length=2000, description="复核情况")
    new_category: Category | None = Field(None, description="变更后的救助类别（change 时）")
    monthly_amount: Decimal | None = Field(
        None, description="变更后的月救助金额（元，change 时；与类别均自复核次月起生效）"
    )
    income_unstable: bool = Field(False, description="收入不稳定（低保半年核查一次）")
    gradual_exit_months: int = Field(0, ge=0, le=6, description="渐退期月数（因就业增收终止时）")
    done_on: dt.date | None = Field(None, description="复核日期，默认今天")


class ReviewDoneOut(Schema):
    id: int
    outcome: ReviewOutcome
    done_on: dt.date
    new_category: str = Field(description="变更后的救助类别，未变更为空")
    monthly_amount: Decimal | None = Field(description="变更后的月救助金额（元）")
    changes_from: dt.date | None = Field(description="变更生效日期（复核次月 1 日）")


@router.post(
    "/{int:review_id}",
    response={200: ReviewDoneOut, **ACTION_ERRORS},
    summary="登记复核结果",
    description="继续享受（安排下一次复核）、变更类别（次月起）或终止（特困公示 7 天后次月"
    "生效；因就业增收可有最长 6 个月渐退期）。",
)
def review_record(request: AuthenticatedRequest, review_id: int, payload: ReviewRecordIn) -> Any:
    require(request.user, Capability.INVESTIGATE)
    review = access_scoped(
        ReviewSchedule.objects.select_related("household", "person", "application"),
        user=request.user,
        pk=review_id,
    )
    with refusals():
        services.review_record(
            actor=request.user,
            review=review,
            outcome=payload.outcome.value,
            notes=payload.notes,
            new_category=payload.new_category.value if payload.new_category else "",
            monthly_amount=payload.monthly_amount,
            income_unstable=payload.income_unstable,
            gradual_exit_months=payload.gradual_exit_months,
            done_on=payload.done_on,
            client=client_of(request),
        )
    return {
        "id": review.pk,
        "outcome": review.outcome,
        "done_on": review.done_on,
        "new_category": review.new_category,
        "monthly_amount": review.monthly_amount,
        "changes_from": review.changes_from,
    }
