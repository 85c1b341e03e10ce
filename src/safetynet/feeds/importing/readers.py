"""Reading a department's file into an Arrow table of cell texts, one column per catalogue column
found in the header, plus ``row_number``: the row as a spreadsheet user sees it.

CSV (UTF-8 with or without BOM, GBK, GB18030 — a GBK file with a stray UTF-8 BOM too) is parsed
by pyarrow's multi-threaded reader; when a file does not fit its assumptions (quoted line breaks,
ragged rows) the standard ``csv`` module reads it instead, slower but exact. XLSX is read with
python-calamine, the header row found below any title rows (merged title cells included); a cell
merged over several data rows (a household head's ID beside each member) counts for every row it
covers, as the reader of the sheet understands it. Parquet is read as is. Values stay text here;
``normalise``/``validation`` interpret them column-wise.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
import pyarrow.parquet as pq
from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from safetynet import zipcheck
from safetynet.feeds.catalogue import ColumnKind, ColumnSpec, FeedImportError, SourceSpec
from safetynet.registry.import_format import excel_number, normalise_header

HEADER_SEARCH_ROWS = 30
NON_DATA_SHEETS = frozenset({"填写说明", "填写示例", "说明", "字段说明"})
UTF8_BOM = codecs.BOM_UTF8
_WAN_YUAN = re.compile(r"万元|\(万\)|（万）")


@dataclass
class RawTable:
    """Cell texts of the mapped columns (canonical names) and ``row_number`` (int64)."""

    table: pa.Table
    headers: dict[str, str]  # canonical column -> the header text as written in the file
    header_row: int  # 1-based row of the header
    file_format: str  # "csv" | "xlsx" | "parquet"
    # Multiplier per decimal column whose header states the unit as 万元 (registered capital).
    scales: dict[str, Decimal] = field(default_factory=dict)

    @property
    def rows(self) -> int:
        return self.table.num_rows


# --- header --------------------------------------------------------------------------------------


def alias_map(spec: SourceSpec) -> dict[str, str]:
    """Normalised header text -> canonical column name. A column's own label wins over another
    column's alias."""
    mapping: dict[str, str] = {}
    for column in spec.columns:
        for header in column.aliases:
            mapping.setdefault(normalise_header(header), column.name)
    for column in spec.columns:
        mapping[normalise_header(column.label)] = column.name
        mapping[normalise_header(column.name)] = column.name
    return mapping


def match_header(cells: list[Any], spec: SourceSpec) -> dict[str, int]:
    """Canonical column -> cell index, for the cells of one row that name a catalogue column (the
    first of two cells naming the same column wins)."""
    aliases = alias_map(spec)
    found: dict[str, int] = {}
    for index, cell in enumerate(cells):
        if cell is None or cell == "":
            continue
        name = aliases.get(normalise_header(cell))
        if name is not None and name not in found:
            found[name] = index
    return found


def _column_hint(column: ColumnSpec) -> str:
    others = [alias for alias in column.aliases[:4] if alias != column.label]
    return f"{column.label}（也可写作：{'、'.join(others)}）" if others else column.label


def find_header(rows: list[list[Any]], spec: SourceSpec) -> tuple[int, dict[str, int]]:
    """The 0-based index of the header row among the first rows and its column mapping.

    The header is the first row naming the ID-number column and at least one other column;
    failing that, the row naming the most columns. Title rows above it (a merged
    “2026年1月死亡人员名单”) name none.
    """
    best: tuple[int, dict[str, int]] | None = None
    has_id = any(c.kind == ColumnKind.ID_NUMBER for c in spec.columns)
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        found = match_header(row, spec)
        if not found:
            continue
        if (not has_id or "id_number" in found) and (len(found) >= 2 or len(spec.columns) == 1):
            return index, found
        if best is None or len(found) > len(best[1]):
            best = (index, found)
    if best is None:
        expected = "、".join(c.label for c in spec.columns if c.required)
        raise FeedImportError(f"未找到表头行：前 {HEADER_SEARCH_ROWS} 行中没有“{expected}”等列名")
    return best


