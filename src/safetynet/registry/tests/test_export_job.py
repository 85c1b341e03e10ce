"""The household export runs as a background job: the button queues it, the job page polls its
progress and offers the download when done, only the creator downloads it, and both the export
and the download are audited."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from safetynet.audit.models import Action, AuditRecord
from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.runner import job_execute
from safetynet.jobs.services import job_claim
from safetynet.registry import exports, selectors
from safetynet.registry.tests.exporting import export_job, exported
from safetynet.spreadsheets import data_rows


@pytest.fixture
def officer_client(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


def test_the_button_queues_a_job_whose_page_offers_the_download(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer, head_name="张三")
    job_id = export_job(officer_client, {"q": "zs"})
    job = Job.objects.get(pk=job_id)
    assert (job.kind, job.status, job.created_by) == (
        exports.EXPORT_KIND,
        JobStatus.SUCCEEDED,
        jinshui_officer,
    )
    assert job.result["households"] == 1 and job.result["rows"] == 2
    page = officer_client.get(f"/jobs/{job_id}/").content.decode()
    assert f'href="/jobs/{job_id}/download/"' in page
    assert "导出完成：1 户，2 行" in page
    download = officer_client.get(f"/jobs/{job_id}/download/")
    assert download["Content-Disposition"].startswith("attachment")
    assert ".xlsx" in download["Content-Disposition"]


def test_export_is_not_a_get(officer_client: Client) -> None:
    assert officer_client.get("/households/export/").status_code == 405
    assert not Job.objects.exists()


def test_without_the_export_capability_nothing_is_queued(client: Client, auditor: Any) -> None:
    client.force_login(auditor)
    assert client.post("/households/export/").status_code == 403
    assert not Job.objects.exists()


def test_only_the_creator_downloads(
    officer_client: Client, jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer)
    job_id = export_job(officer_client)
    other = Client()
    other.force_login(zhongyuan_officer)
    assert other.get(f"/jobs/{job_id}/download/").status_code == 404
    # Only the creation was audited, no download.
    assert AuditRecord.objects.filter(action=Action.EXPORT).count() == 1


def test_a_purged_file_is_a_clear_404(
    officer_client: Client, jinshui_officer: Any, make_household: Any, settings: Any
) -> None:
    make_household(jinshui_officer)
    job_id = export_job(officer_client)
    for path in Path(settings.JOBS_FILES_DIR).iterdir():
        path.unlink()
    response = officer_client.get(f"/jobs/{job_id}/download/")
    assert response.status_code == 404
    assert "重新导出" in response.content.decode()


def test_a_worker_runs_it_later_with_progress(
    officer_client: Client, jinshui_officer: Any, make_household: Any, settings: Any
) -> None:
    settings.JOBS_INLINE = False
    settings.JOBS_WORKER = True
    for _ in range(3):
        make_household(jinshui_officer)
    job_id = export_job(officer_client)
    job = Job.objects.get(pk=job_id)
    assert job.status == JobStatus.QUEUED
    assert 'hx-get="/jobs/' in officer_client.get(f"/jobs/{job_id}/").content.decode()
    monkey_every = exports.PROGRESS_EVERY
    exports.PROGRESS_EVERY = 1
    try:
        assert job_claim(job=job, runner="test")
        job_execute(job)
    finally:
        exports.PROGRESS_EVERY = monkey_every
    job.refresh_from_db()
    assert (job.status, job.progress_done, job.progress_total) == (JobStatus.SUCCEEDED, 3, 3)
    settings.JOBS_INLINE, settings.JOBS_WORKER = True, False
    rows = data_rows(
        load_workbook(io.BytesIO(exported(officer_client))).active.iter_rows(values_only=True)
    )
    assert len(rows) == 1 + 3 * 2  # header, two members each


def test_the_written_file_is_the_list_the_user_sees(
    jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any, tmp_path: Path
) -> None:
    mine = make_household(jinshui_officer)
    make_household(zhongyuan_officer)
    path = tmp_path / "x.xlsx"
    households, rows = exports.household_list_write(
        user=jinshui_officer, filters=selectors.HouseholdFilters(), fileobj=str(path)
    )
    assert (households, rows) == (1, 2)
    ids = {r[0] for r in data_rows(load_workbook(path).active.iter_rows(values_only=True))[1:]}
    assert ids == {mine.pk}
