"""What the registry's write services share: the refusals, the permission and scope checks, the
validation of new members (with the ID-conflict queue) and a person's fields from an input."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope, scope_prefix
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry import identity
from safetynet.registry.inputs import HouseholdInput, MemberInput
from safetynet.registry.models import (
    Household,
    IdConflict,
    Membership,
    Person,
)
from safetynet.registry.names import name_initials, name_pinyin
from safetynet.registry.validation import NOT_REGISTRABLE, Problem, validate_households

if TYPE_CHECKING:
    from safetynet.accounts.models import User


class RegistryError(Exception):
    """A request the registry refuses, with a Chinese message for the user.

    ``field`` names the input the message is about, when there is one, so that a form can show
    the message beside that field.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class PermissionDenied(RegistryError):
    pass


class HouseholdValidationError(RegistryError):
    def __init__(self, problems: list[Problem]) -> None:
        super().__init__(f"{len(problems)} 处错误")
        self.problems = problems


def require(actor: User, capability: str) -> None:
    if actor is None or not actor.has_capability(capability):
        raise PermissionDenied("您没有执行此操作的权限")


def writable_village_codes(*, actor: User, codes: Iterable[str]) -> set[str]:
    """The subset of ``codes`` that are villages inside the actor's scope."""
    prefix = scope_prefix(actor)
    if prefix is None:
        return set()
    lo, hi = prefix_bounds(prefix)
    wanted = {code for code in codes if lo <= code <= hi}
    return set(
        Region.objects.filter(code__in=wanted, level=Level.VILLAGE).values_list("code", flat=True)
    )


def _hashes_of(households: list[HouseholdInput]) -> list[str]:
    hashes = []
    for household in households:
        for member in household.members:
            if identity.is_valid_id_number(member.id_number):
                hashes.append(identity.blind_index(member.id_number))
    return hashes


def _current_households(hashes: Iterable[str]) -> dict[str, tuple[int, int, str]]:
    """Blind index -> (person, current household, its village) for those in a current household."""
    wanted = list(set(hashes))
    found: dict[str, tuple[int, int, str]] = {}
    for start in range(0, len(wanted), 5000):
        for digest, person, household, region in Membership.objects.filter(
            left_on__isnull=True, person__id_number_hash__in=wanted[start : start + 5000]
        ).values_list(
            "person__id_number_hash", "person_id", "household_id", "household__region_id"
        ):
            found[digest] = (person, household, region)
    return found


def _validate(
    *, actor: User, households: list[HouseholdInput], village_codes: set[str]
) -> list[Problem]:
    """Validation whose answer for a person registered outside the actor's scope is the generic
    ``NOT_REGISTRABLE``; each such attempt goes to the conflict queue of the county concerned."""
    current = _current_households(_hashes_of(households))
    hidden = {
        digest for digest, (_, _, region) in current.items() if not in_scope(region, user=actor)
    }
    problems = validate_households(
        households, village_codes=village_codes, taken_hashes=set(current), hidden_hashes=hidden
    )
    conflicts = [p for p in problems if p.reason == NOT_REGISTRABLE]
    if conflicts:
        _id_conflicts_record(
            actor=actor, households=households, problems=conflicts, current=current
        )
    return problems


def _id_conflicts_record(
    *,
    actor: User,
    households: list[HouseholdInput],
    problems: list[Problem],
    current: dict[str, tuple[int, int, str]],
) -> None:
    counties = set(
        Region.objects.filter(
            code__in={households[p.household].region_code[:6] + "000000" for p in problems},
            level=Level.COUNTY,
        ).values_list("code", flat=True)
    )
    rows = []
    for problem in problems:
        household = households[problem.household]
        member = household.members[problem.member or 0]
        county = household.region_code[:6] + "000000"
        if county not in counties:
            continue  # no county to queue it for: the region itself is refused too
        person, existing, region = current[identity.blind_index(member.id_number)]
        rows.append(
            IdConflict(
                region_id=county,
                village_code=household.region_code,
                person_id=person,
                id_number_masked=identity.mask_id_number(
                    identity.parse_id_number(member.id_number).number
                ),
                attempted_name=member.name.strip()[:50],
                existing_household_id=existing,
                existing_region_code=region,
                created_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    # Recorded even when the caller's transaction rolls back the refused write.
    IdConflict.objects.bulk_create(rows)


def _person_fields(member: MemberInput, region_code: str) -> dict[str, Any]:
    facts = identity.parse_id_number(member.id_number)
    name = member.name.strip()
    return {
        "region_id": region_code,
        "id_number_hash": identity.blind_index(facts.number),
        "id_number_masked": identity.mask_id_number(facts.number),
        **identity.tail_indexes(facts.number),
        "name": name,
        "name_pinyin": name_pinyin(name),
        "name_initials": name_initials(name),
        "sex": facts.sex,
        "birth_date": facts.birth_date,
        "phone": member.phone,
        "disability_type": member.disability_type,
        "disability_grade": member.disability_grade if member.disability_type else None,
        "health_status": member.health_status,
        "illness_name": member.illness_name,
        "labour_capacity": member.labour_capacity,
        "school_stage": member.school_stage,
        "legal_status": member.legal_status,
        "other_inability": member.other_inability,
    }


REUSED_PERSON_FIELDS = [
    "region_id",
    "id_number_masked",
    "name",
    "name_pinyin",
    "name_initials",
    "sex",
    "birth_date",
    "phone",
    "disability_type",
    "disability_grade",
    "health_status",
    "illness_name",
    "labour_capacity",
    "school_stage",
    "legal_status",
    "other_inability",
]


def _new_person(member: MemberInput, region_code: str) -> Person:
    fields = _person_fields(member, region_code)
    number = identity.parse_id_number(member.id_number).number
    # Persons who left a household earlier are re-used: their ID hash is unique.
    return Person(id_number_encrypted=identity.encrypt_id_number(number), **fields)


def _changes(instance: Any, data: dict[str, Any]) -> dict[str, list[str]]:
    changed = {}
    for name, value in data.items():
        old = getattr(instance, name)
        if old != value:
            changed[name] = [str(old), str(value)]
            setattr(instance, name, value)
    return changed


def _check_household_writable(actor: User, household: Household) -> None:
    require(actor, Capability.EDIT_HOUSEHOLDS)
    if not in_scope(household.region_id, user=actor):
        raise PermissionDenied("该家庭不在您的管辖范围内")


def _is_current_member(household: Household, person: Person) -> bool:
    return Membership.objects.filter(
        household=household, person=person, left_on__isnull=True
    ).exists()


def _recount(household: Household) -> None:
    household.member_count = Membership.objects.filter(
        household=household, left_on__isnull=True, co_resident=True
    ).count()
    household.save(update_fields=["member_count", "updated_at"])


def money(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))