def check_required(found: dict[str, int], spec: SourceSpec) -> None:
    missing = [c for c in spec.columns if c.required and c.name not in found]
    if missing:
        raise FeedImportError(
            f"“{spec.name}”缺少必填列：{'；'.join(_column_hint(c) for c in missing)}"
        )


def _scales(headers: dict[str, str], spec: SourceSpec) -> dict[str, Decimal]:
    return {
        name: Decimal(10000)
        for name, text in headers.items()
        if spec.column(name).kind == ColumnKind.DECIMAL and _WAN_YUAN.search(text)
    }


def _header_texts(cells: list[Any], found: dict[str, int]) -> dict[str, str]:
    return {name: " ".join(str(cells[index]).split()) for name, index in found.items()}


# --- CSV -----------------------------------------------------------------------------------------


def _to_utf8(content: bytes) -> bytes:
    """The file as UTF-8 bytes. A BOM is dropped whatever follows it: some tools put a UTF-8 BOM
    in front of GBK text. GB18030 is a superset of GBK, so one decoder serves both."""
    if content.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return content.decode("utf-16").encode("utf-8")
    content = content.removeprefix(UTF8_BOM)
    try:
        content.decode("utf-8")
        return content
    except UnicodeDecodeError:
        pass
    try:
        return content.decode("gb18030").encode("utf-8")
    except UnicodeDecodeError as exc:
        raise FeedImportError(
            "无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件后重新导入"
        ) from exc


def _delimiter(line: str) -> str:
    if "\t" in line and "," not in line:
        return "\t"
    if ";" in line and "," not in line:
        return ";"
    return ","


def _head_lines(content: bytes, count: int) -> list[bytes]:
    lines = content.split(b"\n", count)
    return lines[:count]


def read_csv(content: bytes, spec: SourceSpec) -> RawTable:
    data = _to_utf8(content)
    head = _head_lines(data, HEADER_SEARCH_ROWS + 1)
    head_text = [line.decode("utf-8", errors="replace").rstrip("\r") for line in head]
    delimiter = _delimiter(next((line for line in head_text if line.strip()), ""))
    head_rows = [
        next(csv.reader([line], delimiter=delimiter), []) if line.strip() else []
        for line in head_text
    ]
    header_index, found = find_header(head_rows, spec)
    check_required(found, spec)
    headers = _header_texts(head_rows[header_index], found)
    offset = sum(len(line) + 1 for line in head[: header_index + 1])
    body = data[offset:]
    width = max(len(head_rows[header_index]), max(found.values()) + 1)
    table = _fast_csv(body, delimiter, found, width=width, first_row=header_index + 2)
    if table is None:
        table = _exact_csv(body, delimiter, found, first_row=header_index + 2)
    return RawTable(table, headers, header_index + 1, "csv", _scales(headers, spec))


