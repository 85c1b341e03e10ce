"""Export of the watched population by group and region (三(一)): counts per township and group,
then one row per household. Audited."""

from __future__ import annotations

import io

from safetynet.accounts.models import User
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.monitoring.common import Group
from safetynet.monitoring.watched.selectors import (
    WatchedFilters,
    watched_counts,
    watched_households,
)
from safetynet.spreadsheets import Workbook


def watched_export(*, actor: User, filters: WatchedFilters) -> tuple[bytes, int]:
    workbook = Workbook(write_only=True)
    summary = workbook.create_sheet("分组统计")
    summary.append(["乡镇(街道)代码", "监测分组", "户数"])
    for row in watched_counts(user=actor, filters=filters):
        summary.append([row["township"], row["label"], row["total"]])
    sheet = workbook.create_sheet("监测对象")
    sheet.append(
        [
            "家庭编号",
            "所属村(居)",
            "区划代码",
            "户主",
            "家庭人口",
            "救助类别",
            "防返贫监测",
            "监测分组",
        ]
    )
    count = 0
    labels = dict(Group.choices)
    for household in watched_households(user=actor, filters=filters).iterator(chunk_size=2000):
        count += 1
        sheet.append(
            [
                household.pk,
                household.region.name,
                household.region_id,
                household.head.name if household.head else "",
                household.member_count,
                household.get_category_display(),
                household.get_relapse_watch_display(),
                str(labels.get(household.group, household.group)),
            ]
        )
    out = io.BytesIO()
    workbook.save(out)
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="registry.Household",
        region_code=actor.scope_region_id or "",
        summary=f"导出动态监测对象 {count} 户",
        detail={"group": filters.group, "region": filters.region},
    )
    return out.getvalue(), count
