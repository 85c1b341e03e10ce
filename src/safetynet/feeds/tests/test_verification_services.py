"""Issuing, numbering, keeping and handing out verification reports."""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

import pytest
import time_machine
from django.core.exceptions import PermissionDenied
from django.http import Http404

from safetynet.audit.models import AuditRecord
from safetynet.documents.tests.pdf_text import pdf_flat_text
from safetynet.feeds.models import VerificationPurpose, VerificationReport
from safetynet.feeds.tests.verification_fixtures import other_verifier, verified_family
from safetynet.feeds.verification.selectors import verification_report_list
from safetynet.feeds.verification.services import (
    VerificationError,
    report_path,
    verification_report_issue,
    verification_report_pdf,
    verification_report_viewed,
)
from safetynet.registry.models import Membership

__all__ = ["other_verifier", "verified_family"]

# 2026-05-06 10:00 in Zhengzhou.
ISSUED = dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC)


def _issue(actor: Any, household: Any, **overrides: Any) -> tuple[VerificationReport, bytes]:
    values: dict[str, Any] = {
        "purpose": VerificationPurpose.DETERMINATION,
        "authorisation_reference": "金水民核授〔2026〕18号",
    }
    values.update(overrides)
    return verification_report_issue(actor=actor, household=household, **values)


@time_machine.travel(ISSUED, tick=False)
def test_issue_numbers_the_report_by_county_and_day(
    verified_family: Any, county_officer: Any
) -> None:
    report, _ = _issue(county_officer, verified_family[0])
    assert report.number == "HC410105-20260506-0001"


@time_machine.travel(ISSUED, tick=False)
def test_second_report_of_the_day_takes_the_next_number(
    verified_family: Any, county_officer: Any
) -> None:
    _issue(county_officer, verified_family[0])
    report, _ = _issue(county_officer, verified_family[0])
    assert report.number == "HC410105-20260506-0002"


def test_numbering_starts_again_the_next_day(verified_family: Any, county_officer: Any) -> None:
    with time_machine.travel(ISSUED, tick=False):
        _issue(county_officer, verified_family[0])
    with time_machine.travel(ISSUED + dt.timedelta(days=1), tick=False):
        report, _ = _issue(county_officer, verified_family[0])
    assert report.number == "HC410105-20260507-0001"


def test_report_records_sources_differences_and_pdf_hash(
    verified_family: Any, county_officer: Any
) -> None:
    report, pdf = _issue(county_officer, verified_family[0])
    report.refresh_from_db()
    assert report.differences == 1
    assert set(report.sources) == {"vehicles"}
    assert report.sources["vehicles"]["period"] == "2026-04"
    assert report.pdf_sha256 == hashlib.sha256(pdf).hexdigest()
    assert report.region_id == verified_family[0].region_id
    assert report.created_by == county_officer


def test_pdf_states_title_region_reference_sources_and_difference(
    verified_family: Any, county_officer: Any
) -> None:
    household = verified_family[0]
    report, pdf = _issue(county_officer, household)
    text = pdf_flat_text(pdf)
    assert pdf.startswith(b"%PDF-")
    assert "家庭经济状况核对报告" in text
    assert household.region.full_name in text
    assert "金水民核授〔2026〕18号" in text
    assert f"编号：{report.number}" in text
    assert "机动车" in text and "2026-04" in text
    assert "暂无该部门数据" in text
    assert "公安交管部门登记张建国名下机动车1辆，家庭申报0辆，1辆未申报" in text


def test_pdf_shows_masked_id_numbers_only(verified_family: Any, county_officer: Any) -> None:
    _, head, spouse = verified_family
    text = pdf_flat_text(_issue(county_officer, verified_family[0])[1])
    assert head not in text and spouse not in text
    assert f"{head[:3]}***********{head[-4:]}" in text


def test_issued_pdf_is_kept_as_issued(verified_family: Any, county_officer: Any) -> None:
    report, pdf = _issue(county_officer, verified_family[0])
    assert report_path(report).read_bytes() == pdf


