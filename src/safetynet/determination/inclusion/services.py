"""Direct inclusion (二): households of existing dibao, destitute, near-dibao and expenditure-
hardship registers enter without being screened again.

The rules (ADR 0010, "Direct inclusion"):

- **History keeps the register's date.** The identification date of the register is the
  category's effective date in the registry and the application, acceptance and decision date of
  the confirmed case recorded for it; it may lie years back, before any time limits were
  recorded on the platform (the national figures are shipped effective 2021-07-01).
- **What comes next is scheduled from the inclusion day** (today), with the time limits in force
  on that day: registers from before any recorded limits are included like recent ones.
- **The first review is the next anniversary, not a backlog.** The first annual review
  (near-dibao, expenditure hardship) or periodic check (dibao: yearly, half-yearly where a
  co-resident member of working age can work, judged on the inclusion day) falls on the first
  anniversary of the identification date, by that period, that is not before the inclusion day:
  identified 2019-05-10, included 2026-03-10, a yearly check is due 2026-05-10 and a
  half-yearly one 2026-05-10 as well; included 2026-06-01, they are due 2027-05-10 and
  2026-11-10. An old register therefore does not land wholly on the overdue list. Destitute
  persons have no scheduled review (they are re-assessed when a change is reported).
- **A register is written as one batch.** Everything is checked for the whole batch first (scope,
  types, dates, current members, open applications, the registry's history order) in a fixed
  number of queries, then written with bulk inserts; the time limits are resolved once for all
  the batch's counties. The category rows follow ``registry.services.category_set``'s rules (the
  open record ends the day before; a category already current is left as it is). One audit
  record lists every household's case, category and date, as the registry's imports do; a
  single inclusion is audited on its case.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.core.chunks import chunked
from safetynet.determination import deadlines
from safetynet.determination.after.services import (
    ANNUAL_CATEGORIES,
    PERIODIC_CATEGORIES,
    can_work,
    review_period,
)
from safetynet.determination.common import (
    DeterminationError,
    PermissionDenied,
    audit,
    check_date,
    require_any,
    today,
)
from safetynet.determination.limits.selectors import Limits, TimeLimitsMissing, limits_for_many
from safetynet.determination.models import (
    OPEN_STATUSES,
    Application,
    ApplicationType,
    CaseEvent,
    Decision,
    DecisionLevel,
    EventKind,
    Outcome,
    ReviewKind,
    ReviewSchedule,
    Status,
)
from safetynet.registry import services as registry_services
from safetynet.registry.choices import MEMBER_CATEGORIES, Category
from safetynet.registry.models import (
    Household,
    Membership,
    Person,
)

# The registry categories a directly included household of each type may hold.
INCLUSION_CATEGORIES: dict[str, tuple[str, ...]] = {
    ApplicationType.DIBAO: (Category.DIBAO, Category.INDIVIDUAL_DIBAO),
    ApplicationType.DESTITUTE: (Category.DESTITUTE,),
    ApplicationType.NEAR_DIBAO: (Category.NEAR_DIBAO,),
    ApplicationType.EXPENDITURE_HARDSHIP: (Category.EXPENDITURE_HARDSHIP,),
}
DEFAULT_SOURCE = "存量名单直接纳入"
REVIEWED_CATEGORIES = ANNUAL_CATEGORIES | PERIODIC_CATEGORIES


@dataclass(frozen=True)
class Inclusion:
    """One household (or member, for destitute and single-person dibao) of a register."""

    household: Household
    type: str
    identified_on: dt.date
    person: Person | None = None  # the beneficiary; the head when not given
    category: str | None = None  # the type's first category when not given
    care_tier: str = ""
    monthly_amount: Decimal | None = None


class InclusionRefused(DeterminationError):
    """One inclusion of a batch refused; ``index`` is its position in the batch (nothing of the
    batch is written)."""

    def __init__(self, index: int, message: str, *, field: str | None = None) -> None:
        super().__init__(message, field=field)
        self.index = index


@dataclass
class _Item:
    index: int
    inclusion: Inclusion
    category: str
    person_id: int  # the case's applicant
    status_person_id: int | None  # the category row's person (None: the household's)
    application: Application | None = None
    review: ReviewSchedule | None = None


def _check(index: int, inclusion: Inclusion, actor: User) -> _Item:
    """What one inclusion asks for, checked without the database."""
    household = inclusion.household
    if not in_scope(household.region_id, user=actor):
        raise PermissionDenied("该家庭不在您的管辖范围内")
    allowed = INCLUSION_CATEGORIES.get(inclusion.type)
    if allowed is None:
        raise InclusionRefused(
            index, "直接纳入仅适用于低保、特困、低保边缘和刚性支出困难家庭", field="type"
        )
    category = allowed[0] if inclusion.category is None else inclusion.category
    if category not in allowed:
        raise InclusionRefused(index, "救助类别与类型不符", field="category")
    try:
        check_date(inclusion.identified_on, field="identified_on", label="认定日期")
    except DeterminationError as exc:
        raise InclusionRefused(index, exc.message, field=exc.field) from exc
    person_id = inclusion.person.pk if inclusion.person is not None else household.head_id
    if person_id is None:
        raise InclusionRefused(index, "请指定人员", field="person")
    return _Item(
        index=index,
        inclusion=inclusion,
        category=category,
        person_id=person_id,
        status_person_id=person_id if category in MEMBER_CATEGORIES else None,
    )


def _limits(items: list[_Item], on: dt.date) -> dict[str, Limits]:
    """The limits in force on the inclusion day for every village of the batch (one query)."""
    codes = {item.inclusion.household.region_id for item in items}
    try:
        return limits_for_many(region_codes=codes, on=on)
    except TimeLimitsMissing as exc:
        raise DeterminationError(str(exc)) from exc


def _working_households(items: list[_Item], on: dt.date) -> set[int]:
    """Households of the batch's dibao inclusions with a co-resident member who can work."""
    ids = sorted({i.inclusion.household.pk for i in items if i.category in PERIODIC_CATEGORIES})
    working: set[int] = set()
    for chunk in chunked(ids):
        for household_id, capacity, birth in Membership.objects.filter(
            household_id__in=chunk, left_on__isnull=True, co_resident=True
        ).values_list("household_id", "person__labour_capacity", "person__birth_date"):
            if can_work(capacity, birth, on):
                working.add(household_id)
    return working


