"""Alerts over the API: list (filters as on the page), one alert with its evidence, the scan."""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
import datetime as dt
from typing import Any

from ninja import Field, Query, Router, Schema
from ninja.pagination import paginate
from ninja.responses import Status

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.api_errors import ErrorOut
from safetynet.api_pages import Pages
from safetynet.jobs.api import JobOut, job_out
from safetynet.monitoring.alerts import selectors
from safetynet.monitoring.models import Alert
from safetynet.monitoring.scan.tasks import scan_submit

router = Router(tags=["动态监测"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class EvidenceOut(Schema):
    source: str
    batch: int
    period: str
    row: int
    date: str | None = None
    amount: str | None = None
    detail: str | None = None


class AlertOut(Schema):
    id: int
    indicator_code: str
    indicator_name: str
    severity: str
    hardship_type: str
    status: str
    status_display: str
    period: str
    region_code: str
    household_id: int | None
    person_name: str
    id_number_masked: str = Field(description="身份证号(脱敏)；未入库人员为空")
    raised_on: dt.date
    closed_on: dt.date | None
    summary: str
    home_check_id: int | None
    due_on: dt.date | None

    @staticmethod
    def resolve_indicator_name(obj: Alert) -> str:
        return obj.indicator.name

    @staticmethod
    def resolve_status_display(obj: Alert) -> str:
        return str(obj.get_status_display())

    @staticmethod
    def resolve_person_name(obj: Alert) -> str:
        return obj.person.name if obj.person else obj.subject_name

    @staticmethod
    def resolve_id_number_masked(obj: Alert) -> str:
        return obj.person.id_number_masked if obj.person else ""

    @staticmethod
    def resolve_home_check_id(obj: Alert) -> int | None:
        check = getattr(obj, "home_check", None)
        return check.pk if check else None

    @staticmethod
    def resolve_due_on(obj: Alert) -> dt.date | None:
        check = getattr(obj, "home_check", None)
        return check.due_on if check else None


class AlertDetailOut(AlertOut):
    evidence: list[EvidenceOut]


class AlertFilterIn(Schema):
    indicator: str = ""
    status: str = ""
    severity: str = ""
    region: str = ""


@router.get("/alerts", response={200: list[AlertOut], **ERRORS}, summary="监测预警列表")
@paginate(Pages, page_size=50, max_page_size=200)
def alert_list(request: AuthenticatedRequest, filters: Query[AlertFilterIn]) -> Any:
    return selectors.alert_list(user=request.user, filters=selectors.AlertFilters(**filters.dict()))


@router.get("/alerts/{alert_id}", response={200: AlertDetailOut, **ERRORS}, summary="预警详情")
def alert_detail(request: AuthenticatedRequest, alert_id: int) -> Any:
    return selectors.alert_get(user=request.user, pk=alert_id)


@router.post("/scan", response={202: JobOut, **ERRORS}, summary="发起监测扫描（后台任务）")
def scan(request: AuthenticatedRequest) -> Any:
    require(request.user, Capability.RUN_MONITORING_SCAN)
    return Status(202, job_out(scan_submit(actor=request.user)))
