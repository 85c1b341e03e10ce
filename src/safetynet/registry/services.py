"""Writes to the registry. Every function is an audited action inside one transaction."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, in_scope, scope_prefix, scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry import identity
from safetynet.registry.choices import (
    MEMBER_CATEGORIES,
    Category,
    IncomeKind,
    RelapseWatchType,
    Residence,
)
from safetynet.registry.inputs import HouseholdInput, MemberInput
from safetynet.registry.models import (
    Asset,
    CategoryStatus,
    DatedStatus,
    Household,
    IdConflict,
    Income,
    LegalSupporter,
    Membership,
    Person,
    RelapseWatchStatus,
    RigidExpenditure,
)
from safetynet.registry.names import name_initials, name_pinyin
from safetynet.registry.relations import HEAD, RELATION_NAMES
from safetynet.registry.validation import NOT_REGISTRABLE, Problem, validate_households

if TYPE_CHECKING:
    from safetynet.accounts.models import User

__all__ = ["Problem"]


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


def taken_id_hashes(hashes: Iterable[str]) -> set[str]:
    """Blind indexes, of those given, that belong to someone already in a current household."""
    wanted = list(set(hashes))
    taken: set[str] = set()
    for start in range(0, len(wanted), 5000):
        taken.update(
            Membership.objects.filter(
                left_on__isnull=True, person__id_number_hash__in=wanted[start : start + 5000]
            ).values_list("person__id_number_hash", flat=True)
        )
    return taken


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


def households_validate(*, actor: User, households: list[HouseholdInput]) -> list[Problem]:
    villages = writable_village_codes(actor=actor, codes={h.region_code for h in households})
    return _validate(actor=actor, households=households, village_codes=villages)


def id_conflicts(*, actor: User, open_only: bool = True) -> QuerySet[IdConflict]:
    """The conflict queue of the counties in ``actor``'s scope, newest first."""
    require(actor, Capability.RESOLVE_ID_CONFLICTS)
    queryset = scope_queryset(
        IdConflict.objects.select_related("region", "created_by", "person"), user=actor
    )
    return queryset.filter(resolved_at__isnull=True) if open_only else queryset