def _check_registry(items: list[_Item], ids: list[int]) -> None:
    """Against the registry as it stands (households locked): members, open applications and one
    row per household (or member) in the batch. The dated-status rules are the registry's
    (``_record_categories``)."""
    members: set[tuple[int, int]] = set()
    open_types: set[tuple[int, str]] = set()
    for chunk in chunked(ids):
        list(Household.objects.select_for_update().filter(pk__in=chunk).values_list("pk"))
        members.update(
            Membership.objects.filter(household_id__in=chunk, left_on__isnull=True).values_list(
                "household_id", "person_id"
            )
        )
        open_types.update(
            Application.objects.filter(
                household_id__in=chunk, status__in=OPEN_STATUSES
            ).values_list("household_id", "type")
        )
    seen: set[tuple[int, int | None]] = set()
    for item in items:
        household_id = item.inclusion.household.pk
        if item.status_person_id is not None and (household_id, item.person_id) not in members:
            raise InclusionRefused(item.index, "该人员不是本户现有成员", field="person")
        if (household_id, item.inclusion.type) in open_types:
            raise InclusionRefused(item.index, "该家庭已有一件同类办理中的申请", field="type")
        key = (household_id, item.status_person_id)
        if key in seen:
            raise InclusionRefused(
                item.index, "同一家庭（成员）在本批中重复出现", field="household"
            )
        seen.add(key)


