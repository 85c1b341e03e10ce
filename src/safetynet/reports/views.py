"""The statistics pages: the dashboard of a region (figures, charts, the map), the drill-down
lists and their Excel, the monthly statistical report and the performance assessment. Every
page takes ``region`` (inside the user's scope, else 404) and ``month`` (YYYY-MM)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Sum
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.downloads import XLSX, download
from safetynet.jobs.views import export_started
from safetynet.regions.models import Level
from safetynet.registry.choices import Category, Residence
from safetynet.reports import assessment, maps, monthly, selectors, services
from safetynet.reports import figures as registry
from safetynet.reports.figures import Query, child_level
from safetynet.reports.rollups import previous_month

PAGE_SIZE = 50


def _query(request: AuthenticatedRequest) -> Query:
    require(request.user, Capability.VIEW_STATISTICS)
    return selectors.query_from(request.user, request.GET)


def _months(q: Query, count: int = 24) -> list[str]:
    months = [q.month]
    current = selectors.month_for(None)
    while len(months) < count:
        months.append(previous_month(months[-1]))
    if q.month != current:
        months.insert(0, current)
    return sorted({f"{m:%Y-%m}" for m in months}, reverse=True)


def _common(request: AuthenticatedRequest, q: Query) -> dict[str, Any]:
    return {
        "q": q,
        "region_name": selectors.display_name(q.region.code, q.region.name),
        "trail": [
            {"code": r.code, "name": selectors.display_name(r.code, r.name)}
            for r in selectors.breadcrumbs(request.user, q.region)
        ],
        "month": f"{q.month:%Y-%m}",
        "months": _months(q),
        "can_export": allowed(request.user, Capability.EXPORT_HOUSEHOLDS),
        "freshness": selectors.freshness(q),
    }


@login_required
@require_GET
def dashboard(request: AuthenticatedRequest) -> HttpResponse:
    q = _query(request)
    figure_key = request.GET.get("figure", "households")
    figure = registry.get(figure_key) or registry.FIGURES[0]
    tiles = selectors.figure_values(q)
    context = _common(request, q)
    context.update(
        {
            "tiles": tiles,
            "figure": figure,
            "figures": registry.available(),
            "categories": selectors.category_table(q),
            "residences": Residence.choices,
            "flows": selectors.flows(q),
            "children": selectors.children(q, figure.key),
            "child_level": child_level(q.region.level),
            "alerts": selectors.alerts_by_indicator_status(q),
            "indicator_names": _indicator_names(),
            "alert_statuses": _alert_statuses(),
            "with_map": q.region.level in (Level.PROVINCE, Level.CITY),
            "data_url": reverse("reports:data") + "?" + request.GET.urlencode(),
        }
    )
    return render(request, "reports/dashboard.html", context)


def _indicator_names() -> dict[str, str]:
    if not registry.get("alerts"):
        return {}
    from safetynet.monitoring.alerts.selectors import indicator_names

    return indicator_names()


def _alert_statuses() -> dict[str, str]:
    if not registry.get("alerts"):
        return {}
    from safetynet.monitoring.common import AlertStatus

    return {key: str(label) for key, label in AlertStatus.choices}


@login_required
@require_GET
def data(request: AuthenticatedRequest) -> JsonResponse:
    """The figures the charts and the map draw, as JSON (same scope and parameters)."""
    q = _query(request)
    figure = registry.get(request.GET.get("figure", "households")) or registry.FIGURES[0]
    drill = reverse("reports:dashboard")
    return JsonResponse(
        {
            "region": {
                "code": q.region.code,
                "level": q.region.level,
                "map": _map_of(q),
                "map_file": maps.map_for(_map_of(q)),
            },
            "month": f"{q.month:%Y-%m}",
            "figure": {"key": figure.key, "label": figure.label, "unit": figure.unit},
            "children": [
                {**child, "value": float(child["value"]), "url": f"{drill}?region={child['code']}"}
                for child in selectors.children(q, figure.key)
            ],
            "flows": [
                {
                    "month": f"{row['month']:%Y-%m}",
                    "households": row["households"],
                    "inflow": row["inflow"],
                    "outflow": row["outflow"],
                }
                for row in selectors.flows(q)
            ],
            "categories": [
                {"label": str(row["label"]), "households": row["households"]}
                for row in selectors.category_table(q)
            ],
        }
    )


def _map_of(q: Query) -> str:
    """The map file (region code) that shows the region's children, or "" for none."""
    if q.region.level == Level.PROVINCE:
        return "410000"
    if q.region.level == Level.CITY:
        return selectors.map_id(q.region.code)
    return ""


