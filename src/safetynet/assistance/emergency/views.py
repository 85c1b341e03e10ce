"""急难救助 pages: the list (the county sees what was routed to it), a new grant for a household,
one grant with its actions."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.assistance.emergency import services
from safetynet.assistance.models import EmergencyStatus
from safetynet.assistance.referrals.services import AssistanceError
from safetynet.registry import selectors as registry_selectors


@login_required
def grant_list(request: AuthenticatedRequest) -> HttpResponse:
    grants = services.visible_grants(user=request.user)
    routed = request.GET.get("routed") == "1"
    if routed:
        grants = grants.filter(status=EmergencyStatus.ROUTED)
    page = Paginator(grants.order_by("-requested_on", "-id"), 50).get_page(request.GET.get("page"))
    return render(
        request,
        "assistance/emergency_list.html",
        {"page": page, "routed": routed, "today": timezone.localdate()},
    )


@login_required
def grant_new(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    require(request.user, Capability.GRANT_EMERGENCY)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    limit = services.township_limit(household.residence)
    error = ""
    if request.method == "POST":
        try:
            amount = Decimal(request.POST.get("amount", "").replace(",", "").strip())
        except InvalidOperation:
            error = "请填写救助金额"
        else:
            try:
                grant = services.emergency_grant(
                    actor=request.user,
                    household=household,
                    amount=amount,
                    reason=request.POST.get("reason", ""),
                )
            except AssistanceError as exc:
                error = exc.message
            else:
                if grant.status == EmergencyStatus.GRANTED:
                    messages.success(request, f"已先行救助 {grant.amount} 元，请按时补齐手续。")
                else:
                    messages.warning(
                        request,
                        f"金额超出乡镇审批权限（{grant.limit} 元），"
                        "乡镇不予先行救助，已报县级审批。",
                    )
                return redirect("assistance:emergency", pk=grant.pk)
    return render(
        request,
        "assistance/emergency_new.html",
        {"household": household, "limit": limit, "error": error, "posted": request.POST},
    )


@login_required
def grant_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    grant = services.grant_get(user=request.user, pk=pk)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "paperwork":
                services.paperwork_complete(actor=request.user, grant=grant)
                messages.success(request, "已补齐手续。")
            elif action in ("approve", "refuse"):
                services.county_decide(
                    actor=request.user,
                    grant=grant,
                    approve=action == "approve",
                    note=request.POST.get("note", ""),
                )
                messages.success(request, "已审批。")
        except AssistanceError as exc:
            messages.error(request, exc.message)
        return redirect("assistance:emergency", pk=grant.pk)
    return render(
        request,
        "assistance/emergency_detail.html",
        {
            "g": grant,
            "may_grant": allowed(request.user, Capability.GRANT_EMERGENCY),
            "may_decide": allowed(request.user, Capability.DECIDE_EMERGENCY),
            "today": timezone.localdate(),
        },
    )
