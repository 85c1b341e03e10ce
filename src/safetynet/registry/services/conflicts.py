"""Registration checks and the ID-conflict queue: an ID number already registered elsewhere."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import (
    IdConflict,
    Membership,
)
from safetynet.registry.services.common import (
    RegistryError,
    _validate,
    require,
    writable_village_codes,
)
from safetynet.registry.validation import Problem

if TYPE_CHECKING:
    from safetynet.accounts.models import User


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
