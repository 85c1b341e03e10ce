"""Writes and files of the reports app: the Excel files (drill-down lists, the monthly
statistical report, the assessment table), each audited; the roll-up refresh entry."""

from __future__ import annotations

import io
from collections.abc import Iterator
from typing import Any

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.registry.choices import Category, Residence
from safetynet.reports import assessment, monthly
from safetynet.reports.figures import DrillDown
from safetynet.reports.selectors import display_name
from safetynet.spreadsheets import StreamingXlsx

RESIDENCE = dict(Residence.choices)
CATEGORY = dict(Category.choices)


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


def drill_export(
    *, actor: Any, drill: DrillDown, client: Client | None = None
) -> tuple[bytes, int]:
    require(actor, Capability.EXPORT_HOUSEHOLDS)
    headers = HOUSEHOLD_HEADERS if drill.kind == "households" else RECORD_HEADERS
    out = io.BytesIO()
    with StreamingXlsx(out, title=drill.figure.label[:28]) as sheet:
        sheet.append(
            [f"{drill.query.region.name} {drill.query.month:%Y年%m月} {drill.figure.label}"]
        )
        sheet.append(headers)
        for row in drill_rows(drill):
            sheet.append(row)
        count = sheet.rows - 2
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.DrillDown",
        region_code=drill.query.region.code,
        summary=f"导出统计明细“{drill.figure.label}” {count} 条",
        detail={"figure": drill.figure.key, **drill.query.params()},
        client=client,
    )
    return out.getvalue(), count


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
