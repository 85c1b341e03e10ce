from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from safetynet.accounts.services import api_token_create
from safetynet.jobs import services
from safetynet.jobs.models import Job
from safetynet.jobs.runner import job_run_in_background
from safetynet.jobs.tests import sample_tasks

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


def running(actor: Any) -> Job:
    job = services.job_create(task=sample_tasks.echo, args={"text": "x"}, actor=actor)
    services.job_claim(job=job, runner="test")
    services.job_progress(job=job, done=300, total=1000, stage="校验")
    return job


def finished(actor: Any, task: Any = sample_tasks.echo, **args: Any) -> Job:
    job = services.job_create(task=task, args=args, actor=actor)
    job_run_in_background(job)
    return job


def test_running_job_partial_shows_stage_and_bar_and_polls_itself(
    client: Client, county_officer: Any
) -> None:
    job = running(county_officer)
    client.force_login(county_officer)
    response = client.get(f"/jobs/{job.pk}/", headers=HTMX)
    body = response.content.decode()
    assert response.status_code == 200
    assert "校验" in body and "300 / 1000" in body and 'aria-valuenow="30"' in body
    assert f'hx-get="/jobs/{job.pk}/"' in body
    assert "<html" not in body


def test_finished_job_partial_stops_polling(client: Client, county_officer: Any) -> None:
    job = finished(county_officer, text="x")
    client.force_login(county_officer)
    body = client.get(f"/jobs/{job.pk}/", headers=HTMX).content.decode()
    assert "hx-get" not in body and "任务已完成" in body


def test_failed_job_shows_its_chinese_error(client: Client, county_officer: Any) -> None:
    job = finished(county_officer, sample_tasks.refuse)
    client.force_login(county_officer)
    body = client.get(f"/jobs/{job.pk}/", headers=HTMX).content.decode()
    assert "任务失败：文件中没有数据" in body


def test_opening_the_job_directly_renders_a_whole_page(client: Client, county_officer: Any) -> None:
    job = running(county_officer)
    client.force_login(county_officer)
    body = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "<html" in body and f"后台任务 #{job.pk}" in body


def test_another_user_gets_404_for_someone_elses_job(
    client: Client, county_officer: Any, jinshui_officer: Any
) -> None:
    job = running(county_officer)
    client.force_login(jinshui_officer)
    assert client.get(f"/jobs/{job.pk}/", headers=HTMX).status_code == 404


def test_the_province_administrator_sees_any_job(
    client: Client, county_officer: Any, administrator: Any
) -> None:
    job = running(county_officer)
    assert job.region_code == county_officer.scope_region_id
    client.force_login(administrator)
    assert client.get(f"/jobs/{job.pk}/", headers=HTMX).status_code == 200
    system = services.job_create(task=sample_tasks.echo, args={"text": "x"}, actor=None)
    assert system.region_code == ""
    assert client.get(f"/jobs/{system.pk}/", headers=HTMX).status_code == 200


def test_an_administrator_sees_only_the_jobs_of_its_region(
    client: Client, county_officer: Any, jinshui_officer: Any
) -> None:
    """A district's administrator sees its own district's jobs, not another district's, nor
    the system's own (no region); page, download and API alike."""
    from conftest import ZHONGYUAN, make_user
    from safetynet.accounts.roles import Role
    from safetynet.regions.models import Region

    mine = running(jinshui_officer)  # 金水区
    other = make_user("zy_admin", Role.ADMINISTRATOR, Region.objects.get(code=ZHONGYUAN))
    own = make_user("js_admin", Role.ADMINISTRATOR, Region.objects.get(code="410105000000"))
    system = services.job_create(task=sample_tasks.echo, args={"text": "x"}, actor=None)
    client.force_login(other)
    for url in (f"/jobs/{mine.pk}/", f"/jobs/{mine.pk}/download/", f"/jobs/{system.pk}/"):
        assert client.get(url, headers=HTMX).status_code == 404, url
    assert bearer(other).get(f"/api/jobs/{mine.pk}").status_code == 404
    client.force_login(own)
    assert client.get(f"/jobs/{mine.pk}/", headers=HTMX).status_code == 200
    assert client.get(f"/jobs/{system.pk}/", headers=HTMX).status_code == 404


def test_anonymous_is_sent_to_login(client: Client, county_officer: Any) -> None:
    job = running(county_officer)
    response = client.get(f"/jobs/{job.pk}/")
    assert response.status_code == 302 and "/login" in response["Location"]


def bearer(user: Any) -> Client:
    return Client(
        headers={"Authorization": f"Bearer {api_token_create(user=user, name='测试', actor=user)}"}
    )


def test_api_shows_the_creator_the_progress(county_officer: Any) -> None:
    job = running(county_officer)
    data = bearer(county_officer).get(f"/api/jobs/{job.pk}").json()
    assert {k: data[k] for k in ("id", "status", "progress_done", "progress_total", "stage")} == {
        "id": job.pk,
        "status": "running",
        "progress_done": 300,
        "progress_total": 1000,
        "stage": "校验",
    }


def test_api_shows_the_result_when_finished(county_officer: Any) -> None:
    job = finished(county_officer, text="完成")
    data = bearer(county_officer).get(f"/api/jobs/{job.pk}").json()
    assert (data["status"], data["result"], data["percent"]) == ("succeeded", {"echo": "完成"}, 100)


def test_api_answers_404_to_another_user(county_officer: Any, jinshui_officer: Any) -> None:
    job = running(county_officer)
    response = bearer(jinshui_officer).get(f"/api/jobs/{job.pk}")
    assert response.status_code == 404


def test_api_answers_401_without_credentials(county_officer: Any) -> None:
    job = running(county_officer)
    assert Client().get(f"/api/jobs/{job.pk}").status_code == 401


def test_running_job_without_progress_for_minutes_says_it_may_have_stopped(
    client: Client, county_officer: Any
) -> None:
    job = running(county_officer)
    Job.objects.filter(pk=job.pk).update(heartbeat_at=job.heartbeat_at - dt.timedelta(minutes=10))
    client.force_login(county_officer)
    body = client.get(f"/jobs/{job.pk}/", headers=HTMX).content.decode()
    assert "执行进程可能已停止" in body
