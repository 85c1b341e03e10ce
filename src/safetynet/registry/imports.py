"""Bulk import of households with members from an Excel (.xlsx) or CSV file.

One row per person; rows are grouped into households by 户主身份证号. The whole file is parsed here
and validated by ``services.households_validate`` before anything is written: on any problem
nothing is written and the user gets a row-by-row report (row, column, value, reason) that points
at the spreadsheet row they see. A household whose head already heads a current household with the
same members is "unchanged", so importing the same file twice changes nothing.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.core.chunks import chunked
from safetynet.registry import identity, services
from safetynet.registry.choices import HealthStatus, IncomeKind, LabourCapacity, SchoolStage
from safetynet.registry.import_format import (
    ALLOWED_VALUES,
    COLUMN_BY_KEY,
    COLUMN_ORDER,
    COLUMNS,
    HOUSEHOLD_COLUMNS,
    ID_KEYS,
    INCOME_COLUMNS,
    REQUIRED_COLUMNS,
    YES_NO,
    Cell,
    ImportValueError,
    alias_key,
    cell_text,
    excel_number,
    parse_amount,
    parse_choice,
    parse_grade,
    parse_id_cell,
    parse_name,
    read_rows,
)
from safetynet.registry.inputs import HouseholdInput, IncomeInput, MemberInput
from safetynet.registry.models import Household, Membership
from safetynet.registry.relations import HEAD, RELATIONS, relation_from_text
from safetynet.spreadsheets import WATERMARK_PREFIX, Workbook

if TYPE_CHECKING:
    from safetynet.accounts.models import User

PROGRESS_EVERY = 5000
ALREADY_REGISTERED = "该户已登记，如需修改请在系统中编辑"

__all__ = ["ImportResult", "RowProblem", "parse_amount"]


# --- result types --------------------------------------------------------------------------------


@dataclass(frozen=True)
class RowProblem:
    row: int | None  # the spreadsheet row number the user sees; None for the file as a whole
    column: str
    value: str
    reason: str

    def __post_init__(self) -> None:
        # Reports, result pages and job results are kept and shown past the upload: a problem never
        # carries a whole ID number (the row number points the user at the cell).
        object.__setattr__(self, "value", identity.mask_ids_in_text(str(self.value)))
        object.__setattr__(self, "reason", identity.mask_ids_in_text(str(self.reason)))

    @property
    def row_label(self) -> str:
        return "" if self.row is None else str(self.row)


@dataclass
class ImportResult:
    file_name: str
    sha256: str
    rows: int = 0
    households_in_file: int = 0
    problems: list[RowProblem] = field(default_factory=list)
    created: list[Household] = field(default_factory=list)
    unchanged: list[int] = field(default_factory=list)  # ids of households already registered
    ignored_columns: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Row:
    number: int
    raw: dict[str, str]  # column key -> the cell as the user sees it
    head_id: str | None
    id_number: str | None
    member: MemberInput
    region_code: str
    residence: str
    address: str
    phone: str


@dataclass
class _Group:
    head_id: str
    rows: list[_Row]
    head_row: _Row | None = None


@dataclass
class ParsedFile:
    """What the parser made of a file: rows grouped into households, and every problem found."""

    rows: int = 0
    groups: list[_Group] = field(default_factory=list)
    problems: list[RowProblem] = field(default_factory=list)
    headers: dict[str, str] = field(default_factory=dict)  # column key -> header as in the file
    ignored_columns: list[str] = field(default_factory=list)

    def header(self, key: str) -> str:
        if key in self.headers:
            return self.headers[key]
        column = COLUMN_BY_KEY.get(key)
        return column.header if column else key


# --- parsing rows ---------------------------------------------------------------------------------


class _RowParser:
    """Turns one spreadsheet row into a member and household fields, collecting problems."""

    def __init__(self, parsed: ParsedFile, positions: dict[str, int]) -> None:
        self.parsed = parsed
        self.positions = positions

    def problem(self, row: int, key: str, value: str, reason: str) -> None:
        self.parsed.problems.append(RowProblem(row, self.parsed.header(key), value, reason))

    def parse(self, number: int, cells: list[Cell]) -> _Row | None:
        values = {key: cells[i] if i < len(cells) else None for key, i in self.positions.items()}
        raw = {}
        for key, value in values.items():
            if key in ID_KEYS and isinstance(value, int | float) and not isinstance(value, bool):
                raw[key] = excel_number(value)
            else:
                raw[key] = cell_text(value)
        if not any(raw.values()) or any(
            str(cell).startswith(WATERMARK_PREFIX) for cell in cells[:1] if cell
        ):
            return None  # blank, or the watermark footer of an exported workbook
        member = MemberInput(id_number=raw.get("id_number", ""), name="", relation="")
        row = _Row(
            number=number,
            raw=raw,
            head_id=None,
            id_number=None,
            member=member,
            region_code="",
            residence="",
            address=raw.get("address", ""),
            phone=raw.get("phone", ""),
        )
        for key in sorted(ID_KEYS):
            if not raw.get(key):
                self.problem(number, key, "", f"{COLUMN_BY_KEY[key].header}不能为空")
                continue
            try:
                setattr(row, key, parse_id_cell(values[key]))
            except ImportValueError as exc:
                self.problem(number, key, raw[key], exc.reason)
        if row.id_number:
            member.id_number = row.id_number
        self._member_fields(row, values)
        self._household_fields(row)
        return row

    def _member_fields(self, row: _Row, values: dict[str, Cell]) -> None:
        raw, member, number = row.raw, row.member, row.number
        member.name = parse_name(raw.get("name", ""))
        if not member.name:
            self.problem(number, "name", "", "姓名不能为空")
        relation_text = raw.get("relation", "")
        relation = relation_from_text(relation_text) if relation_text else None
        if relation == "01" and row.id_number is not None and row.id_number == row.head_id:
            relation = HEAD  # 本人 on the head's own row means the head
        if not relation_text:
            self.problem(number, "relation", "", "与户主关系不能为空")
        elif relation is None:
            self.problem(
                number,
                "relation",
                relation_text,
                "与户主关系无法识别：应为 GB/T 4761 代码（如 10）或名称（如 配偶、长子）",
            )
        member.relation = relation or relation_text
        co_resident = raw.get("co_resident", "")
        if co_resident and co_resident not in YES_NO:
            self.problem(number, "co_resident", co_resident, "是否共同生活应为“是”或“否”")
        member.co_resident = YES_NO.get(co_resident, True)
        member.phone = raw.get("phone", "")
        if len(member.phone) > 20:
            self.problem(number, "phone", member.phone, "联系电话不能超过 20 个字符")
        member.illness_name = raw.get("illness_name", "")
        if len(member.illness_name) > 100:
            self.problem(number, "illness_name", member.illness_name, "所患疾病不能超过 100 个字")
        defaults = {
            "disability_type": "",
            "health_status": HealthStatus.HEALTHY.value,
            "labour_capacity": LabourCapacity.FULL.value,
            "school_stage": SchoolStage.NONE.value,
        }
        for key, default in defaults.items():
            text = raw.get(key, "")
            try:
                setattr(member, key, parse_choice(key, text, default))
            except ImportValueError as exc:
                self.problem(number, key, text, exc.reason)
                setattr(member, key, text)
        try:
            member.disability_grade = parse_grade(raw.get("disability_grade", ""))
        except ImportValueError as exc:
            self.problem(number, "disability_grade", raw["disability_grade"], exc.reason)
        for key, kind in INCOME_COLUMNS.items():
            if key not in values:
                continue
            try:
                amount = parse_amount(values[key])
            except ImportValueError as exc:
                self.problem(number, key, raw[key], exc.reason)
                continue
            if amount:
                member.incomes.append(IncomeInput(kind=kind, monthly_amount=amount))

    def _household_fields(self, row: _Row) -> None:
        raw, number = row.raw, row.number
        code = raw.get("region_code", "").replace(" ", "")
        if code and not (code.isdigit() and len(code) == 12):
            self.problem(number, "region_code", code, "区划代码应为 12 位数字（村(居)委会一级）")
        row.region_code = code
        try:
            row.residence = parse_choice("residence", raw.get("residence", ""), "")
        except ImportValueError as exc:
            self.problem(number, "residence", raw["residence"], exc.reason)
        if len(row.address) > 200:
            self.problem(number, "address", row.address, "家庭住址不能超过 200 个字")


def _map_header(parsed: ParsedFile, header_cells: list[Cell], row_number: int) -> dict[str, int]:
    positions: dict[str, int] = {}
    for index, cell in enumerate(header_cells):
        if cell in (None, ""):
            continue
        text = cell_text(cell)
        key = alias_key(cell)
        if key is None:
            parsed.ignored_columns.append(text)
        elif key in positions:
            parsed.problems.append(
                RowProblem(row_number, text, "", f"与“{parsed.headers[key]}”是同一列，列重复")
            )
        else:
            positions[key] = index
            parsed.headers[key] = text
    for key in REQUIRED_COLUMNS:
        if key not in positions:
            header = COLUMN_BY_KEY[key].header
            parsed.problems.append(RowProblem(row_number, header, "", f"缺少必需的列“{header}”"))
    return positions


def parse_file(
    *, content: bytes, file_name: str, on_progress: Callable[[int], None] | None = None
) -> ParsedFile:
    """Read and check every row; group rows into households. Touches no database."""
    parsed = ParsedFile()
    try:
        rows, header_index = read_rows(content, file_name)
    except ImportValueError as exc:
        parsed.problems.append(RowProblem(None, "", "", exc.reason))
        return parsed
    positions = _map_header(parsed, rows[header_index], header_index + 1)
    if parsed.problems:
        return parsed
    parser = _RowParser(parsed, positions)
    groups: dict[str, _Group] = {}
    first_seen: dict[str, int] = {}
    for index in range(header_index + 1, len(rows)):
        row = parser.parse(index + 1, rows[index])
        if row is None:
            continue
        parsed.rows += 1
        if on_progress is not None and parsed.rows % PROGRESS_EVERY == 0:
            on_progress(parsed.rows)
        if row.id_number is not None:
            if row.id_number in first_seen:
                parser.problem(
                    row.number,
                    "id_number",
                    row.raw["id_number"],
                    f"身份证号与第 {first_seen[row.id_number]} 行重复",
                )
            else:
                first_seen[row.id_number] = row.number
        if row.head_id is not None:
            groups.setdefault(row.head_id, _Group(head_id=row.head_id, rows=[])).rows.append(row)
    parsed.groups = list(groups.values())
    if parsed.rows == 0:
        parsed.problems.append(RowProblem(header_index + 1, "", "", "表头下面没有数据行"))
    return parsed


def _check_group(parser: _RowParser, group: _Group) -> HouseholdInput | None:
    """Find the head's row and build the household; household fields come from that row."""
    head_rows = [row for row in group.rows if row.id_number == group.head_id]
    first = group.rows[0]
    if not head_rows:
        parser.problem(
            first.number,
            "head_id",
            first.raw.get("head_id", ""),
            "文件中没有户主本人的行：须有一行的身份证号与户主身份证号相同",
        )
        return None
    head = group.head_row = head_rows[0]
    if head.member.relation != HEAD:
        parser.problem(
            head.number,
            "relation",
            head.raw.get("relation", ""),
            "户主本人所在行的与户主关系应填“户主”",
        )
    for row in group.rows:
        if row is not head and row.member.relation == HEAD:
            parser.problem(
                row.number,
                "relation",
                row.raw.get("relation", ""),
                "只有户主本人所在行的与户主关系可以填“户主”",
            )
    if not head.region_code:
        parser.problem(head.number, "region_code", "", "户主所在行须填写区划代码")
    for row in group.rows:
        if row is head:
            continue
        for key in HOUSEHOLD_COLUMNS:
            mine, theirs = row.raw.get(key, ""), head.raw.get(key, "")
            if mine and mine != theirs:
                parser.problem(
                    row.number, key, mine, f"与户主所在行（第 {head.number} 行）不一致：{theirs}"
                )
    return HouseholdInput(
        region_code=head.region_code,
        residence=head.residence,
        address=head.address,
        phone=head.phone,
        members=[row.member for row in group.rows],
    )


