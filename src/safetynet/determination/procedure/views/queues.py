"""Work queues: the township's cases by step, the county's confirmations and spot checks, the
escalation list of overdue cases (督办), and the Excel export of a queue.

The selectors compute every row's due date and working days left from columns stored on the
case, so a page of any length costs the same few queries.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.determination.common import today
from safetynet.determination.procedure.queue_export import QUEUES, queue_export_write, queue_rows
from safetynet.jobs.views import export_started

PAGE_SIZE = 50


# Screens after the decision and the publicity lists, reached from the queue's tab bar.
RELATED_SCREENS = (
    ("determination:review_list", "复核"),
    ("determination:publicity_list", "公示名单"),
)


def _related_links() -> list[tuple[str, str]]:
    return [(label, reverse(name)) for name, label in RELATED_SCREENS]


def _queue(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    require(request.user, Capability.VIEW_CASES)
    queue = QUEUES[slug]
    form, rows, _ = queue_rows(user=request.user, queue=queue, params=request.GET)
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "determination/queue.html",
        {
            "queue": queue,
            "queues": QUEUES.values(),
            "related": _related_links(),
            "form": form,
            "page": page,
            "overdue_count": sum(1 for row in rows if row.overdue),
            "today": today(),
            "query": request.GET.urlencode(),
        },
    )


@login_required
def township_queue(request: AuthenticatedRequest) -> HttpResponse:
    return _queue(request, "township")


@login_required
def county_queue(request: AuthenticatedRequest) -> HttpResponse:
    return _queue(request, "county")


@login_required
def escalations(request: AuthenticatedRequest) -> HttpResponse:
    return _queue(request, "escalations")


@login_required
def queue_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The queue as the user filtered it, every page, as Excel: a background job (audited: it
    lists people)."""
    require(request.user, Capability.VIEW_CASES)
    require(request.user, Capability.EXPORT_HOUSEHOLDS)
    if slug not in QUEUES:
        raise Http404("没有这个工作队列")
    params = {key: value for key, value in request.GET.items() if value}
    return export_started(request, queue_export_write, {"queue": slug, **params})
