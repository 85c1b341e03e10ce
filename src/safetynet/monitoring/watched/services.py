"""Export of the watched population by group and region (三(一)): counts per township and group,
then one row per household. A background job (``watched_export_write``), audited."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.jobs.exports import Written, export
from safetynet.jobs.tasks import ProgressFn
from safetynet.monitoring.common import Group
from safetynet.monitoring.watched.selectors import (
    WatchedFilters,
    watched_counts,
    watched_households,
)
from safetynet.registry.models import Household
from safetynet.spreadsheets import StreamingXlsx, exporter_label

HEADERS = [
    "家庭编号",
    "所属村(居)",
    "区划代码",
    "户主",
    "家庭人口",
    "救助类别",
    "防返贫监测",
    "监测分组",
]
PROGRESS_EVERY = 1000


def _labels(name: str) -> dict[Any, str]:
    field: Any = Household._meta.get_field(name)
    return {value: str(label) for value, label in field.flatchoices}


def watched_write(
    *, actor: User, filters: WatchedFilters, sheet: StreamingXlsx, progress: ProgressFn | None
) -> int:
    """The group counts in the first sheet, the households in a second; their count."""
    counts = watched_counts(user=actor, filters=filters)
    sheet.append(["乡镇(街道)代码", "监测分组", "户数"])
    for row in counts:
        sheet.append([row["township"], row["label"], row["total"]])
    total = sum(row["total"] for row in counts)
    sheet.add_sheet("监测对象")
    sheet.append(HEADERS)
    groups = {value: str(label) for value, label in Group.choices}
    category, relapse = _labels("category"), _labels("relapse_watch")
    rows = (
        watched_households(user=actor, filters=filters)
        .values_list(
            "id",
            "region__name",
            "region_id",
            "head__name",
            "member_count",
            "category",
            "relapse_watch",
            "group",
        )
        .iterator(chunk_size=2000)
    )
    count = 0
    for pk, village, code, head, members, cat, watch, group in rows:
        count += 1
        sheet.append(
            [
                pk,
                village,
                code,
                head or "",
                members,
                category.get(cat, cat),
                relapse.get(watch, watch),
                groups.get(group, group),
            ]
        )
        if progress is not None and count % PROGRESS_EVERY == 0:
            progress(count, total, "正在写入监测对象")
    return count


@export(
    kind="monitoring.watched_export",
    label="动态监测对象清单",
    suffix="xlsx",
    object_type="registry.Household",
)
def watched_export_write(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    filters = WatchedFilters(**params)
    with StreamingXlsx(str(out), title="分组统计", exported_by=exporter_label(user)) as sheet:
        count = watched_write(actor=user, filters=filters, sheet=sheet, progress=progress)
    return Written(
        rows=count,
        filename=f"动态监测对象-{timezone.localtime():%Y%m%d-%H%M}.xlsx",
        summary=f"导出动态监测对象 {count} 户",
        detail={"group": filters.group, "region": filters.region},
    )