# --- the import ----------------------------------------------------------------------------------


def _existing_households(*, actor: User, groups: list[_Group]) -> dict[str, Household]:
    """Head ID number -> the in-scope current household that person already heads."""
    by_hash = {identity.blind_index(group.head_id): group.head_id for group in groups}
    heads: dict[int, str] = {}
    for chunk in chunked(list(by_hash)):
        for digest, household_id in Membership.objects.filter(
            left_on__isnull=True, relation=HEAD, person__id_number_hash__in=chunk
        ).values_list("person__id_number_hash", "household_id"):
            heads[household_id] = by_hash[digest]
    households = scope_queryset(Household.objects.filter(pk__in=list(heads)), user=actor)
    return {heads[household.pk]: household for household in households}


def _compare_existing(
    parser: _RowParser, group: _Group, household: Household, members: dict[str, str]
) -> bool:
    """True if every row of the file is already a current member with the same relation."""
    same = True
    head_rows = [row for row in group.rows if row.id_number == group.head_id]
    region = head_rows[0].region_code if head_rows else ""
    if region and region != household.region_id:
        parser.problem(head_rows[0].number, "region_code", region, ALREADY_REGISTERED)
        same = False
    for row in group.rows:
        if row.id_number is None:
            continue
        relation = members.get(identity.blind_index(row.id_number))
        if relation is None:
            parser.problem(row.number, "id_number", row.raw["id_number"], ALREADY_REGISTERED)
            same = False
        elif relation != row.member.relation:
            parser.problem(row.number, "relation", row.raw.get("relation", ""), ALREADY_REGISTERED)
            same = False
    return same


