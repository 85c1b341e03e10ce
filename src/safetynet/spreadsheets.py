"""The one Workbook every Excel file the platform writes is made with: no text becomes a formula.

A name, address or reason typed as ``=HYPERLINK(...)``, ``+cmd|...`` or ``@SUM(...)`` would
otherwise be a live formula (or DDE call) when an officer opens the export, the quarantine file or
an error report (CSV/formula injection, OWASP). Text starting with ``= + - @``, a tab or a carriage
return is written with a leading apostrophe, which Excel shows as text; plain numbers kept as text
("-12.50") and a lone "-" stay as they are. Write-only sheets escape as rows are appended; ordinary
sheets escape every cell when the workbook is saved. Modules import ``Workbook`` from here, never
from openpyxl (a test holds every module to it).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import IO, Any

from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell.cell import Cell
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?%?")


def escape(value: Any) -> Any:
    """``value`` safe to put in a cell: text that a spreadsheet would run is made plain text."""
    if (
        isinstance(value, str)
        and value
        and value[0] in _TRIGGERS
        and value != "-"
        and not _PLAIN_NUMBER.fullmatch(value)
    ):
        return "'" + value
    return value


def _escape_cell(value: Any) -> Any:
    if isinstance(value, Cell):  # a styled WriteOnlyCell
        if isinstance(value.value, str):
            escaped = escape(value.value)
            if escaped is not value.value:
                value.value = escaped
        return value
    return escape(value)


class _WriteOnlySheet(WriteOnlyWorksheet):
    def append(self, iterable: Iterable[Any] | dict[Any, Any]) -> None:
        if isinstance(iterable, dict):
            super().append({key: _escape_cell(v) for key, v in iterable.items()})
        else:
            super().append([_escape_cell(v) for v in iterable])


class Workbook(_OpenpyxlWorkbook):
    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        if self.write_only:
            sheet = _WriteOnlySheet(parent=self, title=title)
            self._add_sheet(sheet=sheet, index=index)
            return sheet
        return super().create_sheet(title, index)

    def save(self, filename: str | IO[bytes]) -> None:
        if not self.write_only:
            for sheet in self.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            escaped = escape(cell.value)
                            if escaped is not cell.value:
                                cell.value = escaped
        super().save(filename)


# --- Streaming writer -------------------------------------------------------------------------

_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_OOXML = "application/vnd.openxmlformats-officedocument.spreadsheetml"
_PKG = "http://schemas.openxmlformats.org/package/2006"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_CONTENT_TYPES = (
    f'{_XML}<Types xmlns="{_PKG}/content-types">'
    '<Default Extension="rels" '
    'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    f'<Override PartName="/xl/workbook.xml" ContentType="{_OOXML}.sheet.main+xml"/>'
    f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{_OOXML}.worksheet+xml"/>'
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
    "</Types>"
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "</Relationships>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}">'
    '<sheets><sheet name="{title}" sheetId="1" r:id="rId1"/></sheets></workbook>'
)
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/worksheet" Target="worksheets/sheet1.xml"/>'
    f'<Relationship Id="rId2" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="宋体"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
_SHEET_HEAD = f'{_XML}<worksheet xmlns="{_MAIN}"><sheetData>'
_SHEET_TAIL = "</sheetData></worksheet>"
# Characters XML 1.0 cannot carry at all (openpyxl refuses them); they are dropped.
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})


def _column_letters(count: int) -> list[str]:
    letters = []
    for index in range(1, count + 1):
        name = ""
        while index:
            index, rest = divmod(index - 1, 26)
            name = chr(65 + rest) + name
        letters.append(name)
    return letters


class StreamingXlsx:
    """A one-sheet .xlsx written straight to a file, row by row, in constant memory.

    The write-only mode for exports of any size: openpyxl's write-only sheet builds an element
    per cell (14–23 s per 100,000 rows of 19 columns here), this writes the sheet XML as text
    into a deflated ZIP member (some 20× faster). Text is escaped exactly as ``Workbook`` does
    (no formula, no DDE), as inline strings; ``int``/``float``/``Decimal`` are numbers; ``None``
    leaves the cell empty; anything else is written as its ``str()``.

    Use as a context manager, or call ``close()``; ``rows`` counts the rows appended.
    """

    FLUSH_ROWS = 500

    def __init__(self, fileobj: IO[bytes] | str, *, title: str = "Sheet1") -> None:
        import zipfile

        self._zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._title = title.translate(_XML_ESCAPES)[:31]
        self._sheet = self._zip.open("xl/worksheets/sheet1.xml", "w", force_zip64=True)
        self._sheet.write(_SHEET_HEAD.encode())
        self._pending: list[str] = []
        self._letters: list[str] = []
        self.rows = 0

    def append(self, values: Iterable[Any]) -> None:
        from decimal import Decimal

        self.rows += 1
        number = self.rows
        cells = list(values)
        if len(cells) > len(self._letters):
            self._letters = _column_letters(len(cells))
        parts = [f'<row r="{number}">']
        for letter, value in zip(self._letters, cells, strict=False):
            if value is None or value == "":
                continue
            if isinstance(value, bool):
                value = "是" if value else "否"
            if isinstance(value, int | float | Decimal):
                parts.append(f'<c r="{letter}{number}"><v>{value}</v></c>')
                continue
            text = escape(value if isinstance(value, str) else str(value))
            if _ILLEGAL_XML.search(text):
                text = _ILLEGAL_XML.sub("", text)
            text = text.translate(_XML_ESCAPES)
            space = ' xml:space="preserve"' if text[:1].isspace() or text[-1:].isspace() else ""
            parts.append(f'<c r="{letter}{number}" t="inlineStr"><is><t{space}>{text}</t></is></c>')
        parts.append("</row>")
        self._pending.append("".join(parts))
        if len(self._pending) >= self.FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._sheet.write("".join(self._pending).encode())
            self._pending.clear()

    def close(self) -> None:
        if self._sheet is None:
            return
        self._flush()
        self._sheet.write(_SHEET_TAIL.encode())
        self._sheet.close()
        self._sheet = None  # type: ignore[assignment]
        self._zip.writestr("[Content_Types].xml", _CONTENT_TYPES)
        self._zip.writestr("_rels/.rels", _ROOT_RELS)
        self._zip.writestr("xl/workbook.xml", _WORKBOOK.format(title=self._title))
        self._zip.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        self._zip.writestr("xl/styles.xml", _STYLES)
        self._zip.close()

    def __enter__(self) -> StreamingXlsx:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
