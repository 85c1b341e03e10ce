"""A household's members: editing, adding, removing, and recording a death."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.registry.inputs import HouseholdInput, MemberInput
from safetynet.registry.models import (
    CategoryStatus,
    Household,
    Income,
    Membership,
    Person,
)
from safetynet.registry.names import name_initials, name_pinyin
from safetynet.registry.relations import HEAD, RELATION_NAMES
from safetynet.registry.services.common import (
    HouseholdValidationError,
    RegistryError,
    _changes,
    _check_household_writable,
    _new_person,
    _person_fields,
    _recount,
    _validate,
)
from safetynet.registry.services.households import (
    household_change_head,
)

if TYPE_CHECKING:
    from safetynet.accounts.models import User


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
