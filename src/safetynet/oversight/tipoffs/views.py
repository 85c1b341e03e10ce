from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record, client_of
from safetynet.oversight import selectors, services
from safetynet.oversight.common import OversightError
from safetynet.oversight.forms import PeriodForm, TipOffCloseForm, TipOffIntakeForm
from safetynet.oversight.models import TipOffStatus
from safetynet.registry import selectors as registry_selectors


def _error(form: Any, exc: OversightError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@login_required
def tipoff_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in TipOffStatus.values:
        status = ""
    rows = selectors.tipoff_list(user=request.user, status=status)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/tipoff_list.html",
        {
            "page": page,
            "places": selectors.place_names(t.region_code for t in page),
            "statuses": TipOffStatus.choices,
            "status": status,
            "can_take": allowed(request.user, Capability.HANDLE_OVERSIGHT),
            "today": timezone.localdate(),
        },
    )


@login_required
def tipoff_new(request: AuthenticatedRequest) -> HttpResponse:
    """Intake by staff: a tip-off by telephone, letter or visit."""
    require(request.user, Capability.HANDLE_OVERSIGHT)
    form = TipOffIntakeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            tipoff = services.tipoff_file(
                actor=request.user,
                channel=data["channel"],
                matter=data["matter"],
                region_code=data["region_code"],
                content=data["content"],
                subject_name=data["subject_name"],
                reporter_name=data["reporter_name"],
                reporter_phone=data["reporter_phone"],
                client=client_of(request),
            )
        except OversightError as exc:
            _error(form, exc)
        else:
            messages.success(request, f"已受理举报，编号 {tipoff.number}。")
            return redirect("oversight:tipoff_detail", pk=tipoff.pk)
    return render(request, "oversight/tipoff_new.html", {"form": form})


@login_required
def tipoff_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    tipoff = selectors.tipoff_access(user=request.user, pk=pk)
    can_handle = allowed(request.user, Capability.HANDLE_OVERSIGHT)
    close_form = TipOffCloseForm(request.POST if request.POST.get("do") == "close" else None)
    if request.method == "POST":
        require(request.user, Capability.HANDLE_OVERSIGHT)
        try:
            if request.POST.get("do") == "assign":
                services.tipoff_assign(actor=request.user, tipoff=tipoff, client=client_of(request))
                messages.success(request, "已交乡镇(街道)核查。")
                return redirect("oversight:tipoff_detail", pk=tipoff.pk)
            if close_form.is_valid():
                data = close_form.cleaned_data
                household = None
                if data["household"]:
                    try:
                        household = registry_selectors.household_get(
                            user=request.user, pk=data["household"]
                        )
                    except Http404:
                        raise OversightError(
                            "未找到该家庭，或不在您的管辖范围内", field="household"
                        ) from None
                services.tipoff_close(
                    actor=request.user,
                    tipoff=tipoff,
                    finding=data["finding"],
                    investigation=data["investigation"],
                    household=household,
                    client=client_of(request),
                )
                messages.success(request, "举报已办结。")
                return redirect("oversight:tipoff_detail", pk=tipoff.pk)
        except OversightError as exc:
            _error(close_form, exc)
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="oversight_tipoff",
        object_id=tipoff.pk,
        region_code=tipoff.region_code,
        summary=f"查看举报 {tipoff.number}",
        client=client_of(request),
    )
    return render(
        request,
        "oversight/tipoff_detail.html",
        {
            "t": tipoff,
            "place": selectors.place_names([tipoff.region_code]).get(tipoff.region_code),
            "can_handle": can_handle,
            "close_form": close_form,
            "can_recover": allowed(request.user, Capability.RECORD_RECOVERIES),
            "transitions": selectors.transitions_of(tipoff),
            "recoveries": list(tipoff.recoveries.all()),
        },
    )


@login_required
def figures(request: AuthenticatedRequest) -> HttpResponse:
    form = PeriodForm(request.GET or None)
    period = form.cleaned_data if form.is_valid() else {}
    rows = selectors.county_figures(
        user=request.user, date_from=period.get("date_from"), date_to=period.get("date_to")
    )
    return render(request, "oversight/figures.html", {"form": form, "rows": rows})