_SERVICE_FIELDS = {"members": "head_id", "income": "income_wages"}
_SERVICE_FIELDS.update({f"income_{kind}": f"income_{kind}" for kind in IncomeKind.values})


def _map_service_problems(
    parsed: ParsedFile, groups: list[_Group], problems: list[services.Problem]
) -> list[RowProblem]:
    mapped = []
    for problem in problems:
        if problem.member is None and problem.field == "relation":
            continue  # "exactly one head": _check_group already named the row that is wrong
        group = groups[problem.household]
        row = group.rows[problem.member] if problem.member is not None else group.head_row
        row = row or group.rows[0]
        key = _SERVICE_FIELDS.get(problem.field, problem.field)
        value = row.raw.get(key) or problem.value
        mapped.append(RowProblem(row.number, parsed.header(key), value, problem.reason))
    return mapped


def _finish(parsed: ParsedFile, result: ImportResult, extra: list[RowProblem]) -> ImportResult:
    """One problem per cell (the first found, which is the most specific), in sheet order."""
    order = {parsed.header(key): COLUMN_ORDER[key] for key in COLUMN_ORDER}
    seen: set[tuple[int | None, str]] = set()
    problems = []
    for problem in [*parsed.problems, *extra]:
        if (problem.row, problem.column) in seen:
            continue
        seen.add((problem.row, problem.column))
        problems.append(problem)
    problems.sort(key=lambda p: (p.row or 0, order.get(p.column, len(order))))
    result.problems = problems
    result.rows = parsed.rows
    result.households_in_file = len(parsed.groups)
    result.ignored_columns = parsed.ignored_columns
    return result


