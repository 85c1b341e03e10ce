"""The feeds API: a department system hands in a batch with its bearer token (202 and a job to
poll), lists and reads batches of its department, reads the catalogue."""

# The fixtures of batch_fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safetynet.accounts.services import api_token_create
from safetynet.audit.models import Action, AuditRecord
from safetynet.feeds.models import BatchStatus, FeedBatch
from safetynet.feeds.tests.batch_fixtures import (
    DEATHS_HEADER,
    administrator,
    civil_affairs_officer,
    clean_deaths,
    medical_officer,
    messy_deaths,
)
from safetynet.feeds.tests.files import id_number, write_csv
from safetynet.jobs.models import Job

pytestmark = pytest.mark.django_db


def bearer(user: Any) -> Client:
    raw = api_token_create(user=user, name="部门数据交换", actor=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post_batch(
    client: Client, path: Path, *, source: str = "deaths", period: str = "2026-01", **extra: Any
) -> Any:
    with path.open("rb") as handle:
        return client.post(
            "/api/feeds/batches", {"source": source, "period": period, "file": handle, **extra}
        )


def test_upload_answers_202_with_the_job_and_where_to_poll(
    civil_affairs_officer: Any, clean_deaths: Path
) -> None:
    response = post_batch(bearer(civil_affairs_officer), clean_deaths)
    job = Job.objects.get()
    assert response.status_code == 202
    assert response["Location"] == f"/api/jobs/{job.pk}"
    assert (response.json()["id"], response.json()["url"]) == (job.pk, f"/api/jobs/{job.pk}")


def test_polled_job_reports_the_batch_and_its_counts(
    civil_affairs_officer: Any, clean_deaths: Path
) -> None:
    client = bearer(civil_affairs_officer)
    location = post_batch(client, clean_deaths)["Location"]
    result = client.get(location).json()["result"]
    batch = FeedBatch.objects.get()
    assert {k: result[k] for k in ("batch_id", "status", "accepted", "rejected", "duplicate")} == {
        "batch_id": batch.pk,
        "status": "stored",
        "accepted": 3,
        "rejected": 0,
        "duplicate": 1,
    }


def test_refused_upload_result_lists_errors_with_masked_values(
    civil_affairs_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    path, damaged = messy_deaths
    client = bearer(civil_affairs_officer)
    job = client.get(post_batch(client, path)["Location"]).json()
    errors = job["result"]["errors"]
    assert job["result"]["status"] == "rejected"
    assert [(e["row"], e["column"]) for e in errors] == [(3, "公民身份号码"), (5, "火化日期")]
    assert damaged not in str(job)


def test_upload_with_accept_valid_stores_the_valid_rows(
    civil_affairs_officer: Any, messy_deaths: tuple[Path, str]
) -> None:
    post_batch(bearer(civil_affairs_officer), messy_deaths[0], accept_valid="true")
    batch = FeedBatch.objects.get()
    assert (batch.status, batch.rows_accepted, batch.rows_rejected) == (BatchStatus.STORED, 2, 2)


def test_upload_is_audited_with_channel_api(civil_affairs_officer: Any, clean_deaths: Path) -> None:
    post_batch(bearer(civil_affairs_officer), clean_deaths)
    record = AuditRecord.objects.get(action=Action.IMPORT)
    assert (record.channel, record.actor) == ("api", civil_affairs_officer)
    assert FeedBatch.objects.get().channel == "api"


def test_upload_of_another_departments_source_is_403(
    medical_officer: Any, clean_deaths: Path
) -> None:
    response = post_batch(bearer(medical_officer), clean_deaths)
    assert response.status_code == 403
    assert "民政" in response.json()["detail"]
    assert Job.objects.count() == 0


def test_upload_without_import_feeds_is_403(jinshui_officer: Any, clean_deaths: Path) -> None:
    response = post_batch(bearer(jinshui_officer), clean_deaths)
    assert response.json() == {
        "detail": "您没有“导入部门数据”的权限。如需办理，请联系上级民政部门或系统管理员。"
    }


def test_upload_of_an_unknown_source_is_400(county_officer: Any, clean_deaths: Path) -> None:
    response = post_batch(bearer(county_officer), clean_deaths, source="tax")
    assert (response.status_code, response.json()["detail"]) == (400, "未知的数据源：tax")


def test_upload_with_a_bad_period_is_400(county_officer: Any, clean_deaths: Path) -> None:
    response = post_batch(bearer(county_officer), clean_deaths, period="2026-13")
    assert response.status_code == 400 and "YYYY-MM" in response.json()["detail"]


def test_upload_of_a_word_file_is_400(county_officer: Any, tmp_path: Path) -> None:
    path = tmp_path / "说明.docx"
    path.write_bytes(b"PK")
    response = post_batch(bearer(county_officer), path)
    assert response.status_code == 400 and ".xlsx" in response.json()["detail"]


def test_upload_without_credentials_is_401(clean_deaths: Path) -> None:
    assert post_batch(Client(), clean_deaths).status_code == 401


def test_upload_with_a_session_but_no_csrf_token_is_refused(
    county_officer: Any, clean_deaths: Path
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(county_officer)
    assert post_batch(client, clean_deaths).status_code == 403
    assert Job.objects.count() == 0


def test_job_of_another_user_is_404(
    civil_affairs_officer: Any, county_officer: Any, clean_deaths: Path
) -> None:
    location = post_batch(bearer(civil_affairs_officer), clean_deaths)["Location"]
    assert bearer(county_officer).get(location).status_code == 404


@pytest.fixture
def two_batches(county_officer: Any, tmp_path: Path) -> tuple[FeedBatch, FeedBatch]:
    client = bearer(county_officer)
    deaths = write_csv(tmp_path / "d.csv", [DEATHS_HEADER, [id_number(), "张三", "2026-01-05"]])
    post_batch(client, deaths)
    claims = write_csv(
        tmp_path / "c.csv",
        [
            ["身份证号", "姓名", "结算日期", "医疗类别", "医疗费用总额", "统筹支付", "个人自付"],
            [id_number(), "李四", "2026-02-01", "住院", "100", "80", "20"],
        ],
    )
    post_batch(client, claims, source="medical_claims", period="2026-02")
    return FeedBatch.objects.get(source="deaths"), FeedBatch.objects.get(source="medical_claims")


def test_batch_list_shows_every_batch_to_a_county_officer(
    county_officer: Any, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    data = bearer(county_officer).get("/api/feeds/batches").json()
    assert data["count"] == 2
    assert [item["source_name"] for item in data["items"]] == ["医保结算", "死亡/火化"]


def test_batch_list_filters_by_period(
    county_officer: Any, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    data = bearer(county_officer).get("/api/feeds/batches", {"period": "2026-02"}).json()
    assert [item["source"] for item in data["items"]] == ["medical_claims"]


def test_batch_list_shows_a_department_officer_only_their_departments_batches(
    medical_officer: Any, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    data = bearer(medical_officer).get("/api/feeds/batches").json()
    assert [item["id"] for item in data["items"]] == [two_batches[1].pk]


def test_batch_detail_gives_counts_hash_and_importer(
    county_officer: Any, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    deaths = two_batches[0]
    data = bearer(county_officer).get(f"/api/feeds/batches/{deaths.pk}").json()
    assert {k: data[k] for k in ("source", "period", "rows_accepted", "file_sha256")} == {
        "source": "deaths",
        "period": "2026-01",
        "rows_accepted": 1,
        "file_sha256": deaths.file_sha256,
    }
    assert (data["imported_by"], data["status_display"]) == ("county", "已入库")


def test_batch_detail_of_another_departments_batch_is_404(
    medical_officer: Any, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    response = bearer(medical_officer).get(f"/api/feeds/batches/{two_batches[0].pk}")
    assert response.status_code == 404


def test_batch_endpoints_need_view_feeds(
    jinshui_officer: Any, two_batches: tuple[FeedBatch, FeedBatch]
) -> None:
    client = bearer(jinshui_officer)
    assert client.get("/api/feeds/batches").status_code == 403
    assert client.get(f"/api/feeds/batches/{two_batches[0].pk}").status_code == 403


def test_sources_list_columns_with_aliases_and_choices(county_officer: Any) -> None:
    sources = {s["code"]: s for s in bearer(county_officer).get("/api/feeds/sources").json()}
    visit_type = next(c for c in sources["medical_claims"]["columns"] if c["name"] == "visit_type")
    assert "医疗类别" in visit_type["aliases"] and "住院" in visit_type["choices"]["inpatient"]
    assert sources["deaths"]["department_display"] == "民政"


def test_sources_list_for_a_department_officer_is_their_departments(medical_officer: Any) -> None:
    codes = [s["code"] for s in bearer(medical_officer).get("/api/feeds/sources").json()]
    assert codes == ["medical_claims", "medical_assistance"]


def test_openapi_document_lists_the_feeds_and_jobs_paths(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/feeds/batches",
        "/api/feeds/batches/{batch_id}",
        "/api/feeds/sources",
        "/api/jobs/{job_id}",
    } <= set(paths)
