"""Oversight over the API (read-only): the tip-offs, declarations and recoveries of the caller's
scope, and the figures per county. ID numbers only ever masked."""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
import datetime as dt
from decimal import Decimal
from typing import Any

from ninja import Query, Router, Schema
from ninja.pagination import paginate

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.api_errors import ErrorOut
from safetynet.api_pages import Pages
from safetynet.oversight import selectors

router = Router(tags=["监督管理"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class TipOffOut(Schema):
    id: int
    number: str
    channel: str
    matter: str
    region_code: str
    status: str
    received_on: dt.date
    due_on: dt.date
    finding: str
    closed_on: dt.date | None
    household_id: int | None


class DeclarationOut(Schema):
    id: int
    number: str
    region_code: str
    name: str
    id_number_masked: str
    status: str
    received_on: dt.date
    due_on: dt.date
    finding: str
    application_id: int | None


class RecoveryOut(Schema):
    id: int
    household_id: int
    region_code: str
    reason: str
    legal_basis: str
    period_from: dt.date
    period_to: dt.date
    amount: Decimal
    repaid: Decimal
    status: str
    decision_number: str
    decided_on: dt.date
    credit_mark: bool
    credit_until: dt.date | None
    officer_finding: str


class FiguresOut(Schema):
    county_code: str
    county_name: str
    tipoffs: int
    tipoffs_open: int
    tipoffs_substantiated: int
    recoveries: int
    recovery_amount: Decimal
    recovery_repaid: Decimal


class StatusIn(Schema):
    status: str = ""


class PeriodIn(Schema):
    date_from: dt.date | None = None
    date_to: dt.date | None = None


@router.get("/tipoffs", response={200: list[TipOffOut], **ERRORS}, summary="举报")
@paginate(Pages, page_size=50, max_page_size=200)
def tipoff_list(request: AuthenticatedRequest, filters: Query[StatusIn]) -> Any:
    return selectors.tipoff_list(user=request.user, status=filters.status)


@router.get("/tipoffs/{tipoff_id}", response={200: TipOffOut, **ERRORS}, summary="举报详情")
def tipoff_detail(request: AuthenticatedRequest, tipoff_id: int) -> Any:
    return selectors.tipoff_access(user=request.user, pk=tipoff_id)


@router.get("/declarations", response={200: list[DeclarationOut], **ERRORS}, summary="自主申报")
@paginate(Pages, page_size=50, max_page_size=200)
def declaration_list(request: AuthenticatedRequest, filters: Query[StatusIn]) -> Any:
    return selectors.declaration_list(user=request.user, status=filters.status)


@router.get("/recoveries", response={200: list[RecoveryOut], **ERRORS}, summary="追回")
@paginate(Pages, page_size=50, max_page_size=200)
def recovery_list(request: AuthenticatedRequest, filters: Query[StatusIn]) -> Any:
    return selectors.recovery_list(user=request.user, status=filters.status)


@router.get("/figures", response={200: list[FiguresOut], **ERRORS}, summary="监督统计（按县）")
def figures(request: AuthenticatedRequest, period: Query[PeriodIn]) -> Any:
    return selectors.county_figures(
        user=request.user, date_from=period.date_from, date_to=period.date_to
    )