def households_import(
    *,
    actor: User,
    content: bytes,
    file_name: str,
    client: Client | None = None,
    on_progress: Callable[[int], None] | None = None,
) -> ImportResult:
    """Validate the whole file; if it is clean, create the new households and write one audit
    record. Nothing is written when there is any problem or when every household is unchanged."""
    services.require(actor, Capability.IMPORT_HOUSEHOLDS)
    result = ImportResult(file_name=file_name, sha256=hashlib.sha256(content).hexdigest())
    parsed = parse_file(content=content, file_name=file_name, on_progress=on_progress)
    parser = _RowParser(parsed, {})
    existing = _existing_households(actor=actor, groups=parsed.groups) if parsed.groups else {}
    members: dict[int, dict[str, str]] = {household.pk: {} for household in existing.values()}
    for household_id, digest, relation in Membership.objects.filter(
        household_id__in=list(members), left_on__isnull=True
    ).values_list("household_id", "person__id_number_hash", "relation"):
        members[household_id][digest] = relation
    new_groups: list[_Group] = []
    new_households: list[HouseholdInput] = []
    for group in parsed.groups:
        household = existing.get(group.head_id)
        if household is not None:
            if _compare_existing(parser, group, household, members[household.pk]):
                result.unchanged.append(household.pk)
            continue
        household_input = _check_group(parser, group)
        if household_input is not None:
            new_groups.append(group)
            new_households.append(household_input)
    service_problems = (
        services.households_validate(actor=actor, households=new_households)
        if new_households
        else []
    )
    _finish(parsed, result, _map_service_problems(parsed, new_groups, service_problems))
    if result.problems or not new_households:
        return result
    try:
        with transaction.atomic():
            created = services.households_create(
                actor=actor, households=new_households, client=client, audit_each=False
            ).households
            audit_record(
                actor=actor,
                action=Action.IMPORT,
                object_type="household_import",
                object_id=result.sha256[:16],
                region_code=getattr(actor, "scope_region_id", "") or "",
                summary=f"批量导入家庭：新建 {len(created)} 户（{file_name}）"[:300],
                detail={
                    "file_name": file_name,
                    "sha256": result.sha256,
                    "rows": parsed.rows,
                    "households_in_file": len(parsed.groups),
                    "created": len(created),
                    "unchanged": len(result.unchanged),
                    "persons": sum(len(h.members) for h in new_households),
                    "household_ids": [household.pk for household in created],
                },
                client=client,
            )
    except services.HouseholdValidationError as exc:
        # Someone registered one of these people between validation and writing.
        _finish(parsed, result, _map_service_problems(parsed, new_groups, exc.problems))
        return result
    result.created = created
    return result


