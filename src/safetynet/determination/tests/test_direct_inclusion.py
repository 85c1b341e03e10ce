"""The direct-inclusion service (二): any past identification date, the first review on the next
anniversary that is not before the inclusion day, and a batch written in a fixed number of
queries with its audit trail. Time is frozen in Asia/Shanghai (2026-03-10 unless moved)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import new_id_number
from safetynet.audit.models import Action, AuditRecord
from safetynet.determination import deadlines, services
from safetynet.determination.models import (
    Application,
    ApplicationType,
    CaseEvent,
    EventKind,
    ReviewKind,
    ReviewSchedule,
    Status,
    TimeLimits,
)
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import CategoryStatus, Household, Person, RelapseWatchStatus

pytestmark = pytest.mark.django_db

D = dt.date
TODAY = D(2026, 3, 10)


@pytest.fixture(autouse=True)
def _frozen(clock: Any) -> None:
    clock.on(TODAY)


@pytest.fixture
def elderly(make_household: Any, jinshui_officer: Any) -> Any:
    """Makes a household of one person over working age (checks are yearly)."""

    def make(name: str = "老人甲") -> Household:
        return make_household(
            jinshui_officer,
            members=[
                MemberInput(
                    id_number=new_id_number("410105", born=D(1950, 5, 5)),
                    name=name,
                    relation="02",
                    labour_capacity="none",
                )
            ],
        )

    return make


def include(actor: Any, household: Household, on: dt.date, **extra: Any) -> Application:
    extra.setdefault("type", ApplicationType.DIBAO)
    return services.direct_inclusion(
        actor=actor, household=household, identified_on=on, source="原低保名册", **extra
    )


def first_review(household: Household) -> ReviewSchedule:
    return ReviewSchedule.objects.get(household=household)


# --- any past identification date --------------------------------------------------------------


def test_identification_before_any_time_limits_is_included_with_its_date(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    case = include(jinshui_officer, household, D(2019, 5, 10))
    status = CategoryStatus.objects.get(household=household)
    assert (case.status, case.applied_on, case.decision.decided_on) == (
        Status.CONFIRMED,
        D(2019, 5, 10),
        D(2019, 5, 10),
    )
    assert (status.category, status.effective_from) == ("dibao", D(2019, 5, 10))


def test_next_steps_use_the_time_limits_in_force_on_the_inclusion_day(
    jinshui_officer: Any, elderly: Any
) -> None:
    TimeLimits.objects.create(
        region_id="410105000000", effective_from=D(2026, 1, 1), periodic_check_months=24
    )
    household = elderly()
    include(jinshui_officer, household, D(2019, 5, 10))
    # Every 24 months from 2019-05-10: 2021, 2023, 2025 are past; 2027-05-10 is next.
    assert first_review(household).due_on == D(2027, 5, 10)


# --- the first review: the next anniversary not before the inclusion day ------------------------


def test_yearly_check_falls_on_this_years_anniversary_still_ahead(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2019, 5, 10))
    review = first_review(household)
    assert (review.kind, review.due_on) == (ReviewKind.PERIODIC_CHECK, D(2026, 5, 10))


def test_yearly_check_goes_to_next_year_when_this_years_anniversary_has_passed(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2019, 2, 10))
    assert first_review(household).due_on == D(2027, 2, 10)


def test_anniversary_on_the_inclusion_day_is_due_that_day(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2020, 3, 10))
    assert first_review(household).due_on == TODAY


def test_identified_today_is_checked_a_full_period_later(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    include(jinshui_officer, household, TODAY)
    assert first_review(household).due_on == D(2027, 3, 10)


def test_half_yearly_check_where_a_member_can_work(
    clock: Any, jinshui_officer: Any, make_household: Any
) -> None:
    clock.on(D(2026, 6, 1))
    household = make_household(jinshui_officer)  # two adults of working age, able to work
    include(jinshui_officer, household, D(2019, 5, 10))
    # Half-yearly from 2019-05-10: 2026-05-10 is past, 2026-11-10 is next.
    assert first_review(household).due_on == D(2026, 11, 10)


def test_annual_review_of_near_dibao_on_the_next_anniversary(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2024, 8, 31), type=ApplicationType.NEAR_DIBAO)
    review = first_review(household)
    assert (review.kind, review.due_on) == (ReviewKind.ANNUAL_REVIEW, D(2026, 8, 31))


def test_destitute_inclusion_schedules_no_review(jinshui_officer: Any, elderly: Any) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2018, 1, 1), type=ApplicationType.DESTITUTE)
    assert not ReviewSchedule.objects.filter(household=household).exists()


def test_an_old_register_lands_on_no_overdue_list(jinshui_officer: Any, elderly: Any) -> None:
    households = [elderly(f"老人{i}") for i in range(4)]
    services.direct_inclusion_many(
        actor=jinshui_officer,
        inclusions=[
            services.Inclusion(household=household, type=ApplicationType.DIBAO, identified_on=day)
            for household, day in zip(
                households,
                [D(2016, 1, 31), D(2019, 3, 9), D(2021, 12, 31), D(2025, 3, 10)],
                strict=True,
            )
        ],
    )
    assert sorted(ReviewSchedule.objects.values_list("due_on", flat=True)) == [
        D(2026, 3, 10),
        D(2026, 12, 31),
        D(2027, 1, 31),
        D(2027, 3, 9),
    ]


def test_review_is_scheduled_on_the_inclusion_day_after_the_inclusion_event(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2019, 5, 10))
    events = list(CaseEvent.objects.filter(household=household).order_by("at", "id"))
    assert [(e.kind, e.on) for e in events] == [
        (EventKind.DIRECT_INCLUSION, D(2019, 5, 10)),
        (EventKind.REVIEW_SCHEDULED, TODAY),
    ]
    assert events[1].data["review_id"] == first_review(household).pk


# --- next_anniversary --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "months", "not_before", "expected"),
    [
        (D(2019, 5, 10), 12, D(2026, 3, 10), D(2026, 5, 10)),
        (D(2019, 5, 10), 12, D(2026, 5, 10), D(2026, 5, 10)),
        (D(2019, 5, 10), 12, D(2026, 5, 11), D(2027, 5, 10)),
        (D(2026, 3, 10), 12, D(2026, 3, 10), D(2027, 3, 10)),
        (D(2024, 1, 31), 6, D(2024, 3, 1), D(2024, 7, 31)),
        (D(2024, 1, 31), 6, D(2024, 8, 1), D(2025, 1, 31)),
        (D(2020, 2, 29), 12, D(2025, 3, 1), D(2026, 2, 28)),
        (D(2020, 2, 29), 12, D(2028, 1, 1), D(2028, 2, 29)),
    ],
)
def test_next_anniversary(
    start: dt.date, months: int, not_before: dt.date, expected: dt.date
) -> None:
    assert deadlines.next_anniversary(start, months, not_before=not_before) == expected


# A pure function: on a machine busy with other work, generation may be slow, not wrong.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    start=st.dates(min_value=D(1990, 1, 1), max_value=D(2026, 12, 31)),
    months=st.sampled_from([3, 6, 12, 24]),
    ahead=st.integers(min_value=0, max_value=15000),
)
def test_next_anniversary_is_the_first_period_not_before_the_day(
    start: dt.date, months: int, ahead: int
) -> None:
    not_before = start + dt.timedelta(days=ahead)
    due = deadlines.next_anniversary(start, months, not_before=not_before)
    periods = next(k for k in range(1, 2000) if deadlines.add_months(start, k * months) == due)
    assert due >= not_before
    assert periods == 1 or deadlines.add_months(start, (periods - 1) * months) < not_before


# --- the batch ---------------------------------------------------------------------------------


def _batch(actor: Any, households: list[Household]) -> list[Application]:
    return services.direct_inclusion_many(
        actor=actor,
        inclusions=[
            services.Inclusion(
                household=household, type=ApplicationType.DIBAO, identified_on=D(2019, 5, 10)
            )
            for household in households
        ],
        source="原低保名册",
    )


def test_batch_query_count_does_not_grow_with_households(
    jinshui_officer: Any, elderly: Any
) -> None:
    two = [elderly(f"甲{i}") for i in range(2)]
    six = [elderly(f"乙{i}") for i in range(6)]
    with CaptureQueriesContext(connection) as small:
        _batch(jinshui_officer, two)
    with CaptureQueriesContext(connection) as large:
        _batch(jinshui_officer, six)
    assert len(large) == len(small)
    assert ReviewSchedule.objects.count() == 8


def test_batch_writes_one_audit_record_listing_every_case(
    jinshui_officer: Any, elderly: Any
) -> None:
    households = [elderly(f"甲{i}") for i in range(3)]
    cases = _batch(jinshui_officer, households)
    record = AuditRecord.objects.get(object_type="direct_inclusion")
    assert record.action == Action.CREATE
    assert [row[:4] for row in record.detail["cases"]] == [
        [case.pk, household.pk, "dibao", "2019-05-10"]
        for case, household in zip(cases, households, strict=True)
    ]


def test_single_inclusion_is_audited_on_its_case(jinshui_officer: Any, elderly: Any) -> None:
    case = include(jinshui_officer, elderly(), D(2019, 5, 10))
    record = AuditRecord.objects.get(object_type="application")
    assert (record.object_id, record.detail["effective_from"]) == (str(case.pk), "2019-05-10")


def test_refused_inclusion_names_its_place_and_nothing_is_written(
    jinshui_officer: Any, elderly: Any
) -> None:
    first, second = elderly("甲"), elderly("乙")
    stranger = Person.objects.get(pk=first.head_id)
    with pytest.raises(services.InclusionRefused) as refused:
        services.direct_inclusion_many(
            actor=jinshui_officer,
            inclusions=[
                services.Inclusion(
                    household=first, type=ApplicationType.DIBAO, identified_on=D(2019, 5, 10)
                ),
                services.Inclusion(
                    household=second,
                    type=ApplicationType.DESTITUTE,
                    identified_on=D(2019, 5, 10),
                    person=stranger,
                ),
            ],
        )
    assert (refused.value.index, refused.value.field) == (1, "person")
    assert not Application.objects.exists()
    assert not CategoryStatus.objects.exists()


def test_current_category_ends_the_day_before_the_inclusion(
    jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2018, 1, 1), type=ApplicationType.NEAR_DIBAO)
    include(jinshui_officer, household, D(2022, 3, 1))
    history = list(
        CategoryStatus.objects.filter(household=household)
        .order_by("effective_from")
        .values_list("category", "effective_from", "effective_to")
    )
    household.refresh_from_db()
    assert history == [
        ("near_dibao", D(2018, 1, 1), D(2022, 2, 28)),
        ("dibao", D(2022, 3, 1), None),
    ]
    assert household.category == "dibao"


def test_date_not_after_the_current_category_is_refused(jinshui_officer: Any, elderly: Any) -> None:
    household = elderly()
    include(jinshui_officer, household, D(2022, 3, 1), type=ApplicationType.NEAR_DIBAO)
    with pytest.raises(services.DeterminationError, match="须晚于当前记录的生效日期 2022-03-01"):
        include(jinshui_officer, household, D(2022, 3, 1))


def test_household_outside_scope_is_refused(
    zhongyuan_officer: Any, jinshui_officer: Any, elderly: Any
) -> None:
    with pytest.raises(services.PermissionDenied):
        include(zhongyuan_officer, elderly(), D(2019, 5, 10))


# --- anti-relapse watch registers --------------------------------------------------------------


def _watch(actor: Any, households: list[Household], watch_type: str = "at_risk") -> int:
    return services.watch_inclusion_many(
        actor=actor,
        inclusions=[
            services.WatchInclusion(
                household=household, watch_type=watch_type, identified_on=D(2019, 5, 10)
            )
            for household in households
        ],
        source="原防返贫监测名册",
    )


def test_watch_batch_query_count_does_not_grow_with_households(
    jinshui_officer: Any, elderly: Any
) -> None:
    two = [elderly(f"甲{i}") for i in range(2)]
    six = [elderly(f"乙{i}") for i in range(6)]
    with CaptureQueriesContext(connection) as small:
        _watch(jinshui_officer, two)
    with CaptureQueriesContext(connection) as large:
        _watch(jinshui_officer, six)
    assert len(large) == len(small)
    assert set(Household.objects.values_list("relapse_watch", flat=True)) == {"at_risk"}


def test_watch_batch_has_one_event_per_household_and_one_audit_record(
    jinshui_officer: Any, elderly: Any
) -> None:
    households = [elderly(f"甲{i}") for i in range(3)]
    _watch(jinshui_officer, households)
    events = CaseEvent.objects.filter(kind=EventKind.DIRECT_INCLUSION)
    record = AuditRecord.objects.get(object_type="direct_inclusion")
    assert sorted(events.values_list("household_id", flat=True)) == [h.pk for h in households]
    assert [row[0] for row in record.detail["watches"]] == [h.pk for h in households]


def test_watch_already_current_is_left_as_it_is(jinshui_officer: Any, elderly: Any) -> None:
    household = elderly()
    _watch(jinshui_officer, [household])
    assert _watch(jinshui_officer, [household]) == 0
    assert RelapseWatchStatus.objects.filter(household=household).count() == 1


def test_other_watch_type_ends_the_current_one_the_day_before(
    clock: Any, jinshui_officer: Any, elderly: Any
) -> None:
    household = elderly()
    services.watch_inclusion_many(
        actor=jinshui_officer,
        inclusions=[
            services.WatchInclusion(
                household=household, watch_type="unstable", identified_on=D(2018, 1, 1)
            )
        ],
    )
    _watch(jinshui_officer, [household], "sudden_hardship")
    history = list(
        RelapseWatchStatus.objects.filter(household=household)
        .order_by("effective_from")
        .values_list("watch_type", "effective_to")
    )
    assert history == [("unstable", D(2019, 5, 9)), ("sudden_hardship", None)]
