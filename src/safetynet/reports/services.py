"""Writes and files of the reports app: the Excel files (drill-down lists, the monthly
statistical report, the assessment table), each audited; the roll-up refresh entry."""

from __future__ import annotations

import io
from typing import Any

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.registry.choices import Category, Residence
from safetynet.reports import assessment, monthly
from safetynet.reports.figures import DrillDown
from safetynet.reports.selectors import display_name
from safetynet.spreadsheets import Workbook

RESIDENCE = dict(Residence.choices)
CATEGORY = dict(Category.choices)


def drill_rows(drill: DrillDown) -> tuple[list[str], list[list[Any]]]:
    """The drill-down list's columns and rows: households, or the records of a figure."""
    if drill.kind == "households":
        headers = ["家庭编号", "户主", "身份证号", "所属村(居)", "区划代码", "城乡类别", "家庭人口"]
        rows = [
            [
                h.pk,
                h.head.name if h.head else "",
                h.head.id_number_masked if h.head else "",
                h.region.name,
                h.region_id,
                str(RESIDENCE.get(h.residence, h.residence)),
                h.member_count,
            ]
            for h in drill.rows.iterator(chunk_size=2000)
        ]
        return headers, rows
    headers = ["记录编号", "家庭编号", "户主", "区划代码", "日期", "状态"]
    rows = []
    for record in drill.rows.iterator(chunk_size=2000):
        household = getattr(record, "household", None)
        head = getattr(household, "head", None) if household else None
        code = getattr(record, "region_code", None) or getattr(record, "region_id", "")
        day = (
            getattr(record, "raised_on", None)
            or getattr(record, "due_on", None)
            or getattr(record, "closed_on", None)
        )
        status = record.get_status_display() if hasattr(record, "get_status_display") else ""
        rows.append(
            [
                record.pk,
                household.pk if household else "",
                head.name if head else getattr(record, "subject_name", ""),
                code,
                day.isoformat() if day else "",
                str(status),
            ]
        )
    return headers, rows


def drill_export(*, actor: Any, drill: DrillDown, channel: str = "web") -> tuple[bytes, int]:
    require(actor, Capability.EXPORT_HOUSEHOLDS)
    headers, rows = drill_rows(drill)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(drill.figure.label[:28])
    sheet.append([f"{drill.query.region.name} {drill.query.month:%Y年%m月} {drill.figure.label}"])
    sheet.append(headers)
    for row in rows:
        sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.DrillDown",
        region_code=drill.query.region.code,
        summary=f"导出统计明细“{drill.figure.label}” {len(rows)} 条",
        detail={"figure": drill.figure.key, **drill.query.params()},
        channel=channel,
    )
    return out.getvalue(), len(rows)


def monthly_report_export(*, actor: Any, report: monthly.Report, channel: str = "web") -> bytes:
    content = monthly.workbook(report)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.MonthlyReport",
        region_code=report.region.code,
        summary=f"导出统计月报 {report.region.name} {report.month:%Y-%m}",
        detail={"region": report.region.code, "month": f"{report.month:%Y-%m}"},
        channel=channel,
    )
    return content


def assessment_export(*, actor: Any, table: assessment.Table, channel: str = "web") -> bytes:
    content = assessment.workbook(table)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="reports.Assessment",
        region_code=table.region.code,
        summary=f"导出考核排名 {display_name(table.region.code, table.region.name)}",
        detail={"region": table.region.code, "month": f"{table.month:%Y-%m}"},
        channel=channel,
    )
    return content
