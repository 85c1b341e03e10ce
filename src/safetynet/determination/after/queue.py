"""The one queue of reviews and checks a township works through (/determination/reviews/): the
reviews determination schedules (annual reviews, periodic checks of dibao, re-assessments,
re-checks) and the checks other apps hand it.

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

from safetynet.accounts.models import User


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
    category: str  # the category's Chinese label
    due_on: dt.date
    url: str
    action: str  # the button's label


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
