from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_prefix
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record, client_of
from safetynet.oversight import services
from safetynet.oversight.common import OversightError, settings_for
from safetynet.oversight.forms import DATE, SettingsForm
from safetynet.oversight.notices.board import BoardUnavailable, notice_board
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region


def _townships(user: Any) -> list[Region]:
    prefix = scope_prefix(user)
    if prefix is None or len(prefix) > 9:
        return []
    lo, hi = prefix_bounds(prefix)
    return list(
        Region.objects.filter(level=Level.TOWNSHIP, code__gte=lo, code__lte=hi).order_by("code")
    )


class BoardForm(forms.Form):
    township = forms.ChoiceField(label="乡镇(街道)")
    village = forms.CharField(label="村(居)代码（可不填）", required=False, max_length=12)
    starts_from = forms.DateField(label="公示开始日期自", widget=DATE)
    starts_to = forms.DateField(label="至", widget=DATE)

    def __init__(self, *args: Any, townships: list[Region], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["township"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(t.code, t.full_name or t.name) for t in townships]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("starts_from"), data.get("starts_to")
        if start and end and end < start:
            self.add_error("starts_to", "截止日期不能早于起始日期")
        if start and end and (end - start).days > 366:
            self.add_error("starts_to", "一次最多显示一年内的公示")
        return data


@login_required
def board(request: AuthenticatedRequest) -> HttpResponse:
    """The notice board to post at the township or village (and print): proposed and confirmed
    households with masked ID numbers, the notice period, how to object, the tip-off line."""
    require(request.user, Capability.VIEW_CASES)
    townships = _townships(request.user)
    today = timezone.localdate()
    form = BoardForm(
        request.GET if "township" in request.GET else None,
        townships=townships,
        initial={"starts_from": today.replace(day=1), "starts_to": today},
    )
    result = None
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        try:
            result = notice_board(
                user=request.user,
                township_code=data["township"],
                starts_from=data["starts_from"],
                starts_to=data["starts_to"],
                village_code=data["village"].strip(),
            )
        except BoardUnavailable as exc:
            form.add_error(None, exc.message)
        else:
            audit_record(
                actor=request.user,
                action=Action.VIEW,
                object_type="oversight_notice_board",
                object_id=data["township"],
                region_code=data["township"],
                summary=f"查看公示栏 {result.township.name}",
                detail={"rows": len(result.proposed_lines) + len(result.confirmed)},
                client=client_of(request),
            )
    return render(
        request,
        "oversight/board.html",
        {"form": form, "board": result, "townships": townships, "today": today},
    )


@login_required
def settings_page(request: AuthenticatedRequest) -> HttpResponse:
    """The county sets its tip-off telephone and time limits (versions from a date)."""
    require(request.user, Capability.VIEW_OVERSIGHT)
    region = request.user.scope_region
    current = settings_for(region.code) if region is not None else None
    can_edit = (
        allowed(request.user, Capability.CONFIGURE_OVERSIGHT)
        and region is not None
        and region.level in (Level.PROVINCE, Level.CITY, Level.COUNTY)
    )
    form = SettingsForm(request.POST or None, initial={"effective_from": timezone.localdate()})
    if request.method == "POST":
        require(request.user, Capability.CONFIGURE_OVERSIGHT)
        if can_edit and form.is_valid() and region is not None:
            data = form.cleaned_data
            try:
                services.settings_save(
                    actor=request.user,
                    region=region,
                    effective_from=data["effective_from"],
                    tipoff_phone=data["tipoff_phone"],
                    declaration_visit_days=data["declaration_visit_days"],
                    tipoff_days=data["tipoff_days"],
                    client=client_of(request),
                )
            except OversightError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, str(exc))
            else:
                messages.success(request, "已保存。")
                return redirect("oversight:settings")
    return render(
        request,
        "oversight/settings.html",
        {"current": current, "region": region, "form": form if can_edit else None},
    )


@login_required
def public_objections(request: AuthenticatedRequest) -> HttpResponse:
    """The objections sent from the public notice board to the user's region: register one as
    the case's publicity objection, or decline it with a reason."""
    from safetynet.oversight.notices import public

    if request.method == "POST":
        pk = request.POST.get("pk", "")
        try:
            if request.POST.get("action") == "register":
                found = public.public_objection_register(
                    actor=request.user, pk=pk, client=client_of(request)
                )
                messages.success(request, f"已登记为公示异议：{found.number}，案件转入重新调查。")
            else:
                found = public.public_objection_dismiss(
                    actor=request.user,
                    pk=pk,
                    reason=request.POST.get("reason", ""),
                    client=client_of(request),
                )
                messages.success(request, f"不予登记：{found.number}")
        except OversightError as exc:
            messages.error(request, str(exc))
        return redirect("oversight:public_objections")
    return render(
        request,
        "oversight/public_objections.html",
        {
            "objections": public.public_objections(user=request.user),
            "can_handle": allowed(request.user, Capability.INVESTIGATE),
        },
    )
