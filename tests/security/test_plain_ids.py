"""Finding 1 of issue 12: no whole ID number in what is kept or shown after an upload (job results,
result pages, error reports), no refused upload kept past its retention on a quiet server, and no
whole ID number in a search URL."""

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from config.settings import base
from conftest import first_below, new_id_number
from safetynet.jobs.models import Job
from safetynet.regions.models import Level, Region
from safetynet.registry.identity import decrypt_id_number, mask_id_number
from safetynet.registry.models import Household, Person
from safetynet.registry.tests.exporting import exported as export_file
from safetynet.registry.tests.import_files import HEADERS, Row, family, table, xlsx_bytes

pytestmark = pytest.mark.django_db

REGISTER_HEADERS = [*HEADERS, "纳入日期", "保障类别", "保障对象", "监测类型", "月保障金额"]


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def village(jinshui_township: Region) -> Region:
    return first_below(jinshui_township.code, Level.VILLAGE)


@pytest.fixture
def officer(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


def _xlsx_text(content: bytes) -> str:
    book = load_workbook(io.BytesIO(content))
    return "\n".join(
        "\t".join("" if v is None else str(v) for v in row)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
    )


def _registered_head(officer_user: Any, village: Region, make_household: Any) -> tuple[Any, str]:
    household = make_household(officer_user, village=village)
    head = Person.objects.get(pk=household.head_id)
    return head, decrypt_id_number(head.id_number_encrypted)


def test_inclusion_job_result_page_api_and_report_carry_masked_ids_and_rows(
    officer: Client, jinshui_officer: Any, village: Region, make_household: Any
) -> None:
    head, number = _registered_head(jinshui_officer, village, make_household)
    stranger = new_id_number(village.code[:6])
    rows: list[Row] = [
        {"户主身份证号": number, "姓名": head.name, "身份证号": number, "与户主关系": "户主"},
        {"户主身份证号": number, "姓名": "外人", "身份证号": stranger, "与户主关系": "子"},
    ]
    rows[0]["纳入日期"] = "2025-01-01"
    response = officer.post(
        reverse("determination:inclusion"),
        {
            "kind": "dibao",
            "file": SimpleUploadedFile("名册.xlsx", xlsx_bytes(table(rows, REGISTER_HEADERS))),
        },
        follow=True,
    )
    job = Job.objects.get()
    page = response.content.decode()
    api = officer.get(f"/api/jobs/{job.pk}").content.decode()
    report = officer.get(reverse("determination:inclusion_report", args=[job.pk]))
    report_text = _xlsx_text(b"".join(report.streaming_content))
    stored = str(Job.objects.values_list("result", flat=True).get())
    for text in (page, api, report_text, stored):
        assert stranger not in text
        assert number not in text
    assert job.result["problems"][0]["row"] == "3"
    assert job.result["problems"][0]["value"] == mask_id_number(stranger)
    assert mask_id_number(stranger) in page and mask_id_number(stranger) in report_text


def test_household_import_page_and_report_carry_masked_ids(
    officer: Client, jinshui_officer: Any, village: Region, make_household: Any
) -> None:
    _, number = _registered_head(jinshui_officer, village, make_household)
    people = family(village.code)
    people[1]["身份证号"] = number  # already the head of another household
    bad = list(number)
    bad[-1] = "0" if bad[-1] != "0" else "1"  # a near-valid number with a wrong check digit
    people[0]["联系电话"] = "".join(bad)
    response = officer.post(
        "/households/import/",
        {"file": SimpleUploadedFile("名单.xlsx", xlsx_bytes(table(people)))},
    )
    body = response.content.decode()
    assert number not in body and "".join(bad) not in body
    assert mask_id_number(number) in body
    token = response.context["report_token"]
    report = officer.get(reverse("registry:import_report", args=[token]))
    text = _xlsx_text(b"".join(report.streaming_content) if report.streaming else report.content)
    assert number not in text and mask_id_number(number) in text


def test_daily_run_purges_refused_uploads_and_kept_registers(
    settings: Any, media_root: Path
) -> None:
    assert "safetynet.retention.uploads_purge_task" in base.JOBS_DAILY
    settings.JOBS_DAILY = list(base.JOBS_DAILY)
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    incoming = Path(settings.FEEDS_DIR) / "incoming"
    uploads = media_root / "inclusion-uploads"
    reports = media_root / "import-reports" / "7"
    old_time = time.time() - 2 * 24 * 3600
    kept = []
    for folder in (incoming, uploads, reports):
        folder.mkdir(parents=True)
        old = folder / "old.xlsx"
        old.write_bytes(b"410105197005060690")
        os.utime(old, (old_time, old_time))
        fresh = folder / "fresh.xlsx"
        fresh.write_bytes(b"x")
        kept.append(fresh)
    call_command("jobs", "work", "--once", stdout=io.StringIO())
    for folder in (incoming, uploads, reports):
        assert not (folder / "old.xlsx").exists(), folder
    assert all(path.exists() for path in kept)


def test_id_search_on_the_list_page_keeps_the_number_out_of_the_url(
    officer: Client, jinshui_officer: Any, village: Region, make_household: Any
) -> None:
    household = make_household(jinshui_officer, village=village)
    make_household(jinshui_officer, village=village)
    number = decrypt_id_number(Person.objects.get(pk=household.head_id).id_number_encrypted)
    response = officer.post("/households/", {"q": number})
    assert response.status_code == 302
    location = response["Location"]
    assert number not in location and number[6:14] not in location
    page = officer.get(location)
    assert list(page.context["page"].object_list) == [household]
    assert mask_id_number(number) in page.content.decode()
    # The export link of the page carries the token too, and exports that one household only.
    exported = _xlsx_text(export_file(officer, location.split("?", 1)[1]))
    assert Household.objects.count() == 2
    assert mask_id_number(number) in exported
    others = Person.objects.exclude(memberships__household=household)
    assert all(p.id_number_masked not in exported for p in others)


def test_name_search_still_travels_in_the_url(
    officer: Client, jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer, head_name="张三")
    response = officer.post("/households/", {"q": "zs"})
    assert response["Location"] == "/households/?q=zs"


def test_unknown_search_token_finds_nobody(
    officer: Client, jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer)
    page = officer.get("/households/", {"qt": "made-up"})
    assert list(page.context["page"].object_list) == []


@pytest.mark.parametrize("path", ["/api/persons", "/api/households"])
def test_api_refuses_a_whole_id_number_in_the_query_string_and_searches_by_body(
    officer: Client, jinshui_officer: Any, village: Region, make_household: Any, path: str
) -> None:
    household = make_household(jinshui_officer, village=village)
    number = decrypt_id_number(Person.objects.get(pk=household.head_id).id_number_encrypted)
    refused = officer.get(path, {"q": number})
    assert refused.status_code == 422
    assert number not in refused.content.decode()
    found = officer.post(
        f"{path}/search", data={"id_number": number}, content_type="application/json"
    )
    assert found.status_code == 200 and found.json()["count"] == 1
    assert number not in found.content.decode()


@pytest.mark.parametrize("path", ["/households/", "/households/export/"])
def test_a_whole_id_number_in_the_url_is_refused_unsearched_and_unaudited(
    officer: Client, jinshui_officer: Any, make_household: Any, path: str
) -> None:
    from safetynet.audit.models import AuditRecord

    household = make_household(jinshui_officer)
    number = decrypt_id_number(Person.objects.get(pk=household.head_id).id_number_encrypted)
    before = AuditRecord.objects.count()
    if path.endswith("export/"):  # the export button posts the list's query string
        response = officer.post(f"{path}?q={number}")
    else:
        response = officer.get(path, {"q": number})
    assert response.status_code == 302 and response["Location"] == "/households/"
    assert AuditRecord.objects.count() == before
    page = officer.get(response["Location"])
    text = page.content.decode()
    assert "身份证号不能放在网址中" in text
    assert number not in text
