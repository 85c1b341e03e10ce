"""Finding 6 of issue 12: a county's batch belongs to its county — another county's officer may
not download its report or quarantine; a province-level batch (a department system's) is read
whole by the province and, row by row, by the county whose people the rows concern."""

# The fixtures of batch_fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook

from conftest import JINSHUI, ZHONGYUAN, make_user
from safetynet.accounts.roles import Role
from safetynet.feeds.models import FeedBatch
from safetynet.feeds.tests.batch_fixtures import (
    DEATHS_HEADER,
    administrator,
    civil_affairs_officer,
)
from safetynet.feeds.tests.files import id_number, write_csv, wrong_check_digit
from safetynet.regions.models import Region
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


def login(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def zhongyuan_county(db: Any) -> Any:
    return make_user("zy-county", Role.COUNTY_OFFICER, Region.objects.get(code=ZHONGYUAN))


def _messy(tmp_path: Path) -> tuple[Path, str, str]:
    """One valid row, a damaged 金水区 ID (row 3) and a damaged 中原区 ID (row 4)."""
    jinshui = wrong_check_digit(id_number("410105"))
    zhongyuan = wrong_check_digit(id_number("410102"))
    path = write_csv(
        tmp_path / "火化名单.csv",
        [
            DEATHS_HEADER,
            [id_number(), "张三", "2026-01-05"],
            [jinshui, "金水人", "2026-01-06"],
            [zhongyuan, "中原人", "2026-01-07"],
        ],
    )
    return path, jinshui, zhongyuan


def _upload(client: Client, path: Path) -> FeedBatch:
    client.post(
        "/feeds/upload/",
        {
            "source": "deaths",
            "period": "2026-01",
            "file": SimpleUploadedFile(path.name, path.read_bytes()),
            "accept_valid": "on",
        },
        follow=True,
    )
    return FeedBatch.objects.get()


def _rows(response: Any) -> list[tuple[Any, ...]]:
    return data_rows(load_workbook(io.BytesIO(response.content)).active.values)


def test_another_county_may_not_download_a_county_batch(
    county_officer: Any, zhongyuan_county: Any, tmp_path: Path
) -> None:
    path, _, _ = _messy(tmp_path)
    batch = _upload(login(county_officer), path)
    other = login(zhongyuan_county)
    assert other.get(f"/feeds/{batch.pk}/report.xlsx").status_code == 403
    assert other.get(f"/feeds/{batch.pk}/quarantine.xlsx").status_code == 403
    own = login(county_officer)
    assert own.get(f"/feeds/{batch.pk}/quarantine.xlsx").status_code == 200


def test_province_batch_is_read_whole_by_the_province_and_per_row_by_the_county(
    civil_affairs_officer: Any,
    administrator: Any,
    county_officer: Any,
    zhongyuan_county: Any,
    tmp_path: Path,
) -> None:
    path, jinshui, _ = _messy(tmp_path)
    batch = _upload(login(civil_affairs_officer), path)
    whole = _rows(login(administrator).get(f"/feeds/{batch.pk}/quarantine.xlsx"))
    assert [row[0] for row in whole[1:]] == [3, 4]
    assert "_county" not in whole[0]

    jinshui_rows = _rows(login(county_officer).get(f"/feeds/{batch.pk}/quarantine.xlsx"))
    assert [row[0] for row in jinshui_rows[1:]] == [3]
    assert "金水人" in str(jinshui_rows) and "中原人" not in str(jinshui_rows)
    zhongyuan_rows = _rows(login(zhongyuan_county).get(f"/feeds/{batch.pk}/quarantine.xlsx"))
    assert [row[0] for row in zhongyuan_rows[1:]] == [4]
    # The whole error report stays with the province.
    assert login(county_officer).get(f"/feeds/{batch.pk}/report.xlsx").status_code == 403
    assert JINSHUI.startswith(jinshui[:6])


def test_a_county_batch_keeps_its_county_when_its_importer_moves(
    county_officer: Any, zhongyuan_county: Any, tmp_path: Path
) -> None:
    """The batch stores its county when imported; the importer's later scope does not move it."""
    path, _, _ = _messy(tmp_path)
    batch = _upload(login(county_officer), path)
    assert batch.region_code == JINSHUI
    county_officer.scope_region = Region.objects.get(code=ZHONGYUAN)
    county_officer.save()
    successor = make_user("jinshui-2", Role.COUNTY_OFFICER, Region.objects.get(code=JINSHUI))
    assert login(successor).get(f"/feeds/{batch.pk}/quarantine.xlsx").status_code == 200
    assert login(zhongyuan_county).get(f"/feeds/{batch.pk}/quarantine.xlsx").status_code in (
        403,
        404,
    )
