"""The verification pages: from the household page to an issued report and its PDF."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safetynet.documents.tests.pdf_text import pdf_flat_text
from safetynet.feeds.models import VerificationPurpose, VerificationReport
from safetynet.feeds.tests.verification_fixtures import other_verifier, verified_family
from safetynet.feeds.verification.services import verification_report_issue

__all__ = ["other_verifier", "verified_family"]


@pytest.fixture
def county_client(client: Client, county_officer: Any) -> Client:
    client.force_login(county_officer)
    return client


@pytest.fixture
def issued(verified_family: Any, county_officer: Any) -> VerificationReport:
    report, _ = verification_report_issue(
        actor=county_officer,
        household=verified_family[0],
        purpose=VerificationPurpose.DETERMINATION,
        authorisation_reference="授权-001",
    )
    return report


def _form(household: Any) -> str:
    return reverse("feeds:verification_new", args=[household.pk])


def test_household_page_offers_the_report_to_an_officer_who_may_issue_it(
    county_client: Client, verified_family: Any
) -> None:
    household = verified_family[0]
    response = county_client.get(reverse("registry:detail", args=[household.pk]))
    assert _form(household) in response.content.decode()


def test_household_page_hides_the_report_from_a_township_officer(
    client: Client, jinshui_officer: Any, verified_family: Any
) -> None:
    client.force_login(jinshui_officer)
    household = verified_family[0]
    response = client.get(reverse("registry:detail", args=[household.pk]))
    assert response.status_code == 200
    assert _form(household) not in response.content.decode()


def test_form_lists_the_members_to_choose_the_applicant(
    county_client: Client, verified_family: Any
) -> None:
    response = county_client.get(_form(verified_family[0]))
    assert response.status_code == 200
    assert "核对授权书编号" in response.content.decode()
    assert "李秀英" in response.content.decode()


def test_posting_the_form_issues_the_report_and_shows_its_differences(
    county_client: Client, verified_family: Any
) -> None:
    response = county_client.post(
        _form(verified_family[0]),
        {"purpose": "determination", "authorisation_reference": "授权-002", "person": ""},
        follow=True,
    )
    report = VerificationReport.objects.get()
    assert response.redirect_chain[-1][0] == reverse("feeds:verification_detail", args=[report.pk])
    page = response.content.decode()
    assert report.number in page
    assert "公安交管部门登记张建国名下机动车1辆，家庭申报0辆，1辆未申报" in page
    assert "暂无该部门数据" in page


def test_form_without_authorisation_reference_issues_nothing(
    county_client: Client, verified_family: Any
) -> None:
    response = county_client.post(
        _form(verified_family[0]), {"purpose": "determination", "authorisation_reference": ""}
    )
    assert response.status_code == 200
    assert "核对授权书编号：" in response.content.decode()
    assert not VerificationReport.objects.exists()


def test_legal_aid_without_applicant_shows_why(county_client: Client, verified_family: Any) -> None:
    response = county_client.post(
        _form(verified_family[0]),
        {"purpose": "legal_aid", "authorisation_reference": "授权-003", "person": ""},
    )
    assert "法律援助经济困难核对须选择申请人" in response.content.decode()
    assert not VerificationReport.objects.exists()


def test_pdf_download_is_the_issued_file(county_client: Client, issued: Any) -> None:
    response = county_client.get(reverse("feeds:verification_pdf", args=[issued.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert issued.number in response["Content-Disposition"]
    assert "家庭经济状况核对报告" in pdf_flat_text(response.content)


def test_list_shows_reports_in_scope(county_client: Client, issued: Any) -> None:
    response = county_client.get(reverse("feeds:verification_list"))
    assert issued.number in response.content.decode()


def test_list_of_an_officer_of_another_region_is_empty(
    client: Client, other_verifier: Any, issued: Any
) -> None:
    client.force_login(other_verifier)
    response = client.get(reverse("feeds:verification_list"))
    assert response.status_code == 200
    assert issued.number not in response.content.decode()


@pytest.mark.parametrize("name", ["verification_detail", "verification_pdf"])
def test_report_of_another_region_is_not_found(
    client: Client, other_verifier: Any, issued: Any, name: str
) -> None:
    client.force_login(other_verifier)
    assert client.get(reverse(f"feeds:{name}", args=[issued.pk])).status_code == 404


def test_form_for_a_household_of_another_region_is_not_found(
    client: Client, other_verifier: Any, verified_family: Any
) -> None:
    client.force_login(other_verifier)
    household = verified_family[0]
    assert client.get(_form(household)).status_code == 404
    response = client.post(
        _form(household), {"purpose": "determination", "authorisation_reference": "授权-004"}
    )
    assert response.status_code == 404
    assert not VerificationReport.objects.exists()


@pytest.mark.parametrize("name", ["verification_detail", "verification_pdf"])
def test_township_officer_may_not_open_reports(
    client: Client, jinshui_officer: Any, issued: Any, name: str
) -> None:
    client.force_login(jinshui_officer)
    assert client.get(reverse(f"feeds:{name}", args=[issued.pk])).status_code == 403


def test_anonymous_visitor_is_sent_to_log_in(client: Client, issued: Any) -> None:
    response = client.get(reverse("feeds:verification_pdf", args=[issued.pk]))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_list_reads_a_fixed_number_of_queries(
    county_client: Client,
    verified_family: Any,
    county_officer: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for reference in ("授权-1", "授权-2", "授权-3"):
        verification_report_issue(
            actor=county_officer,
            household=verified_family[0],
            purpose=VerificationPurpose.REVIEW,
            authorisation_reference=reference,
        )
    with django_assert_max_num_queries(8):
        response = county_client.get(reverse("feeds:verification_list"))
    assert response.content.decode().count("授权-") == 3