def id_conflict_resolve(
    *, actor: User, pk: Any, resolution: str, client: Client | None = None
) -> IdConflict:
    require(actor, Capability.RESOLVE_ID_CONFLICTS)
    conflict = access_scoped(IdConflict.objects.all(), user=actor, pk=pk)
    text = resolution.strip()
    if not text:
        raise RegistryError("请填写处理说明", field="resolution")
    with transaction.atomic():
        conflict.resolved_at = timezone.now()
        conflict.resolved_by = actor
        conflict.resolution = text[:200]
        conflict.save(update_fields=["resolved_at", "resolved_by", "resolution"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="id_conflict",
            object_id=conflict.pk,
            region_code=conflict.region_id,
            summary=f"处理身份证号登记冲突 {conflict.id_number_masked}",
            detail={"resolution": conflict.resolution, "person": conflict.person_id},
            client=client,
        )
    return conflict


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


def _supporter_rows(
    household: Household, row: HouseholdInput, by_number: dict[str, Person]
) -> list[LegalSupporter]:
    rows = []
    for supporter in row.supporters:
        fields: dict[str, Any] = {}
        if supporter.id_number:
            number = identity.parse_id_number(supporter.id_number).number
            fields = {
                "id_number_encrypted": identity.encrypt_id_number(number),
                "id_number_hash": identity.blind_index(number),
                "id_number_masked": identity.mask_id_number(number),
            }
        supported = identity.normalise_id_number(supporter.supported_id_number)
        rows.append(
            LegalSupporter(
                household=household,
                supported_person=by_number.get(supported) if supported else None,
                name=supporter.name,
                relation=supporter.relation,
                able_to_support=supporter.able_to_support,
                note=supporter.note,
                **fields,
            )
        )
    return rows


@dataclass(frozen=True)
class CreateResult:
    households: list[Household]


def households_create(
    *,
    actor: User,
    households: list[HouseholdInput],
    client: Client | None = None,
    effective_from: dt.date | None = None,
    audit_each: bool = True,
) -> CreateResult:
    """Validate the whole batch, then write it with bulk inserts; nothing is written on error.

    ``audit_each`` False lets bulk paths (import, seed) write one summary audit record instead.
    """
    require(actor, Capability.EDIT_HOUSEHOLDS)
    problems = households_validate(actor=actor, households=households)
    if problems:
        raise HouseholdValidationError(problems)
    today = effective_from or timezone.localdate()
    regions = {
        r.code: r for r in Region.objects.filter(code__in={h.region_code for h in households})
    }
    with transaction.atomic():
        hashes = _hashes_of(households)
        former = {
            p.id_number_hash: p
            for start in range(0, len(hashes), 5000)
            for p in Person.objects.filter(id_number_hash__in=hashes[start : start + 5000])
        }
        new_persons: list[Person] = []
        reused: list[Person] = []
        person_of: list[list[Person]] = []
        for household in households:
            members = []
            for member in household.members:
                digest = identity.blind_index(member.id_number)
                person = former.get(digest)
                if person is None:
                    person = _new_person(member, household.region_code)
                    new_persons.append(person)
                else:
                    for name, value in _person_fields(member, household.region_code).items():
                        setattr(person, name, value)
                    reused.append(person)
                members.append(person)
            person_of.append(members)
        Person.objects.bulk_create(new_persons, batch_size=2000)
        if reused:
            Person.objects.bulk_update(
                reused,
                REUSED_PERSON_FIELDS,
                batch_size=2000,
            )
        created: list[Household] = []
        for household, members in zip(households, person_of, strict=True):
            head = next(
                p for p, m in zip(members, household.members, strict=True) if m.relation == HEAD
            )
            created.append(
                Household(
                    region_id=household.region_code,
                    residence=household.residence
                    or regions[household.region_code].urban_rural
                    or Residence.RURAL,
                    address=household.address,
                    phone=household.phone,
                    head=head,
                    category=household.category,
                    relapse_watch=household.relapse_watch,
                    income_before_drop_monthly=household.income_before_drop_monthly,
                    income_before_drop_on=household.income_before_drop_on,
                    member_count=sum(1 for m in household.members if m.co_resident),
                    created_by=actor if getattr(actor, "pk", None) else None,
                )
            )
        Household.objects.bulk_create(created, batch_size=2000)
        memberships: list[Membership] = []
        incomes: list[Income] = []
        assets: list[Asset] = []
        expenditures: list[RigidExpenditure] = []
        categories: list[CategoryStatus] = []
        watches: list[RelapseWatchStatus] = []
        supporters: list[LegalSupporter] = []
        for new, members, row in zip(created, person_of, households, strict=True):
            by_number = {}
            for person, member in zip(members, row.members, strict=True):
                by_number[identity.normalise_id_number(member.id_number)] = person
                memberships.append(
                    Membership(
                        household=new,
                        person=person,
                        relation=member.relation,
                        co_resident=member.co_resident,
                        joined_on=today,
                    )
                )
                incomes.extend(
                    Income(
                        household=new,
                        person=person,
                        kind=income.kind,
                        monthly_amount=income.monthly_amount,
                        description=income.description,
                    )
                    for income in member.incomes
                    if income.monthly_amount
                )
            assets.extend(
                Asset(
                    household=new,
                    person=by_number.get(identity.normalise_id_number(a.owner_id_number)),
                    kind=a.kind,
                    value=a.value,
                    description=a.description,
                    for_disability=a.for_disability,
                    area_m2=a.area_m2,
                )
                for a in row.assets
            )
            expenditures.extend(
                RigidExpenditure(
                    household=new,
                    person=by_number.get(identity.normalise_id_number(e.person_id_number)),
                    kind=e.kind,
                    amount=e.amount,
                    incurred_on=e.incurred_on,
                    description=e.description,
                )
                for e in row.expenditures
            )
            if row.category:
                categories.append(
                    CategoryStatus(
                        household=new,
                        category=row.category,
                        effective_from=today,
                        reason="建档时登记",
                        decided_by=new.created_by,
                    )
                )
            supporters.extend(_supporter_rows(new, row, by_number))
            if row.relapse_watch:
                watches.append(
                    RelapseWatchStatus(
                        household=new,
                        watch_type=row.relapse_watch,
                        effective_from=today,
                        reason="建档时登记",
                        decided_by=new.created_by,
                    )
                )
        Membership.objects.bulk_create(memberships, batch_size=2000)
        Income.objects.bulk_create(incomes, batch_size=2000)
        Asset.objects.bulk_create(assets, batch_size=2000)
        RigidExpenditure.objects.bulk_create(expenditures, batch_size=2000)
        CategoryStatus.objects.bulk_create(categories, batch_size=2000)
        RelapseWatchStatus.objects.bulk_create(watches, batch_size=2000)
        LegalSupporter.objects.bulk_create(supporters, batch_size=2000)
        if audit_each:
            for new in created:
                audit_record(
                    actor=actor,
                    action=Action.CREATE,
                    object_type="household",
                    object_id=new.pk,
                    region_code=new.region_id,
                    summary=f"新建家庭，{new.member_count} 名共同生活成员",
                    client=client,
                )
    return CreateResult(households=created)


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


def household_update(
    *, actor: User, household: Household, data: dict[str, Any], client: Client | None = None
) -> Household:
    """Change household-level fields (address, phone, residence, village)."""
    _check_household_writable(actor, household)
    allowed = {
        "address",
        "phone",
        "residence",
        "region_id",
        "income_before_drop_monthly",
        "income_before_drop_on",
    }
    unknown = set(data) - allowed
    if unknown:
        raise RegistryError(f"不能修改这些字段：{', '.join(sorted(unknown))}")
    moving = "region_id" in data and data["region_id"] != household.region_id
    if moving and not writable_village_codes(actor=actor, codes=[data["region_id"]]):
        raise RegistryError("新的区划不是您管辖范围内的村(居)委会", field="region_id")
    if "residence" in data and data["residence"] not in Residence.values:
        raise RegistryError("城乡类别只能是城市或农村", field="residence")
    with transaction.atomic():
        household = Household.objects.select_for_update().get(pk=household.pk)
        changed = _changes(household, data)
        if not changed:
            return household
        household.save()
        if "region_id" in changed:
            Person.objects.filter(
                memberships__household=household, memberships__left_on__isnull=True
            ).update(region_id=household.region_id)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="household",
            object_id=household.pk,
            region_code=household.region_id,
            summary="修改家庭信息：" + "、".join(changed),
            detail={"changed": changed},
            client=client,
        )
    return household


