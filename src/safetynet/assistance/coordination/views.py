"""一事一议 pages: the county's cases, a new case for a household with its tasks, one case."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.assistance import catalogue
from safetynet.assistance.coordination import services
from safetynet.assistance.referrals.services import AssistanceError
from safetynet.core.dates import parse_date
from safetynet.registry import selectors as registry_selectors

TASK_ROWS = 4


@login_required
def case_list(request: AuthenticatedRequest) -> HttpResponse:
    cases = services.visible_cases(user=request.user)
    page = Paginator(cases, 50).get_page(request.GET.get("page"))
    return render(request, "assistance/coordination_list.html", {"page": page})


@login_required
def case_new(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    require(request.user, Capability.DECIDE_EMERGENCY)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    error = ""
    if request.method == "POST":
        post = request.POST
        try:
            tasks = [
                services.Task(
                    item=post.get(f"item{i}", ""),
                    description=post.get(f"task{i}", ""),
                    due_on=parse_date(post.get(f"due{i}", "")),
                )
                for i in range(TASK_ROWS)
                if post.get(f"task{i}", "").strip()
            ]
            meeting_on = parse_date(post.get("meeting_on", ""))
        except ValueError as exc:
            error = f"日期无法识别：{exc}"
        else:
            try:
                case = services.coordination_open(
                    actor=request.user,
                    household=household,
                    situation=post.get("situation", ""),
                    meeting_on=meeting_on,
                    decision=post.get("decision", ""),
                    tasks=tasks,
                )
            except AssistanceError as exc:
                error = exc.message
            else:
                messages.success(request, "已登记一事一议，任务已推送至相关部门。")
                return redirect("assistance:coordination", pk=case.pk)
    return render(
        request,
        "assistance/coordination_new.html",
        {
            "household": household,
            "items": catalogue.item_choices(),
            "rows": range(TASK_ROWS),
            "error": error,
        },
    )


@login_required
def case_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    case = services.case_get(user=request.user, pk=pk)
    tasks = list(case.tasks.order_by("id"))
    for task in tasks:
        task.item_name = catalogue.item_name(task.item)  # type: ignore[attr-defined]
    return render(request, "assistance/coordination_detail.html", {"c": case, "tasks": tasks})
