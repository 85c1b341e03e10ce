"""The household's 评估 page: the proposed categories with every reason, beside the recorded
ones. A thin shell over ``policy.assessment``, which applies the region scope."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.core.dates import query_date
from safetynet.policy.assessment import assessment_viewed, household_assessment


def _on(request: AuthenticatedRequest) -> tuple[dt.date, str]:
    """The date asked for with ``?on=YYYY-MM-DD`` (today if absent) and a problem, if any."""
    raw = request.GET.get("on", "").strip()
    on, readable = query_date(raw, default=timezone.localdate())
    return on, "" if readable else f"评估日期“{raw}”无效，应为 YYYY-MM-DD，已按今天评估"


@login_required
def household_assessment_view(request: AuthenticatedRequest, household_id: int) -> HttpResponse:
    if not request.user.has_capability(Capability.ASSESS_HOUSEHOLDS):
        raise PermissionDenied("您没有救助类别评估的权限")
    on, date_error = _on(request)
    assessment = household_assessment(user=request.user, household_id=household_id, on=on)
    assessment_viewed(actor=request.user, assessment=assessment, client=client_of(request))
    return render(
        request,
        "policy/assessment.html",
        {"a": assessment, "date_error": date_error},
    )
