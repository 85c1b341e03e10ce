"""The one Workbook every Excel file the platform writes is made with: no text becomes a formula.

A name, address or reason typed as ``=HYPERLINK(...)``, ``+cmd|...`` or ``@SUM(...)`` would
otherwise be a live formula (or DDE call) when an officer opens the export, the quarantine file or
an error report (CSV/formula injection, OWASP). Text starting with ``= + - @``, a tab or a carriage
return is written with a leading apostrophe, which Excel shows as text; plain numbers kept as text
("-12.50") and a lone "-" stay as they are. Write-only sheets escape as rows are appended; ordinary
sheets escape every cell when the workbook is saved. Modules import ``Workbook`` from here, never
from openpyxl (a test holds every module to it).

Every workbook carries a watermark (issue 12; GB/T 22239-2019 第三级: personal data leaving the
system must be traceable): who exported it and when, in the file's properties (creator, last
modified by, description, custom properties 导出人/导出时间) and as a footer row under every sheet.
Who: ``exported_by=`` when the caller knows, else the account of the request or job in progress
(``exporter``, set by ``web.middleware``, the API's token check and the job runner), else the
console's OS account. ``watermark=False`` only for a template meant to be filled in and uploaded
again (the footer would be read as a data row). CSV exports end with ``csv_footer()``.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import getpass
import re
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import IO, Any

from django.utils import timezone
from openpyxl import Workbook as _OpenpyxlWorkbook
from openpyxl.cell.cell import Cell
from openpyxl.packaging.custom import StringProperty
from openpyxl.worksheet._write_only import WriteOnlyWorksheet

WATERMARK_PREFIX = "导出人："
_EXPORTER: contextvars.ContextVar[str] = contextvars.ContextVar("safetynet_exporter", default="")


def exporter_label(user: Any) -> str:
    """How an account is named in a watermark: real name and user name."""
    name = getattr(user, "display_name", "") or ""
    username = getattr(user, "username", "") or ""
    return f"{name}（{username}）" if name and name != username else username


@contextmanager
def exporter(label: str) -> Iterator[None]:
    """Name the account exporting during the block (a request, a job)."""
    token = _EXPORTER.set(label)
    try:
        yield
    finally:
        _EXPORTER.reset(token)


def exporter_set(label: str) -> None:
    """Name the account for the rest of the current context (the API's token check, inside a
    request whose middleware restores the previous value when it ends)."""
    _EXPORTER.set(label)


def current_exporter() -> str:
    label = _EXPORTER.get()
    if label:
        return label
    try:
        return f"控制台（{getpass.getuser()}）"
    except (KeyError, OSError):
        return "控制台"


def watermark(who: str | None = None, when: dt.datetime | None = None) -> str:
    moment = timezone.localtime(when or timezone.now())
    return (
        f"{WATERMARK_PREFIX}{who or current_exporter()}；导出时间：{moment:%Y-%m-%d %H:%M:%S}；"
        "含个人信息，仅限工作使用，不得外传"
    )


def csv_footer(who: str | None = None) -> list[str]:
    return [watermark(who)]


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
    def __init__(
        self, write_only: bool = False, *, watermark: bool = True, exported_by: str | None = None
    ) -> None:
        super().__init__(write_only=write_only)
        self._watermark = watermark
        self._exported_by = exported_by

    def _stamp(self) -> None:
        who = self._exported_by or current_exporter()
        when = timezone.now()
        text = watermark(who, when)
        self.properties.creator = who
        self.properties.lastModifiedBy = who
        self.properties.created = self.properties.modified = when.replace(tzinfo=None)
        self.properties.description = text
        for name, value in (
            ("导出人", who),
            ("导出时间", f"{timezone.localtime(when):%Y-%m-%d %H:%M:%S}"),
        ):
            self.custom_doc_props.append(StringProperty(name=name, value=value))
        for sheet in self.worksheets:
            sheet.append([])
            sheet.append([text])

    def create_sheet(self, title: str | None = None, index: int | None = None) -> Any:
        if self.write_only:
            sheet = _WriteOnlySheet(parent=self, title=title)
            self._add_sheet(sheet=sheet, index=index)
            return sheet
        return super().create_sheet(title, index)

    def save(self, filename: str | IO[bytes]) -> None:
        if self._watermark:
            self._stamp()
        if not self.write_only:
            for sheet in self.worksheets:
                for row in sheet.iter_rows():
                    for cell in row:
                        if isinstance(cell.value, str):
                            escaped = escape(cell.value)
                            if escaped is not cell.value:
                                cell.value = escaped
        super().save(filename)


def data_rows(rows: Iterable[Any]) -> list[Any]:
    """The rows of a sheet read back without its watermark footer (and the blank row above it):
    for readers and tests of what was exported."""
    kept = list(rows)
    last = kept[-1] if kept else None
    if last and isinstance(last[0], str) and last[0].startswith(WATERMARK_PREFIX):
        kept.pop()
        if kept and not any(v not in (None, "") for v in kept[-1]):
            kept.pop()
    return kept