def _record_categories(actor: User, items: list[_Item], source: str) -> list[_Item]:
    """The categories through the registry's dated-status rules (a category already current is
    left as it is); returns the items whose category was recorded."""
    changes = [
        registry_services.DatedChange(
            index=item.index,
            household=item.inclusion.household,
            value=item.category,
            effective_from=item.inclusion.identified_on,
            person_id=item.status_person_id,
        )
        for item in items
    ]
    try:
        recorded = registry_services.categories_record_many(
            actor=actor, changes=changes, reason=f"{DEFAULT_SOURCE} {source.strip()}".strip()
        )
    except registry_services.DatedChangeRefused as exc:
        field = "identified_on" if exc.field == "effective_from" else exc.field
        raise InclusionRefused(exc.index, str(exc), field=field) from exc
    indexes = {change.index for change in recorded}
    return [item for item in items if item.index in indexes]


def _new_cases(actor: User, items: list[_Item], reason: str) -> list[Application]:
    """A confirmed case and its decision per inclusion, the county's, from the register."""
    applications: list[Application] = []
    for item in items:
        inclusion = item.inclusion
        item.application = Application(
            type=inclusion.type,
            household_id=inclusion.household.pk,
            region_id=inclusion.household.region_id,
            applicant_id=item.person_id,
            reason=reason,
            entered_by=actor,
            applied_on=inclusion.identified_on,
            accepted_on=inclusion.identified_on,
            accepted_by=actor,
            status=Status.CONFIRMED,
            direct_inclusion=True,
            closed_on=inclusion.identified_on,
        )
        applications.append(item.application)
    Application.objects.bulk_create(applications, batch_size=1000)
    decisions = [_decision(actor, item, reason) for item in items]
    Decision.objects.bulk_create(decisions, batch_size=1000)
    for application, decision in zip(applications, decisions, strict=True):
        application.decision = decision
    return applications


def _decision(actor: User, item: _Item, reason: str) -> Decision:
    inclusion = item.inclusion
    assert item.application is not None
    return Decision(
        application=item.application,
        outcome=Outcome.CONFIRMED,
        level=DecisionLevel.COUNTY,
        category=item.category,
        care_tier=inclusion.care_tier if item.category == Category.DESTITUTE else "",
        monthly_amount=inclusion.monthly_amount,
        amount_basis={"rule": "存量名单原金额"} if inclusion.monthly_amount is not None else {},
        start_month=inclusion.identified_on.replace(day=1),
        reasons=reason,
        decided_by=actor,
        decided_on=inclusion.identified_on,
    )


def _schedule_reviews(reviewed: list[_Item], on: dt.date) -> None:
    """The first review of each reviewed category, on the next anniversary of the register's
    date (sooner for a household with members who can work)."""
    rules = _limits(reviewed, on) if reviewed else {}
    working = _working_households(reviewed, on)
    for item in reviewed:
        household = item.inclusion.household
        planned = review_period(
            category=item.category,
            rules=rules[household.region_id],
            unstable=household.pk in working,
        )
        assert planned is not None
        kind, months = planned
        item.review = ReviewSchedule(
            household_id=household.pk,
            region_id=household.region_id,
            application=item.application,
            person_id=item.status_person_id,
            kind=kind,
            category=item.category,
            due_on=deadlines.next_anniversary(item.inclusion.identified_on, months, not_before=on),
        )
    ReviewSchedule.objects.bulk_create(
        [item.review for item in reviewed if item.review is not None], batch_size=1000
    )


def _timeline(actor: User, items: list[_Item], reviewed: list[_Item], reason: str) -> None:
    now, on = timezone.now(), today()
    actor_name = actor.get_full_name() or actor.username
    events = [
        CaseEvent(
            household_id=item.inclusion.household.pk,
            application=item.application,
            region_id=item.inclusion.household.region_id,
            kind=EventKind.DIRECT_INCLUSION,
            to_status=Status.CONFIRMED,
            actor=actor,
            actor_name=actor_name,
            at=now,
            on=item.inclusion.identified_on,
            note=reason,
            data={"category": item.category},
        )
        for item in items
    ]
    for item in reviewed:
        review = item.review
        assert review is not None
        events.append(
            CaseEvent(
                household_id=review.household_id,
                application=item.application,
                region_id=review.region_id,
                kind=EventKind.REVIEW_SCHEDULED,
                actor=actor,
                actor_name=actor_name,
                at=now,
                on=on,
                note=f"{ReviewKind(review.kind).label}，应于 {review.due_on:%Y-%m-%d} 前完成",
                data={"review_id": review.pk, "kind": review.kind, "due_on": str(review.due_on)},
            )
        )
    CaseEvent.objects.bulk_create(events, batch_size=1000)


