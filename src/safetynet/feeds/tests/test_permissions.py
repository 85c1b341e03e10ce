"""The one feeds permission check (``feeds.common``): a department officer hands in and sees only
their own department's sources, wherever the import starts (service, job submission, console);
the rows behind a batch go only to its importer or a holder of ``DOWNLOAD_BATCH_ROWS``."""

# The fixtures of batch_fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import make_user
from safetynet.accounts.permissions import PermissionDenied
from safetynet.accounts.roles import Role
from safetynet.feeds import common
from safetynet.feeds.batches import batch_import_submit
from safetynet.feeds.catalogue import source_get
from safetynet.feeds.models import FeedBatch
from safetynet.feeds.services import batch_import
from safetynet.feeds.tests.batch_fixtures import (
    administrator,
    civil_affairs_colleague,
    civil_affairs_officer,
    clean_deaths,
    medical_officer,
    province,
)
from safetynet.jobs.models import Job

pytestmark = pytest.mark.django_db


def test_the_service_refuses_another_departments_source(
    medical_officer: Any, clean_deaths: Path
) -> None:
    with pytest.raises(PermissionDenied, match="您只能导入医保的数据"):
        batch_import(source="deaths", path=clean_deaths, period="2026-02", actor=medical_officer)
    assert not FeedBatch.objects.exists()


def test_the_service_imports_the_officers_own_departments_source(
    civil_affairs_officer: Any, clean_deaths: Path
) -> None:
    outcome = batch_import(
        source="deaths", path=clean_deaths, period="2026-02", actor=civil_affairs_officer
    )
    assert outcome.batch.imported_by == civil_affairs_officer


def test_the_job_is_not_queued_for_another_departments_source(medical_officer: Any) -> None:
    with pytest.raises(PermissionDenied):
        batch_import_submit(
            actor=medical_officer,
            source="deaths",
            period="2026-02",
            upload_path="incoming/none.csv",
            file_name="none.csv",
            accept_valid=False,
        )
    assert not Job.objects.exists()


def test_a_county_officer_may_import_any_departments_source(db: Any) -> None:
    county = make_user("county", Role.COUNTY_OFFICER, province())
    spec = source_get("deaths")
    county.department = "medical_security"  # not the deaths source's department
    common.source_require_importable(county, spec)
    assert common.sources_visible(user=county) == common.sources_importable(user=county)


def test_a_department_officer_sees_only_their_departments_sources(medical_officer: Any) -> None:
    visible = common.sources_visible(user=medical_officer)
    assert visible
    assert {spec.department for spec in visible} == {"medical_security"}


def test_without_import_feeds_nothing_is_importable(db: Any) -> None:
    supervisor = make_user("supervisor", Role.SUPERVISOR, province())
    assert common.sources_importable(user=supervisor) == []
    with pytest.raises(PermissionDenied):
        common.source_importable(user=supervisor, code="deaths")


def test_batch_rows_go_to_the_importer_and_download_batch_rows_only(
    civil_affairs_officer: Any, civil_affairs_colleague: Any, administrator: Any, clean_deaths: Path
) -> None:
    batch = batch_import(
        source="deaths", path=clean_deaths, period="2026-02", actor=civil_affairs_officer
    ).batch
    county = make_user("county", Role.COUNTY_OFFICER, province())
    assert common.batch_files_allowed(user=civil_affairs_officer, batch=batch)
    assert common.batch_files_allowed(user=county, batch=batch)
    assert common.batch_files_allowed(user=administrator, batch=batch)
    assert not common.batch_files_allowed(user=civil_affairs_colleague, batch=batch)
