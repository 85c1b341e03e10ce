"""The data flags page (部门数据 › 数据纠错): open flags first, each with its source, batch, row,
village and the visit's finding; an officer of the source's department (or the county) settles
one with a note."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.feeds.common import sources_visible
from safetynet.feeds.models import FeedBatch
from safetynet.monitoring.flags import selectors, services
from safetynet.regions.models import Region

STATUSES = [("open", "待处理"), ("resolved", "已处理"), ("all", "全部")]


@login_required
def flag_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "open")
    source = request.GET.get("source", "")
    flags = selectors.flags_list(user=request.user, status=status, source=source)
    page = Paginator(flags, 50).get_page(request.GET.get("page"))
    rows = list(page)
    sources = {spec.code: spec.name for spec in sources_visible(user=request.user)}
    periods = dict(
        FeedBatch.objects.filter(pk__in={f.batch_id for f in rows}).values_list("pk", "period")
    )
    places = dict(
        Region.objects.filter(code__in={f.region_code for f in rows}).values_list("code", "name")
    )
    return render(
        request,
        "monitoring/flag_list.html",
        {
            "page": page,
            "rows": [
                {
                    "flag": flag,
                    "source": sources.get(flag.source, flag.source),
                    "period": periods.get(flag.batch_id, ""),
                    "place": places.get(flag.region_code, flag.region_code),
                }
                for flag in rows
            ],
            "status": status,
            "source": source,
            "statuses": STATUSES,
            "sources": sorted(sources.items(), key=lambda item: item[1]),
            "can_resolve": allowed(request.user, Capability.IMPORT_FEEDS),
        },
    )


@login_required
@require_POST
def flag_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    flag = selectors.flag_get(user=request.user, pk=pk)
    try:
        services.flag_resolve(
            actor=request.user,
            flag=flag,
            resolution=request.POST.get("resolution", ""),
            client=client_of(request),
        )
    except services.FlagError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已处理：批次 {flag.batch_id} 第 {flag.row_number} 行")
    return redirect("monitoring:flag_list")
