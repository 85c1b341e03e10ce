"""Users and files for the batch pages and API tests (imported by those modules)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conftest import make_user
from safetynet.accounts.roles import Department, Role
from safetynet.feeds.tests.files import id_number, write_csv, wrong_check_digit
from safetynet.regions.models import Region

DEATHS_HEADER = ["公民身份号码", "姓名", "火化日期"]


def province() -> Region:
    return Region.objects.get(code="410000000000")


@pytest.fixture
def administrator(db: Any) -> Any:
    return make_user("admin", Role.ADMINISTRATOR, province())


@pytest.fixture
def civil_affairs_officer(db: Any) -> Any:
    """A department officer of 民政, which provides the deaths source."""
    return make_user(
        "minzheng", Role.DEPARTMENT_OFFICER, province(), department=Department.CIVIL_AFFAIRS
    )


@pytest.fixture
def civil_affairs_colleague(db: Any) -> Any:
    return make_user(
        "minzheng2", Role.DEPARTMENT_OFFICER, province(), department=Department.CIVIL_AFFAIRS
    )


@pytest.fixture
def medical_officer(db: Any) -> Any:
    """A department officer of 医保: another department than the deaths source's."""
    return make_user(
        "yibao", Role.DEPARTMENT_OFFICER, province(), department=Department.MEDICAL_SECURITY
    )


@pytest.fixture
def clean_deaths(tmp_path: Path) -> Path:
    """Three valid rows, one of them twice (a duplicate)."""
    first = [id_number(), "张三", "2026-01-05"]
    return write_csv(
        tmp_path / "死亡名单.csv",
        [
            DEATHS_HEADER,
            first,
            [id_number(), "李四", "2026/1/8"],
            first,
            [id_number(), "王五", "20260110"],
        ],
    )


@pytest.fixture
def messy_deaths(tmp_path: Path) -> tuple[Path, str]:
    """Two valid rows, one row with a damaged ID (row 3) and one with an impossible date
    (row 5), GBK with a stray BOM. Returns the file and the damaged ID."""
    damaged = wrong_check_digit(id_number())
    path = write_csv(
        tmp_path / "火化名单.csv",
        [
            DEATHS_HEADER,
            [id_number(), "张三", "2026-01-05"],
            [damaged, "李四", "2026-01-06"],
            [id_number(), "王五", "2026-01-07"],
            [id_number(), "赵六", "2026-02-30"],
        ],
        encoding="gbk",
        bom=True,
    )
    return path, damaged


def upload_of(path: Path) -> SimpleUploadedFile:
    return SimpleUploadedFile(path.name, path.read_bytes())
