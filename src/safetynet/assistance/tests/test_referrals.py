"""Referrals end to end: a home check's outcome proposes them, an officer sends several, each
department sees only its own and its region's, acknowledges and answers; the answer becomes an
assistance record on the household's timeline; deadlines make overdue referrals visible."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safetynet.accounts.permissions import PermissionDenied
from safetynet.accounts.services import api_token_create
from safetynet.assistance.models import AssistanceRecord, Referral, ReferralStatus
from safetynet.assistance.referrals import selectors, services
from safetynet.assistance.selectors import household_timeline
from safetynet.assistance.tests.conftest import refer_by_visit

pytestmark = pytest.mark.django_db


def proposed_by_visit(
    officer: Any, household: Any, capture: Any, *, department: str = "", outcome: str = "referred"
) -> list[Referral]:
    with capture(execute=True):
        visit = refer_by_visit(officer, household, department=department, outcome=outcome)
    return list(Referral.objects.filter(source="home_check", source_id=visit.pk))


def test_a_special_case_visit_proposes_what_part_four_gives(
    jinshui_officer: Any, household: Any, django_capture_on_commit_callbacks: Any
) -> None:
    proposed = proposed_by_visit(
        jinshui_officer, household, django_capture_on_commit_callbacks, outcome="special"
    )

    # A near-dibao family with a serious illness: medical assistance (四(二)1) and 单人保 (四(一)).
    assert {(r.item, r.department) for r in proposed} == {
        ("medical_assistance", "medical_security"),
        ("individual_dibao", "civil_affairs"),
    }
    assert all(r.status == ReferralStatus.PROPOSED for r in proposed)
    assert "四(二)1" in next(r.reason for r in proposed if r.item == "medical_assistance")


def test_a_referred_visit_proposes_the_items_of_its_department(
    jinshui_officer: Any, household: Any, django_capture_on_commit_callbacks: Any
) -> None:
    """转相关部门: the department named by the visitor (else the alert's hardship type's)."""
    proposed = proposed_by_visit(jinshui_officer, household, django_capture_on_commit_callbacks)
    named = proposed_by_visit(
        jinshui_officer, household, django_capture_on_commit_callbacks, department="education"
    )

    assert [r.item for r in proposed] == ["medical_assistance"]
    # No education item fits an illness: the household's other qualifying items are proposed.
    assert [r.item for r in named] == ["individual_dibao"]


def test_proposing_twice_opens_nothing_twice(
    jinshui_officer: Any, household: Any, django_capture_on_commit_callbacks: Any
) -> None:
    proposed_by_visit(
        jinshui_officer, household, django_capture_on_commit_callbacks, outcome="special"
    )
    again = services.referrals_propose_by_hand(
        actor=jinshui_officer, household=household, circumstances=["serious_illness"]
    )

    assert again == []
    assert Referral.objects.filter(household=household).count() == 2


def _sent(officer: Any, household: Any, circumstances: list[str]) -> list[Referral]:
    proposed = services.referrals_propose_by_hand(
        actor=officer, household=household, circumstances=circumstances
    )
    assert services.referrals_send(actor=officer, referrals=proposed) == len(proposed)
    return [Referral.objects.get(pk=r.pk) for r in proposed]


def test_a_department_sees_only_its_own_department_and_region(
    jinshui_officer: Any, household: Any, department: Any, zhongyuan: str
) -> None:
    sent = _sent(jinshui_officer, household, ["serious_illness", "student"])
    medical = department("medical_security")
    education = department("education")
    medical_elsewhere = department("medical_security", zhongyuan)
    medical_referral = next(r for r in sent if r.department == "medical_security")

    assert [r.item for r in selectors.referral_list(user=medical)] == ["medical_assistance"]
    assert [r.item for r in selectors.referral_list(user=education)] == ["education"]
    assert list(selectors.referral_list(user=medical_elsewhere)) == []
    with pytest.raises(Http404):
        selectors.referral_get(user=education, pk=medical_referral.pk)
    with pytest.raises(Http404):
        selectors.referral_get(user=medical_elsewhere, pk=medical_referral.pk)
    with pytest.raises(PermissionDenied):
        services.referral_acknowledge(actor=education, referral=medical_referral)
    # The civil-affairs office sees every department's referral of its region.
    assert {r.item for r in selectors.referral_list(user=jinshui_officer)} == {
        "medical_assistance",
        "education",
        "individual_dibao",
    }


def test_a_department_does_not_see_proposals_not_yet_sent(
    jinshui_officer: Any, household: Any, department: Any
) -> None:
    services.referrals_propose_by_hand(
        actor=jinshui_officer, household=household, circumstances=["serious_illness"]
    )

    assert list(selectors.referral_list(user=department("medical_security"))) == []


def test_pages_of_a_department_show_its_inbox_only(
    client: Client, jinshui_officer: Any, household: Any, department: Any
) -> None:
    sent = _sent(jinshui_officer, household, ["serious_illness", "student"])
    education = department("education")
    client.force_login(education)
    medical_referral = next(r for r in sent if r.department == "medical_security")

    listing = client.get(reverse("assistance:index")).content.decode()
    assert "教育救助" in listing and "医疗救助" not in listing
    assert client.get(reverse("assistance:referral", args=[medical_referral.pk])).status_code == 404


def test_api_feedback_closes_the_referral_and_shows_on_the_timeline(
    client: Client, jinshui_officer: Any, household: Any, department: Any
) -> None:
    sent = _sent(jinshui_officer, household, ["serious_illness"])
    referral = next(r for r in sent if r.department == "medical_security")
    medical = department("medical_security")
    token = api_token_create(user=medical, name="医保局系统", actor=medical)
    auth = {"HTTP_AUTHORIZATION": f"Bearer {token}"}

    inbox = client.get("/api/assistance/referrals", **auth).json()
    assert [row["id"] for row in inbox["items"]] == [referral.pk]
    assert inbox["items"][0]["head_name"] == "王帮扶"
    assert "*" in inbox["items"][0]["head_id_number_masked"]
    answer = client.post(
        f"/api/assistance/referrals/{referral.pk}/feedback",
        {
            "given": True,
            "kind": "住院医疗救助金",
            "amount": "3200.50",
            "given_on": timezone.localdate().isoformat(),
        },
        content_type="application/json",
        **auth,
    )

    assert answer.status_code == 200, answer.content
    assert answer.json()["status"] == "given"
    record = AssistanceRecord.objects.get(referral=referral)
    assert record.amount == Decimal("3200.50") and record.department == "medical_security"
    texts = [e.text for e in household_timeline(user=jinshui_officer, household=household)]
    assert any("医疗救助：已救助帮扶" in t for t in texts)
    assert any("住院医疗救助金，3200.50 元" in t for t in texts)
    client.force_login(jinshui_officer)
    detail = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    assert "住院医疗救助金" in detail


def test_declining_needs_a_reason_and_closes_too(
    jinshui_officer: Any, household: Any, department: Any
) -> None:
    referral = next(
        r for r in _sent(jinshui_officer, household, ["student"]) if r.item == "education"
    )
    education = department("education")
    with pytest.raises(services.AssistanceError):
        services.referral_answer(actor=education, referral=referral)

    answered = services.referral_answer(
        actor=education, referral=referral, declined_reason="学生已毕业，不在校"
    )

    assert answered.status == ReferralStatus.DECLINED
    assert not AssistanceRecord.objects.filter(referral=referral).exists()


def test_overdue_referrals_reach_the_county_queue(
    jinshui_officer: Any, county_officer: Any, household: Any, department: Any
) -> None:
    referral = _sent(jinshui_officer, household, ["student"])[0]
    later = referral.acknowledge_due + dt.timedelta(days=1)

    assert selectors.overdue_count(user=county_officer, today=referral.sent_on) == 0
    assert selectors.overdue_count(user=county_officer, today=later) == 1
    services.referral_acknowledge(actor=department("education"), referral=referral)
    assert selectors.overdue_count(user=county_officer, today=later) == 0
    assert (
        selectors.overdue_count(
            user=county_officer, today=referral.answer_due + dt.timedelta(days=1)
        )
        == 1
    )


def test_a_department_reports_help_given_without_a_referral(
    household: Any, department: Any
) -> None:
    housing = department("housing")
    record = services.record_report(
        actor=housing,
        household=household,
        item="house_renovation",
        given=services.Given(
            kind="危房改造补助", given_on=timezone.localdate(), amount=Decimal("15000")
        ),
    )

    assert record.referral is None and record.source == "report"
    with pytest.raises(services.AssistanceError):
        services.record_report(
            actor=housing,
            household=household,
            item="medical_assistance",
            given=services.Given(kind="x", given_on=timezone.localdate()),
        )


def test_the_workbench_counts_overdue_referrals(
    client: Client, jinshui_officer: Any, household: Any
) -> None:
    referral = _sent(jinshui_officer, household, ["student"])[0]
    Referral.objects.filter(pk=referral.pk).update(
        acknowledge_due=timezone.localdate() - dt.timedelta(days=1)
    )
    client.force_login(jinshui_officer)

    page = client.get(reverse("web:home")).content.decode()

    assert 'class="overdue">1</strong> 项逾期' in page


def test_a_confirmed_decision_proposes_the_special_assistance_it_opens(
    jinshui_officer: Any,
    county_officer: Any,
    make_household: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    from safetynet.determination.tests.notice_cases import decided_case
    from safetynet.registry.choices import SchoolStage

    household = make_household(jinshui_officer, head_name="赵认定")
    member = household.memberships.exclude(person=household.head).get().person
    member.school_stage = SchoolStage.JUNIOR
    member.save(update_fields=["school_stage"])
    with django_capture_on_commit_callbacks(execute=True):
        case = decided_case(officer=jinshui_officer, county=county_officer, household=household)

    proposed = Referral.objects.filter(household=household)
    assert [(r.item, r.source, r.source_id) for r in proposed] == [
        ("education", "determination", case.decision.pk)
    ]


def test_the_county_lists_households_that_qualify_for_help_not_received(
    client: Client, jinshui_officer: Any, county_officer: Any, household: Any, department: Any
) -> None:
    from safetynet.assistance.delivery import undelivered
    from safetynet.registry.choices import HealthStatus

    head = household.head
    head.health_status = HealthStatus.SERIOUS
    head.save(update_fields=["health_status"])

    before = {g.household_id: g.items for g in undelivered(user=county_officer)}
    services.record_report(
        actor=department("medical_security"),
        household=household,
        item="medical_assistance",
        given=services.Given(kind="住院救助", given_on=timezone.localdate()),
    )
    after = {g.household_id: g.items for g in undelivered(user=county_officer)}

    assert sorted(before[household.pk]) == ["医疗救助", "单独纳入最低生活保障（单人保）"]
    assert after[household.pk] == ["单独纳入最低生活保障（单人保）"]
    client.force_login(county_officer)
    assert "王帮扶户" in client.get(reverse("assistance:delivery")).content.decode()
