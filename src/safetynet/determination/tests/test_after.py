"""After the decision: periodic checks, annual reviews, re-assessments, death re-checks and
termination (with the destitute publicity and the gradual exit)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import new_id_number
from safetynet.determination import services
from safetynet.determination.after.services import members_can_work
from safetynet.determination.models import (
    ApplicationType,
    ReviewKind,
    ReviewOutcome,
    ReviewSchedule,
    TerminationStatus,
)
from safetynet.registry.inputs import IncomeInput, MemberInput
from safetynet.registry.models import CategoryStatus, Household

D = dt.date

pytestmark = pytest.mark.django_db


def _include(actor: Any, household: Any, type: str, on: dt.date, **extra: Any) -> Any:
    return services.direct_inclusion(
        actor=actor, household=household, type=type, identified_on=on, source="原低保名册", **extra
    )


def _elderly(make_household: Any, officer: Any, **member: Any) -> Any:
    return make_household(
        officer,
        members=[
            MemberInput(
                id_number=new_id_number("410105", born=D(1950, 5, 5)),
                name="老人甲",
                relation="02",
                labour_capacity="none",
                **member,
            )
        ],
    )


def test_direct_inclusion_records_a_confirmed_case_without_screening(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 3, 2))
    household = _elderly(make_household, jinshui_officer)
    app = _include(jinshui_officer, household, ApplicationType.DIBAO, D(2026, 3, 1))
    assert app.direct_inclusion and app.status == "confirmed"
    assert app.decision.category == "dibao"
    assert Household.objects.get(pk=household.pk).category == "dibao"
    review = ReviewSchedule.objects.get(household=household)
    # Nobody of working age can work: the periodic check is yearly.
    assert (review.kind, review.due_on) == (ReviewKind.PERIODIC_CHECK, D(2027, 3, 1))


def test_members_can_work_is_about_working_age_and_capacity(
    make_household: Any, jinshui_officer: Any
) -> None:
    young = make_household(
        jinshui_officer,
        members=[
            MemberInput(
                id_number=new_id_number("410105", born=D(1990, 1, 1)),
                name="青年",
                relation="02",
                labour_capacity="partial",
                incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("100"))],
            )
        ],
    )
    assert members_can_work(young, D(2026, 3, 1))
    assert not members_can_work(_elderly(make_household, jinshui_officer), D(2026, 3, 1))


def test_review_continue_schedules_the_next_one(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 3, 2))
    household = _elderly(make_household, jinshui_officer)
    app = _include(jinshui_officer, household, ApplicationType.NEAR_DIBAO, D(2026, 3, 1))
    review = ReviewSchedule.objects.get(application=app)
    assert (review.kind, review.due_on) == (ReviewKind.ANNUAL_REVIEW, D(2027, 3, 1))
    clock.on(D(2027, 2, 20))
    services.review_record(
        actor=jinshui_officer, review=review, outcome=ReviewOutcome.CONTINUE, notes="情况未变"
    )
    following = ReviewSchedule.objects.filter(household=household, done_on__isnull=True).get()
    assert following.due_on == D(2028, 2, 20)


def test_review_change_records_the_new_category_from_next_month(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 3, 2))
    household = _elderly(make_household, jinshui_officer)
    _include(jinshui_officer, household, ApplicationType.NEAR_DIBAO, D(2026, 3, 1))
    review = ReviewSchedule.objects.get(household=household)
    clock.on(D(2026, 9, 10))
    services.review_record(
        actor=jinshui_officer,
        review=review,
        outcome=ReviewOutcome.CHANGE,
        notes="收入下降，转为低保",
        new_category="dibao",
    )
    status = CategoryStatus.objects.get(household=household, effective_to__isnull=True)
    assert (status.category, status.effective_from) == ("dibao", D(2026, 10, 1))
    following = ReviewSchedule.objects.get(household=household, done_on__isnull=True)
    assert following.kind == ReviewKind.PERIODIC_CHECK


def test_review_terminate_with_gradual_exit_ends_after_the_months(
    clock: Any, make_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    clock.on(D(2026, 3, 2))
    household = _elderly(
        make_household,
        jinshui_officer,
        incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("3000.00"))],
    )
    _include(jinshui_officer, household, ApplicationType.DIBAO, D(2026, 3, 1))
    review = ReviewSchedule.objects.get(household=household)
    clock.on(D(2026, 9, 10))
    services.review_record(
        actor=jinshui_officer,
        review=review,
        outcome=ReviewOutcome.TERMINATE,
        notes="家庭成员就业，收入超过标准",
        gradual_exit_months=6,
    )
    termination = household.terminations.get()
    # Not delegated: the township proposes, the county confirms (暂行办法 第十三条, ADR 0010).
    assert (termination.status, termination.effective_from) == (TerminationStatus.CONFIRMING, None)
    services.termination_confirm(actor=county_officer, termination=termination)
    assert termination.status == TerminationStatus.SCHEDULED
    assert termination.effective_from == D(2027, 4, 1)
    # The reason names the figures compared and the document that allows the gradual exit.
    assert "渐退期 6 个月：家庭月人均收入 3000.00 元 ≥" in termination.reason
    assert "《关于改革完善社会救助制度的意见》" in termination.reason
    assert not ReviewSchedule.objects.filter(household=household, done_on__isnull=True).exists()
    clock.on(D(2027, 3, 31))
    with pytest.raises(services.DeterminationError, match="生效"):
        services.termination_complete(actor=jinshui_officer, termination=termination)
    clock.on(D(2027, 4, 1))
    services.termination_complete(actor=jinshui_officer, termination=termination)
    assert Household.objects.get(pk=household.pk).category == ""
    ended = CategoryStatus.objects.get(household=household, category="dibao")
    assert ended.effective_to == D(2027, 3, 31)


def test_gradual_exit_is_at_most_six_months(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 3, 2))
    household = _elderly(make_household, jinshui_officer)
    _include(jinshui_officer, household, ApplicationType.DIBAO, D(2026, 3, 1))
    with pytest.raises(services.DeterminationError, match="渐退期"):
        services.termination_start(
            actor=jinshui_officer, household=household, reason="就业", gradual_exit_months=7
        )


def test_gradual_exit_is_refused_when_the_income_is_still_below_the_standard(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    """A dibao household that leaves for another reason (moved away, assets found) gets no
    gradual exit: only one whose income rose above the standard (ADR 0005)."""
    clock.on(D(2026, 3, 2))
    household = _elderly(
        make_household,
        jinshui_officer,
        incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("100.00"))],
    )
    _include(jinshui_officer, household, ApplicationType.DIBAO, D(2026, 3, 1))
    with pytest.raises(services.DeterminationError, match="收入未超过低保标准") as refused:
        services.termination_start(
            actor=jinshui_officer, household=household, reason="迁出本县", gradual_exit_months=3
        )
    assert refused.value.field == "gradual_exit_months"
    assert "家庭月人均收入 100.00 元 <" in str(refused.value)
    # Without a gradual exit the same termination goes ahead.
    termination = services.termination_start(
        actor=jinshui_officer, household=household, reason="迁出本县"
    )
    assert termination.gradual_exit_months == 0 and termination.reason == "迁出本县"


def test_destitute_termination_is_publicised_seven_days_then_effective_next_month(
    clock: Any, make_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    clock.on(D(2026, 9, 28))
    household = _elderly(make_household, jinshui_officer)
    person = household.head
    _include(
        jinshui_officer,
        household,
        ApplicationType.DESTITUTE,
        D(2026, 9, 1),
        person=person,
        care_tier="self",
    )
    termination = services.termination_start(
        actor=jinshui_officer, household=household, person=person, reason="被子女接回赡养"
    )
    assert termination.status == TerminationStatus.PUBLICITY
    assert termination.publicity_ends_on == D(2026, 10, 4)
    clock.on(D(2026, 10, 4))
    with pytest.raises(services.DeterminationError, match="届满"):
        services.termination_publicity_close(actor=jinshui_officer, termination=termination)
    clock.on(D(2026, 10, 5))
    services.termination_publicity_close(actor=jinshui_officer, termination=termination)
    # The county approves after the publicity (暂行办法 第十八条).
    assert (termination.status, termination.effective_from) == (TerminationStatus.CONFIRMING, None)
    services.termination_confirm(actor=county_officer, termination=termination)
    assert termination.effective_from == D(2026, 11, 1)


def test_self_care_change_is_reassessed_within_ten_working_days(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 9, 28))
    household = _elderly(make_household, jinshui_officer)
    review = services.self_care_change_report(
        actor=jinshui_officer, household=household, person=household.head, note="中风后卧床"
    )
    assert (review.kind, review.due_on) == (ReviewKind.SELF_CARE_REASSESSMENT, D(2026, 10, 16))


def test_member_death_recheck_due_three_months_after_the_report(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 11, 30))
    review = services.member_death_report(
        actor=jinshui_officer,
        household=household,
        person=household.head,
        died_on=D(2026, 11, 20),
    )
    assert (review.kind, review.due_on) == (ReviewKind.DEATH_RECHECK, D(2027, 2, 28))


def test_member_death_cannot_be_after_the_report(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 11, 30))
    with pytest.raises(services.DeterminationError, match="不能晚于"):
        services.member_death_report(
            actor=jinshui_officer,
            household=household,
            person=household.head,
            died_on=D(2026, 12, 1),
        )


def test_review_outcome_recorded_only_once(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 3, 2))
    household = _elderly(make_household, jinshui_officer)
    _include(jinshui_officer, household, ApplicationType.NEAR_DIBAO, D(2026, 3, 1))
    review = ReviewSchedule.objects.get(household=household)
    services.review_record(
        actor=jinshui_officer, review=review, outcome=ReviewOutcome.CONTINUE, notes="未变"
    )
    with pytest.raises(services.DeterminationError, match="已登记"):
        services.review_record(
            actor=jinshui_officer, review=review, outcome=ReviewOutcome.CONTINUE, notes="未变"
        )
