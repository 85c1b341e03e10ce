"""Exports of alerts: exactly the alerts the user may see (scope and filters), audited. The web's
is a job (``alerts_export_write``); the console's (`safetynet alerts export FILE`) writes the
same rows with the same writer in the command."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.jobs.exports import Written, export
from safetynet.jobs.tasks import ProgressFn
from safetynet.monitoring.alerts.selectors import AlertFilters, alert_list, indicator_names
from safetynet.monitoring.models import Alert
from safetynet.spreadsheets import StreamingCsv, StreamingXlsx, exporter_label

PROGRESS_EVERY = 1000

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


def _row(
    alert: Alert,
    names: dict[str, str],
    severity: dict[str, str],
    hardship: dict[str, str],
    status: dict[str, str],
) -> list[Any]:
    person = alert.person
    check = getattr(alert, "home_check", None)
    return [
        alert.pk,
        alert.indicator_code,
        names.get(alert.indicator_code, alert.indicator_code),
        severity.get(alert.severity, alert.severity),
        hardship.get(alert.hardship_type, alert.hardship_type),
        person.name if person else alert.subject_name,
        person.id_number_masked if person else "",
        alert.household_id or "",
        alert.region_code,
        alert.period,
        status.get(alert.status, alert.status),
        alert.raised_on.isoformat(),
        check.due_on.isoformat() if check else "",
        alert.summary,
    ]


def _label(model: Any, name: str) -> dict[str, str]:
    return {value: str(label) for value, label in model._meta.get_field(name).flatchoices}


def alerts_rows(*, actor: User, filters: AlertFilters | None) -> Iterator[list[Any]]:
    """The export's rows (header first), streamed: the labels looked up once, not per cell."""
    names = indicator_names()
    severity, hardship, status = (
        _label(Alert, "severity"),
        _label(Alert, "hardship_type"),
        _label(Alert, "status"),
    )
    yield HEADERS
    for alert in alert_list(user=actor, filters=filters).iterator(chunk_size=2000):
        yield _row(alert, names, severity, hardship, status)


def alerts_write(
    *, actor: User, filters: AlertFilters | None, sheet: Any, progress: ProgressFn | None = None
) -> int:
    """The alerts into ``sheet`` (a ``StreamingXlsx`` or ``StreamingCsv``); their count."""
    total = alert_list(user=actor, filters=filters).count() if progress is not None else 0
    count = -1
    for count, row in enumerate(alerts_rows(actor=actor, filters=filters)):
        sheet.append(row)
        if progress is not None and count and count % PROGRESS_EVERY == 0:
            progress(count, total, "正在写入监测预警")
    return count


def _audit(actor: User, filters: AlertFilters | None, count: int, fmt: str, channel: str) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="monitoring.Alert",
        region_code=actor.scope_region_id or "",
        summary=f"导出监测预警 {count} 条",
        detail={"format": fmt, "filters": vars(filters) if filters else {}},
        channel=channel,
    )


def alerts_export(
    *, actor: User, filters: AlertFilters | None = None, fmt: str = "xlsx", channel: str = "web"
) -> tuple[bytes, int]:
    """The alerts as .xlsx or UTF-8 CSV with BOM (opens in Excel), audited: the console's
    export (`safetynet alerts export FILE`); the web's is a job (``alerts_export_write``)."""
    who = exporter_label(actor)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"alerts.{fmt}"
        writer: Any = (
            StreamingCsv(path, exported_by=who)
            if fmt == "csv"
            else StreamingXlsx(str(path), title="监测预警", exported_by=who)
        )
        with writer:
            count = alerts_write(actor=actor, filters=filters, sheet=writer)
        content = path.read_bytes()
    _audit(actor, filters, count, fmt, channel)
    return content, count


@export(
    kind="monitoring.alert_export",
    label="监测预警清单",
    suffix="xlsx",
    object_type="monitoring.Alert",
)
def alerts_export_write(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    """The alert list's 导出 Excel, as a job: the alerts the creator sees with its filters."""
    filters = AlertFilters(**params)
    with StreamingXlsx(str(out), title="监测预警", exported_by=exporter_label(user)) as sheet:
        count = alerts_write(actor=user, filters=filters, sheet=sheet, progress=progress)
    return Written(
        rows=count,
        filename=f"监测预警-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        summary=f"导出监测预警 {count} 条",
        detail={"format": "xlsx", "filters": vars(filters)},
    )
