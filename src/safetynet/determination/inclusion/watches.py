"""Anti-relapse watch households of a register (防止返贫监测对象: 脱贫不稳定户、边缘易致贫户、
突发严重困难户) recorded directly as watches, in one batch (二, 三(一))."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination.common import (
    PermissionDenied,
    require_any,
    today,
)
from safetynet.determination.inclusion.services import DEFAULT_SOURCE, InclusionRefused
from safetynet.determination.models import (
    CaseEvent,
    EventKind,
)
from safetynet.registry import services as registry_services
from safetynet.registry.choices import RelapseWatchType
from safetynet.registry.models import (
    Household,
)

# The registry categories a directly included household of each type may hold.


@dataclass(frozen=True)
class WatchInclusion:
    """One household of an anti-relapse watch register (no case: the watch is not an
    assistance category)."""

    household: Household
    watch_type: str
    identified_on: dt.date


def _check_watches(actor: User, inclusions: Sequence[WatchInclusion]) -> None:
    """What a watch register asks for, checked without the database."""
    on = today()
    seen: set[int] = set()
    for index, inclusion in enumerate(inclusions):
        if not in_scope(inclusion.household.region_id, user=actor):
            raise PermissionDenied("该家庭不在您的管辖范围内")
        if inclusion.watch_type not in RelapseWatchType.values:
            raise InclusionRefused(index, "防返贫监测类型无效", field="watch_type")
        if inclusion.identified_on > on:
            raise InclusionRefused(index, "认定日期不能晚于今天", field="identified_on")
        if inclusion.household.pk in seen:
            raise InclusionRefused(index, "同一家庭在本批中重复出现", field="household")
        seen.add(inclusion.household.pk)


def watch_inclusion_many(
    *,
    actor: User,
    inclusions: Sequence[WatchInclusion],
    source: str = "",
    client: Client | None = None,
    channel: str | None = None,
) -> int:
    """Record the anti-relapse watch of a register's households from the register's dates, with
    the direct-inclusion event on each timeline; ``registry.services.relapse_watch_set``'s rules
    (the open record ends the day before; a watch already current is left as it is), checked and
    written for the whole batch in a fixed number of queries, one audit record. Returns how many
    watches were recorded. All or nothing, like ``direct_inclusion_many``."""
    require_any(actor, Capability.SET_CATEGORY)
    _check_watches(actor, inclusions)
    if not inclusions:
        return 0
    reason = source.strip() or DEFAULT_SOURCE
    now = timezone.now()
    changes = [
        registry_services.DatedChange(
            index=index,
            household=inclusion.household,
            value=inclusion.watch_type,
            effective_from=inclusion.identified_on,
        )
        for index, inclusion in enumerate(inclusions)
    ]
    with transaction.atomic():
        try:
            recorded_changes = registry_services.relapse_watches_record_many(
                actor=actor, changes=changes, reason=f"{DEFAULT_SOURCE} {source.strip()}".strip()
            )
        except registry_services.DatedChangeRefused as exc:
            field = "identified_on" if exc.field == "effective_from" else exc.field
            raise InclusionRefused(exc.index, str(exc), field=field) from exc
        recorded = [(c.index, inclusions[c.index]) for c in recorded_changes]
        CaseEvent.objects.bulk_create(
            [
                CaseEvent(
                    household_id=inclusion.household.pk,
                    region_id=inclusion.household.region_id,
                    kind=EventKind.DIRECT_INCLUSION,
                    actor=actor,
                    actor_name=actor.get_full_name() or actor.username,
                    at=now,
                    on=inclusion.identified_on,
                    note=reason,
                    data={"watch_type": inclusion.watch_type},
                )
                for _, inclusion in recorded
            ],
            batch_size=1000,
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="direct_inclusion",
            object_id="",
            region_code=getattr(actor, "scope_region_id", "") or "",
            summary=f"直接纳入防返贫监测：{len(recorded)} 户（{reason}）"[:300],
            detail={
                "source": reason,
                "count": len(recorded),
                # household, watch type, effective date
                "watches": [
                    [inclusion.household.pk, inclusion.watch_type, str(inclusion.identified_on)]
                    for _, inclusion in recorded
                ],
            },
            client=client,
            channel=channel,
        )
    return len(recorded)