def direct_inclusion_many(
    *,
    actor: User,
    inclusions: Sequence[Inclusion],
    source: str = "",
    client: Client | None = None,
    channel: str | None = None,
) -> list[Application]:
    """Include a batch of register households directly (rules in this module's docstring): per
    inclusion a confirmed case with its decision, the category in the registry unless already
    current, the first review and the timeline events. All or nothing: a refused inclusion
    raises ``InclusionRefused`` naming it, a batch-wide problem ``DeterminationError``."""
    require_any(actor, Capability.CONFIRM_DETERMINATION)
    require_any(actor, Capability.SET_CATEGORY)
    items = [_check(index, inclusion, actor) for index, inclusion in enumerate(inclusions)]
    if not items:
        return []
    reason = source.strip() or DEFAULT_SOURCE
    reviewed = [item for item in items if item.category in REVIEWED_CATEGORIES]
    with transaction.atomic():
        _check_registry(items, sorted({item.inclusion.household.pk for item in items}))
        recorded = _record_categories(actor, items, source)
        applications = _new_cases(actor, items, reason)
        _schedule_reviews(reviewed, today())
        _timeline(actor, items, reviewed, reason)
        _audit(
            actor=actor,
            items=items,
            recorded=recorded,
            source=reason,
            client=client,
            channel=channel,
        )
    return applications


def _audit(
    *,
    actor: User,
    items: list[_Item],
    recorded: list[_Item],
    source: str,
    client: Client | None,
    channel: str | None,
) -> None:
    changed = {item.index for item in recorded}
    if len(items) == 1:
        [item] = items
        assert item.application is not None
        audit(
            actor=actor,
            application=item.application,
            action=Action.CREATE,
            summary=DEFAULT_SOURCE,
            detail={
                "category": item.category,
                "effective_from": item.inclusion.identified_on.isoformat(),
                "category_recorded": item.index in changed,
                "source": source,
            },
            client=client,
            channel=channel,
        )
        return
    audit_record(
        actor=actor,
        action=Action.CREATE,
        object_type="direct_inclusion",
        object_id=f"{items[0].application.pk if items[0].application else ''}",
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary=f"{DEFAULT_SOURCE}：{len(items)} 件（{source}）"[:300],
        detail={
            "source": source,
            "count": len(items),
            # application, household, category, effective date, category recorded (or current)
            "cases": [
                [
                    item.application.pk if item.application else None,
                    item.inclusion.household.pk,
                    item.category,
                    item.inclusion.identified_on.isoformat(),
                    item.index in changed,
                ]
                for item in items
            ],
        },
        client=client,
        channel=channel,
    )


def direct_inclusion(
    *,
    actor: User,
    household: Household,
    type: str,
    identified_on: dt.date,
    person: Person | None = None,
    category: str | None = None,
    care_tier: str = "",
    monthly_amount: Decimal | None = None,
    source: str = "",
    client: Client | None = None,
) -> Application:
    """Include one household of an existing register directly, without screening again (二):
    one confirmed case with its decision, the category in the registry (unless already current)
    and the first review (see this module's rules)."""
    [application] = direct_inclusion_many(
        actor=actor,
        inclusions=[
            Inclusion(
                household=household,
                type=type,
                identified_on=identified_on,
                person=person,
                category=category,
                care_tier=care_tier,
                monthly_amount=monthly_amount,
            )
        ],
        source=source,
        client=client,
    )
    return application
