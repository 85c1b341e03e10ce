from __future__ import annotations

import io
from pathlib import Path
from typing import Any
from urllib.parse import unquote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from conftest import first_below
from safetynet.regions.models import Level, Region
from safetynet.registry.models import Household
from safetynet.registry.tests.import_files import csv_bytes, family, table, xlsx_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def village(jinshui_township: Region) -> Region:
    return first_below(jinshui_township.code, Level.VILLAGE)


@pytest.fixture
def officer_client(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


def upload(client: Client, content: bytes, name: str = "名单.csv") -> Any:
    return client.post("/households/import/", {"file": SimpleUploadedFile(name, content)})


def bad_file(village: Region) -> bytes:
    people = family(village.code)
    people[1]["健康状况"] = "很好"
    return csv_bytes(table(people))


def test_import_page_is_refused_without_the_import_capability(
    client: Client, village_assistant: Any
) -> None:
    client.force_login(village_assistant)
    assert client.get("/households/import/").status_code == 403


def test_nav_links_to_the_import_page_for_importers(officer_client: Client) -> None:
    assert 'href="/households/import/">批量导入</a>' in officer_client.get("/").content.decode()


def test_nav_hides_the_import_link_from_users_who_cannot_import(
    client: Client, village_assistant: Any
) -> None:
    client.force_login(village_assistant)
    assert "批量导入" not in client.get("/").content.decode()


def test_valid_upload_creates_households_and_shows_the_summary(
    officer_client: Client, village: Region
) -> None:
    people = family(village.code, head_name="王大山") + family(village.code)
    response = upload(officer_client, xlsx_bytes(table(people)), "名单.xlsx")
    body = response.content.decode()
    household = Household.objects.get(head__name="王大山")
    assert Household.objects.count() == 2
    assert '<strong id="created-count">2</strong>' in body
    assert f'href="/households/{household.pk}/"' in body


def test_upload_with_errors_writes_nothing_and_lists_the_problems(
    officer_client: Client, village: Region
) -> None:
    body = upload(officer_client, bad_file(village)).content.decode()
    assert Household.objects.count() == 0
    assert "<td>健康状况</td><td>很好</td>" in body
    assert "下载错误报告" in body


def test_problem_table_shows_the_first_200_and_the_full_count(
    officer_client: Client, village: Region
) -> None:
    people = [person for _ in range(130) for person in family(village.code)]
    for person in people:
        person["健康状况"] = "很好"
    response = upload(officer_client, csv_bytes(table(people)))
    assert len(response.context["problems_shown"]) == 200
    assert '<strong id="problem-count">260</strong>' in response.content.decode()


def test_error_report_downloads_as_excel_for_the_user_who_imported(
    officer_client: Client, village: Region
) -> None:
    token = upload(officer_client, bad_file(village)).context["report_token"]
    response = officer_client.get(f"/households/import/reports/{token}.xlsx")
    rows = list(
        load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            values_only=True
        )
    )
    assert unquote(response["Content-Disposition"]).endswith("名单.csv.errors.xlsx")
    assert rows[2] == (3, "健康状况", "很好", "健康状况应为：健康、慢性病、重特大疾病")


def test_error_report_is_refused_to_another_user(
    officer_client: Client, village: Region, county_officer: Any
) -> None:
    token = upload(officer_client, bad_file(village)).context["report_token"]
    other = Client()
    other.force_login(county_officer)
    assert other.get(f"/households/import/reports/{token}.xlsx").status_code == 404


def test_template_downloads_as_excel_with_chinese_headers(officer_client: Client) -> None:
    response = officer_client.get("/households/import/template.xlsx")
    sheet = load_workbook(io.BytesIO(response.content))["家庭成员"]
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert [cell.value for cell in sheet[1]][:3] == ["户主身份证号", "区划代码", "城乡类别"]


def test_template_example_uses_a_village_of_the_users_scope(
    officer_client: Client, village: Region
) -> None:
    response = officer_client.get("/households/import/template.xlsx")
    example = load_workbook(io.BytesIO(response.content))["填写示例"]
    assert example["B2"].value == village.code


def test_upload_of_an_xls_file_is_refused_with_a_clear_message(officer_client: Client) -> None:
    response = upload(officer_client, b"\xd0\xcf\x11\xe0", "old.xls")
    assert "暂不支持 .xls 格式" in response.content.decode()
