from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal

import pytest

from safetynet.determination import deadlines
from safetynet.determination.limits.selectors import NATIONAL, Limits
from safetynet.determination.models import ApplicationType

D = dt.date

pytestmark = pytest.mark.django_db


def test_add_months_clamps_to_the_last_day_of_a_shorter_month() -> None:
    assert deadlines.add_months(D(2026, 1, 31), 1) == D(2026, 2, 28)
    assert deadlines.add_months(D(2026, 11, 30), 3) == D(2027, 2, 28)


def test_add_months_crosses_the_year() -> None:
    assert deadlines.add_months(D(2026, 10, 12), 12) == D(2027, 10, 12)


def test_start_month_is_the_first_of_the_month_after_the_decision() -> None:
    assert deadlines.start_month(D(2026, 12, 31)) == D(2027, 1, 1)
    assert deadlines.start_month(D(2026, 3, 1)) == D(2026, 4, 1)


def test_publicity_counts_the_first_day() -> None:
    assert deadlines.publicity_end(D(2026, 9, 28), NATIONAL) == D(2026, 10, 4)


def test_investigation_start_skips_the_spring_festival() -> None:
    # Fri 02-13 is the first, the working Saturday 02-14 the second, Tue 02-24 the third.
    assert deadlines.investigation_start_due(D(2026, 2, 12), NATIONAL) == D(2026, 2, 24)


def test_investigation_start_counts_the_adjusted_saturday_after_spring_festival() -> None:
    # 02-26, 02-27 and the working Saturday 02-28.
    assert deadlines.investigation_start_due(D(2026, 2, 25), NATIONAL) == D(2026, 2, 28)


def test_confirmation_is_15_working_days_for_destitute_and_10_otherwise() -> None:
    start = D(2026, 9, 30)
    assert deadlines.confirmation_due(start, ApplicationType.DESTITUTE, NATIONAL) == D(2026, 10, 27)
    assert deadlines.confirmation_due(start, ApplicationType.DIBAO, NATIONAL) == D(2026, 10, 20)


def test_procedure_limit_extension_wins_over_delegation() -> None:
    assert deadlines.procedure_days(delegated=False, extended=False, limits=NATIONAL) == 30
    assert deadlines.procedure_days(delegated=True, extended=False, limits=NATIONAL) == 20
    assert deadlines.procedure_days(delegated=True, extended=True, limits=NATIONAL) == 45


def test_death_recheck_is_three_months_after_the_report() -> None:
    assert deadlines.death_recheck_due(D(2026, 11, 30), NATIONAL) == D(2027, 2, 28)


def test_self_care_reassessment_is_ten_working_days_across_national_day() -> None:
    # 09-29, 09-30, 10-08, 10-09, 10-10, 10-12…10-16.
    assert deadlines.self_care_reassessment_due(D(2026, 9, 28), NATIONAL) == D(2026, 10, 16)


def test_termination_takes_effect_next_month_or_after_gradual_exit() -> None:
    assert deadlines.termination_effective(D(2026, 10, 9)) == D(2026, 11, 1)
    assert deadlines.termination_effective(D(2026, 10, 9), 6) == D(2027, 5, 1)


@pytest.mark.parametrize("cases", [1, 2, 3, 4, 7, 10, 33, 100])
def test_spot_check_samples_at_least_the_share_after_any_number_of_cases(cases: int) -> None:
    share = Decimal("0.3")
    sampled = sum(deadlines.spot_check_sampled(n, share) for n in range(1, cases + 1))
    assert sampled == math.ceil(cases * share)
    assert sampled / cases >= 0.3


def test_spot_check_samples_the_first_case() -> None:
    assert deadlines.spot_check_sampled(1, Decimal("0.3"))
    assert not deadlines.spot_check_sampled(2, Decimal("0.3"))


def test_working_days_left_is_zero_on_the_due_day_and_negative_after() -> None:
    due = D(2026, 9, 30)
    assert deadlines.working_days_left(due, D(2026, 9, 29)) == 1
    assert deadlines.working_days_left(due, due) == 0
    # Overdue from the next day; the National Day holiday adds no working day overdue.
    assert deadlines.working_days_left(due, D(2026, 10, 1)) == -1
    assert deadlines.working_days_left(due, D(2026, 10, 8)) == -1
    assert deadlines.working_days_left(due, D(2026, 10, 9)) == -2


def test_working_days_left_skips_the_holiday_before_the_due_date() -> None:
    assert deadlines.working_days_left(D(2026, 2, 24), D(2026, 2, 13)) == 2


def test_is_overdue_only_after_the_due_day() -> None:
    assert not deadlines.is_overdue(D(2026, 3, 2), D(2026, 3, 2))
    assert deadlines.is_overdue(D(2026, 3, 2), D(2026, 3, 3))
    assert not deadlines.is_overdue(None, D(2026, 3, 3))


def test_limits_with_a_local_figure_change_the_due_date() -> None:
    local = Limits(procedure_days=25)
    assert deadlines.procedure_due(
        D(2026, 2, 12), delegated=False, extended=False, limits=local
    ) == D(2026, 3, 25)
