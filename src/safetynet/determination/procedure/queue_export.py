"""The Excel export of a work queue (the township's cases, the county's confirmations, the
escalations): every row of the queue as the user filtered it, as a background job on the shared
export mechanism (``jobs.exports``), audited."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.http import Http404
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.determination import selectors
from safetynet.determination.common import today
from safetynet.determination.procedure.forms import QueueFilterForm
from safetynet.jobs.exports import Written, export
from safetynet.jobs.tasks import ProgressFn
from safetynet.spreadsheets import StreamingXlsx, exporter_label


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


def queue_rows(
    *, user: User, queue: Queue, params: Any
) -> tuple[QueueFilterForm, list[selectors.QueueRow], dict[str, Any]]:
    """The queue's rows for the page's filters ``params`` (a QueryDict or a dict of text)."""
    form = QueueFilterForm(params or None)
    data: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    region = data.get("region") or None
    on = today()
    fetch: dict[str, Callable[..., list[selectors.QueueRow]]] = {
        "county": selectors.county_queue,
        "escalations": selectors.escalations,
    }
    if queue.filters:
        rows = selectors.case_queue(
            user=user,
            today=on,
            region_code=region,
            step=data.get("step") or None,
            type=data.get("type") or None,
            overdue=form.overdue_value() if data else None,
        )
    else:
        rows = fetch[queue.slug](user=user, today=on, region_code=region)
    filters = {k: v for k, v in data.items() if v not in ("", None)}
    return form, rows, filters


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


@export(
    kind="determination.queue_export",
    label="工作队列清单",
    suffix="xlsx",
    object_type="application_queue",
)
def queue_export_write(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    require(user, Capability.VIEW_CASES)
    require(user, Capability.EXPORT_HOUSEHOLDS)
    filters_in = dict(params)
    queue = QUEUES.get(filters_in.pop("queue", ""))
    if queue is None:
        raise Http404("没有这个工作队列")
    _, rows, filters = queue_rows(user=user, queue=queue, params=filters_in)
    with StreamingXlsx(str(out), title=queue.title[:31], exported_by=exporter_label(user)) as sheet:
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
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return Written(
        rows=len(rows),
        filename=f"{queue.title}-{stamp}.xlsx",
        summary=f"导出{queue.title}清单 {len(rows)} 件",
        detail={"queue": queue.slug, "filters": filters, "cases": len(rows)},
    )