# --- workbooks: error report and template --------------------------------------------------------

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")


def error_report_workbook(*, file_name: str, problems: list[RowProblem]) -> bytes:
    """The full error report: the file name, then one line per problem (行号, 列, 值, 原因)."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "错误报告"
    sheet.append([f"导入文件：{file_name}", f"共 {len(problems)} 处错误，未导入任何数据"])
    sheet.append(["行号", "列", "值", "原因"])
    for cell in sheet[2]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    for problem in problems:
        sheet.append([problem.row, problem.column, problem.value, problem.reason])
        # Values are text: an ID number must not be turned into a number again.
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"
    for letter, width in zip("ABCD", (8, 16, 24, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TEMPLATE_ROWS = 1000
_AMOUNT_VALUES = "非负数，如 1,200.50 或 1200元"
_FREE_VALUES = {
    "head_id": "18 位身份证号",
    "id_number": "18 位身份证号",
    "region_code": "12 位数字",
    "relation": "户主、配偶、子、女、父亲、母亲、孙子、孙女、儿媳、女婿等，或其代码（如 02、10）",
    **{key: _AMOUNT_VALUES for key in INCOME_COLUMNS},
}


def _example_rows(village_code: str) -> list[list[str]]:
    county = village_code[:6]

    def number(born: dt.date, sequence: int, male: bool) -> str:
        return identity.build_id_number(
            address_code=county, birth_date=born, sequence=sequence, male=male
        )

    head = number(dt.date(1968, 3, 12), 31, True)
    household = {"head_id": head, "region_code": village_code, "address": "幸福路 12 号"}
    people: list[dict[str, str]] = [
        {
            "phone": "13800000000",
            "name": "张建国",
            "id_number": head,
            "relation": "户主",
            "health_status": "慢性病",
            "illness_name": "高血压",
            "labour_capacity": "部分丧失劳动能力",
            "income_wages": "1,200",
            "income_transfer": "300",
        },
        {
            "name": "李秀英",
            "id_number": number(dt.date(1970, 7, 5), 42, False),
            "relation": "配偶",
            "disability_type": "肢体残疾",
            "disability_grade": "二级",
            "labour_capacity": "无劳动能力",
            "income_transfer": "200",
        },
        {
            "name": "张小明",
            "id_number": number(dt.date(2008, 9, 1), 57, True),
            "relation": "子",
            "school_stage": "普通高中",
        },
    ]
    defaults = {"co_resident": "是", "health_status": "健康"}
    return [
        [{**defaults, **household, **person}.get(column.key, "") for column in COLUMNS]
        for person in people
    ]


def _header_sheet(sheet: Any) -> None:
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 22 if column.text else 14
    sheet.freeze_panes = "A2"


def template_downloaded(*, actor: Any, client: Client | None) -> None:
    """Even an empty template is a download: on the trail like every export (issue 11)."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="household_import",
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary="下载家庭批量导入空白模板",
        client=client,
    )


