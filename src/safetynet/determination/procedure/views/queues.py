"""Work queues: the township's cases by step, the county's confirmations and spot checks, the
escalation list of overdue cases (督办), and the Excel export of a queue.

The selectors compute every row's due date and working days left from columns stored on the
case, so a page of any length costs the same few queries.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record, client_of
from safetynet.determination import selectors
from safetynet.determination.common import today
from safetynet.determination.procedure.forms import QueueFilterForm
from safetynet.downloads import XLSX, download
from safetynet.spreadsheets import Workbook

PAGE_SIZE = 50


@dataclass(frozen=True)
class Queue:
    slug: str
    title: str
    intro: str
    filters: bool  # whether the step / type / overdue filters apply


QUEUES = {
    "township": Queue(
        "township",
        "认定办理",
        "辖区内办理中的认定案件，按本环节办理时限排序；红色为已超期。",
        True,
    ),
    "county": Queue(
        "county",
        "县级审核确认",
        "报送县级民政部门审核确认的案件（含须抽查的特困案件），按确认时限排序。",
        False,
    ),
    "escalations": Queue(
        "escalations",
        "超期督办",
        "本环节或全流程已超过办理时限的案件，超期最久的在前。",
        False,
    ),
}


def _rows(
    request: AuthenticatedRequest, queue: Queue
) -> tuple[QueueFilterForm, list[selectors.QueueRow], dict[str, Any]]:
    form = QueueFilterForm(request.GET or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    region = data.get("region") or None
    on = today()
    fetch: dict[str, Callable[..., list[selectors.QueueRow]]] = {
        "county": selectors.county_queue,
        "escalations": selectors.escalations,
    }
    if queue.filters:
        rows = selectors.case_queue(
            user=request.user,
            today=on,
            region_code=region,
            step=data.get("step") or None,
            type=data.get("type") or None,
            overdue=form.overdue_value() if data else None,
        )
    else:
        rows = fetch[queue.slug](user=request.user, today=on, region_code=region)
    filters = {k: v for k, v in data.items() if v not in ("", None)}
    return form, rows, filters


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
    form, rows, _ = _rows(request, queue)
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


HEADERS = [
    "案件编号",
    "申请类型",
    "申请人",
    "身份证号(脱敏)",
    "所属村(居)",
    "区划代码",
    "申请日期",
    "办理环节",
    "本环节办理时限",
    "剩余工作日",
    "全流程办理时限",
    "全流程剩余工作日",
    "是否超期",
    "待县级抽查",
]


def queue_workbook(rows: list[selectors.QueueRow], *, title: str) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    sheet.append(HEADERS)
    for row in rows:
        application = row.application
        sheet.append(
            [
                application.number,
                application.get_type_display(),
                application.applicant.name,
                application.applicant.id_number_masked,
                application.region.full_name,
                application.region_id,
                application.applied_on,
                row.step_label,
                row.due_on,
                row.days_left,
                row.procedure_due_on,
                row.procedure_days_left,
                "是" if row.overdue else "否",
                "是" if row.spot_check_pending else "",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@login_required
def queue_export(request: AuthenticatedRequest, slug: str) -> HttpResponse:
    """The queue as the user filtered it, every page, as Excel (audited: it lists people)."""
    require(request.user, Capability.VIEW_CASES)
    require(request.user, Capability.EXPORT_HOUSEHOLDS)
    queue = QUEUES.get(slug)
    if queue is None:
        raise Http404("没有这个工作队列")
    _, rows, filters = _rows(request, queue)
    content = queue_workbook(rows, title=queue.title)
    audit_record(
        actor=request.user,
        action=Action.EXPORT,
        object_type="application_queue",
        region_code=request.user.scope_region_id or "",
        summary=f"导出{queue.title}清单 {len(rows)} 件",
        detail={"queue": slug, "filters": filters, "cases": len(rows)},
        client=client_of(request),
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(content, f"{queue.title}-{stamp}.xlsx", XLSX)
