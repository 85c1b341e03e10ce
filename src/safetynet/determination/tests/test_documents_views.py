from __future__ import annotations

import io
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safetynet.audit.models import Action, AuditRecord
from safetynet.determination.documents import archive
from safetynet.determination.tests.notice_cases import accepted_case, decided_case
from safetynet.documents.tests.pdf_text import pdf_flat_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def case(make_household: Any, jinshui_officer: Any, county_officer: Any) -> Any:
    household = make_household(jinshui_officer, head_name="张建国", wages=Decimal("500.00"))
    return decided_case(officer=jinshui_officer, county=county_officer, household=household)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _body(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_notice_download_is_a_pdf_attachment_named_after_the_case(
    jinshui_officer: Any, case: Any
) -> None:
    response = _client(jinshui_officer).get(
        reverse("determination:notice_pdf", args=[case.pk, "decision"])
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert quote(f"认定决定通知书-{case.number}.pdf") in response["Content-Disposition"]
    assert "认定决定通知书" in pdf_flat_text(response.content)


def test_notice_the_case_lacks_returns_to_the_case_with_the_reason(
    jinshui_officer: Any, case: Any
) -> None:
    response = _client(jinshui_officer).get(
        reverse("determination:notice_pdf", args=[case.pk, "refusal"]), follow=False
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("determination:case", args=[case.pk])


def test_unknown_notice_kind_is_not_found(jinshui_officer: Any, case: Any) -> None:
    response = _client(jinshui_officer).get(
        reverse("determination:notice_pdf", args=[case.pk, "letter"])
    )
    assert response.status_code == 404


@pytest.mark.parametrize(
    ("name", "args"),
    [
        ("determination:notice_pdf", ["decision"]),
        ("determination:notice_pdf", ["receipt"]),
        ("determination:case_archive", []),
    ],
)
def test_other_township_gets_404_on_every_case_document(
    zhongyuan_officer: Any, case: Any, name: str, args: list[str]
) -> None:
    pk_first = [case.pk, *args]
    response = _client(zhongyuan_officer).get(reverse(name, args=pk_first))
    assert response.status_code == 404


def test_user_without_case_capability_gets_403(village_assistant: Any, case: Any) -> None:
    response = _client(village_assistant).get(
        reverse("determination:notice_pdf", args=[case.pk, "decision"])
    )
    assert response.status_code == 403


def test_anonymous_user_is_sent_to_login(case: Any) -> None:
    response = Client().get(reverse("determination:case_archive", args=[case.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_batch_download_prints_every_ticked_case(jinshui_officer: Any, make_household: Any) -> None:
    cases = [
        accepted_case(officer=jinshui_officer, household=make_household(jinshui_officer))
        for _ in range(2)
    ]
    response = _client(jinshui_officer).post(
        reverse("determination:notices_batch"),
        {"kind": "receipt", "ids": [str(c.pk) for c in cases]},
    )
    assert response.status_code == 200
    text = pdf_flat_text(response.content)
    assert text.count("第 1 页 / 共 1 页") == 2


def test_batch_with_a_foreign_case_goes_back_with_the_message(
    zhongyuan_officer: Any, case: Any
) -> None:
    response = _client(zhongyuan_officer).post(
        reverse("determination:notices_batch"),
        {"kind": "decision", "ids": [str(case.pk)], "next": "/determination/county/"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/determination/county/"
    assert "不在您的管辖范围内" in response.content.decode()


def test_batch_ignores_an_offsite_next(zhongyuan_officer: Any, case: Any) -> None:
    response = _client(zhongyuan_officer).post(
        reverse("determination:notices_batch"),
        {"kind": "decision", "ids": [str(case.pk)], "next": "//evil.example/"},
    )
    assert response["Location"] == reverse("determination:queue")


def test_publicity_page_offers_only_townships_in_scope(
    jinshui_officer: Any, jinshui_township: Any, zhongyuan_township: Any
) -> None:
    response = _client(jinshui_officer).get(reverse("determination:publicity_list"))
    body = response.content.decode()
    assert response.status_code == 200
    assert f'value="{jinshui_township.code}"' in body
    assert f'value="{zhongyuan_township.code}"' not in body


def test_publicity_page_with_its_fields_returns_the_pdf(jinshui_officer: Any, case: Any) -> None:
    response = _client(jinshui_officer).get(
        reverse("determination:publicity_list"),
        {
            "township": case.region_id[:9] + "000",
            "starts_from": "2026-04-01",
            "starts_to": "2026-04-30",
        },
    )
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert case.applicant.id_number_masked in pdf_flat_text(response.content)


def test_publicity_page_with_reversed_dates_explains(
    jinshui_officer: Any, jinshui_township: Any
) -> None:
    response = _client(jinshui_officer).get(
        reverse("determination:publicity_list"),
        {"township": jinshui_township.code, "starts_from": "2026-04-30", "starts_to": "2026-04-01"},
    )
    assert response.status_code == 200
    assert "截止日期不能早于起始日期" in response.content.decode()


def test_archive_download_is_a_zip_that_verifies(jinshui_officer: Any, case: Any) -> None:
    response = _client(jinshui_officer).get(reverse("determination:case_archive", args=[case.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert quote(archive.archive_name(case)) in response["Content-Disposition"]
    assert archive.archive_verify(_body(response)) == []


def test_verify_page_reports_an_intact_archive(jinshui_officer: Any, case: Any) -> None:
    payload = archive.case_archive(user=jinshui_officer, application=case)
    response = _client(jinshui_officer).post(
        reverse("determination:archive_verify"),
        {"file": SimpleUploadedFile("a.zip", payload, content_type="application/zip")},
    )
    body = response.content.decode()
    assert "档案完好" in body
    assert case.number in body
    record = AuditRecord.objects.latest("id")
    assert (record.action, record.object_type) == (Action.VIEW, "determination_archive")


def test_verify_page_lists_the_problems_of_a_damaged_archive(jinshui_officer: Any) -> None:
    response = _client(jinshui_officer).post(
        reverse("determination:archive_verify"),
        {"file": SimpleUploadedFile("a.zip", io.BytesIO(b"junk").read())},
    )
    body = response.content.decode()
    assert "发现 1 处问题" in body
    assert "不是有效的 ZIP 文件" in body


def test_verify_page_refuses_what_the_one_upload_field_refuses(jinshui_officer: Any) -> None:
    client = _client(jinshui_officer)
    url = reverse("determination:archive_verify")
    body = client.post(url, {"file": SimpleUploadedFile("a.pdf", b"%PDF")}).content.decode()
    assert "请上传 .zip 文件" in body
    body = client.post(url, {"file": SimpleUploadedFile("a.zip", b"")}).content.decode()
    assert "空文件" in body
    assert not AuditRecord.objects.filter(object_type="determination_archive").exists()
