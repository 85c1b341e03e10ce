"""Exports of alerts: exactly the alerts the user may see (scope and filters), audited."""

from __future__ import annotations

import csv
import io
from typing import Any

from safetynet.accounts.models import User
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.monitoring.alerts.selectors import AlertFilters, alert_list, indicator_names
from safetynet.monitoring.models import Alert
from safetynet.spreadsheets import Workbook, csv_footer, exporter_label

HEADERS = [
    "预警编号",
    "指标代码",
    "指标名称",
    "预警等级",
    "困难类型",
    "姓名",
    "身份证号(脱敏)",
    "家庭编号",
    "所属村(居)代码",
    "期别",
    "状态",
    "预警日期",
    "应走访日期",
    "预警说明",
]


def _row(alert: Alert, names: dict[str, str]) -> list[Any]:
    person = alert.person
    check = getattr(alert, "home_check", None)
    return [
        alert.pk,
        alert.indicator_code,
        names.get(alert.indicator_code, alert.indicator_code),
        alert.get_severity_display(),
        alert.get_hardship_type_display(),
        person.name if person else alert.subject_name,
        person.id_number_masked if person else "",
        alert.household_id or "",
        alert.region_code,
        alert.period,
        alert.get_status_display(),
        alert.raised_on.isoformat(),
        check.due_on.isoformat() if check else "",
        alert.summary,
    ]


def alerts_export(
    *, actor: User, filters: AlertFilters | None = None, fmt: str = "xlsx", channel: str = "web"
) -> tuple[bytes, int]:
    """The alerts as .xlsx (write-only, streamed) or UTF-8 CSV with BOM (opens in Excel)."""
    alerts = alert_list(user=actor, filters=filters)
    names = indicator_names()
    count = 0
    if fmt == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(HEADERS)
        for alert in alerts.iterator(chunk_size=2000):
            writer.writerow(_row(alert, names))
            count += 1
        writer.writerow([])
        writer.writerow(csv_footer(exporter_label(actor)))
        content = ("\ufeff" + buffer.getvalue()).encode("utf-8")
    else:
        workbook = Workbook(write_only=True, exported_by=exporter_label(actor))
        sheet = workbook.create_sheet("监测预警")
        sheet.append(HEADERS)
        for alert in alerts.iterator(chunk_size=2000):
            sheet.append(_row(alert, names))
            count += 1
        out = io.BytesIO()
        workbook.save(out)
        content = out.getvalue()
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="monitoring.Alert",
        region_code=actor.scope_region_id or "",
        summary=f"导出监测预警 {count} 条",
        detail={"format": fmt, "filters": vars(filters) if filters else {}},
        channel=channel,
    )
    return content, count
