"""The payment roll page of a county and month, its Excel roll and the bank file."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope, scope_prefix
from safetynet.assistance.payments import roll as rolls
from safetynet.core.dates import parse_date
from safetynet.jobs.views import export_started
from safetynet.regions.models import Level, Region

SHOWN_ROWS = 200
EXPORTS = {"xlsx": rolls.roll_xlsx_export, "bank": rolls.roll_bank_export}


def _county(request: AuthenticatedRequest) -> Region | None:
    code = request.GET.get("county", "")
    if not code:
        prefix = scope_prefix(request.user) or ""
        code = prefix[:6] if len(prefix) >= 6 else ""
    if not code.isdigit() or len(code) != 6:
        return None
    county = Region.objects.filter(code=code.ljust(12, "0"), level=Level.COUNTY).first()
    if county is None or not in_scope(county.code, user=request.user):
        raise Http404("未找到该县(市、区)，或不在您的管辖范围内。")
    return county


def _month(request: AuthenticatedRequest) -> dt.date:
    text = request.GET.get("month", "")
    try:
        return parse_date(text, month_means_first=True).replace(day=1)
    except (ValueError, TypeError):
        return timezone.localdate().replace(day=1)


@login_required
def payment_roll(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_PAYMENTS)
    county = _county(request)
    month = _month(request)
    counties = Region.objects.filter(
        level=Level.COUNTY, code__startswith=scope_prefix(request.user) or "-"
    ).order_by("code")[:300]
    fmt = request.GET.get("format", "")
    if county is not None and fmt in EXPORTS and request.method == "POST":
        # 导出 Excel 名册 / 银行发放文件: a background job (posted; a GET shows the page).
        if fmt == "bank":
            require(request.user, Capability.EXPORT_PAYMENTS, county)
        params = {"county": county.code[:6], "month": f"{month:%Y-%m}"}
        return export_started(request, EXPORTS[fmt], params, region_code=county.code)
    roll = rolls.payment_roll(actor=request.user, county=county, month=month) if county else None
    return render(
        request,
        "assistance/payment_roll.html",
        {
            "roll": roll,
            "rows": roll.rows[:SHOWN_ROWS] if roll else [],
            "county": county,
            "counties": counties,
            "month": month,
            "month_text": f"{month:%Y-%m}",
            "can_bank": allowed(request.user, Capability.EXPORT_PAYMENTS),
            "shown": SHOWN_ROWS,
            "issued": rolls.issued_roll(county=county, month=month) if county else None,
        },
    )


@login_required
@require_POST
def payment_roll_issue(request: AuthenticatedRequest) -> HttpResponse:
    """定稿发放: the county issues the month's roll; its lines become the amounts paid."""
    require(request.user, Capability.EXPORT_PAYMENTS)
    county = _county(request)
    if county is None:
        raise Http404("未找到该县(市、区)，或不在您的管辖范围内。")
    month = _month(request)
    try:
        issued = rolls.roll_issue(actor=request.user, county=county, month=month)
    except ValueError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已定稿：{issued.households} 户，合计 {issued.total} 元，计入统计的实发金额。"
        )
    return redirect(
        f"{reverse('assistance:payments')}?county={county.code[:6]}&month={month:%Y-%m}"
    )