PERSON_EDITABLE = {
    "name",
    "phone",
    "disability_type",
    "disability_grade",
    "health_status",
    "illness_name",
    "labour_capacity",
    "school_stage",
    "legal_status",
    "other_inability",
}


def _is_current_member(household: Household, person: Person) -> bool:
    return Membership.objects.filter(
        household=household, person=person, left_on__isnull=True
    ).exists()


def _recount(household: Household) -> None:
    household.member_count = Membership.objects.filter(
        household=household, left_on__isnull=True, co_resident=True
    ).count()
    household.save(update_fields=["member_count", "updated_at"])


def member_update(
    *,
    actor: User,
    household: Household,
    person: Person,
    data: dict[str, Any],
    client: Client | None = None,
) -> Person:
    """Change a member's circumstances, relation or co-residence."""
    _check_household_writable(actor, household)
    membership = Membership.objects.filter(
        household=household, person=person, left_on__isnull=True
    ).first()
    if membership is None:
        raise RegistryError("该人员不是本户现有成员")
    person_data = {k: v for k, v in data.items() if k in PERSON_EDITABLE}
    membership_data = {k: v for k, v in data.items() if k in {"relation", "co_resident"}}
    unknown = set(data) - PERSON_EDITABLE - {"relation", "co_resident"}
    if unknown:
        raise RegistryError(f"不能修改这些字段：{', '.join(sorted(unknown))}")
    if "relation" in membership_data and membership_data["relation"] not in RELATION_NAMES:
        raise RegistryError("与户主关系不是 GB/T 4761 中的代码", field="relation")
    if membership_data.get("relation") == HEAD and membership.relation != HEAD:
        raise RegistryError("更换户主请使用“变更户主”", field="relation")
    if membership.relation == HEAD and membership_data.get("relation", HEAD) != HEAD:
        raise RegistryError("户主的关系不能直接修改，请先变更户主", field="relation")
    if person_data.get("disability_type") == "":
        person_data["disability_grade"] = None
    disability_type = person_data.get("disability_type", person.disability_type)
    disability_grade = person_data.get("disability_grade", person.disability_grade)
    if disability_type and disability_grade not in (1, 2, 3, 4):
        raise RegistryError("残疾等级应为 1–4 级", field="disability_grade")
    if not disability_type and disability_grade is not None:
        raise RegistryError("填写了残疾等级但未填写残疾类别", field="disability_type")
    with transaction.atomic():
        changed = _changes(person, person_data)
        if "name" in changed:
            person.name_pinyin = name_pinyin(person.name)
            person.name_initials = name_initials(person.name)
        changed.update(_changes(membership, membership_data))
        if not changed:
            return person
        person.save()
        membership.save()
        if "co_resident" in changed:
            _recount(household)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="person",
            object_id=person.pk,
            region_code=household.region_id,
            summary="修改成员信息：" + "、".join(changed),
            detail={"household": household.pk, "changed": changed},
            client=client,
        )
    return person


def member_add(
    *,
    actor: User,
    household: Household,
    member: MemberInput,
    client: Client | None = None,
) -> Person:
    _check_household_writable(actor, household)
    if member.relation == HEAD:
        raise RegistryError("每户只能有一名户主；更换户主请使用“变更户主”", field="relation")
    probe = HouseholdInput(region_code=household.region_id, members=[member])
    problems = [
        p
        for p in _validate(actor=actor, households=[probe], village_codes={household.region_id})
        if p.field != "relation" or p.member is not None
    ]
    if problems:
        raise HouseholdValidationError(problems)
    with transaction.atomic():
        fields = _person_fields(member, household.region_id)
        person = Person.objects.filter(id_number_hash=fields["id_number_hash"]).first()
        if person is None:
            person = _new_person(member, household.region_id)
            person.save()
        else:
            for name, value in fields.items():
                setattr(person, name, value)
            person.save()
        Membership.objects.create(
            household=household,
            person=person,
            relation=member.relation,
            co_resident=member.co_resident,
            joined_on=timezone.localdate(),
        )
        Income.objects.bulk_create(
            Income(
                household=household,
                person=person,
                kind=i.kind,
                monthly_amount=i.monthly_amount,
                description=i.description,
            )
            for i in member.incomes
            if i.monthly_amount
        )
        _recount(household)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="person",
            object_id=person.pk,
            region_code=household.region_id,
            summary="新增家庭成员",
            detail={"household": household.pk},
            client=client,
        )
    return person


