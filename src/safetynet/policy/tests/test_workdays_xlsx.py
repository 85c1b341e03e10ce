"""A year's holiday table as .xlsx: the template, its import (all or nothing), and the pages."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import Workbook
from python_calamine import CalamineWorkbook

from conftest import make_user
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.audit.models import Action, AuditRecord
from safetynet.downloads import XLSX
from safetynet.policy.calendar import workdays
from safetynet.policy.calendar import xlsx as calendar_xlsx
from safetynet.policy.calendar.services import CalendarPermissionDenied
from safetynet.policy.models import CalendarDay, CalendarYear
from safetynet.regions.models import Region

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Iterator[None]:
    workdays.cache_clear()
    yield
    workdays.cache_clear()


@pytest.fixture
def administrator(db: Any) -> User:
    return make_user("admin", Role.ADMINISTRATOR, Region.objects.get(code="410000000000"))


def workbook(*rows: list[Any], header: tuple[str, ...] = calendar_xlsx.HEADERS) -> bytes:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(list(header))
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


NEW_YEAR_2027 = (
    [D(2027, 1, 1), "放假", "元旦", ""],
    [D(2027, 1, 2), "放假", "元旦", ""],
    [D(2027, 1, 3), "放假", "元旦", ""],
    ["2027/1/9", "上班", "元旦", "调休"],
)


def sheet_rows(content: bytes) -> list[list[Any]]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(content))
    return [list(r) for r in book.get_sheet_by_name(calendar_xlsx.SHEET).to_python()]


def test_template_lists_the_year_with_chinese_headers() -> None:
    rows = sheet_rows(calendar_xlsx.template_workbook(2026))
    assert rows[0] == list(calendar_xlsx.HEADERS)
    assert [D(2026, 10, 10), "上班", "国庆节", ""] in rows


def test_importing_the_package_years_template_stores_nothing(administrator: User) -> None:
    result = calendar_xlsx.calendar_table_import(
        actor=administrator, year=2026, content=calendar_xlsx.template_workbook(2026)
    )
    assert (result.ok, result.stored, result.same_as_package) == (
        True,
        0,
        len(workdays.package_days(2026)),
    )


def test_import_stores_the_rows_and_the_calendar_follows(administrator: User) -> None:
    calendar_xlsx.calendar_table_import(
        actor=administrator, year=2027, content=workbook(*NEW_YEAR_2027)
    )
    assert (CalendarDay.objects.count(), workdays.add_working_days(D(2026, 12, 31), 1)) == (
        4,
        D(2027, 1, 4),
    )


def test_import_with_a_source_declares_the_year(administrator: User) -> None:
    calendar_xlsx.calendar_table_import(
        actor=administrator, year=2027, content=workbook(*NEW_YEAR_2027), source="国办发明电"
    )
    assert workdays.due_date(D(2026, 12, 31), 5).warnings == ()


def test_import_replaces_the_years_earlier_rows(administrator: User) -> None:
    CalendarDay.objects.create(date=D(2027, 5, 1), is_working_day=False)
    CalendarDay.objects.create(date=D(2028, 1, 1), is_working_day=False)
    result = calendar_xlsx.calendar_table_import(
        actor=administrator, year=2027, content=workbook(*NEW_YEAR_2027)
    )
    assert result.removed == 1
    assert not CalendarDay.objects.filter(date=D(2027, 5, 1)).exists()
    assert CalendarDay.objects.filter(date=D(2028, 1, 1)).exists()


def test_import_is_audited(administrator: User) -> None:
    calendar_xlsx.calendar_table_import(
        actor=administrator, year=2027, content=workbook(*NEW_YEAR_2027)
    )
    record = AuditRecord.objects.get(action=Action.IMPORT)
    assert (record.object_type, record.object_id, record.detail["stored"]) == (
        "calendar_year",
        "2027",
        4,
    )


def test_import_lists_every_problem_by_row_and_writes_nothing(administrator: User) -> None:
    result = calendar_xlsx.calendar_table_import(
        actor=administrator,
        year=2027,
        content=workbook(
            [D(2027, 1, 1), "放假", "元旦", ""],
            ["2027-02-30", "放假", "", ""],
            [D(2028, 1, 1), "放假", "", ""],
            [D(2027, 1, 1), "放假", "", ""],
            [D(2027, 2, 6), "加班", "", ""],
        ),
        source="国办发明电",
    )
    assert [str(p) for p in result.problems] == [
        "第 3 行「日期」：日期不存在：2027-02-30",
        "第 4 行「日期」：2028-01-01 不在 2027 年",
        "第 5 行「日期」：2027-01-01 与第 2 行重复",
        "第 6 行「安排」：应为“放假”或“上班”，而不是“加班”",
    ]
    assert (CalendarDay.objects.count(), CalendarYear.objects.count()) == (0, 0)


def test_import_refuses_a_file_with_other_headers(administrator: User) -> None:
    result = calendar_xlsx.calendar_table_import(
        actor=administrator, year=2027, content=workbook(header=("姓名", "身份证号"))
    )
    assert [str(p) for p in result.problems] == [
        "第 1 行：表头应为：日期、安排、节日名称、说明，请使用下载的模板"
    ]


def test_township_officer_cannot_import(jinshui_officer: User) -> None:
    with pytest.raises(CalendarPermissionDenied):
        calendar_xlsx.calendar_table_import(
            actor=jinshui_officer, year=2027, content=workbook(*NEW_YEAR_2027)
        )


def test_anyone_signed_in_downloads_the_years_table(client: Client, jinshui_officer: User) -> None:
    client.force_login(jinshui_officer)
    response = client.get("/policy/calendar/template.xlsx", {"year": 2026})
    assert (response.status_code, response["Content-Type"]) == (200, XLSX)


def upload(content: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("2027.xlsx", content, content_type=XLSX)


def test_administrator_imports_from_the_page(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    response = client.post(
        "/policy/calendar/import/",
        {"year": "2027", "file": upload(workbook(*NEW_YEAR_2027)), "source": ""},
        follow=True,
    )
    assert "已导入 2027 年节假日安排：保存 4 天" in response.content.decode()


def test_page_shows_the_import_problems(client: Client, administrator: User) -> None:
    client.force_login(administrator)
    response = client.post(
        "/policy/calendar/import/",
        {"year": "2027", "file": upload(workbook([D(2027, 1, 1), "加班", "", ""]))},
    )
    assert "第 2 行「安排」：应为“放假”或“上班”，而不是“加班”" in response.content.decode()


def test_township_officer_cannot_import_from_the_page(
    client: Client, jinshui_officer: User
) -> None:
    client.force_login(jinshui_officer)
    response = client.post(
        "/policy/calendar/import/", {"year": "2027", "file": upload(workbook(*NEW_YEAR_2027))}
    )
    assert response.status_code == 403
