"""The indicators in force for the user's county (or the province), with their history."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.monitoring.indicators.selectors import indicators_for_region
from safetynet.monitoring.scan.rules import RULES


@login_required
@require_GET
def indicator_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_MONITORING)
    region = request.user.scope_region
    code = (
        region.code[:6].ljust(12, "0")
        if region and region.level != "province"
        else settings.PROVINCE_CODE
    )
    indicators = indicators_for_region(region_code=code, on=timezone.localdate())
    rows = [
        {
            "version": version,
            "rule": RULES.get(version.rule),
            "examples": set(version.example_params or []),
        }
        for version in indicators.values()
    ]
    return render(request, "monitoring/indicators.html", {"rows": rows, "region_code": code})
