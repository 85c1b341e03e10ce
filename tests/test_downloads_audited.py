"""Every download is on the audit trail, also those without personal data (issue 11): the
time-limits export, the empty templates (household import, holiday table) and the department
data sample files, which the upload page offers."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safetynet.audit.models import Action, AuditRecord

pytestmark = pytest.mark.django_db


def _downloaded(client: Client, url: str, object_type: str, **query: Any) -> AuditRecord:
    response = client.get(url, query)
    assert response.status_code == 200, response.content[:300]
    assert response.content.startswith(b"PK")
    return AuditRecord.objects.get(action=Action.EXPORT, object_type=object_type)


def test_the_time_limits_export_is_audited(client: Client, county_officer: Any) -> None:
    client.force_login(county_officer)
    record = _downloaded(client, reverse("determination:limits_export"), "time_limits")
    assert "导出" in record.summary and "办理时限" in record.summary
    assert record.actor == county_officer


def test_the_household_import_template_is_audited(client: Client, jinshui_officer: Any) -> None:
    client.force_login(jinshui_officer)
    record = _downloaded(client, reverse("registry:import_template"), "household_import")
    assert record.summary == "下载家庭批量导入空白模板"


def test_the_holiday_template_is_audited(client: Client, county_officer: Any) -> None:
    client.force_login(county_officer)
    record = _downloaded(client, reverse("policy:calendar_template"), "calendar_year", year="2027")
    assert "2027" in record.summary


def test_the_upload_page_offers_a_sample_file_per_source(
    client: Client, county_officer: Any
) -> None:
    client.force_login(county_officer)
    page = client.get(reverse("feeds:upload")).content.decode()
    sample = reverse("feeds:source_sample", kwargs={"code": "real_estate"})
    assert sample in page
    assert "parquet" not in page.lower()

    record = _downloaded(client, sample, "source_definition")
    assert "示例文件" in record.summary
    workbook = load_workbook(io.BytesIO(client.get(sample).content))
    data, notes = workbook["数据"], workbook["填写说明"]
    header = [cell.value for cell in data[1]]
    assert header[:3] == ["身份证号", "坐落", "建筑面积"]
    example = [cell.value for cell in data[2]]
    assert example[0] == "（填写18位身份证号）"
    rows = {row[0]: row for row in notes.iter_rows(values_only=True) if row and row[0]}
    assert rows["建筑面积"][1] == "数值(平方米)"


def test_a_source_the_user_may_not_import_has_no_sample(client: Client, auditor: Any) -> None:
    client.force_login(auditor)
    url = reverse("feeds:source_sample", kwargs={"code": "real_estate"})
    assert client.get(url).status_code == 403
    assert not AuditRecord.objects.filter(object_type="source_definition").exists()
