"""Home checks over the API: the user's queue, one check, recording its visit."""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
import datetime as dt
from typing import Any

from ninja import Query, Router, Schema
from ninja.errors import HttpError
from ninja.pagination import paginate
from ninja.responses import Status

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.api_errors import ErrorOut
from safetynet.api_pages import Pages
from safetynet.monitoring.checks import selectors, services
from safetynet.monitoring.common import Outcome
from safetynet.monitoring.models import HomeCheck

router = Router(tags=["动态监测"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class CheckOut(Schema):
    id: int
    kind: str
    status: str
    alert_id: int | None
    household_id: int | None
    region_code: str
    township_code: str
    created_on: dt.date
    due_on: dt.date
    escalated_on: dt.date | None
    outcome: str

    @staticmethod
    def resolve_outcome(obj: HomeCheck) -> str:
        visit = getattr(obj, "visit", None)
        return visit.outcome if visit else ""


class CheckFilterIn(Schema):
    status: str = "due"
    kind: str = ""
    overdue: bool = False
    escalated: bool = False


class VisitIn(Schema):
    visited_on: dt.date
    staff: list[str]
    findings: str
    outcome: Outcome
    referral_department: str = ""
    open_application: bool = False
    application_type: str = "dibao"
    termination_reason: str = ""
    special_summary: str = ""
    data_wrong_reason: str = ""


class VisitOut(Schema):
    id: int
    outcome: str
    application_id: int | None
    termination_id: int | None
    referral_department: str
    working_days: int | None


@router.get("/checks", response={200: list[CheckOut], **ERRORS}, summary="入户核查任务")
@paginate(Pages, page_size=50, max_page_size=200)
def check_list(request: AuthenticatedRequest, filters: Query[CheckFilterIn]) -> Any:
    return selectors.check_list(user=request.user, filters=selectors.CheckFilters(**filters.dict()))


@router.get("/checks/{home_check_id}", response={200: CheckOut, **ERRORS}, summary="核查任务详情")
def check_detail(request: AuthenticatedRequest, home_check_id: int) -> Any:
    return selectors.check_get(user=request.user, pk=home_check_id)


@router.post(
    "/checks/{home_check_id}/visit",
    response={201: VisitOut, 400: ErrorOut, **ERRORS},
    summary="记录走访及核查结论",
)
def visit_record(request: AuthenticatedRequest, home_check_id: int, payload: VisitIn) -> Any:
    check = selectors.check_get(user=request.user, pk=home_check_id)
    try:
        visit = services.visit_record(
            actor=request.user, check=check, data=services.VisitInput(**payload.dict())
        )
    except services.CheckError as exc:
        raise HttpError(400, exc.message) from exc
    return Status(201, visit)