def test_issue_is_audited_with_reference_and_differences(
    verified_family: Any, county_officer: Any
) -> None:
    report, _ = _issue(county_officer, verified_family[0])
    record = AuditRecord.objects.get(object_type="verification_report", action="create")
    assert record.object_id == str(report.pk)
    assert record.actor == county_officer
    assert record.region_code == verified_family[0].region_id
    assert record.detail["authorisation_reference"] == "金水民核授〔2026〕18号"
    assert record.detail["differences"] == 1


def test_download_returns_the_issued_bytes_and_is_audited(
    verified_family: Any, county_officer: Any
) -> None:
    report, pdf = _issue(county_officer, verified_family[0])
    assert verification_report_pdf(actor=county_officer, report=report) == pdf
    assert AuditRecord.objects.filter(
        object_type="verification_report", object_id=str(report.pk), action="export"
    ).exists()


def test_download_of_an_altered_file_is_refused(verified_family: Any, county_officer: Any) -> None:
    report, pdf = _issue(county_officer, verified_family[0])
    report_path(report).write_bytes(pdf + b"%")
    with pytest.raises(VerificationError, match="校验值不一致"):
        verification_report_pdf(actor=county_officer, report=report)


def test_viewing_returns_the_texts_as_issued(verified_family: Any, county_officer: Any) -> None:
    report, _ = _issue(county_officer, verified_family[0])
    Membership.objects.filter(household=verified_family[0]).update(co_resident=False)
    content = verification_report_viewed(actor=county_officer, report=report)
    assert [row[0] for row in content.members] == ["张建国", "李秀英"]
    assert content.differences[0][3].startswith("公安交管部门登记张建国")


def test_authorisation_reference_is_required(verified_family: Any, county_officer: Any) -> None:
    with pytest.raises(VerificationError, match="核对授权书编号") as error:
        _issue(county_officer, verified_family[0], authorisation_reference="  ")
    assert error.value.field == "authorisation_reference"
    assert not VerificationReport.objects.exists()


def test_legal_aid_requires_an_applicant(verified_family: Any, county_officer: Any) -> None:
    with pytest.raises(VerificationError, match="须选择申请人"):
        _issue(county_officer, verified_family[0], purpose=VerificationPurpose.LEGAL_AID)


def test_legal_aid_report_names_the_applicant(verified_family: Any, county_officer: Any) -> None:
    household = verified_family[0]
    spouse = household.memberships.get(relation="10").person
    report, pdf = _issue(
        county_officer, household, purpose=VerificationPurpose.LEGAL_AID, person=spouse
    )
    assert report.person == spouse
    assert f"李秀英（{spouse.id_number_masked}）" in pdf_flat_text(pdf)


def test_applicant_must_live_in_the_household(
    verified_family: Any, county_officer: Any, make_household: Any
) -> None:
    stranger = make_household(county_officer).head
    with pytest.raises(VerificationError, match="共同生活的家庭成员"):
        _issue(
            county_officer,
            verified_family[0],
            purpose=VerificationPurpose.LEGAL_AID,
            person=stranger,
        )


def test_household_outside_scope_is_not_found(verified_family: Any, other_verifier: Any) -> None:
    with pytest.raises(Http404):
        _issue(other_verifier, verified_family[0])
    assert not VerificationReport.objects.exists()


def test_user_without_the_capability_is_refused(verified_family: Any, jinshui_officer: Any) -> None:
    with pytest.raises(PermissionDenied):
        _issue(jinshui_officer, verified_family[0])


def test_report_list_holds_only_reports_in_scope(
    verified_family: Any, county_officer: Any, other_verifier: Any
) -> None:
    report, _ = _issue(county_officer, verified_family[0])
    assert list(verification_report_list(user=county_officer)) == [report]
    assert list(verification_report_list(user=other_verifier)) == []
