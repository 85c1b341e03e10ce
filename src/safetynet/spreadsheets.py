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
from decimal import Decimal
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
        if getattr(self, "_stamped", False):  # saved twice (a copy kept, a copy sent): once
            return
        self._stamped = True
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
    "{sheets}"
    f'<Override PartName="/xl/styles.xml" ContentType="{_OOXML}.styles+xml"/>'
    "{core}</Types>"
)
_SHEET_TYPE = (
    f'<Override PartName="/xl/worksheets/sheet{{n}}.xml" ContentType="{_OOXML}.worksheet+xml"/>'
)
_ROOT_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
    "{core}</Relationships>"
)
_CORE_TYPE = (
    '<Override PartName="/docProps/core.xml" '
    'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
)
_CORE_REL = (
    f'<Relationship Id="rId2" Type="{_PKG}/relationships/metadata/core-properties" '
    'Target="docProps/core.xml"/>'
)
# The watermark in the file's properties (creator, last modified by, description, created).
_CORE = (
    f"{_XML}<cp:coreProperties "
    'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
    "<dc:creator>{who}</dc:creator><cp:lastModifiedBy>{who}</cp:lastModifiedBy>"
    "<dc:description>{text}</dc:description>"
    '<dcterms:created xsi:type="dcterms:W3CDTF">{when}</dcterms:created>'
    '<dcterms:modified xsi:type="dcterms:W3CDTF">{when}</dcterms:modified>'
    "</cp:coreProperties>"
)
_WORKBOOK = (
    f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_REL}"><sheets>{{sheets}}</sheets></workbook>'
)
_WORKBOOK_SHEET = '<sheet name="{title}" sheetId="{n}" r:id="rId{n}"/>'
_WORKBOOK_RELS = (
    f'{_XML}<Relationships xmlns="{_PKG}/relationships">'
    "{sheets}"
    f'<Relationship Id="rIdStyles" Type="{_REL}/styles" Target="styles.xml"/>'
    "</Relationships>"
)
_WORKBOOK_REL = (
    f'<Relationship Id="rId{{n}}" Type="{_REL}/worksheet" Target="worksheets/sheet{{n}}.xml"/>'
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
_XML_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;"})
# The escapes and the characters XML cannot carry (dropped), in one table.
_XML_TEXT = {
    **_XML_ESCAPES,
    **{code: None for code in [*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)]},
}
# Sheet names cannot hold these (Excel refuses the file).
_SHEET_NAME_BANNED = str.maketrans({c: "_" for c in "[]:*?/\\"})


# Distinct values whose cell XML a workbook remembers; past it, new values are not kept.
CELL_CACHE = 200_000


def _text_cell(value: str) -> str:
    """The XML of a text cell: escaped as ``Workbook`` escapes (no formula, no DDE), characters
    XML cannot carry dropped (one ``translate`` does that and the XML escaping), as an inline
    string."""
    text = (escape(value) if value[0] in _TRIGGERS else value).translate(_XML_TEXT)
    if not text:
        return "<c/>"
    space = ' xml:space="preserve"' if text[0].isspace() or text[-1].isspace() else ""
    return f'<c t="inlineStr"><is><t{space}>{text}</t></is></c>'


def _cell(value: Any) -> str:
    """The XML of one cell of ``StreamingXlsx``."""
    kind = type(value)
    if kind is str:
        return _text_cell(value) if value else "<c/>"
    if value is None:
        return "<c/>"
    if kind is bool:
        return _text_cell("是" if value else "否")
    if isinstance(value, int | float | Decimal):
        return f"<c><v>{value}</v></c>"
    text = str(value)
    return _text_cell(text) if text else "<c/>"


class _CellCache(dict[Any, str]):
    """Value → cell XML, made on first use. 0 and 1 are never kept: ``True == 1`` (and
    ``1.0``, ``Decimal(1)``) would share one entry though a boolean is written 是/否."""

    def __missing__(self, value: Any) -> str:
        cell = _cell(value)
        if len(self) < CELL_CACHE and not (value == 0 or value == 1):
            self[value] = cell
        return cell