@login_required
@require_GET
def drill(request: AuthenticatedRequest) -> HttpResponse:
    q = _query(request)
    require(request.user, Capability.VIEW_HOUSEHOLDS)
    figure = registry.get(request.GET.get("figure", ""))
    if figure is None:
        raise Http404("没有这项统计指标。")
    try:
        found = registry.drill(figure, q)
    except ValueError as exc:
        return render(
            request, "reports/drill.html", {**_common(request, q), "figure": figure, "error": exc}
        )
    page = Paginator(found.rows, PAGE_SIZE).get_page(request.GET.get("page"))
    context = _common(request, q)
    coverage = selectors.paid_coverage(q.region, q.month) if figure.paid else None
    context.update(
        {
            "listed_amount": (
                found.rows.aggregate(total=Sum("amount"))["total"] or 0
                if figure.drill_measure == "amount"
                else None
            ),
            "paid_note": coverage.note(q.region.code) if coverage else "",
            "figure": figure,
            "drill": found,
            "page": page,
            "value": figure.value(q),
            "category_label": dict(Category.choices).get(q.category, ""),
            "residence_label": dict(Residence.choices).get(q.residence, ""),
            "query": request.GET.urlencode(),
        }
    )
    return render(request, "reports/drill.html", context)


@login_required
def drill_export(request: AuthenticatedRequest) -> HttpResponse:
    """导出 Excel of a drill-down: checked as the page is (a region outside the scope is 404 for
    any method), then posted into a background job."""
    params = {**_query(request).params(), "figure": request.GET.get("figure", "")}
    found = services.drill_for(request.user, params)
    return export_started(
        request, services.drill_export_write, params, region_code=found.query.region.code
    )


@login_required
@require_GET
def monthly_report(request: AuthenticatedRequest) -> HttpResponse:
    q = _query(request)
    report = monthly.build(user=request.user, region=q.region, month=q.month)
    context = _common(request, q)
    context.update(
        {"report": report, "residences": Residence.choices, "paid_note": report.paid_note}
    )
    return render(request, "reports/monthly.html", context)


@login_required
@require_GET
def monthly_export(request: AuthenticatedRequest) -> HttpResponse:
    q = _query(request)
    report = monthly.build(user=request.user, region=q.region, month=q.month)
    content = services.monthly_report_export(
        actor=request.user, report=report, client=client_of(request)
    )
    return download(content, f"统计月报-{q.month:%Y-%m}.xlsx", XLSX)


@login_required
@require_GET
def assessment_page(request: AuthenticatedRequest) -> HttpResponse:
    q = _query(request)
    table = assessment.build(q)
    context = _common(request, q)
    context.update(
        {
            "table": table,
            "rows": [
                {
                    "row": row,
                    "rates": [assessment.percent(row.rates.get(key)) for key, _l in table.rates],
                    "score": assessment.percent(row.score),
                }
                for row in table.rows
            ],
        }
    )
    return render(request, "reports/assessment.html", context)


@login_required
@require_GET
def assessment_export(request: AuthenticatedRequest) -> HttpResponse:
    q = _query(request)
    content = services.assessment_export(
        actor=request.user, table=assessment.build(q), client=client_of(request)
    )
    return download(content, f"考核排名-{q.month:%Y-%m}.xlsx", XLSX)
