"""Reported changes update the registry through its services and queue the township's check."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from conftest import new_id_number
from safetynet.changes.models import ChangeKind, ChangeReport
from safetynet.changes.services import ChangeError, ChangeFacts, change_report
from safetynet.determination.models import ReviewKind, ReviewSchedule
from safetynet.registry import services as registry_services
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import CategoryStatus, Income, Membership

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - dt.timedelta(days=1)


def _members(household: Any) -> dict[str, Membership]:
    return {
        m.person.name: m
        for m in Membership.objects.filter(household=household).select_related("person")
    }


def _assisted(officer: Any, household: Any, category: str = "dibao") -> None:
    registry_services.category_set(
        actor=officer,
        household=household,
        category=category,
        effective_from=TODAY.replace(day=1) - dt.timedelta(days=40),
        reason="测试：已认定",
    )
    household.refresh_from_db()


def test_a_death_of_the_head_ends_the_membership_and_needs_a_new_head(
    village_assistant: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(village_assistant, head_name="张三")
    _assisted(jinshui_officer, household)
    head = household.head
    wife = _members(household)["李四"].person

    with pytest.raises(ChangeError) as refused:
        change_report(
            actor=village_assistant,
            household=household,
            kind=ChangeKind.DEATH,
            occurred_on=YESTERDAY,
            facts=ChangeFacts(person=head),
        )
    assert refused.value.field == "new_head"

    report = change_report(
        actor=village_assistant,
        household=household,
        kind=ChangeKind.DEATH,
        occurred_on=YESTERDAY,
        facts=ChangeFacts(person=head, new_head=wife),
    )

    household.refresh_from_db()
    members = _members(household)
    assert members["张三"].left_on is not None
    assert members["张三"].left_reason == f"死亡（{YESTERDAY.isoformat()}）"
    assert household.head_id == wife.pk and household.member_count == 1
    assert report.check_review is not None
    assert report.check_review.kind == ReviewKind.DEATH_RECHECK
    assert report.check_review.done_on is None


def test_the_death_of_a_destitute_member_closes_the_members_category(
    jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    wife = _members(household)["李四"].person
    registry_services.category_set(
        actor=jinshui_officer,
        household=household,
        category="destitute",
        person=wife,
        effective_from=TODAY - dt.timedelta(days=100),
        reason="测试",
    )

    change_report(
        actor=jinshui_officer,
        household=household,
        kind=ChangeKind.DEATH,
        occurred_on=YESTERDAY,
        facts=ChangeFacts(person=wife),
    )

    history = list(CategoryStatus.objects.filter(person=wife).order_by("effective_from", "id"))
    assert history[0].category == "destitute" and history[0].effective_to is not None
    assert history[-1].category == "" and history[-1].effective_from.day == 1
    assert history[-1].effective_from > YESTERDAY


def test_a_birth_adds_the_child_and_a_household_not_assisted_is_checked(
    village_assistant: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    baby = MemberInput(
        id_number=new_id_number("410105", born=YESTERDAY), name="张小宝", relation="20"
    )

    report = change_report(
        actor=village_assistant,
        household=household,
        kind=ChangeKind.BIRTH,
        occurred_on=YESTERDAY,
        facts=ChangeFacts(new_member=baby),
    )

    household.refresh_from_db()
    assert household.member_count == 3
    assert report.person is not None and report.person.name == "张小宝"
    assert report.check_review is not None
    assert report.check_review.kind == ReviewKind.CHANGE_CHECK


def test_an_income_rise_of_a_household_not_assisted_needs_no_check(
    village_assistant: Any, make_household: Any
) -> None:
    household = make_household(village_assistant, wages=Decimal("500.00"))

    report = change_report(
        actor=village_assistant,
        household=household,
        kind=ChangeKind.INCOME_UP,
        occurred_on=YESTERDAY,
        facts=ChangeFacts(person=household.head, monthly_income=Decimal("2600")),
    )

    assert report.check_review is None
    wages = Income.objects.get(household=household, person=household.head, kind="wages")
    assert wages.monthly_amount == Decimal("2600.00")


def test_any_change_of_an_assisted_household_is_checked(
    village_assistant: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    _assisted(jinshui_officer, household, "near_dibao")

    report = change_report(
        actor=village_assistant,
        household=household,
        kind=ChangeKind.JOB_FOUND,
        occurred_on=YESTERDAY,
        facts=ChangeFacts(person=household.head, monthly_income=Decimal("3000")),
    )

    assert report.check_review is not None
    assert ReviewSchedule.objects.filter(
        household=household, kind=ReviewKind.CHANGE_CHECK, done_on__isnull=True
    ).exists()


def test_a_disability_certificate_is_recorded_on_the_member(
    village_assistant: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    wife = _members(household)["李四"].person

    change_report(
        actor=village_assistant,
        household=household,
        kind=ChangeKind.DISABILITY,
        occurred_on=YESTERDAY,
        facts=ChangeFacts(person=wife, disability_type="physical", disability_grade=2),
    )

    wife.refresh_from_db()
    assert (wife.disability_type, wife.disability_grade) == ("physical", 2)


def test_a_failed_report_changes_nothing(village_assistant: Any, make_household: Any) -> None:
    household = make_household(village_assistant)

    with pytest.raises(ChangeError):
        change_report(
            actor=village_assistant,
            household=household,
            kind=ChangeKind.DISABILITY,
            occurred_on=YESTERDAY,
            facts=ChangeFacts(person=household.head),
        )

    assert not ChangeReport.objects.exists()


def test_another_township_cannot_report_on_the_household(
    zhongyuan_officer: Any, village_assistant: Any, make_household: Any
) -> None:
    from django.http import Http404

    household = make_household(village_assistant)
    with pytest.raises(Http404):
        change_report(
            actor=zhongyuan_officer,
            household=household,
            kind=ChangeKind.DISASTER,
            occurred_on=YESTERDAY,
        )


def test_the_form_reports_a_death_and_the_household_page_shows_what_is_pending(
    client: Client, village_assistant: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    _assisted(jinshui_officer, household)
    wife = _members(household)["李四"].person
    client.force_login(village_assistant)

    response = client.post(
        f"/changes/households/{household.pk}/new/",
        {"kind": "death", "occurred_on": YESTERDAY.isoformat(), "person": wife.pk, "note": "病故"},
    )

    assert response.status_code == 302
    page = client.get(f"/households/{household.pk}/").content.decode()
    assert "死亡复核" in page and "已列入核查" in page
    listing = client.get("/changes/").content.decode()
    assert "成员死亡" in listing and "共 1 条" in listing
