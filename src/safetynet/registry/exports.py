"""Excel exports of household lists: exactly the list the user sees, scoped and audited."""

from __future__ import annotations

import io
from typing import TYPE_CHECKING

from django.http import HttpResponse
from django.utils import timezone

from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.downloads import XLSX, download
from safetynet.registry import selectors
from safetynet.registry.relations import RELATION_NAMES
from safetynet.spreadsheets import Workbook

if TYPE_CHECKING:
    from safetynet.accounts.models import User

HEADERS = [
    "家庭编号",
    "所属村(居)",
    "区划代码",
    "城乡类别",
    "户主",
    "家庭人口",
    "家庭月人均收入(元)",
    "救助类别",
    "防返贫监测",
    "家庭住址",
    "成员姓名",
    "与户主关系",
    "身份证号(脱敏)",
    "性别",
    "出生日期",
    "残疾",
    "健康状况",
    "劳动能力",
    "个人救助类别",
]


def household_list_workbook(
    *, user: User, filters: selectors.HouseholdFilters
) -> tuple[bytes, int]:
    """One row per current member, streamed with openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("家庭清单")
    sheet.append(HEADERS)
    households = selectors.household_list(user=user, filters=filters)
    count = 0
    for household in selectors.household_export_rows(households=households):
        count += 1
        per_head = selectors.monthly_income_per_head(household)
        for membership in household.current_memberships:
            person = membership.person
            disability = (
                f"{person.get_disability_type_display()}{person.disability_grade}级"
                if person.disability_type
                else ""
            )
            sheet.append(
                [
                    household.pk,
                    household.region.full_name,
                    household.region_id,
                    household.get_residence_display(),
                    household.head.name if household.head else "",
                    household.member_count,
                    float(per_head) if per_head is not None else None,
                    household.get_category_display(),
                    household.get_relapse_watch_display(),
                    household.address,
                    person.name,
                    RELATION_NAMES.get(membership.relation, membership.relation),
                    person.id_number_masked,
                    person.get_sex_display(),
                    person.birth_date.isoformat(),
                    disability,
                    person.get_health_status_display(),
                    person.get_labour_capacity_display(),
                    "、".join(str(c.get_category_display()) for c in person.categories_in_force),
                ]
            )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def household_list_xlsx_response(
    *, user: User, filters: selectors.HouseholdFilters, client: Client | None
) -> HttpResponse:
    content, count = household_list_workbook(user=user, filters=filters)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="household_list",
        region_code=user.scope_region_id or "",
        summary=f"导出家庭清单 {count} 户",
        detail={"filters": filters.as_dict(), "households": count},
        client=client,
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return download(content, f"households-{stamp}.xlsx", XLSX)
