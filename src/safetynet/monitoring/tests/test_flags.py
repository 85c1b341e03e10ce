"""The data flags page (issue 13): rows a visit found wrong are listed for the department of
the source and the county, within their region; settling one needs a note, closes it and is
audited; another district's flags do not exist for an outsider."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import JINSHUI, ZHONGYUAN, make_user
from safetynet.accounts.roles import Department, Role
from safetynet.audit.models import AuditRecord
from safetynet.monitoring.common import CheckKind
from safetynet.monitoring.models import DataFlag, HomeCheck, Visit
from safetynet.regions.models import Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(jinshui_officer: Any, make_household: Any) -> DataFlag:
    household = make_household(jinshui_officer)
    check = HomeCheck.objects.create(
        kind=CheckKind.SURVEY,
        household=household,
        region_code=household.region_id,
        township_code=household.region_id[:9] + "000",
        created_on=dt.date(2026, 11, 16),
        due_on=dt.date(2026, 11, 30),
    )
    visit = Visit.objects.create(
        home_check=check, visited_on=dt.date(2026, 11, 20), findings="x", outcome="data_wrong"
    )
    return DataFlag.objects.create(
        visit=visit,
        region_code=household.region_id,
        source="vehicles",
        batch_id=7,
        row_number=12,
        reason="车辆已于 2025 年过户",
    )


def _police(region: str = JINSHUI) -> Any:
    return make_user(
        f"police_{region}",
        Role.DEPARTMENT_OFFICER,
        Region.objects.get(code=region),
        department=Department.PUBLIC_SECURITY,
    )


def test_the_source_department_sees_and_resolves_a_flag(client: Client, flag: DataFlag) -> None:
    police = _police()
    client.force_login(police)
    page = client.get(reverse("monitoring:flag_list")).content.decode()
    assert "车辆已于 2025 年过户" in page and "机动车" in page and "第 12 行" in page

    refused = client.post(reverse("monitoring:flag_resolve", args=[flag.pk]), {"resolution": ""})
    assert refused.status_code == 302
    flag.refresh_from_db()
    assert not flag.resolved

    client.post(
        reverse("monitoring:flag_resolve", args=[flag.pk]),
        {"resolution": "已在 2026-12 批次更正"},
    )
    flag.refresh_from_db()
    assert flag.resolved and flag.resolved_by == police and flag.resolution
    record = AuditRecord.objects.get(object_type="data_flag")
    assert "已在 2026-12 批次更正" in record.summary and record.actor == police
    assert "车辆已于" not in client.get(reverse("monitoring:flag_list")).content.decode()
    assert (
        "车辆已于"
        in client.get(reverse("monitoring:flag_list"), {"status": "resolved"}).content.decode()
    )


def test_another_department_does_not_see_the_flag(client: Client, flag: DataFlag) -> None:
    health = make_user(
        "health", Role.DEPARTMENT_OFFICER, Region.objects.get(code=JINSHUI), department="health"
    )
    client.force_login(health)
    assert "车辆已于" not in client.get(reverse("monitoring:flag_list")).content.decode()
    response = client.post(reverse("monitoring:flag_resolve", args=[flag.pk]), {"resolution": "x"})
    assert response.status_code == 404


def test_the_county_sees_every_source(client: Client, flag: DataFlag, county_officer: Any) -> None:
    client.force_login(county_officer)
    assert "车辆已于" in client.get(reverse("monitoring:flag_list")).content.decode()


def test_another_districts_flag_does_not_exist(client: Client, flag: DataFlag) -> None:
    client.force_login(_police(ZHONGYUAN))
    assert "车辆已于" not in client.get(reverse("monitoring:flag_list")).content.decode()
    response = client.post(reverse("monitoring:flag_resolve", args=[flag.pk]), {"resolution": "x"})
    assert response.status_code == 404
    flag.refresh_from_db()
    assert not flag.resolved