class StreamingXlsx:
    """An .xlsx written straight to a file, row by row, in constant memory.

    The write-only mode for exports of any size: openpyxl's write-only sheet builds an element
    per cell (14–23 s per 100,000 rows of 19 columns here), this writes the sheet XML as text
    into a deflated ZIP member (some 20× faster). Text is escaped exactly as ``Workbook`` does
    (no formula, no DDE), as inline strings; ``int``/``float``/``Decimal`` are numbers; ``None``
    leaves the cell empty; anything else is written as its ``str()``.

    The first sheet is named by ``title``; ``add_sheet`` ends the current sheet and starts the
    next (sheets are written one after another, never back). Every sheet ends with the
    watermark footer, as ``Workbook``'s. Use as a context manager, or call ``close()``;
    ``rows`` counts the data rows appended to the current sheet.
    """

    FLUSH_ROWS = 500

    def __init__(
        self,
        fileobj: IO[bytes] | str,
        *,
        title: str = "Sheet1",
        watermark: bool = True,
        exported_by: str | None = None,
    ) -> None:
        import zipfile

        self._watermark = watermark
        self._exported_by = exported_by
        self._text: str | None = None
        self._when: dt.datetime | None = None
        self._zip = zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1)
        self._titles: list[str] = []
        self._sheet: Any = None
        self._pending: list[str] = []
        self._cells = _CellCache()
        self.rows = 0
        self._open_sheet(title)

    def _open_sheet(self, title: str) -> None:
        clean = title.translate(_SHEET_NAME_BANNED)[:31] or f"Sheet{len(self._titles) + 1}"
        self._titles.append(clean.translate(_XML_ESCAPES))
        name = f"xl/worksheets/sheet{len(self._titles)}.xml"
        self._sheet = self._zip.open(name, "w", force_zip64=True)
        self._sheet.write(_SHEET_HEAD.encode())
        self.rows = 0

    def _end_sheet(self) -> None:
        if self._watermark:
            if self._text is None:
                self._when = timezone.now()
                self._text = watermark(self._exported_by or current_exporter(), self._when)
            data_rows = self.rows
            self.append([])
            self.append([self._text])
            self.rows = data_rows  # the footer is no data row
        self._flush()
        self._sheet.write(_SHEET_TAIL.encode())
        self._sheet.close()
        self._sheet = None

    def add_sheet(self, title: str) -> None:
        """End the current sheet (its footer) and write the following rows into a new one."""
        self._end_sheet()
        self._open_sheet(title)

    def append(self, values: Iterable[Any]) -> None:
        """One row. Cells carry no reference (``r``): they follow one another, an empty value
        is an empty ``<c/>`` that keeps the place. Each distinct value's XML is made once and
        looked up after (most of an export repeats: villages, labels, the household's cells on
        every member's row)."""
        self.rows += 1
        try:
            body = "".join(map(self._cells.__getitem__, values))
        except TypeError:  # an unhashable value: cell by cell
            body = "".join(_cell(value) for value in values)
        self._pending.append(f'<row r="{self.rows}">{body}</row>')
        if len(self._pending) >= self.FLUSH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self._pending:
            self._sheet.write("".join(self._pending).encode())
            self._pending.clear()

    def close(self) -> None:
        if self._sheet is None:
            return
        self._end_sheet()
        core = ""
        if self._watermark and self._text is not None and self._when is not None:
            who = self._exported_by or current_exporter()
            core = _CORE.format(
                who=who.translate(_XML_ESCAPES),
                text=self._text.translate(_XML_ESCAPES),
                when=f"{self._when.astimezone(dt.UTC):%Y-%m-%dT%H:%M:%SZ}",
            )
        numbers = range(1, len(self._titles) + 1)
        self._zip.writestr(
            "[Content_Types].xml",
            _CONTENT_TYPES.replace(
                "{sheets}", "".join(_SHEET_TYPE.format(n=n) for n in numbers)
            ).replace("{core}", _CORE_TYPE if core else ""),
        )
        self._zip.writestr("_rels/.rels", _ROOT_RELS.replace("{core}", _CORE_REL if core else ""))
        self._zip.writestr(
            "xl/workbook.xml",
            _WORKBOOK.replace(
                "{sheets}",
                "".join(
                    _WORKBOOK_SHEET.format(title=title, n=n)
                    for n, title in zip(numbers, self._titles, strict=True)
                ),
            ),
        )
        self._zip.writestr(
            "xl/_rels/workbook.xml.rels",
            _WORKBOOK_RELS.replace("{sheets}", "".join(_WORKBOOK_REL.format(n=n) for n in numbers)),
        )
        self._zip.writestr("xl/styles.xml", _STYLES)
        if core:
            self._zip.writestr("docProps/core.xml", core)
        self._zip.close()

    def __enter__(self) -> StreamingXlsx:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class StreamingCsv:
    """A CSV written straight to a file, row by row: UTF-8 with a BOM (Excel opens it) unless
    ``encoding`` says otherwise (a bank's GBK file), text escaped as ``Workbook`` does, the
    watermark footer under the rows unless ``watermark=False`` (a file another system reads
    back, such as the bank's). ``rows`` counts the data rows."""

    def __init__(
        self,
        path: str | Any,
        *,
        encoding: str = "utf-8-sig",
        errors: str = "strict",
        watermark: bool = True,
        exported_by: str | None = None,
        escape_text: bool = True,
    ) -> None:
        import csv

        self._handle = open(path, "w", encoding=encoding, errors=errors, newline="")  # noqa: SIM115
        self._writer = csv.writer(self._handle)
        self._watermark = watermark
        self._exported_by = exported_by
        self._escape = escape_text
        self.rows = 0

    def append(self, values: Iterable[Any]) -> None:
        self.rows += 1
        self._writer.writerow(
            ["" if v is None else (escape(v) if self._escape else v) for v in values]
        )

    def close(self) -> None:
        if self._handle.closed:
            return
        if self._watermark:
            self._writer.writerow([])
            self._writer.writerow(csv_footer(self._exported_by))
        self._handle.close()

    def __enter__(self) -> StreamingCsv:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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
