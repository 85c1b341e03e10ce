"""Alert pages: the list (filters, figures, export, the scan button with progress), one alert
with its evidence and home check."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.feeds.importing.selectors import source_names
from safetynet.jobs.views import export_started, job_context
from safetynet.monitoring.alerts import selectors, services
from safetynet.monitoring.common import AlertStatus, Severity
from safetynet.monitoring.scan.tasks import scan_submit

PAGE_SIZE = 50


@login_required
@require_GET
def alert_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.AlertFilters.from_query(request.GET)
    alerts = selectors.alert_list(user=request.user, filters=filters)
    page = Paginator(alerts, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/alert_list.html",
        {
            "page": page,
            "filters": filters,
            "indicators": sorted(selectors.indicator_names().items()),
            "statuses": AlertStatus.choices,
            "severities": Severity.choices,
            "can_scan": allowed(request.user, Capability.RUN_MONITORING_SCAN),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_GET
def alert_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    alert = selectors.alert_get(user=request.user, pk=pk)
    check = getattr(alert, "home_check", None)
    names = source_names()
    # The evidence names department sources by their code: shown by their Chinese name.
    evidence = [
        {**row, "source": names.get(row.get("source", ""), row.get("source", ""))}
        for row in alert.evidence or []
    ]
    return render(
        request,
        "monitoring/alert_detail.html",
        {"alert": alert, "check": check, "evidence": evidence},
    )


@login_required
@require_POST
def alert_export(request: AuthenticatedRequest) -> HttpResponse:
    """导出 Excel: the list's filters (its query string) become a background job."""
    filters = selectors.AlertFilters.from_query(request.GET)
    selectors.alert_list(user=request.user, filters=filters)  # the capability check
    return export_started(request, services.alerts_export_write, vars(filters))


@login_required
@require_GET
def figures(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.AlertFilters.from_query(request.GET)
    return render(
        request,
        "monitoring/figures.html",
        {"figures": selectors.figures(user=request.user, filters=filters)},
    )


@login_required
@require_POST
def scan_start(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.RUN_MONITORING_SCAN)
    job = scan_submit(actor=request.user)
    return render(request, "monitoring/scan_started.html", job_context(job))