def _fast_csv(
    body: bytes, delimiter: str, found: dict[str, int], *, width: int, first_row: int
) -> pa.Table | None:
    """pyarrow's reader, when every record is one line of ``width`` cells; None otherwise."""
    if not body.strip():
        return _empty_table(found)
    names = [f"c{index}" for index in range(width)]
    ragged: list[int] = []

    def on_invalid(row: Any) -> str:
        ragged.append(1)
        return "skip"

    try:
        table = pacsv.read_csv(
            io.BytesIO(body),
            read_options=pacsv.ReadOptions(column_names=names, block_size=8 << 20),
            parse_options=pacsv.ParseOptions(
                delimiter=delimiter, newlines_in_values=False, invalid_row_handler=on_invalid
            ),
            convert_options=pacsv.ConvertOptions(
                column_types={name: pa.string() for name in names},
                include_columns=[f"c{index}" for index in found.values()],
                strings_can_be_null=False,
                quoted_strings_can_be_null=False,
            ),
        )
    except pa.ArrowInvalid:
        return None
    if ragged:
        # Rows with fewer or more cells than the header: the exact reader keeps them.
        return None
    has_blank = body.startswith((b"\n", b"\r\n")) or b"\n\n" in body or b"\n\r\n" in body
    if not has_blank:
        lines = body.count(b"\n") + (0 if body.endswith(b"\n") else 1)
        if table.num_rows != lines:
            return None  # a quoted line break: one record spans lines
        numbers = pa.array(range(first_row, first_row + lines), pa.int64())
    else:
        # Blank lines are skipped by the reader but still count as rows in a spreadsheet.
        row_numbers = [
            first_row + index
            for index, line in enumerate(body.split(b"\n"))
            if line not in (b"", b"\r")
        ]
        if table.num_rows != len(row_numbers):
            return None
        numbers = pa.array(row_numbers, pa.int64())
    columns = {name: table.column(f"c{index}") for name, index in found.items()}
    return pa.table({**columns, "row_number": numbers})


def _exact_csv(body: bytes, delimiter: str, found: dict[str, int], *, first_row: int) -> pa.Table:
    text = body.decode("utf-8")
    columns: dict[str, list[str]] = {name: [] for name in found}
    numbers: list[int] = []
    try:
        for offset, record in enumerate(
            csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
        ):
            if not record:
                continue
            numbers.append(first_row + offset)
            for name, index in found.items():
                columns[name].append(record[index] if index < len(record) else "")
    except csv.Error as exc:
        raise FeedImportError(f"CSV 文件格式有误：{exc}") from exc
    return pa.table(
        {
            **{name: pa.array(values, pa.string()) for name, values in columns.items()},
            "row_number": pa.array(numbers, pa.int64()),
        }
    )


def _empty_table(found: dict[str, int]) -> pa.Table:
    return pa.table(
        {
            **{name: pa.array([], pa.string()) for name in found},
            "row_number": pa.array([], pa.int64()),
        }
    )


# --- XLSX ----------------------------------------------------------------------------------------


