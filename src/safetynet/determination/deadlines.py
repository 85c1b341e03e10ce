"""Due dates of the determination procedure: pure functions of dates and ``Limits``.

"Within N working days of D" is the N-th working day after D (``policy.calendar.workdays``,
ADR 0006): accepted on a Friday with a 3-day limit, the investigation must start by the Wednesday.
Calendar periods (publicity) count D itself as the first day: a 7-day publicity starting on the
1st ends on the 7th. Months are calendar months, clamped to the month's last day.
"""

from __future__ import annotations

import calendar
import datetime as dt
import math
from decimal import Decimal

from safetynet.determination.limits.selectors import Limits
from safetynet.determination.models import ApplicationType
from safetynet.policy.calendar import workdays


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later, or the month's last day when it is shorter (1-31 → 2-28)."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def first_of_next_month(day: dt.date) -> dt.date:
    return add_months(day.replace(day=1), 1)


def investigation_start_due(accepted_on: dt.date, limits: Limits) -> dt.date:
    return workdays.add_working_days(accepted_on, limits.investigation_start_days)


def data_check_due(requested_on: dt.date, limits: Limits) -> dt.date:
    return workdays.add_working_days(requested_on, limits.data_check_days)


def publicity_end(starts_on: dt.date, limits: Limits) -> dt.date:
    """The last day of the publicity (calendar days, the first day included)."""
    return starts_on + dt.timedelta(days=limits.publicity_days - 1)


def reinvestigation_due(received_on: dt.date, limits: Limits) -> dt.date:
    return workdays.add_working_days(received_on, limits.objection_reinvestigation_days)


def confirmation_days(application_type: str, limits: Limits) -> int:
    if application_type == ApplicationType.DESTITUTE:
        return limits.confirmation_destitute_days
    return limits.confirmation_dibao_days


def confirmation_due(requested_on: dt.date, application_type: str, limits: Limits) -> dt.date:
    return workdays.add_working_days(requested_on, confirmation_days(application_type, limits))


def procedure_days(*, delegated: bool, extended: bool, limits: Limits) -> int:
    """The whole procedure's limit: extended (45) wins over delegated (20) over the normal 30."""
    if extended:
        return limits.procedure_extended_days
    if delegated:
        return limits.procedure_delegated_days
    return limits.procedure_days


def procedure_due(
    accepted_on: dt.date, *, delegated: bool, extended: bool, limits: Limits
) -> dt.date:
    """The whole procedure is counted from acceptance."""
    days = procedure_days(delegated=delegated, extended=extended, limits=limits)
    return workdays.add_working_days(accepted_on, days)


def refusal_notice_due(decided_on: dt.date, limits: Limits) -> dt.date:
    return workdays.add_working_days(decided_on, limits.refusal_notice_days)


def transfer_due(consented_on: dt.date, limits: Limits) -> dt.date:
    return workdays.add_working_days(consented_on, limits.transfer_days)


def self_care_reassessment_due(reported_on: dt.date, limits: Limits) -> dt.date:
    return workdays.add_working_days(reported_on, limits.self_care_reassessment_days)


def death_recheck_due(reported_on: dt.date, limits: Limits) -> dt.date:
    return add_months(reported_on, limits.death_recheck_months)


def annual_review_due(identified_on: dt.date, limits: Limits) -> dt.date:
    return add_months(identified_on, limits.annual_review_months)


def periodic_check_due(from_day: dt.date, *, unstable: bool, limits: Limits) -> dt.date:
    months = limits.periodic_check_unstable_months if unstable else limits.periodic_check_months
    return add_months(from_day, months)


def next_anniversary(start: dt.date, months: int, *, not_before: dt.date) -> dt.date:
    """The first date ``start`` + k × ``months`` (k ≥ 1) that is not before ``not_before``.

    Each candidate is counted from ``start`` itself, so a period from the 31st stays on the 31st
    where the month has one (2024-01-31 half-yearly: 2024-07-31, 2025-01-31). A household
    identified long before it is included is reviewed on the next such date, not at once.
    """
    if months < 1:
        raise ValueError("the period is at least one month")
    elapsed = (not_before.year - start.year) * 12 + not_before.month - start.month
    # The largest whole number of periods whose month is not after not_before's month: the
    # answer is this one or a later one, never an earlier one.
    periods = max(1, elapsed // months)
    while add_months(start, periods * months) < not_before:
        periods += 1
    return add_months(start, periods * months)


def termination_publicity_end(starts_on: dt.date, limits: Limits) -> dt.date:
    return starts_on + dt.timedelta(days=limits.termination_publicity_days - 1)


def termination_effective(decided_on: dt.date, gradual_exit_months: int = 0) -> dt.date:
    """Assistance stops from the first of the next month, or after the gradual-exit months."""
    return add_months(first_of_next_month(decided_on), gradual_exit_months)


def start_month(decided_on: dt.date) -> dt.date:
    """Assistance is paid from the month after the decision (first day of that month)."""
    return first_of_next_month(decided_on)


def spot_check_sampled(sequence: int, share: Decimal) -> bool:
    """Whether the ``sequence``-th case (1-based) is sampled so that after any n cases
    ⌈n × share⌉ have been: at least the share, deterministically, the first one always."""
    if sequence < 1:
        raise ValueError("sequence starts at 1")
    return math.ceil(sequence * share) > math.ceil((sequence - 1) * share)


def working_days_left(due: dt.date, today: dt.date) -> int:
    """Working days from today to the due date; negative once overdue (−1 the working day after).

    Due on a Friday, seen on that Friday: 0 (due today); on the Thursday: 1.
    """
    return workdays.working_days_between(today, due)


def is_overdue(due: dt.date | None, today: dt.date) -> bool:
    return due is not None and today > due
