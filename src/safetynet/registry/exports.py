"""Excel exports of household lists: exactly the list the user sees, scoped and audited.

Apps above the registry add household columns they own (the monthly amount of assistance is
determination's) with ``export_column_register`` from their ``AppConfig.ready``: the registry
does not import them. Each column is computed for a chunk of households in one query."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from itertools import islice
from typing import TYPE_CHECKING, Any

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


@dataclass(frozen=True)
class ExportColumn:
    """A household column of the export: its header and its values for a chunk of households
    (household id → value; a household left out gets an empty cell)."""

    header: str
    after: str  # the header it follows
    values: Callable[[list[Any]], dict[int, Any]]


EXTRA_COLUMNS: list[ExportColumn] = []
CHUNK = 1000


def export_column_register(column: ExportColumn) -> None:
    if column.after not in HEADERS:
        raise ValueError(f"no column {column.after!r} to follow")
    if all(existing.header != column.header for existing in EXTRA_COLUMNS):
        EXTRA_COLUMNS.append(column)


def headers() -> list[str]:
    found = list(HEADERS)
    for column in EXTRA_COLUMNS:
        found.insert(found.index(column.after) + 1, column.header)
    return found


def _chunks(rows: Iterable[Any]) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while chunk := list(islice(iterator, CHUNK)):
        yield chunk


def household_list_workbook(
    *, user: User, filters: selectors.HouseholdFilters
) -> tuple[bytes, int]:
    """One row per current member, streamed with openpyxl's write-only mode."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("家庭清单")
    columns = headers()
    sheet.append(columns)
    households = selectors.household_list(user=user, filters=filters)
    count = 0
    for chunk in _chunks(selectors.household_export_rows(households=households)):
        extra = [(column, column.values(chunk)) for column in EXTRA_COLUMNS]
        for household in chunk:
            count += 1
            added = {column.header: values.get(household.pk) for column, values in extra}
            for row in _household_rows(household):
                cells = {**dict(zip(HEADERS, row, strict=True)), **added}
                sheet.append([cells[header] for header in columns])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue(), count


def _household_rows(household: Any) -> Iterator[list[Any]]:
    """One row per current member, in the order of ``HEADERS``."""
    per_head = selectors.monthly_income_per_head(household)
    for membership in household.current_memberships:
        person = membership.person
        disability = (
            f"{person.get_disability_type_display()}{person.disability_grade}级"
            if person.disability_type
            else ""
        )
        yield (
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