def _cell_text(value: Any) -> str:
    """A cell as the text the user sees. Whole numbers lose the ".0" a spreadsheet adds; a
    date cell becomes ISO text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return str(value)
    return str(value)


def _id_cell_text(value: Any) -> str:
    """An ID cell stored as a number is shown as Excel shows it (4.10105E+17): the digits Excel
    dropped are lost and must not be guessed back."""
    if isinstance(value, float) and not isinstance(value, bool):
        return excel_number(value)
    if isinstance(value, int) and not isinstance(value, bool) and abs(value) >= 10**11:
        return excel_number(float(value))
    return _cell_text(value)


def read_xlsx(path: Path, spec: SourceSpec) -> RawTable:
    try:
        zipcheck.zip_check(path, zipcheck.xlsx_limits(), what="Excel 文件")
    except zipcheck.UnsafeZip as exc:
        raise FeedImportError(exc.message) from exc
    try:
        workbook = CalamineWorkbook.from_path(str(path))
        sheets = [name for name in workbook.sheet_names if name.strip() not in NON_DATA_SHEETS]
        first_error: FeedImportError | None = None
        for sheet_name in sheets:
            sheet = workbook.get_sheet_by_name(sheet_name)
            rows = sheet.to_python(skip_empty_area=False)
            try:
                header_index, found = find_header(rows, spec)
            except FeedImportError as exc:
                first_error = first_error or exc
                continue
            check_required(found, spec)
            _fill_merged(rows, sheet.merged_cell_ranges or [], header_index, found)
            headers = _header_texts(rows[header_index], found)
            return RawTable(
                _xlsx_table(rows, header_index, found, spec),
                headers,
                header_index + 1,
                "xlsx",
                _scales(headers, spec),
            )
    except PasswordError as exc:
        raise FeedImportError("文件设置了密码，请取消密码后再导入") from exc
    except CalamineError as exc:
        raise FeedImportError("无法读取 Excel 文件，文件可能已损坏") from exc
    raise first_error or FeedImportError("Excel 文件中没有工作表")


def _fill_merged(
    rows: list[list[Any]],
    ranges: list[tuple[tuple[int, int], tuple[int, int]]],
    header_index: int,
    found: dict[str, int],
) -> None:
    """Copy the value of each merged range below the header into every mapped cell it covers.

    Excel keeps a merged value only in the top-left cell; without this the other rows of a
    merged 户主身份证号 would be rejected as missing an ID. Ranges are 0-based and absolute,
    as are the rows of ``to_python(skip_empty_area=False)``."""
    mapped = set(found.values())
    for (top, left), (bottom, right) in ranges:
        if top <= header_index or top >= len(rows):
            continue  # a title or a header group label, not data
        value = rows[top][left] if left < len(rows[top]) else None
        columns = [column for column in range(left, right + 1) if column in mapped]
        for row in rows[top : bottom + 1]:
            for column in columns:
                if column < len(row):
                    row[column] = value


def _xlsx_table(
    rows: list[list[Any]], header_index: int, found: dict[str, int], spec: SourceSpec
) -> pa.Table:
    body = rows[header_index + 1 :]
    first_row = header_index + 2
    columns: dict[str, pa.Array] = {}
    for name, index in found.items():
        convert = _id_cell_text if spec.column(name).kind == ColumnKind.ID_NUMBER else _cell_text
        values = [
            (cell if type(cell) is str else convert(cell))
            if index < len(row) and (cell := row[index]) is not None
            else ""
            for row in body
        ]
        columns[name] = pa.array(values, pa.string())
    columns["row_number"] = pa.array(range(first_row, first_row + len(body)), pa.int64())
    return pa.table(columns)


# --- Parquet -------------------------------------------------------------------------------------


def read_parquet(path: Path, spec: SourceSpec) -> RawTable:
    try:
        source = pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise FeedImportError("无法读取 Parquet 文件，文件可能已损坏") from exc
    found = match_header(list(source.column_names), spec)
    if not found:
        find_header([list(source.column_names)], spec)  # raises naming the expected columns
    check_required(found, spec)
    columns: dict[str, pa.Array | pa.ChunkedArray] = {}
    for name, index in found.items():
        column = source.column(index)
        if pa.types.is_timestamp(column.type):
            column = pc.strftime(column, format="%Y-%m-%d %H:%M:%S")
        elif not pa.types.is_string(column.type):
            column = pc.cast(column, pa.string())
        columns[name] = pc.fill_null(column, "")
    columns["row_number"] = pa.array(range(2, 2 + source.num_rows), pa.int64())
    headers = {name: source.column_names[index] for name, index in found.items()}
    return RawTable(pa.table(columns), headers, 1, "parquet", _scales(headers, spec))


# --- dispatch ------------------------------------------------------------------------------------


def read_table(path: Path, spec: SourceSpec) -> RawTable:
    """The file's mapped columns as text; ``FeedImportError`` when it cannot be read at all."""
    try:
        with path.open("rb") as handle:
            magic = handle.read(8)
    except OSError as exc:
        raise FeedImportError(f"无法打开文件：{path.name}") from exc
    if magic.startswith(b"\xd0\xcf\x11\xe0"):
        raise FeedImportError("暂不支持 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入")
    if magic.startswith(b"PK\x03\x04"):
        return read_xlsx(path, spec)
    if magic.startswith(b"PAR1"):
        return read_parquet(path, spec)
    if path.suffix.lower() in (".xlsx", ".xlsm", ".parquet"):
        raise FeedImportError(f"文件扩展名为 {path.suffix}，但内容不是该格式，文件可能已损坏")
    return read_csv(path.read_bytes(), spec)
