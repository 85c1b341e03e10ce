"""The watched population page and its export, by group and region."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET, require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.jobs.views import export_started
from safetynet.monitoring.common import Group
from safetynet.monitoring.watched import selectors, services


@login_required
@require_GET
def watched_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.WatchedFilters.from_query(request.GET)
    households = selectors.watched_households(user=request.user, filters=filters)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    labels = dict(Group.choices)
    for household in page:
        household.group_label = labels.get(household.group, household.group)
    return render(
        request,
        "monitoring/watched.html",
        {
            "page": page,
            "filters": filters,
            "groups": Group.choices,
            "counts": selectors.watched_counts(user=request.user, filters=filters),
            "query": request.GET.urlencode(),
        },
    )


@login_required
@require_POST
def watched_export(request: AuthenticatedRequest) -> HttpResponse:
    """导出 Excel: the page's filters become a background job."""
    filters = selectors.WatchedFilters.from_query(request.GET)
    selectors.watched_households(user=request.user, filters=filters)  # the capability check
    return export_started(request, services.watched_export_write, vars(filters))