def member_remove(
    *,
    actor: User,
    household: Household,
    person: Person,
    reason: str,
    left_on: dt.date | None = None,
    client: Client | None = None,
) -> None:
    """End a membership (moved out, married out, died). The person and history remain."""
    _check_household_writable(actor, household)
    if not reason.strip():
        raise RegistryError("请填写成员离开的原因", field="reason")
    today = timezone.localdate()
    if left_on is not None and left_on > today:
        raise RegistryError("离开日期不能晚于今天", field="left_on")
    with transaction.atomic():
        membership = (
            Membership.objects.select_for_update()
            .filter(household=household, person=person, left_on__isnull=True)
            .first()
        )
        if membership is None:
            raise RegistryError("该人员不是本户现有成员")
        if membership.relation == HEAD:
            raise RegistryError("户主不能直接移出，请先变更户主")
        if left_on is not None and left_on < membership.joined_on:
            raise RegistryError(
                f"离开日期不能早于加入本户的日期 {membership.joined_on.isoformat()}",
                field="left_on",
            )
        membership.left_on = left_on or today
        membership.left_reason = reason.strip()[:100]
        membership.save(update_fields=["left_on", "left_reason"])
        Income.objects.filter(household=household, person=person).delete()
        _recount(household)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="person",
            object_id=person.pk,
            region_code=household.region_id,
            summary=f"成员离开家庭：{membership.left_reason}",
            detail={"household": household.pk},
            client=client,
        )


# The relation an ended head's membership keeps once another member heads the household.
FORMER_HEAD_RELATION = "97"  # 其他亲属


def _first_of_next_month(day: dt.date) -> dt.date:
    return (day.replace(day=1) + dt.timedelta(days=32)).replace(day=1)


def _end_categories(
    *, actor: User, household: Household, person: Person | None, from_day: dt.date, reason: str
) -> list[CategoryStatus]:
    """Close the open category records of ``person`` (the household's own with None) and record
    "no category" from ``from_day``, the way ``category_set`` ends one. Nothing if none is open."""
    ended = []
    for current in CategoryStatus.objects.select_for_update().filter(
        household=household, person=person, effective_to__isnull=True
    ):
        if not current.category:
            continue
        if current.effective_from >= from_day:
            # Recorded ahead for a month the member does not live to: it never takes effect.
            current.effective_to = current.effective_from
        else:
            current.effective_to = from_day - dt.timedelta(days=1)
        current.save(update_fields=["effective_to"])
        ended.append(
            CategoryStatus.objects.create(
                household=household,
                person=person,
                category="",
                effective_from=max(from_day, current.effective_to + dt.timedelta(days=1)),
                reason=reason,
                decided_by=actor if getattr(actor, "pk", None) else None,
            )
        )
    return ended


@dataclass(frozen=True)
class DeathRecorded:
    household_emptied: bool
    categories_ended: list[CategoryStatus]


def member_died(
    *,
    actor: User,
    household: Household,
    person: Person,
    died_on: dt.date,
    new_head: Person | None = None,
    client: Client | None = None,
) -> DeathRecorded:
    """A member died: the membership ends on the day of death; if the head died another member
    becomes head (``new_head``, required while anyone remains); the member's own category
    (destitute, individual dibao) ends with the month of death, and so does the household's when
    nobody remains. A change of the household's assistance is for the re-check to decide."""
    _check_household_writable(actor, household)
    today = timezone.localdate()
    if died_on > today:
        raise RegistryError("死亡日期不能晚于今天", field="occurred_on")
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        memberships = {
            m.person_id: m
            for m in Membership.objects.select_for_update().filter(
                household=locked, left_on__isnull=True
            )
        }
        membership = memberships.get(person.pk)
        if membership is None:
            raise RegistryError("该人员不是本户现有成员", field="person")
        others = [pid for pid in memberships if pid != person.pk]
        if membership.relation == HEAD and others:
            if new_head is None or new_head.pk not in others:
                raise RegistryError("户主已死亡，请在本户现有成员中指定新户主", field="new_head")
            household_change_head(
                actor=actor,
                household=locked,
                new_head=new_head,
                old_head_relation=FORMER_HEAD_RELATION,
                client=client,
            )
            membership.refresh_from_db()
        # A member registered after the death (the registry caught up late) left on the day the
        # membership was recorded; the date of death stays in the reason and the trail.
        membership.left_on = max(died_on, membership.joined_on)
        membership.left_reason = f"死亡（{died_on.isoformat()}）"
        membership.save(update_fields=["left_on", "left_reason"])
        Income.objects.filter(household=locked, person=person).delete()
        _recount(locked)
        reason = f"{person.name} 于 {died_on.isoformat()} 死亡"
        from_day = _first_of_next_month(died_on)
        ended = _end_categories(
            actor=actor, household=locked, person=person, from_day=from_day, reason=reason
        )
        if not others:
            ended += _end_categories(
                actor=actor, household=locked, person=None, from_day=from_day, reason=reason
            )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="person",
            object_id=person.pk,
            region_code=locked.region_id,
            summary=f"成员死亡（{died_on.isoformat()}），成员关系终止"
            + (f"，{len(ended)} 项救助类别自 {from_day:%Y年%m月}起终止" if ended else ""),
            detail={"household": locked.pk, "died_on": died_on.isoformat()},
            client=client,
        )
    household.refresh_from_db()
    return DeathRecorded(household_emptied=not others, categories_ended=ended)


