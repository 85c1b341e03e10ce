"""Two officers on one case (optimistic lock) and the region scope of reads and writes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from conftest import make_user
from safetynet.accounts.roles import Role
from safetynet.determination import selectors, services
from safetynet.determination.models import Application, ApplicationType, CaseEvent, Status
from safetynet.determination.tests.conftest import authorise, submit_and_accept

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def colleague(jinshui_officer: Any) -> Any:
    return make_user("jinshui2", Role.TOWNSHIP_OFFICER, jinshui_officer.scope_region)


@pytest.fixture
def submitted(clock: Any, household: Any, jinshui_officer: Any) -> Application:
    clock.on(D(2026, 3, 2))
    application = services.application_submit(
        actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
    )
    authorise(jinshui_officer, application)
    return application


def test_second_officer_acting_on_the_same_version_is_told_the_case_changed(
    submitted: Application, jinshui_officer: Any, colleague: Any
) -> None:
    seen_by_first = selectors.case_for_action(
        user=jinshui_officer, pk=submitted.pk, version=submitted.version
    )
    seen_by_second = selectors.case_for_action(
        user=colleague, pk=submitted.pk, version=submitted.version
    )
    services.application_accept(actor=jinshui_officer, application=seen_by_first)
    with pytest.raises(services.CaseChanged, match="该案件已被他人更新，请刷新后重试"):
        services.application_return(
            actor=colleague, application=seen_by_second, missing_items=["户口簿"]
        )
    stored = Application.objects.get(pk=submitted.pk)
    assert stored.status == Status.INVESTIGATING and stored.missing_items == []
    assert not CaseEvent.objects.filter(application=submitted, kind="returned").exists()


def test_losing_action_writes_nothing(
    clock: Any, household: Any, jinshui_officer: Any, colleague: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    stale = selectors.case_for_action(user=colleague, pk=app.pk, version=app.version)
    services.data_check_request(actor=jinshui_officer, application=app)
    with pytest.raises(services.CaseChanged):
        services.home_visit_record(
            actor=colleague,
            application=stale,
            visited_on=D(2026, 3, 2),
            staff=["甲", "乙"],
            findings="已走访",
        )
    assert not app.home_visits.exists()


def test_version_from_the_form_must_be_a_number(
    submitted: Application, jinshui_officer: Any
) -> None:
    with pytest.raises(Http404):
        selectors.case_for_action(user=jinshui_officer, pk=submitted.pk, version="x")


def test_officer_of_another_township_cannot_see_the_case(
    submitted: Application, zhongyuan_officer: Any, clock: Any
) -> None:
    with pytest.raises(Http404):
        selectors.case_get(user=zhongyuan_officer, pk=submitted.pk)
    assert selectors.case_queue(user=zhongyuan_officer, today=D(2026, 3, 2)) == []
    assert selectors.actions_for(user=zhongyuan_officer, application=submitted) == []


def test_officer_of_another_township_cannot_act_on_the_case(
    submitted: Application, zhongyuan_officer: Any
) -> None:
    with pytest.raises(services.PermissionDenied, match="管辖范围"):
        services.application_accept(actor=zhongyuan_officer, application=submitted)
    assert Application.objects.get(pk=submitted.pk).status == Status.SUBMITTED


def test_officer_cannot_submit_for_a_household_outside_their_scope(
    household: Any, zhongyuan_officer: Any
) -> None:
    with pytest.raises(services.PermissionDenied):
        services.application_submit(
            actor=zhongyuan_officer, household=household, type=ApplicationType.DIBAO
        )


def test_village_assistant_may_enter_but_not_accept(
    clock: Any, make_household: Any, village_assistant: Any
) -> None:
    household = make_household(village_assistant)
    application = services.application_submit(
        actor=village_assistant, household=household, type=ApplicationType.DIBAO
    )
    authorise(village_assistant, application)
    with pytest.raises(services.PermissionDenied):
        services.application_accept(actor=village_assistant, application=application)
    assert selectors.actions_for(user=village_assistant, application=application) == [
        "attachment_add"
    ]


def test_county_officer_sees_the_township_case(submitted: Application, county_officer: Any) -> None:
    assert selectors.case_get(user=county_officer, pk=submitted.pk) == submitted
