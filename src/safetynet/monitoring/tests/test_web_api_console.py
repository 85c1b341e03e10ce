"""Pages, API endpoints and console commands of monitoring, thin over the services."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from conftest import ZHONGYUAN, make_user
from safetynet.accounts.roles import Role
from safetynet.jobs.models import Job, JobStatus
from safetynet.jobs.tests.exporting import content_of, export_download, export_job, exported_file
from safetynet.monitoring.common import AlertStatus, CheckStatus
from safetynet.monitoring.models import Alert, Indicator, Scan
from safetynet.monitoring.tests.conftest import SCAN_ON, import_rows
from safetynet.regions.models import Region
from safetynet.registry.identity import decrypt_id_number
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


def test_the_shipped_indicators_are_loaded_with_example_thresholds() -> None:
    codes = set(Indicator.objects.values_list("code", flat=True))
    assert {"medical_burden", "relapse_new", "vehicle", "medical_aid_missing"} <= codes
    burden = Indicator.objects.get(code="medical_burden")
    assert burden.params["out_of_pocket_12m"] == "10000"
    assert "out_of_pocket_12m" in burden.example_params


def test_a_county_override_beats_the_province(county_officer: Any) -> None:
    from safetynet.monitoring.indicators.selectors import indicators_for_region
    from safetynet.monitoring.indicators.services import indicator_version_create

    base = Indicator.objects.get(code="medical_burden")
    county = Region.objects.get(code=county_officer.scope_region_id)
    version = indicator_version_create(
        actor=county_officer,
        base=base,
        region=county,
        effective_from=dt.date(2026, 1, 1),
        changes={"params": {**base.params, "out_of_pocket_12m": "8000"}},
    )
    assert (
        indicators_for_region(region_code=county.code, on=dt.date(2026, 6, 1))["medical_burden"]
        == version
    )
    assert (
        indicators_for_region(region_code=county.code, on=dt.date(2025, 6, 1))["medical_burden"]
        == base
    )
    assert (
        indicators_for_region(region_code=ZHONGYUAN, on=dt.date(2026, 6, 1))["medical_burden"]
        == base
    )


def test_scan_command_prints_the_contract_line(vehicle_alert: Alert, county_officer: Any) -> None:
    out = io.StringIO()
    call_command(
        "scan",
        "--as",
        "county",
        "--indicator",
        "vehicle",
        "--date",
        SCAN_ON.isoformat(),
        stdout=out,
    )
    assert out.getvalue().splitlines()[-1] == "alerts=1 new=0 closed=0"
    out = io.StringIO()
    call_command("scan", "--region", "410105", "--date", SCAN_ON.isoformat(), stdout=out)
    assert out.getvalue().splitlines()[-1] == "alerts=1 new=0 closed=0"


def test_alerts_export_writes_what_the_user_may_see(
    vehicle_alert: Alert, tmp_path: Path, zhongyuan_officer: Any, jinshui_officer: Any
) -> None:
    out = io.StringIO()
    target = tmp_path / "alerts.csv"
    call_command("alerts", "export", str(target), "--as", jinshui_officer.username, stdout=out)
    rows = data_rows(csv.reader(target.read_text(encoding="utf-8-sig").splitlines()))
    assert out.getvalue().splitlines()[-1] == f"alerts=1 out={target}"
    assert rows[1][1] == "vehicle" and rows[1][5] == "王预警"

    xlsx = tmp_path / "alerts.xlsx"
    call_command(
        "alerts", "export", str(xlsx), "--as", zhongyuan_officer.username, stdout=io.StringIO()
    )
    sheet = load_workbook(xlsx).active
    assert (
        len(data_rows(sheet.values)) == 1
    )  # the header only: another district's alert is not theirs


def test_pages_render_for_the_county(
    client: Client, vehicle_alert: Alert, county_officer: Any
) -> None:
    client.force_login(county_officer)
    for name in ["alert_list", "figures", "watched", "indicators", "check_list", "survey"]:
        response = client.get(reverse(f"monitoring:{name}"))
        assert response.status_code == 200, name
    detail = client.get(reverse("monitoring:alert_detail", args=[vehicle_alert.pk]))
    assert "王预警" in detail.content.decode() and "机动车" in detail.content.decode()
    assert "vehicles" not in detail.content.decode()
    export = export_download(client, export_job(client, reverse("monitoring:alert_export")))
    assert ".xlsx" in export["Content-Disposition"]
    assert "王预警" in str(list(load_workbook(io.BytesIO(content_of(export))).active.values))
    watched = exported_file(client, reverse("monitoring:watched_export"), "group=assisted")
    sheet = load_workbook(io.BytesIO(watched))["监测对象"]
    assert len(data_rows(sheet.values)) == 2 and sheet.cell(2, 4).value == "王预警"
    home = client.get("/")
    assert "入户核查" in home.content.decode()


def test_the_visit_form_records_an_outcome(
    client: Client, vehicle_alert: Alert, jinshui_officer: Any
) -> None:
    client.force_login(jinshui_officer)
    check = vehicle_alert.home_check
    url = reverse("monitoring:check_detail", args=[check.pk])
    response = client.post(
        url,
        {
            "visited_on": dt.date.today().isoformat(),
            "staff": "张一、李二",
            "findings": "车辆属实",
            "outcome": "no_change",
        },
    )
    assert response.status_code == 302
    check.refresh_from_db()
    assert check.status == CheckStatus.DONE and check.visit.staff == ["张一", "李二"]
    assert "无变化" in client.get(url).content.decode()


def test_the_scan_button_runs_a_job(
    client: Client, vehicle_alert: Alert, county_officer: Any, jinshui_officer: Any
) -> None:
    client.force_login(county_officer)
    response = client.post(reverse("monitoring:scan_start"))
    assert response.status_code == 200
    job = Job.objects.get(kind="monitoring.scan")
    assert job.status == JobStatus.SUCCEEDED and job.result["alerts"] >= 0
    client.force_login(jinshui_officer)
    assert client.post(reverse("monitoring:scan_start")).status_code == 403


def test_api_lists_and_records(client: Client, vehicle_alert: Alert, jinshui_officer: Any) -> None:
    client.force_login(jinshui_officer)
    listed = client.get("/api/monitoring/alerts").json()
    assert [a["id"] for a in listed["items"]] == [vehicle_alert.pk]
    assert "*" in listed["items"][0]["id_number_masked"]
    detail = client.get(f"/api/monitoring/alerts/{vehicle_alert.pk}").json()
    assert detail["evidence"][0]["source"] == "vehicles"
    check_id = detail["home_check_id"]
    assert client.get(f"/api/monitoring/checks/{check_id}").json()["status"] == "due"
    recorded = client.post(
        f"/api/monitoring/checks/{check_id}/visit",
        {
            "visited_on": dt.date.today().isoformat(),
            "staff": ["张一"],
            "findings": "属实",
            "outcome": "referred",
        },
        content_type="application/json",
    )
    assert recorded.status_code == 201, recorded.content
    assert recorded.json()["referral_department"] == "civil_affairs"
    assert Alert.objects.get().status == AlertStatus.DONE
    counts = client.get("/api/monitoring/watched").json()
    assert {"group": "assisted", "total": 1}.items() <= counts[0].items()


def test_a_stored_batch_triggers_a_scan(
    settings: Any,
    dibao_household: Any,
    county_officer: Any,
    tmp_path: Path,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.MONITORING_SCAN_AFTER_BATCH = True
    head_id = decrypt_id_number(dibao_household.head.id_number_encrypted)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        import_rows(
            county_officer,
            tmp_path,
            "payroll",
            ["身份证号", "姓名", "工作单位"],
            [[head_id, "王", "某局"]],
        )

    assert len(callbacks) == 1
    assert list(Job.objects.values_list("status", "error")) == [(JobStatus.SUCCEEDED, "")]
    scan = Scan.objects.get()
    assert scan.trigger == "batch:payroll" and scan.indicator_code == "payroll"
    assert Alert.objects.get().indicator_code == "payroll"


def test_the_daily_task_scans_once_a_month(dibao_household: Any, county_officer: Any) -> None:
    from safetynet.jobs.runner import job_run_in_background
    from safetynet.jobs.services import job_create
    from safetynet.monitoring.scan.tasks import daily_task

    for _ in range(2):
        job = job_create(task=daily_task, args={}, actor=None)
        job_run_in_background(job, daily_task)
    assert Scan.objects.filter(trigger="monthly").count() == 1
    assert Job.objects.filter(kind="monitoring.daily", status=JobStatus.SUCCEEDED).count() == 2


def test_outsiders_and_social_organisations_get_nothing(
    client: Client, vehicle_alert: Alert, zhongyuan_officer: Any
) -> None:
    client.force_login(zhongyuan_officer)
    assert (
        client.get(reverse("monitoring:alert_detail", args=[vehicle_alert.pk])).status_code == 404
    )
    assert client.get(f"/api/monitoring/alerts/{vehicle_alert.pk}").status_code == 404
    org = make_user("org2", Role.SOCIAL_ORGANISATION, Region.objects.get(code=ZHONGYUAN))
    client.force_login(org)
    assert client.get(reverse("monitoring:alert_list")).status_code == 403
    assert client.get(reverse("monitoring:check_list")).status_code == 200


def test_a_county_records_an_indicator_version(client: Client, county_officer: Any) -> None:
    client.force_login(county_officer)
    url = reverse("monitoring:indicator_version", args=["medical_burden"])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "effective_from": "2026-01-01",
            "param_months": "12",
            "param_out_of_pocket_12m": "8000",
            "param_assisted_inpatient_once": "5000",
            "severity": "high",
            "check_working_days": "7",
            "active": "on",
        },
    )
    assert response.status_code == 302
    version = Indicator.objects.get(code="medical_burden", region_id=county_officer.scope_region_id)
    assert version.params["out_of_pocket_12m"] == "8000" and version.check_working_days == 7
    assert version.params["months"] == 12
    bad = client.post(
        url,
        {
            "effective_from": "2026-02-01",
            "param_months": "12",
            "param_out_of_pocket_12m": "八千",
            "param_assisted_inpatient_once": "5000",
            "severity": "high",
            "check_working_days": "7",
        },
    )
    assert "个人自付医疗费用超过应为数字" in bad.content.decode()


def test_the_indicator_pages_name_thresholds_in_chinese(
    client: Client, county_officer: Any
) -> None:
    client.force_login(county_officer)
    page = client.get(reverse("monitoring:indicators")).content.decode()
    assert "个人自付医疗费用超过 10000 元" in page
    assert "普通高中、中职、高职(专科)、本科及以上" in page
    assert "收入下降比例超过 30%" in page
    assert "out_of_pocket_12m" not in page and "higher_vocational" not in page
    form = client.get(reverse("monitoring:indicator_version", args=["schooling"])).content
    assert "学段" in form.decode() and 'value="senior"' in form.decode()
