from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.audit.services import client_of
from safetynet.oversight import selectors, services
from safetynet.oversight.common import OversightError, normalise_number
from safetynet.oversight.forms import RecoveryForm, RepaymentForm
from safetynet.oversight.models import LEGAL_BASIS, RecoveryStatus, TipOff
from safetynet.registry import selectors as registry_selectors


def _error(form: Any, exc: OversightError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@login_required
def recovery_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in RecoveryStatus.values:
        status = ""
    rows = selectors.recovery_list(user=request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/recovery_list.html",
        {"page": page, "statuses": RecoveryStatus.choices, "status": status},
    )


@login_required
def recovery_new(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    require(request.user, Capability.RECORD_RECOVERIES)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    initial: dict[str, object] = {"decided_on": timezone.localdate()}
    if request.GET.get("tipoff"):
        initial["source"] = "tipoff"
        initial["tipoff_number"] = request.GET["tipoff"][:30]
    form = RecoveryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tipoff = None
            if data["tipoff_number"]:
                tipoff = (
                    scope_queryset(TipOff.objects.all(), user=request.user)
                    .filter(number=normalise_number(data["tipoff_number"]))
                    .first()
                )
                if tipoff is None:
                    raise OversightError("未找到该举报编号", field="tipoff_number")
            recovery = services.recovery_decide(
                actor=request.user,
                household=household,
                source=data["source"],
                reason=data["reason"],
                period_from=data["period_from"],
                period_to=data["period_to"],
                amount=data["amount"],
                decision_number=data["decision_number"],
                decided_on=data["decided_on"],
                facts=data["facts"],
                officer_finding=data["officer_finding"],
                officer_note=data["officer_note"],
                tipoff=tipoff,
                client=client_of(request),
            )
        except OversightError as exc:
            _error(form, exc)
        else:
            messages.success(request, f"已登记追回决定 {recovery.decision_number}。")
            return redirect("oversight:recovery_detail", pk=recovery.pk)
    return render(
        request,
        "oversight/recovery_form.html",
        {"household": household, "form": form, "bases": [str(b) for b in LEGAL_BASIS.values()]},
    )


@login_required
def recovery_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    recovery = selectors.recovery_access(user=request.user, pk=pk)
    can_record = allowed(request.user, Capability.RECORD_RECOVERIES)
    form = RepaymentForm(request.POST or None, initial={"paid_on": timezone.localdate()})
    if request.method == "POST":
        require(request.user, Capability.RECORD_RECOVERIES)
        if form.is_valid():
            try:
                services.repayment_record(
                    actor=request.user,
                    recovery=recovery,
                    paid_on=form.cleaned_data["paid_on"],
                    amount=form.cleaned_data["amount"],
                    receipt=form.cleaned_data["receipt"],
                    client=client_of(request),
                )
            except OversightError as exc:
                _error(form, exc)
            else:
                messages.success(request, "已登记退回。")
                return redirect("oversight:recovery_detail", pk=recovery.pk)
    return render(
        request,
        "oversight/recovery_detail.html",
        {
            "r": recovery,
            "form": form if can_record and recovery.balance > 0 else None,
            "repayments": selectors.repayments_of(recovery),
            "transitions": selectors.transitions_of(recovery),
        },
    )
