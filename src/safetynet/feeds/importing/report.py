"""The Excel error report of a batch: one line per refused cell (行号, 列, 值, 原因), ID numbers
masked, so the department can fix its file and hand it in again."""

from __future__ import annotations

import io
from collections.abc import Sequence
from pathlib import Path

from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font, PatternFill

from safetynet.feeds.importing.validation import RowError
from safetynet.spreadsheets import Workbook

_BOLD = Font(bold=True)
_HEAD_FILL = PatternFill("solid", fgColor="DDEBF7")
HEADERS = ("行号", "列", "值", "原因")


def report_file_name(file_name: str) -> str:
    """``死亡名单.csv`` → ``死亡名单.errors.xlsx``."""
    return f"{Path(file_name).stem}.errors.xlsx"


def error_report_bytes(
    *,
    file_name: str,
    source_name: str,
    period: str,
    errors: Sequence[RowError],
    rows_rejected: int,
    stored: bool,
) -> bytes:
    # Write-only: a batch can carry hundreds of thousands of refused cells.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("错误报告")
    for letter, width in zip("ABCD", (8, 18, 24, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    outcome = "有效行已入库，错误行已隔离留存" if stored else "本批次未入库，请修改后重新导入"
    sheet.append(
        [
            f"导入文件：{file_name}",
            f"数据源：{source_name}  期别：{period}",
            f"共 {rows_rejected} 行、{len(errors)} 处错误；{outcome}",
        ]
    )
    header = []
    for text in HEADERS:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        header.append(cell)
    sheet.append(header)
    for error in errors:
        # The value is text: an ID number must not turn back into a number in Excel.
        value = WriteOnlyCell(sheet, value=error.value)
        value.number_format = "@"
        sheet.append([error.row, error.column, value, error.reason])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
