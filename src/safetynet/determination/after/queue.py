"""The one queue of reviews and checks a township works through, listed alike by the page
(/determination/reviews/) and the API (/api/cases/reviews): the reviews determination schedules
(annual reviews, periodic checks of dibao, re-assessments, re-checks) and the checks other apps
hand it (``review_queue``).

Apps above determination in the README's order (``monitoring``: the periodic checks, 定期核查,
of near-dibao and expenditure-hardship households, 二(二)) add theirs by ``register`` from their
``AppConfig.ready``; determination never imports them. A provider returns plain ``QueueCheck``
rows for what the user may see (its own capability and scope checks), due on or before
``until``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.determination import selectors
from safetynet.determination.models import ReviewSchedule


@dataclass(frozen=True)
class QueueCheck:
    """A check shown in the review queue, with where to record it."""

    kind: str  # the Chinese label, e.g. 定期核查
    review_kind: str  # the ReviewKind it files under in the queue's filter ("" for none)
    household_id: int | None
    head_name: str
    person: str  # "" for the whole household
    village: str
    region_code: str  # the village's code (for the queue's township counts)
    category: str  # the category's code (Category), shown by its label
    due_on: dt.date
    url: str  # the page where it is recorded ("" when the user may not record it)
    action: str  # the button's label
    review_id: int | None = None  # determination's own review; None for another app's check
    person_id: int | None = None
    case_id: int | None = None


Provider = Callable[..., list[QueueCheck]]
_providers: dict[str, Provider] = {}


def register(name: str, provider: Provider) -> None:
    """``provider(*, user, until, region_code)`` → the ``QueueCheck`` rows due by ``until``."""
    _providers[name] = provider


def checks_due(*, user: User, until: dt.date, region_code: str | None) -> list[QueueCheck]:
    rows: list[QueueCheck] = []
    for provider in list(_providers.values()):
        rows += provider(user=user, until=until, region_code=region_code)
    return rows


def review_queue(
    *, user: User, today: dt.date, within_days: int = 30, region_code: str | None = None
) -> list[QueueCheck]:
    """Determination's reviews and the registered checks due within ``within_days`` calendar
    days or overdue, in the user's scope, soonest first."""
    may_record = allowed(user, Capability.INVESTIGATE)
    rows = [
        _review_check(row.review, may_record=may_record)
        for row in selectors.reviews_due(
            user=user, today=today, within_days=within_days, region_code=region_code
        )
    ]
    until = today + dt.timedelta(days=within_days)
    rows += checks_due(user=user, until=until, region_code=region_code)
    rows.sort(key=lambda row: row.due_on)
    return rows


def _review_check(review: ReviewSchedule, *, may_record: bool) -> QueueCheck:
    head = review.household.head
    return QueueCheck(
        kind=str(review.get_kind_display()),
        review_kind=review.kind,
        household_id=review.household_id,
        head_name=head.name if head else "",
        person=review.person.name if review.person else "",
        village=review.region.name,
        region_code=review.region_id,
        category=review.category,
        due_on=review.due_on,
        url=reverse("determination:review_record", args=[review.pk]) if may_record else "",
        action="登记结果",
        review_id=review.pk,
        person_id=review.person_id,
        case_id=review.application_id,
    )
