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
from safetynet.determination import selectors, services
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
    id: int
    kind: ReviewKind
    kind_display: str
    household_id: int
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


class ReviewFilterIn(Schema):
    region: str = Field("", max_length=12, description="区划代码，含下级")
    within_days: int = Field(30, ge=0, le=366, description="列出多少天内到期的（另含已超期的）")


@router.get(
    "",
    response={200: list[ReviewOut], **READ_ERRORS},
    summary="到期和超期的复核",
    description="年度复核、定期核查、自理能力复评、死亡复核中尚未办理的，按应复核日期先后。",
)
@paginate(Pages, page_size=PAGE_SIZE, max_page_size=MAX_PAGE_SIZE)
def review_list(request: AuthenticatedRequest, filters: Query[ReviewFilterIn]) -> Any:
    require(request.user, Capability.VIEW_CASES)
    rows = selectors.reviews_due(
        user=request.user,
        today=api_today(),
        within_days=filters.within_days,
        region_code=filters.region or None,
    )
    return [
        {
            "id": row.review.pk,
            "kind": row.review.kind,
            "kind_display": str(row.review.get_kind_display()),
            "household_id": row.review.household_id,
            "head_name": row.review.household.head.name if row.review.household.head else "",
            "person_id": row.review.person_id,
            "person_name": row.review.person.name if row.review.person else "",
            "region_code": row.review.region_id,
            "region_name": row.review.region.name,
            "category": row.review.category,
            "due_on": row.review.due_on,
            "days_left": row.days_left,
            "overdue": row.overdue,
            "case_id": row.review.application_id,
        }
        for row in rows
    ]


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
