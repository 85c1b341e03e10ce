"""The department-data pages: uploading a batch (imported as a job, its result on the page),
the batch list and detail, downloads of the error report and quarantine, and who may do what."""

# The fixtures of batch_fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

import io
import os
import time
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from safetynet.audit.models import Action, AuditRecord
from safetynet.feeds.importing import uploads as batches
from safetynet.feeds.importing.forms import UploadForm
from safetynet.feeds.models import BatchStatus, FeedBatch
from safetynet.feeds.tests.batch_fixtures import (
    DEATHS_HEADER,
    administrator,
    civil_affairs_colleague,
    civil_affairs_officer,
    clean_deaths,
    medical_officer,
    messy_deaths,
    upload_of,
)
from safetynet.feeds.tests.files import id_number, write_csv
from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.tests.test_runner import same_thread
from safetynet.registry.identity import mask_id_number
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


def login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


def upload(
    client: Client, path: Path, *, source: str = "deaths", period: str = "2026-01", **extra: Any
) -> Any:
    data = {"source": source, "period": period, "file": upload_of(path), **extra}
    return client.post("/feeds/upload/", data, follow=True)


def incoming_files() -> list[Path]:
    folder = Path(settings.FEEDS_DIR) / "incoming"
    return list(folder.iterdir()) if folder.is_dir() else []


# --- upload ---------------------------------------------------------------------------------------


def test_clean_upload_is_stored_and_the_page_shows_the_counts(
    client: Client, county_officer: Any, clean_deaths: Path
) -> None:
    response = upload(login(client, county_officer), clean_deaths)
    body = response.content.decode()
    batch = FeedBatch.objects.get()
    assert (batch.status, batch.rows_accepted, batch.rows_duplicate) == (BatchStatus.STORED, 3, 1)
    assert 'id="accepted-count">3<' in body and 'id="duplicate-count">1<' in body
    assert "已入库" in body


def test_upload_deletes_the_uploaded_file_once_stored(
    client: Client, county_officer: Any, clean_deaths: Path
) -> None:
    upload(login(client, county_officer), clean_deaths)
    assert incoming_files() == []


def test_upload_runs_as_a_job_of_the_uploader(
    client: Client, county_officer: Any, clean_deaths: Path
) -> None:
    upload(login(client, county_officer), clean_deaths)
    job = Job.objects.get()
    assert (job.kind, job.status, job.created_by, job.result["batch_id"]) == (
        batches.IMPORT_KIND,
        JobStatus.SUCCEEDED,
        county_officer,
        FeedBatch.objects.get().pk,
    )


