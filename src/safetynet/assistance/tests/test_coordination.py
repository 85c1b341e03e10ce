"""一事一议: the county's decision sets tasks with owners and due dates; each becomes a referral
sent to its department; the case closes when every task is answered."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from safetynet.accounts.permissions import PermissionDenied
from safetynet.assistance.coordination import services
from safetynet.assistance.models import CoordinationStatus, Referral, ReferralStatus
from safetynet.assistance.referrals import services as referrals

pytestmark = pytest.mark.django_db


def test_tasks_become_referrals_and_the_case_closes_when_all_are_answered(
    county_officer: Any, jinshui_officer: Any, household: Any, department: Any
) -> None:
    today = timezone.localdate()
    # Medical assistance was already sent: the task takes it over instead of opening another.
    sent = referrals.referral_add(
        actor=jinshui_officer, household=household, item="medical_assistance", reason="住院"
    )
    referrals.referrals_send(actor=jinshui_officer, referrals=[sent])
    case = services.coordination_open(
        actor=county_officer,
        household=household,
        situation="户主重病，子女辍学风险",
        meeting_on=today,
        decision="医保兜底报销，教育部门落实助学金",
        tasks=[
            services.Task("medical_assistance", "落实医疗救助", today + dt.timedelta(days=10)),
            services.Task("education", "发放助学金", today + dt.timedelta(days=20)),
        ],
    )

    tasks = {r.item: r for r in Referral.objects.filter(coordination=case)}
    assert set(tasks) == {"medical_assistance", "education"}
    assert tasks["medical_assistance"].pk == sent.pk
    assert tasks["education"].status == ReferralStatus.SENT
    assert tasks["education"].answer_due == today + dt.timedelta(days=20)
    assert case.departments == ["education", "medical_security"]

    given = referrals.Given(kind="助学金", given_on=today)
    referrals.referral_answer(
        actor=department("education"), referral=tasks["education"], given=given
    )
    case.refresh_from_db()
    assert case.status == CoordinationStatus.OPEN
    referrals.referral_answer(
        actor=department("medical_security"),
        referral=tasks["medical_assistance"],
        declined_reason="已由大病保险全额报销",
    )
    case.refresh_from_db()
    assert case.status == CoordinationStatus.CLOSED and case.closed_on == today


def test_a_township_cannot_open_one_and_the_page_lists_the_tasks(
    client: Client, county_officer: Any, jinshui_officer: Any, household: Any
) -> None:
    today = timezone.localdate()
    with pytest.raises(PermissionDenied):
        services.coordination_open(
            actor=jinshui_officer,
            household=household,
            situation="x",
            meeting_on=today,
            decision="y",
            tasks=[services.Task("education", "z", today)],
        )
    client.force_login(county_officer)
    response = client.post(
        reverse("assistance:coordination_new", args=[household.pk]),
        {
            "situation": "因灾房屋倒塌",
            "meeting_on": today.isoformat(),
            "decision": "应急部门过渡期救助",
            "item0": "disaster_relief",
            "task0": "发放过渡期生活救助",
            "due0": (today + dt.timedelta(days=5)).isoformat(),
        },
        follow=True,
    )

    page = response.content.decode()
    assert "发放过渡期生活救助" in page and "受灾人员救助" in page