def incomes_of_member_set(
    *,
    actor: User,
    household: Household,
    person: Person,
    kind: str,
    monthly_amount: Decimal,
    client: Client | None = None,
) -> None:
    """Set one member's monthly income of one kind (a reported change), keeping the rest."""
    if kind not in IncomeKind.values:
        raise RegistryError("收入类型无效", field="income_kind")
    if not Decimal(0) <= monthly_amount < Decimal("1000000"):
        raise RegistryError("月收入应在 0 至 999,999.99 元之间", field="monthly_income")
    rows = [
        {
            "person_id": row.person_id,
            "kind": row.kind,
            "monthly_amount": row.monthly_amount,
            "description": row.description,
        }
        for row in Income.objects.filter(household=household).order_by("id")
        if not (row.person_id == person.pk and row.kind == kind)
    ]
    if monthly_amount:
        rows.append(
            {
                "person_id": person.pk,
                "kind": kind,
                "monthly_amount": money(monthly_amount),
                "description": "情况变化报告",
            }
        )
    incomes_replace(actor=actor, household=household, rows=rows, client=client)


def household_change_head(
    *,
    actor: User,
    household: Household,
    new_head: Person,
    old_head_relation: str,
    client: Client | None = None,
) -> None:
    _check_household_writable(actor, household)
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        memberships = {
            m.person_id: m
            for m in Membership.objects.filter(household=locked, left_on__isnull=True)
        }
        if new_head.pk not in memberships:
            raise RegistryError("新户主必须是本户现有成员", field="new_head")
        if new_head.pk == locked.head_id:
            raise RegistryError("该成员已是户主", field="new_head")
        if old_head_relation == HEAD:
            raise RegistryError("原户主需改为其他关系", field="old_head_relation")
        if old_head_relation not in RELATION_NAMES:
            raise RegistryError("原户主的新关系不是 GB/T 4761 中的代码", field="old_head_relation")
        old_head_id = locked.head_id
        old = memberships.get(locked.head_id) if locked.head_id else None
        if old is not None:
            old.relation = old_head_relation
            old.save(update_fields=["relation"])
        memberships[new_head.pk].relation = HEAD
        memberships[new_head.pk].save(update_fields=["relation"])
        locked.head = new_head
        locked.save(update_fields=["head", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="household",
            object_id=locked.pk,
            region_code=locked.region_id,
            summary="变更户主",
            detail={
                "old_head": old_head_id,
                "new_head": new_head.pk,
                "old_head_relation": old_head_relation,
            },
            client=client,
        )


def _replace_rows(
    *,
    actor: User,
    household: Household,
    model: Any,
    rows: list[dict[str, Any]],
    label: str,
    client: Client | None,
    former_members_ok: bool = False,
) -> None:
    """Replace a household's declared rows of one kind in one step (the edit form's save).

    ``former_members_ok``: rows may name a member who has since left (an asset or a medical bill
    of a member who died stays on record); incomes are only declared for current members.
    """
    _check_household_writable(actor, household)
    memberships = Membership.objects.filter(household=household)
    if not former_members_ok:
        memberships = memberships.filter(left_on__isnull=True)
    member_ids = set(memberships.values_list("person_id", flat=True))
    for number, row in enumerate(rows, start=1):
        if row.get("person_id") is not None and row["person_id"] not in member_ids:
            raise RegistryError(f"第 {number} 行：{label}所属成员不是本户成员", field="person_id")
    with transaction.atomic():
        Household.objects.select_for_update().get(pk=household.pk)
        before = model.objects.filter(household=household).count()
        model.objects.filter(household=household).delete()
        model.objects.bulk_create(model(household=household, **row) for row in rows)
        Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="household",
            object_id=household.pk,
            region_code=household.region_id,
            summary=f"修改{label}：{before} 条 → {len(rows)} 条",
            detail={"rows": [{k: str(v) for k, v in row.items()} for row in rows]},
            client=client,
        )


def incomes_replace(
    *,
    actor: User,
    household: Household,
    rows: list[dict[str, Any]],
    client: Client | None = None,
) -> None:
    for number, row in enumerate(rows, start=1):
        if row.get("person_id") is None:
            raise RegistryError(f"第 {number} 行：每条收入都必须指定家庭成员", field="person_id")
    _replace_rows(
        actor=actor, household=household, model=Income, rows=rows, label="收入", client=client
    )


def assets_replace(
    *,
    actor: User,
    household: Household,
    rows: list[dict[str, Any]],
    client: Client | None = None,
) -> None:
    _replace_rows(
        actor=actor,
        household=household,
        model=Asset,
        rows=rows,
        label="财产",
        client=client,
        former_members_ok=True,
    )


def expenditures_replace(
    *,
    actor: User,
    household: Household,
    rows: list[dict[str, Any]],
    client: Client | None = None,
) -> None:
    _replace_rows(
        actor=actor,
        household=household,
        model=RigidExpenditure,
        rows=rows,
        label="刚性支出",
        client=client,
        former_members_ok=True,
    )