def test_upload_with_errors_is_refused_and_lists_row_column_value_reason(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    path, damaged = messy_deaths
    body = upload(login(client, county_officer), path).content.decode()
    assert FeedBatch.objects.get().status == BatchStatus.REJECTED
    assert "本批次未入库" in body and 'id="rejected-count">2<' in body
    assert f'<td class="num">3</td><td>公民身份号码</td><td>{mask_id_number(damaged)}</td>' in body
    assert '<td class="num">5</td><td>火化日期</td><td>2026-02-30</td>' in body


def test_refused_upload_never_shows_the_plain_id_number(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    path, damaged = messy_deaths
    body = upload(login(client, county_officer), path).content.decode()
    assert damaged not in body


def test_refused_upload_offers_the_error_report_and_accepting_the_valid_rows(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    body = upload(login(client, county_officer), messy_deaths[0]).content.decode()
    batch = FeedBatch.objects.get()
    job = Job.objects.get()
    assert f'href="/feeds/{batch.pk}/report.xlsx"' in body
    assert f'action="/feeds/upload/{job.pk}/accept-valid/"' in body


def test_accepting_the_valid_rows_stores_them_and_quarantines_the_rest(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    login(client, county_officer)
    upload(client, messy_deaths[0])
    refused = Job.objects.get()
    body = client.post(f"/feeds/upload/{refused.pk}/accept-valid/", follow=True).content.decode()
    stored = FeedBatch.objects.get(status=BatchStatus.STORED)
    assert (stored.rows_accepted, stored.rows_rejected, bool(stored.quarantine_path)) == (
        2,
        2,
        True,
    )
    assert "错误行已隔离保存" in body
    assert incoming_files() == []


def test_accept_valid_checkbox_stores_the_valid_rows_at_once(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    upload(login(client, county_officer), messy_deaths[0], accept_valid="on")
    batch = FeedBatch.objects.get()
    assert (batch.status, batch.rows_accepted, batch.rows_rejected) == (BatchStatus.STORED, 2, 2)


def test_accepting_valid_rows_of_a_stored_batch_is_refused(
    client: Client, county_officer: Any, clean_deaths: Path
) -> None:
    login(client, county_officer)
    upload(client, clean_deaths)
    job = Job.objects.get()
    body = client.post(f"/feeds/upload/{job.pk}/accept-valid/", follow=True).content.decode()
    assert "不能直接重新导入" in body
    assert Job.objects.count() == 1


def test_accepting_valid_rows_of_another_users_upload_is_404(
    client: Client,
    county_officer: Any,
    civil_affairs_officer: Any,
    messy_deaths: tuple[Path, str],
) -> None:
    upload(login(client, county_officer), messy_deaths[0])
    job = Job.objects.get()
    response = login(Client(), civil_affairs_officer).post(f"/feeds/upload/{job.pk}/accept-valid/")
    assert response.status_code == 404


def test_same_file_again_is_reported_as_already_imported(
    client: Client, county_officer: Any, clean_deaths: Path
) -> None:
    login(client, county_officer)
    upload(client, clean_deaths)
    body = upload(client, clean_deaths).content.decode()
    assert "此前已导入过" in body
    assert FeedBatch.objects.count() == 1


def test_file_without_a_required_column_fails_with_the_reason(
    client: Client, county_officer: Any, tmp_path: Path
) -> None:
    path = write_csv(tmp_path / "缺列.csv", [["公民身份号码", "姓名"], [id_number(), "张三"]])
    body = upload(login(client, county_officer), path).content.decode()
    assert "任务失败：" in body and "死亡日期" in body
    assert FeedBatch.objects.count() == 0
    assert incoming_files() == []


def test_upload_refuses_an_xls_file_with_advice(
    client: Client, county_officer: Any, tmp_path: Path
) -> None:
    path = tmp_path / "老格式.xls"
    path.write_bytes(b"\xd0\xcf\x11\xe0")
    body = upload(login(client, county_officer), path).content.decode()
    assert "另存为 .xlsx" in body
    assert Job.objects.count() == 0


def test_upload_refuses_a_file_over_the_size_limit_with_advice(
    client: Client, county_officer: Any, clean_deaths: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(UploadForm.base_fields["file"], "max_bytes", 10)
    body = upload(login(client, county_officer), clean_deaths).content.decode()
    assert "超过 0 MB 的上限" in body and "拆分" in body
    assert Job.objects.count() == 0


def test_upload_refuses_a_period_that_is_not_a_month(
    client: Client, county_officer: Any, clean_deaths: Path
) -> None:
    body = upload(login(client, county_officer), clean_deaths, period="2026-13").content.decode()
    assert "数据期别应为 YYYY-MM 格式" in body
    assert Job.objects.count() == 0


def test_township_officer_without_import_feeds_gets_403(
    client: Client, jinshui_officer: Any, clean_deaths: Path
) -> None:
    login(client, jinshui_officer)
    assert client.get("/feeds/upload/").status_code == 403
    assert client.post("/feeds/upload/", {"source": "deaths"}).status_code == 403


def test_department_officer_is_offered_only_their_departments_sources(
    client: Client, medical_officer: Any
) -> None:
    body = login(client, medical_officer).get("/feeds/upload/").content.decode()
    assert 'value="medical_claims"' in body and 'value="deaths"' not in body


def test_department_officer_cannot_upload_another_departments_source(
    client: Client, medical_officer: Any, clean_deaths: Path
) -> None:
    body = upload(login(client, medical_officer), clean_deaths).content.decode()
    assert "不是可选的选项" in body or "选择一个有效的选项" in body
    assert Job.objects.count() == 0


def test_department_officer_uploads_their_own_departments_source(
    client: Client, civil_affairs_officer: Any, clean_deaths: Path
) -> None:
    upload(login(client, civil_affairs_officer), clean_deaths)
    assert FeedBatch.objects.get().imported_by == civil_affairs_officer


def test_upload_page_with_another_users_job_is_404(
    client: Client, county_officer: Any, civil_affairs_officer: Any, clean_deaths: Path
) -> None:
    upload(login(client, county_officer), clean_deaths)
    job = Job.objects.get()
    response = login(Client(), civil_affairs_officer).get(f"/feeds/upload/?job={job.pk}")
    assert response.status_code == 404


# --- list and detail ------------------------------------------------------------------------------


@pytest.fixture
def two_batches(client: Client, county_officer: Any, tmp_path: Path) -> tuple[FeedBatch, FeedBatch]:
    """A deaths batch (民政) of 2026-01 and a refused medical_claims batch (医保) of 2026-02."""
    login(client, county_officer)
    deaths = write_csv(tmp_path / "d.csv", [DEATHS_HEADER, [id_number(), "张三", "2026-01-05"]])
    upload(client, deaths)
    claims = write_csv(
        tmp_path / "c.csv",
        [
            ["身份证号", "姓名", "结算日期", "医疗类别", "医疗费用总额", "统筹支付", "个人自付"],
            ["123", "李四", "2026-02-01", "住院", "100", "80", "20"],
        ],
    )
    upload(client, claims, source="medical_claims", period="2026-02")
    return FeedBatch.objects.get(source="deaths"), FeedBatch.objects.get(source="medical_claims")


def listed(client: Client, query: dict[str, str] | None = None) -> list[int]:
    response = client.get("/feeds/", query or {})
    assert response.status_code == 200
    return [batch.pk for batch in response.context["page"].object_list]


def test_batch_list_shows_source_period_status_counts_and_importer(
    client: Client, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    body = client.get("/feeds/").content.decode()
    assert "死亡/火化" in body and "医保结算" in body and "2026-02" in body
    assert "未入库(有错误行)" in body and "county" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"source": "deaths"}, ["deaths"]),
        ({"period": "2026-02"}, ["medical_claims"]),
        ({"status": "stored"}, ["deaths"]),
        ({}, ["medical_claims", "deaths"]),
    ],
)
def test_batch_list_filters(
    client: Client,
    two_batches: tuple[FeedBatch, FeedBatch],
    query: dict[str, str],
    expected: list[str],
) -> None:
    sources = [FeedBatch.objects.get(pk=pk).source for pk in listed(client, query)]
    assert sources == expected


def test_department_officer_lists_only_their_departments_batches(
    client: Client, two_batches: tuple[FeedBatch, FeedBatch], medical_officer: Any
) -> None:
    assert listed(login(Client(), medical_officer)) == [two_batches[1].pk]


def test_department_officer_of_another_department_gets_404_for_the_batch_and_its_report(
    client: Client, two_batches: tuple[FeedBatch, FeedBatch], civil_affairs_officer: Any
) -> None:
    other = login(Client(), civil_affairs_officer)
    claims = two_batches[1]
    assert other.get(f"/feeds/{claims.pk}/").status_code == 404
    assert other.get(f"/feeds/{claims.pk}/report.xlsx").status_code == 404


def test_batch_list_needs_view_feeds(client: Client, jinshui_officer: Any) -> None:
    assert login(client, jinshui_officer).get("/feeds/").status_code == 403


def test_batch_list_query_count_does_not_grow_with_batches(
    client: Client, county_officer: Any, tmp_path: Path
) -> None:
    login(client, county_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            client.get("/feeds/")
        return len(captured)

    path = write_csv(tmp_path / "a.csv", [DEATHS_HEADER, [id_number(), "甲", "2026-01-05"]])
    upload(client, path)
    one = queries()
    for month in ("2026-02", "2026-03", "2026-04"):
        path = write_csv(
            tmp_path / f"{month}.csv", [DEATHS_HEADER, [id_number(), "乙", "2026-01-05"]]
        )
        upload(client, path, period=month)
    assert queries() == one


def test_batch_detail_shows_counts_and_file_hash(
    client: Client, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    deaths = two_batches[0]
    body = client.get(f"/feeds/{deaths.pk}/").content.decode()
    assert deaths.file_sha256 in body and "死亡/火化" in body and "该批次没有错误行" in body


def test_nav_shows_department_data_to_those_with_view_feeds(
    client: Client, county_officer: Any, jinshui_officer: Any
) -> None:
    assert "部门数据" in login(client, county_officer).get("/").content.decode()
    assert "部门数据" not in login(Client(), jinshui_officer).get("/").content.decode()


# --- downloads ------------------------------------------------------------------------------------


@pytest.fixture
def quarantined(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> tuple[FeedBatch, str]:
    upload(login(client, county_officer), messy_deaths[0], accept_valid="on")
    return FeedBatch.objects.get(), messy_deaths[1]


def test_importer_downloads_the_error_report_and_it_is_audited(
    client: Client, quarantined: tuple[FeedBatch, str], county_officer: Any
) -> None:
    batch, _ = quarantined
    response = client.get(f"/feeds/{batch.pk}/report.xlsx")
    assert response.status_code == 200
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.values)
    assert rows[1] == ("行号", "列", "值", "原因")
    record = AuditRecord.objects.filter(action=Action.EXPORT, object_type="feed_batch").get()
    assert (record.actor, record.object_id, record.detail["file"]) == (
        county_officer,
        str(batch.pk),
        "report",
    )


def test_quarantine_download_lists_the_refused_rows_with_masked_ids(
    client: Client, quarantined: tuple[FeedBatch, str]
) -> None:
    batch, damaged = quarantined
    response = client.get(f"/feeds/{batch.pk}/quarantine.xlsx")
    rows = data_rows(load_workbook(io.BytesIO(response.content)).active.values)
    assert rows[0][0] == "行号" and rows[0][-1] == "拒收原因"
    assert [row[0] for row in rows[1:]] == [3, 5]
    assert damaged not in str(rows) and mask_id_number(damaged) in str(rows)


def test_quarantine_download_is_audited(client: Client, quarantined: tuple[FeedBatch, str]) -> None:
    batch, _ = quarantined
    client.get(f"/feeds/{batch.pk}/quarantine.xlsx")
    assert AuditRecord.objects.filter(action=Action.EXPORT, detail__file="quarantine").count() == 1


def test_same_department_colleague_sees_the_batch_but_may_not_download_its_rows(
    civil_affairs_officer: Any,
    civil_affairs_colleague: Any,
    messy_deaths: tuple[Path, str],
) -> None:
    upload(login(Client(), civil_affairs_officer), messy_deaths[0], accept_valid="on")
    batch = FeedBatch.objects.get()
    colleague = login(Client(), civil_affairs_colleague)
    assert colleague.get(f"/feeds/{batch.pk}/").status_code == 200
    assert colleague.get(f"/feeds/{batch.pk}/report.xlsx").status_code == 403
    assert colleague.get(f"/feeds/{batch.pk}/quarantine.xlsx").status_code == 403
    assert not AuditRecord.objects.filter(action=Action.EXPORT).exists()


def test_county_officer_does_not_download_a_province_batchs_whole_report(
    civil_affairs_officer: Any, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    """A department's batch is province-level: a county reads only its own rows of the
    quarantine (issue 12, finding 6; tests/security/test_batch_files.py)."""
    upload(login(Client(), civil_affairs_officer), messy_deaths[0])
    batch = FeedBatch.objects.get()
    assert login(Client(), county_officer).get(f"/feeds/{batch.pk}/report.xlsx").status_code == 403


def test_supervisor_sees_the_batch_but_not_its_download_links(
    client: Client, quarantined: tuple[FeedBatch, str], supervisor: Any
) -> None:
    batch, _ = quarantined
    body = login(Client(), supervisor).get(f"/feeds/{batch.pk}/").content.decode()
    assert "report.xlsx" not in body and "只有本批次的导入人" in body


def test_batch_without_errors_has_no_report_to_download(
    client: Client, county_officer: Any, clean_deaths: Path
) -> None:
    upload(login(client, county_officer), clean_deaths)
    batch = FeedBatch.objects.get()
    assert client.get(f"/feeds/{batch.pk}/report.xlsx").status_code == 404


def test_accepting_valid_rows_after_the_upload_was_purged_asks_for_a_new_upload(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    login(client, county_officer)
    upload(client, messy_deaths[0])
    for path in incoming_files():
        path.unlink()
    job = Job.objects.get()
    body = client.post(f"/feeds/upload/{job.pk}/accept-valid/", follow=True).content.decode()
    assert "请重新上传" in body
    assert FeedBatch.objects.filter(status=BatchStatus.STORED).count() == 0


def test_uploads_older_than_a_day_are_purged(
    client: Client, county_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    upload(login(client, county_officer), messy_deaths[0])
    [kept] = incoming_files()
    day_and_a_bit_ago = time.time() - 25 * 3600
    os.utime(kept, (day_and_a_bit_ago, day_and_a_bit_ago))
    assert batches.incoming_purge() == 1
    assert incoming_files() == []


def test_in_the_embedded_default_the_import_runs_in_a_thread_and_the_page_polls_it(
    client: Client,
    county_officer: Any,
    clean_deaths: Path,
    same_thread: list[str],
    django_capture_on_commit_callbacks: Any,
) -> None:
    login(client, county_officer)
    with django_capture_on_commit_callbacks(execute=True):
        page = client.post(
            "/feeds/upload/",
            {"source": "deaths", "period": "2026-01", "file": upload_of(clean_deaths)},
        )
    job = Job.objects.get()
    assert page["Location"] == f"/feeds/upload/?job={job.pk}"
    assert same_thread == [f"job-{job.pk}"]
    partial = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"}).content.decode()
    assert 'id="accepted-count">3<' in partial and "hx-get" not in partial
