"""A termination's page (/determination/reviews/terminations/<pk>/): its facts and state, the
steps it waits for (publicity over, the confirming level's decision, in effect) and its notice
(终止救助通知书) once decided. Who decides: ``after.terminations``."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped
from safetynet.audit.services import client_of
from safetynet.determination import services
from safetynet.determination.common import acts_for_township
from safetynet.determination.documents import termination as notice
from safetynet.determination.models import Termination, TerminationStatus
from safetynet.downloads import PDF, download
from safetynet.registry.choices import Category


class DecisionForm(forms.Form):
    note = forms.CharField(
        label="确认意见", required=False, widget=forms.Textarea(attrs={"rows": 3}), max_length=500
    )


def _termination(request: AuthenticatedRequest, pk: int, capability: str) -> Termination:
    require(request.user, capability)
    return access_scoped(
        Termination.objects.select_related(
            "household", "household__head", "person", "region", "application", "decided_by"
        ),
        user=request.user,
        pk=pk,
    )


def _back(request: AuthenticatedRequest, termination: Termination) -> HttpResponse:
    """Back to the review list where the step was taken there, else to the termination."""
    if request.POST.get("back") == "list":
        return redirect(f"{reverse('determination:review_list')}#terminations")
    return redirect("determination:termination", pk=termination.pk)


def _may_decide(request: AuthenticatedRequest, termination: Termination) -> bool:
    return (
        termination.status == TerminationStatus.CONFIRMING
        and allowed(request.user, Capability.CONFIRM_DETERMINATION)
        and (termination.delegated or not acts_for_township(request.user))
    )


@login_required
@require_GET
def termination_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    termination = _termination(request, pk, Capability.VIEW_CASES)
    category = termination.category
    context: dict[str, Any] = {
        "t": termination,
        "category": Category(category).label if category in Category.values else category,
        "today": timezone.localdate(),
        "may_decide": _may_decide(request, termination),
        "decided": termination.status in notice.DECIDED,
        "form": DecisionForm(),
    }
    return render(request, "determination/termination_detail.html", context)


@login_required
@require_POST
def termination_publicity_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    termination = _termination(request, pk, Capability.INVESTIGATE)
    try:
        services.termination_publicity_close(
            actor=request.user, termination=termination, client=client_of(request)
        )
    except services.DeterminationError as exc:
        messages.error(request, exc.message)
    else:
        effective: dt.date | None = termination.effective_from
        if effective is None:
            messages.success(request, "终止公示期满，已报县级民政部门确认。")
        else:
            messages.success(request, f"终止公示期满，自 {effective:%Y-%m-%d} 起生效。")
    return _back(request, termination)


def _decide(request: AuthenticatedRequest, pk: int, *, confirm: bool) -> HttpResponse:
    """The confirming level's decision on a proposed termination: confirm or decline."""
    termination = _termination(request, pk, Capability.CONFIRM_DETERMINATION)
    form = DecisionForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    service = services.termination_confirm if confirm else services.termination_decline
    try:
        service(actor=request.user, termination=termination, note=note, client=client_of(request))
    except services.DeterminationError as exc:
        messages.error(request, exc.message)
    else:
        effective: dt.date | None = termination.effective_from
        messages.success(
            request,
            f"已确认终止，自 {effective:%Y-%m-%d} 起停止救助。"
            if confirm
            else "已决定不予终止，继续享受救助。",
        )
    return _back(request, termination)


@login_required
@require_POST
def termination_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=True)


@login_required
@require_POST
def termination_decline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, confirm=False)


@login_required
@require_POST
def termination_complete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    termination = _termination(request, pk, Capability.INVESTIGATE)
    try:
        services.termination_complete(
            actor=request.user, termination=termination, client=client_of(request)
        )
    except services.DeterminationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, "救助已终止，类别历史已保留。")
    return _back(request, termination)


@login_required
@require_GET
def termination_notice(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    termination = _termination(request, pk, Capability.VIEW_CASES)
    try:
        pdf = notice.termination_notice_pdf(
            user=request.user, termination=termination.pk, client=client_of(request)
        )
    except notice.TerminationNoticeUnavailable as exc:
        raise Http404(exc.message) from exc
    return download(pdf, f"终止救助通知书-{termination.pk}.pdf", PDF)