def supporter_add(
    *,
    actor: User,
    household: Household,
    name: str,
    id_number: str,
    relation: str,
    able_to_support: bool,
    supported_person: Person | None = None,
    note: str = "",
    client: Client | None = None,
) -> LegalSupporter:
    _check_household_writable(actor, household)
    fields: dict[str, Any] = {}
    if id_number.strip():
        try:
            number = identity.parse_id_number(id_number).number
        except identity.InvalidIdNumber as exc:
            raise RegistryError(exc.reason, field="id_number") from exc
        fields = {
            "id_number_encrypted": identity.encrypt_id_number(number),
            "id_number_hash": identity.blind_index(number),
            "id_number_masked": identity.mask_id_number(number),
        }
    if not name.strip():
        raise RegistryError("请填写赡(抚、扶)养人姓名", field="name")
    if relation not in RELATION_NAMES:
        raise RegistryError("与被赡(抚、扶)养人关系不是 GB/T 4761 中的代码", field="relation")
    if supported_person is not None and not _is_current_member(household, supported_person):
        raise RegistryError("被赡(抚、扶)养人必须是本户现有成员", field="supported_person")
    with transaction.atomic():
        supporter = LegalSupporter.objects.create(
            household=household,
            supported_person=supported_person,
            name=name.strip(),
            relation=relation,
            able_to_support=able_to_support,
            note=note,
            **fields,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="supporter",
            object_id=supporter.pk,
            region_code=household.region_id,
            summary="登记法定赡(抚、扶)养人",
            detail={"household": household.pk},
            client=client,
        )
    return supporter


def supporter_remove(
    *,
    actor: User,
    household: Household,
    supporter: LegalSupporter,
    client: Client | None = None,
) -> None:
    _check_household_writable(actor, household)
    if supporter.household_id != household.pk:
        raise RegistryError("该赡养人不属于本户")
    with transaction.atomic():
        supporter.delete()
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="supporter",
            object_id=supporter.pk,
            region_code=household.region_id,
            summary="删除法定赡(抚、扶)养人",
            detail={"household": household.pk},
            client=client,
        )


