"""Parsing an import file: the header, each row's values, rows grouped into households and
checked."""

from __future__ import annotations

from collections.abc import Callable

from safetynet.registry.choices import HealthStatus, LabourCapacity, SchoolStage
from safetynet.registry.import_format import (
    COLUMN_BY_KEY,
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
from safetynet.registry.imports.common import (
    ParsedFile,
    RowProblem,
    _Group,
    _Row,
)
from safetynet.registry.inputs import HouseholdInput, IncomeInput, MemberInput
from safetynet.registry.relations import HEAD, relation_from_text
from safetynet.spreadsheets import WATERMARK_PREFIX

PROGRESS_EVERY = 5000


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
