"""Writes and files of the reports app: the Excel files (drill-down lists, the monthly
statistical report, the assessment table), each audited; the roll-up refresh entry."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.http import Http404

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.jobs.exports import Written, export
from safetynet.jobs.tasks import ProgressFn
from safetynet.registry.choices import Category, Residence
from safetynet.reports import assessment, figures, monthly
from safetynet.reports.figures import DrillDown
from safetynet.reports.selectors import display_name, query_from
from safetynet.spreadsheets import StreamingXlsx

RESIDENCE = dict(Residence.choices)
CATEGORY = dict(Category.choices)
PROGRESS_EVERY = 1000


HOUSEHOLD_HEADERS = [
    "家庭编号",
    "户主",
    "身份证号",
    "所属村(居)",
    "区划代码",
    "城乡类别",
    "家庭人口",
]
RECORD_HEADERS = ["记录编号", "家庭编号", "户主", "区划代码", "日期", "状态"]


def drill_rows(drill: DrillDown) -> Iterator[list[Any]]:
    """The drill-down list's rows, streamed: households, or the records of a figure."""
    if drill.kind == "households":
        for h in drill.rows.iterator(chunk_size=2000):
            yield [
                h.pk,
                h.head.name if h.head else "",
                h.head.id_number_masked if h.head else "",
                h.region.name,
                h.region_id,
                str(RESIDENCE.get(h.residence, h.residence)),
                h.member_count,
            ]
        return
    for record in drill.rows.iterator(chunk_size=2000):
        household = getattr(record, "household", None)
        head = getattr(household, "head", None) if household else None
        code = getattr(record, "region_code", None) or getattr(record, "region_id", "")
        day = (
            getattr(record, "raised_on", None)
            or getattr(record, "due_on", None)
            or getattr(record, "closed_on", None)
            or getattr(record, "sent_on", None)
            or getattr(record, "received_on", None)
            or getattr(record, "decided_on", None)
            or getattr(record, "month", None)
        )
        status = record.get_status_display() if hasattr(record, "get_status_display") else ""
        yield [
            record.pk,
            household.pk if household else "",
            head.name if head else getattr(record, "subject_name", ""),
            code,
            day.isoformat() if day else "",
            str(status),
        ]


def drill_write(drill: DrillDown, sheet: StreamingXlsx, progress: ProgressFn | None = None) -> int:
    """The drill-down list into ``sheet`` under a title row and the headers; its count."""
    headers = HOUSEHOLD_HEADERS if drill.kind == "households" else RECORD_HEADERS
    total = drill.rows.count() if progress is not None else 0
    sheet.append([f"{drill.query.region.name} {drill.query.month:%Y年%m月} {drill.figure.label}"])
    sheet.append(headers)
    count = 0
    for count, row in enumerate(drill_rows(drill), start=1):
        sheet.append(row)
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, total, "正在写入统计明细")
    return count


def drill_for(user: Any, params: dict[str, str]) -> DrillDown:
    """The drill-down a user asked for by the page's parameters (figure, region, month,
    filters), checked as the page checks it: the region inside the scope (else 404), the
    capabilities to see households and to export them."""
    require(user, Capability.VIEW_STATISTICS)
    q = query_from(user, params)
    require(user, Capability.VIEW_HOUSEHOLDS)
    require(user, Capability.EXPORT_HOUSEHOLDS)
    figure = figures.get(params.get("figure", ""))
    if figure is None:
        raise Http404("没有这项统计指标。")
    try:
        return figures.drill(figure, q)
    except ValueError as exc:
        raise Http404(str(exc)) from None


@export(
    kind="reports.drill_export",
    label="统计明细",
    suffix="xlsx",
    object_type="reports.DrillDown",
)
def drill_export_write(
    *, user: Any, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    """The drill-down's 导出 Excel, as a job: the households or records behind a figure."""
    drill = drill_for(user, params)
    with StreamingXlsx(str(out), title=drill.figure.label[:28]) as sheet:
        count = drill_write(drill, sheet, progress)
    return Written(
        rows=count,
        filename=f"统计明细-{drill.figure.label}.xlsx",
        summary=f"导出统计明细“{drill.figure.label}” {count} 条",
        detail={"figure": drill.figure.key, **drill.query.params()},
        region_code=drill.query.region.code,
    )


def monthly_report_export(
    *, actor: Any, report: monthly.Report, client: Client | None = None
) -> bytes:
    content = monthly.workbook(report)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.MonthlyReport",
        region_code=report.region.code,
        summary=f"导出统计月报 {report.region.name} {report.month:%Y-%m}",
        detail={"region": report.region.code, "month": f"{report.month:%Y-%m}"},
        client=client,
    )
    return content


def assessment_export(
    *, actor: Any, table: assessment.Table, client: Client | None = None
) -> bytes:
    content = assessment.workbook(table)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.Assessment",
        region_code=table.region.code,
        summary=f"导出考核排名 {display_name(table.region.code, table.region.name)}",
        detail={"region": table.region.code, "month": f"{table.month:%Y-%m}"},
        client=client,
    )
    return content