def category_set(
    *,
    actor: User,
    household: Household,
    category: str,
    effective_from: dt.date,
    reason: str,
    person: Person | None = None,
    client: Client | None = None,
) -> CategoryStatus:
    """Record a category from a date; the open record ends the day before. Blank ends it."""
    require(actor, Capability.SET_CATEGORY)
    if not in_scope(household.region_id, user=actor):
        raise PermissionDenied("该家庭不在您的管辖范围内")
    if category and category not in Category.values:
        raise RegistryError("救助类别无效", field="category")
    if category in MEMBER_CATEGORIES and person is None:
        raise RegistryError("特困和单人保须指定到具体成员", field="person")
    if person is not None and category and category not in MEMBER_CATEGORIES:
        raise RegistryError("该类别按户认定，不能指定到个人", field="person")
    if person is not None and not _is_current_member(household, person):
        raise RegistryError("该人员不是本户现有成员", field="person")
    if not reason.strip():
        raise RegistryError("请填写依据或原因", field="reason")
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        current = (
            CategoryStatus.objects.select_for_update()
            .filter(household=locked, person=person, effective_to__isnull=True)
            .first()
        )
        if not category and (current is None or not current.category):
            raise RegistryError("当前没有可终止的类别", field="category")
        if current is not None:
            if effective_from <= current.effective_from:
                raise RegistryError(
                    f"生效日期须晚于当前记录的生效日期 {current.effective_from.isoformat()}",
                    field="effective_from",
                )
            current.effective_to = effective_from - dt.timedelta(days=1)
            current.save(update_fields=["effective_to"])
        status = CategoryStatus.objects.create(
            household=locked,
            person=person,
            category=category,
            effective_from=effective_from,
            reason=reason.strip(),
            decided_by=actor,
        )
        # A decision takes effect from the month after it: the denormalised category changes on
        # that date (``statuses_apply_due``), not when it is recorded.
        if person is None and effective_from <= timezone.localdate():
            locked.category = category
            locked.save(update_fields=["category", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="household",
            object_id=locked.pk,
            region_code=locked.region_id,
            summary=f"登记救助类别：{status.get_category_display() or '无'}",
            detail={
                "category": category,
                "person": person.pk if person else None,
                "effective_from": effective_from.isoformat(),
            },
            client=client,
        )
    return status


def relapse_watch_set(
    *,
    actor: User,
    household: Household,
    watch_type: str,
    effective_from: dt.date,
    reason: str,
    client: Client | None = None,
) -> RelapseWatchStatus:
    require(actor, Capability.SET_CATEGORY)
    if not in_scope(household.region_id, user=actor):
        raise PermissionDenied("该家庭不在您的管辖范围内")
    if watch_type and watch_type not in RelapseWatchType.values:
        raise RegistryError("防返贫监测类型无效", field="watch_type")
    if not reason.strip():
        raise RegistryError("请填写依据或原因", field="reason")
    with transaction.atomic():
        locked = Household.objects.select_for_update().get(pk=household.pk)
        current = (
            RelapseWatchStatus.objects.select_for_update()
            .filter(household=locked, effective_to__isnull=True)
            .first()
        )
        if not watch_type and (current is None or not current.watch_type):
            raise RegistryError("当前没有可终止的监测标识", field="watch_type")
        if current is not None:
            if effective_from <= current.effective_from:
                raise RegistryError(
                    f"生效日期须晚于当前记录的生效日期 {current.effective_from.isoformat()}",
                    field="effective_from",
                )
            current.effective_to = effective_from - dt.timedelta(days=1)
            current.save(update_fields=["effective_to"])
        status = RelapseWatchStatus.objects.create(
            household=locked,
            watch_type=watch_type,
            effective_from=effective_from,
            reason=reason.strip(),
            decided_by=actor,
        )
        if effective_from <= timezone.localdate():
            locked.relapse_watch = watch_type
            locked.save(update_fields=["relapse_watch", "updated_at"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="household",
            object_id=locked.pk,
            region_code=locked.region_id,
            summary=f"登记防返贫监测：{status.get_watch_type_display() or '解除'}",
            client=client,
        )
    return status


@dataclass(frozen=True)
class DatedChange:
    """One dated status for ``categories_record_many`` / ``relapse_watches_record_many``:
    ``value`` is the category or watch type, ``index`` names the caller's row in a refusal."""

    index: int
    household: Household
    value: str
    effective_from: dt.date
    person_id: int | None = None


class DatedChangeRefused(RegistryError):
    def __init__(self, index: int, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.index = index


DATED_CHUNK = 1000
_DATED_FIELDS: dict[type[DatedStatus], tuple[str, str]] = {
    CategoryStatus: ("category", "category"),
    RelapseWatchStatus: ("watch_type", "relapse_watch"),
}


def _current_dated(
    model: type[DatedStatus], household_ids: list[int]
) -> dict[tuple[int, int | None], Any]:
    """The open records of the households, households and records locked, by (household,
    person)."""
    current: dict[tuple[int, int | None], Any] = {}
    for start in range(0, len(household_ids), DATED_CHUNK):
        chunk = household_ids[start : start + DATED_CHUNK]
        list(Household.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))
        for record in model._default_manager.select_for_update().filter(
            household_id__in=chunk, effective_to__isnull=True
        ):
            current[(record.household_id, getattr(record, "person_id", None))] = record
    return current


def _record_dated_many(
    model: type[DatedStatus], *, actor: User, changes: list[DatedChange], reason: str
) -> list[DatedChange]:
    """``category_set``'s and ``relapse_watch_set``'s rules for many households at once: a value
    already current is left as it is; otherwise the open record ends the day before, and the
    household's current value follows when the date has come. A fixed number of queries."""
    require(actor, Capability.SET_CATEGORY)
    field, household_field = _DATED_FIELDS[model]
    for change in changes:
        if not in_scope(change.household.region_id, user=actor):
            raise PermissionDenied("该家庭不在您的管辖范围内")
    current = _current_dated(model, sorted({c.household.pk for c in changes}))
    recorded: list[DatedChange] = []
    ended: list[Any] = []
    for change in changes:
        open_record = current.get((change.household.pk, change.person_id))
        if open_record is not None and getattr(open_record, field) == change.value:
            continue
        if open_record is not None:
            if change.effective_from <= open_record.effective_from:
                since = open_record.effective_from.isoformat()
                raise DatedChangeRefused(
                    change.index,
                    f"生效日期须晚于当前记录的生效日期 {since}",
                    field="effective_from",
                )
            open_record.effective_to = change.effective_from - dt.timedelta(days=1)
            ended.append(open_record)
        recorded.append(change)
    model._default_manager.bulk_update(ended, ["effective_to"], batch_size=DATED_CHUNK)
    per_person = model is CategoryStatus  # a watch is the household's, a category may be one's
    model._default_manager.bulk_create(
        [
            model(
                household_id=c.household.pk,
                **({"person_id": c.person_id} if per_person else {}),
                **{field: c.value},
                effective_from=c.effective_from,
                reason=reason[:200],
                decided_by=actor,
            )
            for c in recorded
        ],
        batch_size=DATED_CHUNK,
    )
    _follow_current(household_field, recorded)
    return recorded


def _follow_current(household_field: str, recorded: list[DatedChange]) -> None:
    """The household's denormalised current value, for the changes whose date has come (later
    ones take effect on their date through ``statuses_apply_due``)."""
    today, now = timezone.localdate(), timezone.now()
    by_value: dict[str, list[int]] = {}
    for change in recorded:
        if change.person_id is None and change.effective_from <= today:
            by_value.setdefault(change.value, []).append(change.household.pk)
            setattr(change.household, household_field, change.value)
    for value, ids in by_value.items():
        for start in range(0, len(ids), DATED_CHUNK):
            Household.objects.filter(pk__in=ids[start : start + DATED_CHUNK]).update(
                **{household_field: value}, updated_at=now
            )


def categories_record_many(
    *, actor: User, changes: list[DatedChange], reason: str
) -> list[DatedChange]:
    """Bulk ``category_set`` inside the caller's transaction (which also writes the audit
    record); returns the changes recorded, without those already current."""
    return _record_dated_many(CategoryStatus, actor=actor, changes=changes, reason=reason)


def relapse_watches_record_many(
    *, actor: User, changes: list[DatedChange], reason: str
) -> list[DatedChange]:
    """Bulk ``relapse_watch_set``, like ``categories_record_many``."""
    return _record_dated_many(RelapseWatchStatus, actor=actor, changes=changes, reason=reason)


def person_reveal_id_number(*, actor: User, person: Person, client: Client | None = None) -> str:
    """The full ID number, for a user with the permission; every reveal is audited."""
    require(actor, Capability.REVEAL_ID_NUMBER)
    if not in_scope(person.region_id, user=actor):
        raise PermissionDenied("该人员不在您的管辖范围内")
    number = identity.decrypt_id_number(person.id_number_encrypted)
    audit_record(
        actor=actor,
        action=Action.REVEAL,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_id,
        summary="查看完整身份证号",
        client=client,
    )
    return number


def household_viewed(
    *,
    actor: User,
    household: Household,
    client: Client | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="household",
        object_id=household.pk,
        region_code=household.region_id,
        summary="查看家庭详情",
        client=client,
    )


def id_number_searched(
    *, actor: User, id_number_hash: str, masked: str, found: int, client: Client | None
) -> None:
    """A search by a whole ID number is a look-up of one person's data: it is audited like a
    view. The trail keeps the masked number and its blind index, never the number in clear, so
    an auditor can find every search for a person without the log holding the digits."""
    audit_record(
        actor=actor,
        action=Action.SEARCH,
        object_type="household_search",
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary=f"按身份证号查询 {masked}，找到 {found} 条",
        detail={"id_number_hash": id_number_hash, "found": found},
        client=client,
    )


def person_viewed(*, actor: User, person: Person, client: Client | None) -> None:
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="person",
        object_id=person.pk,
        region_code=person.region_id,
        summary="查看人员详情",
        client=client,
    )


def money(value: Any) -> Decimal:
    return Decimal(value).quantize(Decimal("0.01"))


# --- statuses that take effect on a later date ----------------------------------------------------

# How far back a daily run looks for statuses whose date has come: a month of missed runs is
# caught up; ``since`` (or ``--all`` on the console) reconciles everything.
APPLY_DUE_LOOKBACK = dt.timedelta(days=31)


@dataclass(frozen=True)
class StatusesApplied:
    on: dt.date
    category: int
    relapse_watch: int


def _in_force(model: type[DatedStatus], field: str, whole: Q, on: dt.date) -> Subquery:
    statuses = model._default_manager.filter(
        whole, household=OuterRef("pk"), effective_from__lte=on
    )
    return Subquery(statuses.order_by("-effective_from", "-id").values(field)[:1])


def _apply_due(
    model: type[DatedStatus],
    fields: tuple[str, str],
    whole: Q,
    *,
    on: dt.date,
    since: dt.date | None,
) -> list[int]:
    """Households whose denormalised field differs from the status in force on ``on``,
    corrected. ``fields`` is (the status's field, the household's); ``whole`` selects the
    household-level statuses (a member's category is not the household's)."""
    status_field, household_field = fields
    starting = model._default_manager.filter(whole, effective_from__lte=on)
    if since is not None:
        starting = starting.filter(effective_from__gt=since)
    changed = list(
        Household.objects.filter(pk__in=starting.values("household_id"))
        .annotate(in_force=_in_force(model, status_field, whole, on))
        .exclude(**{household_field: F("in_force")})
        .values_list("pk", flat=True)
    )
    for start in range(0, len(changed), 5000):
        Household.objects.filter(pk__in=changed[start : start + 5000]).update(
            **{household_field: _in_force(model, status_field, whole, on)}
        )
    return changed


def statuses_apply_due(
    *, on: dt.date | None = None, since: dt.date | None = None, all_dates: bool = False
) -> StatusesApplied:
    """Bring each household's current category and relapse-watch flag to the status in force
    on ``on`` (today): a decision recorded in March for April changes the household on 1 April.

    Set-based and idempotent; run daily (``safetynet categories apply`` or the job worker). Only
    households with a status starting after ``since`` (default: a month back) are looked at,
    unless ``all_dates``. Each changed household is audited in one record per run.
    """
    on = on or timezone.localdate()
    if not all_dates and since is None:
        since = on - APPLY_DUE_LOOKBACK
    cutoff = None if all_dates else since
    with transaction.atomic():
        categories = _apply_due(
            CategoryStatus, ("category", "category"), Q(person__isnull=True), on=on, since=cutoff
        )
        watches = _apply_due(
            RelapseWatchStatus, ("watch_type", "relapse_watch"), Q(), on=on, since=cutoff
        )
        changed = sorted(set(categories) | set(watches))
        if changed:
            audit_record(
                actor=None,
                action=Action.UPDATE,
                object_type="household",
                object_id="",
                region_code="",
                summary=(
                    f"到期生效：救助类别 {len(categories)} 户，防返贫监测标识 {len(watches)} 户"
                ),
                detail={
                    "on": on.isoformat(),
                    "category": categories[:1000],
                    "relapse_watch": watches[:1000],
                    "truncated": len(changed) > 1000,
                },
            )
    return StatusesApplied(on=on, category=len(categories), relapse_watch=len(watches))
