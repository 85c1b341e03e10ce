"""Creating households (one or a whole batch), editing their fields and changing the head."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.regions.models import Region
from safetynet.registry import identity
from safetynet.registry.choices import (
    Residence,
)
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import (
    Asset,
    CategoryStatus,
    Household,
    Income,
    LegalSupporter,
    Membership,
    Person,
    RelapseWatchStatus,
    RigidExpenditure,
)
from safetynet.registry.relations import HEAD, RELATION_NAMES
from safetynet.registry.services.common import (
    REUSED_PERSON_FIELDS,
    HouseholdValidationError,
    RegistryError,
    _changes,
    _check_household_writable,
    _hashes_of,
    _new_person,
    _person_fields,
    require,
    writable_village_codes,
)
from safetynet.registry.services.conflicts import (
    households_validate,
)

if TYPE_CHECKING:
    from safetynet.accounts.models import User


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
