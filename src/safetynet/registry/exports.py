"""Excel exports of household lists: exactly the list the user sees, scoped and audited.

An export of any size is a background job (``household_export_submit``, through the one export
mechanism of ``jobs.exports``): the list page posts its filters, the job streams the rows into a
write-only workbook on disk (``spreadsheets.StreamingXlsx``) with progress the job page polls,
and the creator downloads the file from the job page (``jobs:download``, audited again).
Nothing of it runs in a request.

Apps above the registry add household columns they own (the monthly amount of assistance is
determination's) with ``export_column_register`` from their ``AppConfig.ready``: the registry
does not import them. Each such column is computed for a chunk of households at once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.services import Client
from safetynet.core.chunks import chunked
from safetynet.jobs.exports import Written, export, export_submit
from safetynet.jobs.tasks import ProgressFn
from safetynet.registry import selectors
from safetynet.registry.models import CategoryStatus, Household, Person
from safetynet.registry.relations import RELATION_NAMES
from safetynet.spreadsheets import StreamingXlsx, exporter_label

if TYPE_CHECKING:
    from safetynet.accounts.models import User
    from safetynet.jobs.models import Job

EXPORT_KIND = "registry.household_export"
# Progress is reported once per this many households (one chunk of the streamed query).
PROGRESS_EVERY = 2000

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
# The columns from here on are the member's; those before, the household's.
MEMBER_FROM = HEADERS.index("成员姓名")


@dataclass(frozen=True)
class ExportColumn:
    """A household column of the export: its header and its values for a chunk of households
    (objects with ``pk``; household id → value; a household left out gets an empty cell)."""

    header: str
    after: str  # the header it follows
    values: Callable[[list[Any]], dict[int, Any]]


EXTRA_COLUMNS: list[ExportColumn] = []


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


def _labels(model: Any, name: str) -> Callable[[str], str]:
    """``get_FOO_display`` once per export instead of once per cell: Django's rebuilds a
    hashed dict of the lazily translated choices on every call (half the export's time)."""
    labels = {value: str(label) for value, label in model._meta.get_field(name).flatchoices}
    return lambda value: labels.get(value, value)


def household_list_write(
    *,
    user: User,
    filters: selectors.HouseholdFilters,
    fileobj: Any,
    progress: ProgressFn | None = None,
) -> tuple[int, int]:
    """One row per current member into ``fileobj`` (a path or binary file), streamed: the list's
    ids first, then per chunk of households four plain-value queries (households, current
    members with their person, counted incomes, members' own categories in force; the ids bound
    as one array) — no model instances — and the sheet in constant memory. A household's cells
    are laid out once and copied per member. Returns (households, rows)."""
    ids = list(selectors.household_list(user=user, filters=filters).values_list("id", flat=True))
    residence = _labels(Household, "residence")
    category = _labels(Household, "category")
    relapse_watch = _labels(Household, "relapse_watch")
    disability_type = _labels(Person, "disability_type")
    sex = _labels(Person, "sex")
    health = _labels(Person, "health_status")
    labour = _labels(Person, "labour_capacity")
    member_category = _labels(CategoryStatus, "category")
    columns = headers()
    # Where each column lands once the apps' columns are inserted among the registry's.
    at = {header: columns.index(header) for header in HEADERS}
    household_at = [at[header] for header in HEADERS[:MEMBER_FROM]]
    member_at = [at[header] for header in HEADERS[MEMBER_FROM:]]
    extra_at = [columns.index(column.header) for column in EXTRA_COLUMNS]
    width = len(columns)
    member_start = member_at[0]
    member_tail = member_at == list(range(member_start, width))
    with StreamingXlsx(fileobj, title="家庭清单", exported_by=exporter_label(user)) as sheet:
        sheet.append(columns)
        for done, chunk in enumerate(chunked(ids, PROGRESS_EVERY), start=1):
            data = selectors.household_export_chunk(chunk)
            keys = [SimpleNamespace(pk=pk) for pk in chunk]
            extra = [column.values(keys) for column in EXTRA_COLUMNS]
            for row in data.households:
                pk = row["id"]
                base: list[Any] = [None] * width
                for index, value in zip(
                    household_at,
                    (
                        pk,
                        row["region__full_name"],
                        row["region_id"],
                        residence(row["residence"]),
                        row["head__name"] or "",
                        row["member_count"],
                        data.income_per_head(pk, row["member_count"]),
                        category(row["category"]),
                        relapse_watch(row["relapse_watch"]),
                        row["address"],
                    ),
                    strict=True,
                ):
                    base[index] = value
                for index, values in zip(extra_at, extra, strict=True):
                    base[index] = values.get(pk)
                for (
                    person_id,
                    relation,
                    name,
                    masked,
                    person_sex,
                    birth_date,
                    kind,
                    grade,
                    health_status,
                    labour_capacity,
                ) in data.members.get(pk, ()):
                    own = data.categories.get(person_id)
                    member = (
                        name,
                        RELATION_NAMES.get(relation, relation),
                        masked,
                        sex(person_sex),
                        birth_date.isoformat(),
                        f"{disability_type(kind)}{grade}级" if kind else "",
                        health(health_status),
                        labour(labour_capacity),
                        "、".join(member_category(c) for c in own) if own else "",
                    )
                    if member_tail:  # the member's columns close the row (the usual layout)
                        sheet.append(base[:member_start] + list(member))
                    else:
                        cells = base.copy()
                        for index, value in zip(member_at, member, strict=True):
                            cells[index] = value
                        sheet.append(cells)
            if progress is not None:
                progress(min(done * PROGRESS_EVERY, len(ids)), len(ids), "正在写入家庭清单")
        rows = sheet.rows - 1
    return len(ids), rows


@export(kind=EXPORT_KIND, label="家庭清单", suffix="xlsx", object_type="household_list")
def household_export_write(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    """The export job's writer: the list its creator saw when they pressed the button, as of
    now."""
    require(user, Capability.EXPORT_HOUSEHOLDS)
    wanted = selectors.HouseholdFilters(**params)
    households, rows = household_list_write(
        user=user, filters=wanted, fileobj=str(out), progress=progress
    )
    stamp = timezone.localtime().strftime("%Y%m%d-%H%M")
    return Written(
        rows=rows,
        filename=f"家庭清单-{stamp}.xlsx",
        summary=f"导出家庭清单 {households} 户",
        detail={"filters": wanted.as_dict(), "households": households},
        result={"households": households},
    )


def household_export_submit(
    *, user: User, filters: selectors.HouseholdFilters, client: Client | None
) -> Job:
    """Queue the export of the list ``user`` sees with ``filters``; the job page shows progress
    and, when done, the download."""
    params = {key: value for key, value in asdict(filters).items() if value}
    return export_submit(write=household_export_write, user=user, params=params, client=client)
