from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.assistance.referrals import selectors as referrals
from safetynet.changes import selectors as change_selectors
from safetynet.determination import selectors as determination
from safetynet.determination.models import Application
from safetynet.monitoring.checks import selectors as monitoring
from safetynet.oversight import selectors as oversight
from safetynet.registry import selectors


@login_required
def home(request: AuthenticatedRequest) -> HttpResponse:
    count, more = selectors.household_count(user=request.user)
    context: dict[str, Any] = {
        "household_count": count,
        "household_count_more": more,
        "recent": selectors.household_list(user=request.user)[:10],
    }
    if request.user.has_capability(Capability.VIEW_CASES):
        # The workbench leads with what is due: legal deadlines run in working days.
        today = timezone.localdate()
        due = determination.cases_due(user=request.user, today=today)
        context["cases_due"] = len(due.due)
        context["cases_overdue"] = len(due.overdue)
        context["reviews_due"] = determination.reviews_due_count(user=request.user, today=today)
    if request.user.has_capability(Capability.VIEW_MONITORING) or request.user.has_capability(
        Capability.RECORD_CONTRACTED_VISITS
    ):
        context["checks_overdue"] = monitoring.overdue_count(user=request.user)
        context["checks_due"] = monitoring.check_list(user=request.user).count()
    if request.user.has_capability(Capability.HANDLE_OVERSIGHT):
        context["oversight"] = oversight.waiting_counts(user=request.user)
    if referrals.may_view(request.user):
        context["referrals_overdue"] = referrals.overdue_count(user=request.user)
        context["referrals_open"] = referrals.referral_list(
            user=request.user, filters=referrals.ReferralFilters(status="sent")
        ).count()
    return render(request, "web/home.html", context)


@login_required
def village_desk(request: AuthenticatedRequest) -> HttpResponse:
    """The village's own desk (二(二)): the applications this user submitted for families, to
    follow them to the case, and the changes it reported."""
    require(request.user, Capability.ENTER_APPLICATIONS)
    submitted = scope_queryset(
        Application.objects.filter(entered_by=request.user).select_related(
            "household__head", "applicant", "region"
        ),
        user=request.user,
    ).order_by("-applied_on", "-id")
    page = Paginator(submitted, 50).get_page(request.GET.get("page"))
    changes = change_selectors.change_list(user=request.user).filter(reported_by=request.user)[:10]
    return render(
        request,
        "web/village_desk.html",
        {"page": page, "changes": changes},
    )


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Django's CSRF refusal is an English page; ours says what happened and what to do."""
    return render(
        request,
        "403.html",
        {"exception": "页面已过期或来源无法校验（CSRF），请刷新页面后重新提交。"},
        status=403,
    )