def template_workbook(*, example_village_code: str = "410105001003") -> bytes:
    """The import template: the data sheet with Chinese headers (ID and code columns formatted
    as text so Excel keeps every digit, drop-down lists for choice columns), the instructions,
    an example household on its own sheet, and the GB/T 4761 relation codes."""
    workbook = Workbook(watermark=False)  # filled in and uploaded again
    sheet = workbook.worksheets[0]
    sheet.title = "家庭成员"
    _header_sheet(sheet)
    for index, column in enumerate(COLUMNS, start=1):
        if column.text:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        allowed = ALLOWED_VALUES.get(column.key)
        if allowed:
            letter = sheet.cell(row=1, column=index).column_letter
            validation = DataValidation(
                type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True
            )
            validation.error = f"请从下拉列表中选择{column.header}"
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)

    notes = workbook.create_sheet("填写说明")
    notes.append(["每人一行；同一户的各行填写相同的户主身份证号。整个文件校验通过后才会导入。"])
    notes.append(
        ["身份证号、区划代码、联系电话列已设为文本格式，请勿改为数值，以免 Excel 截断号码。"]
    )
    notes.append(["已登记的家庭再次导入时不会重复建档；如需修改已登记的家庭，请在系统中编辑。"])
    notes.append([])
    notes.append(["列名", "是否必填", "说明", "可填写的值"])
    for cell in notes[5]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    for column in COLUMNS:
        values = "、".join(ALLOWED_VALUES.get(column.key, [])) or _FREE_VALUES.get(column.key, "")
        notes.append([column.header, column.required, column.note, values])
    for letter, width in zip("ABCD", (16, 18, 60, 70), strict=True):
        notes.column_dimensions[letter].width = width

    example = workbook.create_sheet("填写示例")
    _header_sheet(example)
    for example_row in _example_rows(example_village_code):
        example.append(example_row)
    example.append([])
    example.append(["以上为示例数据，仅供参考，请在“家庭成员”表中填写实际数据。"])

    relations = workbook.create_sheet("关系代码")
    relations.append(["代码", "名称"])
    for cell in relations[1]:
        cell.font = _BOLD
    for code, name in RELATIONS:
        relations.append([code, name])
    relations.column_dimensions["B"].width = 36
    for line in range(2, len(RELATIONS) + 2):
        relations.cell(row=line, column=1).number_format = "@"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- error reports kept for download -------------------------------------------------------------

REPORT_MAX_AGE = dt.timedelta(days=1)
_TOKEN = re.compile(r"[0-9a-f]{32}")


def _report_dir(user: User) -> Path:
    return Path(settings.MEDIA_ROOT) / "import-reports" / str(int(user.pk))


def report_save(*, user: User, content: bytes) -> str:
    """Keep an error report for its user under a random name; reports older than a day go.

    The folder is the user's own, so another user cannot fetch it even with the name."""
    folder = _report_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - REPORT_MAX_AGE.total_seconds()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.xlsx").write_bytes(content)
    return token


def report_path(*, user: User, token: str) -> Path | None:
    if not _TOKEN.fullmatch(token):
        return None
    path = _report_dir(user) / f"{token}.xlsx"
    return path if path.is_file() else None


def report_file_name(file_name: str) -> str:
    return f"{Path(file_name).name}.errors.xlsx"
