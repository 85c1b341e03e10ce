"""The two calls into determination's public services that a visit's outcome makes: open an
application for the household, or start a termination into the review procedure. Kept in one
place so that this app depends on nothing else of determination."""

from __future__ import annotations

from safetynet.accounts.models import User
from safetynet.determination import services as determination
from safetynet.determination.models import ApplicationType
from safetynet.registry.models import Household

APPLICATION_TYPES = ApplicationType.choices
HandoffError = determination.DeterminationError


def application_open(*, actor: User, household: Household, type: str, reason: str) -> int:
    application = determination.application_submit(
        actor=actor, household=household, type=type, reason=reason
    )
    return int(application.pk)


def termination_propose(*, actor: User, household: Household, reason: str) -> int:
    termination = determination.termination_start(actor=actor, household=household, reason=reason)
    return int(termination.pk)
