"""A year's holiday table as an .xlsx workbook: the template (filled with what the platform
knows of the year, so it doubles as an export) and its import, which replaces the year's rows in
the administrator's table in one audited transaction — or writes nothing and lists every
problem (row, column, reason)."""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from django.db import transaction
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.core.dates import parse_date
from safetynet.policy.calendar import services as calendar_services
from safetynet.policy.calendar import workdays
from safetynet.policy.calendar.services import CalendarError
from safetynet.policy.models import CalendarDay
from safetynet.spreadsheets import Workbook

if TYPE_CHECKING:
    from safetynet.accounts.models import User

SHEET = "节假日安排"
HEADERS = ("日期", "安排", "节日名称", "说明")
KINDS = {"放假": False, "休": False, "休息": False, "上班": True, "班": True, "调休上班": True}
MAX_ROWS = 400  # a year has at most a few dozen such days; more means the wrong file
_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="F0F3F7")


def template_downloaded(*, actor: Any, year: int, client: Client | None) -> None:
    """The template download is on the trail like every export (issue 11)."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="calendar_year",
        object_id=year,
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary=f"下载 {year} 年节假日安排模板",
        client=client,
    )


def template_workbook(year: int) -> bytes:
    schedule = workdays.year_schedule(year)
    workbook = Workbook(watermark=False)  # no personal data; filled in and uploaded again
    sheet = workbook.worksheets[0]
    sheet.title = SHEET
    sheet.append(list(HEADERS))
    for cell in sheet[1]:
        cell.font, cell.fill = _BOLD, _HEAD_FILL
    for day in schedule.days:
        sheet.append([day.date, "上班" if day.is_working_day else "放假", day.name, day.note])
    last = max(len(schedule.days) + 1, 60)
    for row in range(2, last + 1):
        sheet.cell(row=row, column=1).number_format = "yyyy-mm-dd"
    validation = DataValidation(type="list", formula1='"放假,上班"', allow_blank=True)
    validation.error = "请选择“放假”或“上班”"
    validation.add(f"B2:B{last}")
    sheet.add_data_validation(validation)
    for letter, width in zip("ABCD", (14, 10, 16, 40), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A2"

    notes = workbook.create_sheet("填写说明")
    for line in (
        f"本表为 {year} 年的节假日安排，每个日期一行，依据国务院办公厅当年的节假日安排通知填写。",
        "放假：通知中放假的每一天，包括假期中的周六、周日。上班：调休上班的周六、周日。",
        "未列出的日期按周一至周五上班、周六周日休息计算（已内置数据的年份按内置数据）。",
        "导入后，本表内容将替换系统中该年已录入的全部日期；与内置数据相同的日期不再单独保存。",
        "日期可写作 2027-01-01、2027/1/1 或 2027年1月1日。",
    ):
        notes.append([line])
    notes.column_dimensions["A"].width = 100

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class RowProblem:
    row: int  # spreadsheet row number, as Excel shows it
    column: str
    reason: str

    def __str__(self) -> str:
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}{'「' + self.column + '」' if self.column else ''}：{self.reason}"


@dataclass
class TableImportResult:
    year: int
    problems: list[RowProblem] = field(default_factory=list)
    stored: int = 0  # rows kept in the table
    same_as_package: int = 0  # rows the package already says, not stored
    removed: int = 0  # rows of the year in the table that the file no longer lists
    declared: bool = False

    @property
    def ok(self) -> bool:
        return not self.problems


def _read(content: bytes) -> list[list[Any]]:
    if not content.startswith(b"PK\x03\x04"):
        raise CalendarError("请上传 .xlsx 文件（可先下载模板）", field="file")
    try:
        book = CalamineWorkbook.from_filelike(io.BytesIO(content))
        name = SHEET if SHEET in book.sheet_names else book.sheet_names[0]
        return [list(r) for r in book.get_sheet_by_name(name).to_python(skip_empty_area=False)]
    except PasswordError as exc:
        raise CalendarError("文件设置了密码，请取消密码后再导入", field="file") from exc
    except CalamineError as exc:
        raise CalendarError("无法读取 Excel 文件，文件可能已损坏", field="file") from exc


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def parse_table(
    content: bytes, year: int
) -> tuple[dict[dt.date, tuple[bool, str, str]], list[RowProblem]]:
    """The file's rows as date → (is_working_day, name, note), and every problem found."""
    rows = _read(content)
    if not rows or [_text(c) for c in rows[0][:2]] != list(HEADERS[:2]):
        return {}, [RowProblem(1, "", f"表头应为：{'、'.join(HEADERS)}，请使用下载的模板")]
    entries: dict[dt.date, tuple[bool, str, str]] = {}
    first_row: dict[dt.date, int] = {}
    problems: list[RowProblem] = []
    data = [(n, r) for n, r in enumerate(rows[1:], start=2) if any(_text(c) for c in r)]
    if len(data) > MAX_ROWS:
        return {}, [RowProblem(0, "", f"超过 {MAX_ROWS} 行，请确认是否选错了文件")]
    for number, row in data:
        cells = [*row, None, None, None, None][:4]
        try:
            day = parse_date(cells[0])
        except ValueError as exc:
            problems.append(RowProblem(number, "日期", str(exc)))
            continue
        if day.year != year:
            problems.append(RowProblem(number, "日期", f"{day.isoformat()} 不在 {year} 年"))
            continue
        if day in first_row:
            problems.append(
                RowProblem(number, "日期", f"{day.isoformat()} 与第 {first_row[day]} 行重复")
            )
            continue
        first_row[day] = number
        kind = _text(cells[1])
        if kind not in KINDS:
            problems.append(RowProblem(number, "安排", f"应为“放假”或“上班”，而不是“{kind}”"))
            continue
        name, note = _text(cells[2]), _text(cells[3])
        if len(name) > calendar_services.NAME_MAX:
            problems.append(
                RowProblem(number, "节日名称", f"不能超过 {calendar_services.NAME_MAX} 个字")
            )
            continue
        if len(note) > calendar_services.NOTE_MAX:
            problems.append(
                RowProblem(number, "说明", f"不能超过 {calendar_services.NOTE_MAX} 个字")
            )
            continue
        entries[day] = (KINDS[kind], name, note)
    if not entries and not problems:
        problems.append(RowProblem(0, "", "文件中没有任何日期"))
    return entries, problems


