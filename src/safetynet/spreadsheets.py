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
