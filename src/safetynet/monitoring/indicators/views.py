"""The indicators in force for the user's county (or the province), and a new version of one
for the user's region (a county override, or the province's own) from a date."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.monitoring.indicators.forms import IndicatorVersionForm
from safetynet.monitoring.indicators.labels import params_shown
from safetynet.monitoring.indicators.selectors import indicators_for_region
from safetynet.monitoring.indicators.services import IndicatorError, indicator_version_create
from safetynet.monitoring.scan.rules import RULES
from safetynet.regions.models import Level, Region


def _setting_region(request: AuthenticatedRequest) -> Region | None:
    """The region whose versions the user sets: their county, or the province."""
    region = request.user.scope_region
    if region is None:
        return None
    if region.level == Level.PROVINCE:
        return region
    return Region.objects.filter(code=region.code[:6].ljust(12, "0"), level=Level.COUNTY).first()


@login_required
@require_GET
def indicator_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_MONITORING)
    region = request.user.scope_region
    code = (
        region.code[:6].ljust(12, "0")
        if region and region.level != Level.PROVINCE
        else settings.PROVINCE_CODE
    )
    indicators = indicators_for_region(region_code=code, on=timezone.localdate())
    rows = [
        {
            "version": version,
            "rule": RULES.get(version.rule),
            "examples": set(version.example_params or []),
            "params": params_shown(version.params or {}, set(version.example_params or [])),
        }
        for version in indicators.values()
    ]
    return render(
        request,
        "monitoring/indicators.html",
        {
            "rows": rows,
            "region_code": code,
            "can_edit": allowed(request.user, Capability.EDIT_INDICATORS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def indicator_version(request: AuthenticatedRequest, code: str) -> HttpResponse:
    require(request.user, Capability.EDIT_INDICATORS)
    region = _setting_region(request)
    if region is None:
        raise Http404("没有可设定指标的区划")
    base = indicators_for_region(region_code=region.code, on=timezone.localdate()).get(code)
    if base is None:
        raise Http404("指标不存在")
    form = IndicatorVersionForm(
        request.POST or None,
        params=base.params or {},
        initial={
            "effective_from": timezone.localdate(),
            "severity": base.severity,
            "check_working_days": base.check_working_days,
            "active": base.active,
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            indicator_version_create(
                actor=request.user,
                base=base,
                region=region,
                effective_from=data["effective_from"],
                changes={
                    "params": form.params(),
                    "severity": data["severity"],
                    "check_working_days": data["check_working_days"],
                    "active": data["active"],
                },
            )
        except IndicatorError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "已新增指标版本。")
            return redirect("monitoring:indicators")
    return render(
        request, "monitoring/indicator_form.html", {"form": form, "base": base, "region": region}
    )
