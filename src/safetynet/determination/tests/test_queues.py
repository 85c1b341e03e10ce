"""Work queues, county queue, escalations and reviews due: scoped, with due dates and working
days left, in a fixed number of queries however many cases."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from safetynet.determination import selectors, services
from safetynet.determination.models import ApplicationType, Status
from safetynet.determination.tests.conftest import (
    investigate,
    publicise,
    submit_and_accept,
)
from safetynet.policy.calendar import workdays

D = dt.date

pytestmark = pytest.mark.django_db


def _accepted(clock: Any, make_household: Any, officer: Any, n: int, on: dt.date) -> list[Any]:
    return [
        submit_and_accept(officer, make_household(officer), ApplicationType.DIBAO, clock, on, on)
        for _ in range(n)
    ]


def test_case_queue_shows_due_date_and_working_days_left(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    (app,) = _accepted(clock, make_household, jinshui_officer, 1, D(2026, 2, 12))
    (row,) = selectors.case_queue(user=jinshui_officer, today=D(2026, 2, 13))
    assert row.application == app and row.step == Status.INVESTIGATING
    assert (row.due_on, row.days_left) == (D(2026, 2, 24), 2)
    assert (row.procedure_due_on, row.overdue) == (D(2026, 4, 1), False)


def test_case_queue_runs_a_fixed_number_of_queries(
    clock: Any,
    make_household: Any,
    jinshui_officer: Any,
    django_assert_max_num_queries: Any,
) -> None:
    _accepted(clock, make_household, jinshui_officer, 6, D(2026, 2, 12))
    workdays.refresh()  # the calendar's once-a-second re-check is not the queue's query
    with django_assert_max_num_queries(2):
        rows = selectors.case_queue(user=jinshui_officer, today=D(2026, 3, 2))
        labels = [(r.application.household.head.name, r.application.applicant.name) for r in rows]
    assert len(labels) == 6


def test_case_queue_filters_overdue_and_step(
    clock: Any, make_household: Any, jinshui_officer: Any
) -> None:
    (late,) = _accepted(clock, make_household, jinshui_officer, 1, D(2026, 2, 12))
    (fresh,) = _accepted(clock, make_household, jinshui_officer, 1, D(2026, 3, 2))
    today = D(2026, 3, 2)
    overdue = selectors.case_queue(user=jinshui_officer, today=today, overdue=True)
    assert [r.application for r in overdue] == [late]
    on_time = selectors.case_queue(user=jinshui_officer, today=today, overdue=False)
    assert [r.application for r in on_time] == [fresh]
    assert selectors.case_queue(user=jinshui_officer, today=today, step=Status.PUBLICITY) == []


def test_escalations_list_overdue_cases_most_overdue_first(
    clock: Any, make_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    (older,) = _accepted(clock, make_household, jinshui_officer, 1, D(2026, 2, 12))
    (newer,) = _accepted(clock, make_household, jinshui_officer, 1, D(2026, 2, 25))
    rows = selectors.escalations(user=county_officer, today=D(2026, 3, 9))
    assert [r.application for r in rows] == [older, newer]
    assert rows[0].days_left == -10


def test_escalations_are_scoped(
    clock: Any, make_household: Any, jinshui_officer: Any, zhongyuan_officer: Any
) -> None:
    _accepted(clock, make_household, jinshui_officer, 1, D(2026, 2, 12))
    assert selectors.escalations(user=zhongyuan_officer, today=D(2026, 3, 9)) == []


def test_county_queue_flags_the_spot_check_to_do(
    clock: Any, destitute_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer,
        destitute_household,
        ApplicationType.DESTITUTE,
        clock,
        D(2026, 3, 2),
        D(2026, 3, 2),
    )
    investigate(jinshui_officer, county_officer, app, clock, D(2026, 3, 3), D(2026, 3, 4))
    publicise(jinshui_officer, app, clock, D(2026, 3, 4))
    clock.on(D(2026, 3, 11))
    services.publicity_close(actor=jinshui_officer, application=app)
    (row,) = selectors.county_queue(user=county_officer, today=D(2026, 3, 11))
    assert row.spot_check_pending and row.due_on == D(2026, 3, 31)
    assert selectors.actions_for(user=county_officer, application=row.application) == [
        "spot_check_record",
        "decision_confirm",
        "decision_refuse",
        "procedure_extend",
    ]
    assert "decision_confirm" not in selectors.actions_for(
        user=jinshui_officer, application=row.application
    )


def test_reviews_due_lists_reviews_within_the_horizon(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    clock.on(D(2026, 3, 2))
    person = household.head
    review = services.member_death_report(
        actor=jinshui_officer, household=household, person=person, died_on=D(2026, 2, 27)
    )
    assert review.due_on == D(2026, 6, 2)
    assert selectors.reviews_due(user=jinshui_officer, today=D(2026, 5, 1), within_days=30) == []
    (row,) = selectors.reviews_due(user=jinshui_officer, today=D(2026, 5, 10), within_days=30)
    assert (row.review, row.days_left, row.overdue) == (review, 23, False)
    (late,) = selectors.reviews_due(user=jinshui_officer, today=D(2026, 6, 3))
    assert late.overdue


def test_case_timeline_and_household_chain(
    clock: Any, household: Any, jinshui_officer: Any, zhongyuan_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    kinds = [e.kind for e in selectors.case_timeline(user=jinshui_officer, pk=app.pk)]
    assert kinds == ["submitted", "attachment", "accepted"]
    chain = selectors.household_chain(user=jinshui_officer, household_id=household.pk)
    assert chain.applications == [app] and len(chain.events) == 3
    from django.http import Http404

    with pytest.raises(Http404):
        selectors.household_chain(user=zhongyuan_officer, household_id=household.pk)
