"""Dated statuses: assistance categories and relapse-watch flags, one at a time or in bulk, and the
daily run that brings households to the status in force (ADR 0011)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.db.models import F, OuterRef, Q, Subquery
from django.utils import timezone

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.registry.choices import (
    MEMBER_CATEGORIES,
    Category,
    RelapseWatchType,
)
from safetynet.registry.models import (
    CategoryStatus,
    DatedStatus,
    Household,
    Person,
    RelapseWatchStatus,
)
from safetynet.registry.services.common import (
    PermissionDenied,
    RegistryError,
    _is_current_member,
    require,
)

if TYPE_CHECKING:
    from safetynet.accounts.models import User


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
