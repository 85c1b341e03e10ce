"""Audited reads: viewing a household or a person, revealing an ID number, searching by one."""

from __future__ import annotations

from typing import TYPE_CHECKING

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.registry import identity
from safetynet.registry.models import (
    Household,
    Person,
)
from safetynet.registry.services.common import (
    PermissionDenied,
    require,
)

if TYPE_CHECKING:
    from safetynet.accounts.models import User


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