def calendar_table_import(
    *,
    actor: User,
    year: int,
    content: bytes,
    source: str = "",
    client: Client | None = None,
) -> TableImportResult:
    """Replace the year's rows with the file's; with ``source``, also declare the year complete.

    Rows that say what the package already says are not stored, so that the table keeps only
    what the package lacks or gets wrong.
    """
    calendar_services.require_edit(actor)
    calendar_services.check_year(year, "year")
    result = TableImportResult(year=year)
    entries, result.problems = parse_table(content, year)
    if result.problems:
        return result
    package = {d.date: d for d in workdays.package_days(year)}
    keep = {
        day: entry
        for day, entry in entries.items()
        if day not in package or package[day].is_working_day != entry[0]
    }
    result.same_as_package = len(entries) - len(keep)
    with transaction.atomic():
        existing = CalendarDay.objects.select_for_update().filter(
            date__gte=dt.date(year, 1, 1), date__lte=dt.date(year, 12, 31)
        )
        result.removed = len([row for row in existing if row.date not in keep])
        existing.delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(date=day, is_working_day=w, name=name, note=note, created_by=actor)
            for day, (w, name, note) in sorted(keep.items())
        )
        result.stored = len(keep)
        audit_record(
            actor=actor,
            action=Action.IMPORT,
            object_type="calendar_year",
            object_id=str(year),
            summary=f"导入 {year} 年节假日安排 {result.stored} 天",
            detail={
                "stored": result.stored,
                "same_as_package": result.same_as_package,
                "removed": result.removed,
                "days": {d.isoformat(): w for d, (w, _n, _o) in sorted(keep.items())},
            },
            client=client,
        )
        if source.strip():
            calendar_services.calendar_year_declare(
                actor=actor, year=year, source=source, client=client
            )
            result.declared = True
        calendar_services.changed()
    return result
