"""A household's facts for the catalogue rule, read from the registry: the category, the
residence, and the circumstances its members' records show (illness, schooling, disability), plus
those an alert or an officer names."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from safetynet.assistance.catalogue import Circumstance, HouseholdFacts
from safetynet.registry.choices import HealthStatus, SchoolStage
from safetynet.registry.models import Household, Membership

# An alert's hardship type (monitoring) → the circumstance it stands for.
HARDSHIP_CIRCUMSTANCES: dict[str, str] = {
    "illness": Circumstance.SERIOUS_ILLNESS,
    "disability": Circumstance.DISABILITY,
    "schooling": Circumstance.STUDENT,
    "unemployment": Circumstance.UNEMPLOYED,
    "disaster": Circumstance.DISASTER,
    "death": Circumstance.DEATH,
}
SEVERE_GRADES = (1, 2)
ADULT_AGE = 18


def age_on(born: dt.date, on: dt.date) -> int:
    return on.year - born.year - ((on.month, on.day) < (born.month, born.day))


def member_circumstances(
    *, health: str, school: str, disability: str, grade: int | None, born: dt.date, on: dt.date
) -> set[str]:
    """What one member's registry record shows (the one reading, also used set-based)."""
    found: set[str] = set()
    if health == HealthStatus.SERIOUS:
        found.add(Circumstance.SERIOUS_ILLNESS)
    elif health == HealthStatus.CHRONIC:
        found.add(Circumstance.CHRONIC_ILLNESS)
    if school and school != SchoolStage.NONE:
        found.add(Circumstance.STUDENT)
    if disability:
        found.add(Circumstance.DISABILITY)
        if grade in SEVERE_GRADES:
            found.add(Circumstance.SEVERE_DISABILITY)
        if age_on(born, on) < ADULT_AGE:
            found.add(Circumstance.DISABLED_CHILD)
    return found


def recorded_circumstances(household: Household, *, on: dt.date) -> set[str]:
    found: set[str] = set()
    members = Membership.objects.filter(household=household, left_on__isnull=True).select_related(
        "person"
    )
    for membership in members:
        person = membership.person
        found |= member_circumstances(
            health=person.health_status,
            school=person.school_stage,
            disability=person.disability_type,
            grade=person.disability_grade,
            born=person.birth_date,
            on=on,
        )
    return found


def facts_of(
    household: Household,
    *,
    on: dt.date,
    category: str = "",
    extra: Iterable[str] = (),
    centralised: bool = False,
) -> HouseholdFacts:
    """The facts of ``household`` on ``on``; ``category`` overrides the current one (a decision
    just confirmed takes effect the month after)."""
    return HouseholdFacts(
        category=category or household.category,
        residence=household.residence,
        circumstances=frozenset(recorded_circumstances(household, on=on) | set(extra)),
        centralised=centralised,
    )
