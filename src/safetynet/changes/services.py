"""Recording a reported change: the registry is updated through its own services, and the
household goes into the township's check queue where the change may affect eligibility."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.changes.models import (
    HARDSHIP_KINDS,
    INCOME_KINDS,
    NEW_MEMBER_KINDS,
    ChangeKind,
    ChangeReport,
)
from safetynet.determination import deadlines
from safetynet.determination.limits.selectors import TimeLimitsMissing, limits_for
from safetynet.determination.models import CaseEvent, EventKind, ReviewKind, ReviewSchedule
from safetynet.policy.calendar.workdays import add_working_days
from safetynet.registry import selectors as registry_selectors
from safetynet.registry import services as registry_services
from safetynet.registry.choices import HealthStatus, IncomeKind
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import Household, Membership, Person

if TYPE_CHECKING:
    from safetynet.accounts.models import User


class ChangeError(Exception):
    """A report that cannot be recorded, with a Chinese message and the field it concerns."""

    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.field = field


@dataclass
class ChangeFacts:
    """What the form collected beyond kind, dates and note; each kind uses its own part."""

    person: Person | None = None
    new_member: MemberInput | None = None
    new_head: Person | None = None
    income_kind: str = IncomeKind.WAGES
    monthly_income: Decimal | None = None
    disability_type: str = ""
    disability_grade: int | None = None
    illness_name: str = ""
    school_stage: str = ""
    extra: dict[str, Any] = field(default_factory=dict)


def is_assisted(household: Household, on: dt.date) -> bool:
    """The household or one of its members holds a category today."""
    if household.category:
        return True
    return registry_selectors.member_statuses_in_force(on=on).filter(household=household).exists()


def needs_check(kind: str, *, assisted: bool) -> bool:
    """Any change of an assisted household may change its assistance; for one not assisted,
    only a change that adds a member or lowers its means can make it eligible."""
    return assisted or kind in HARDSHIP_KINDS


def _current_member(household: Household, person: Person | None) -> Person:
    if person is None:
        raise ChangeError("请选择涉及的家庭成员", field="person")
    if not Membership.objects.filter(
        household=household, person=person, left_on__isnull=True
    ).exists():
        raise ChangeError("该人员不是本户现有成员", field="person")
    return person


def _apply(
    *,
    actor: User,
    household: Household,
    kind: str,
    occurred_on: dt.date,
    facts: ChangeFacts,
    client: Client | None,
) -> Person | None:
    """Update the registry for the change; returns the member concerned."""
    registry = registry_services
    if kind in NEW_MEMBER_KINDS:
        if facts.new_member is None:
            raise ChangeError("请填写新成员的姓名、身份证号和与户主关系", field="new_member")
        return registry.member_add(
            actor=actor, household=household, member=facts.new_member, client=client
        )
    person = _current_member(household, facts.person)
    if kind == ChangeKind.DEATH:
        registry.member_died(
            actor=actor,
            household=household,
            person=person,
            died_on=occurred_on,
            new_head=facts.new_head,
            client=client,
        )
    elif kind == ChangeKind.MEMBER_OUT:
        if household.head_id == person.pk:
            if facts.new_head is None:
                raise ChangeError("户主迁出，请指定新户主", field="new_head")
            registry.household_change_head(
                actor=actor,
                household=household,
                new_head=_current_member(household, facts.new_head),
                old_head_relation=registry.FORMER_HEAD_RELATION,
                client=client,
            )
        joined = (
            Membership.objects.filter(household=household, person=person, left_on__isnull=True)
            .values_list("joined_on", flat=True)
            .first()
        )
        registry.member_remove(
            actor=actor,
            household=household,
            person=person,
            reason=f"迁出（{occurred_on.isoformat()}）",
            left_on=max(occurred_on, joined) if joined else occurred_on,
            client=client,
        )
    elif kind in INCOME_KINDS:
        amount = facts.monthly_income
        if amount is None and kind == ChangeKind.JOB_LOST:
            amount = Decimal(0)
        if amount is None:
            raise ChangeError("请填写变化后的月收入（元）", field="monthly_income")
        registry.incomes_of_member_set(
            actor=actor,
            household=household,
            person=person,
            kind=facts.income_kind or IncomeKind.WAGES,
            monthly_amount=amount,
            client=client,
        )
    elif kind == ChangeKind.SERIOUS_ILLNESS:
        registry.member_update(
            actor=actor,
            household=household,
            person=person,
            data={"health_status": HealthStatus.SERIOUS, "illness_name": facts.illness_name},
            client=client,
        )
    elif kind == ChangeKind.DISABILITY:
        if not facts.disability_type or facts.disability_grade is None:
            raise ChangeError("请填写残疾类别和等级", field="disability_type")
        registry.member_update(
            actor=actor,
            household=household,
            person=person,
            data={
                "disability_type": facts.disability_type,
                "disability_grade": facts.disability_grade,
            },
            client=client,
        )
    elif kind == ChangeKind.SCHOOL_ENTRY:
        if not facts.school_stage:
            raise ChangeError("请选择就读阶段", field="school_stage")
        registry.member_update(
            actor=actor,
            household=household,
            person=person,
            data={"school_stage": facts.school_stage},
            client=client,
        )
    # A disaster changes nothing in the registry by itself: the check assesses the losses.
    return person


def _queue_check(
    *, actor: User, household: Household, kind: str, person: Person | None, on: dt.date, note: str
) -> ReviewSchedule:
    """Put the household in the township's check queue, with the matching timeline entry."""
    if kind == ChangeKind.DEATH:
        try:
            rules = limits_for(region_code=household.region_id, on=on)
        except TimeLimitsMissing as exc:
            raise ChangeError(str(exc)) from exc
        review_kind, due = ReviewKind.DEATH_RECHECK, deadlines.death_recheck_due(on, rules)
    else:
        review_kind = ReviewKind.CHANGE_CHECK
        due = add_working_days(on, settings.CHANGES_CHECK_WORKING_DAYS)
    review = ReviewSchedule.objects.create(
        household=household,
        region_id=household.region_id,
        person=person if kind == ChangeKind.DEATH else None,
        kind=review_kind,
        category=household.category,
        due_on=due,
    )
    CaseEvent.objects.create(
        household=household,
        region_id=household.region_id,
        kind=EventKind.REVIEW_SCHEDULED,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "signature", "") or getattr(actor, "username", ""),
        at=timezone.now(),
        on=on,
        note=f"{review.get_kind_display()}（{note}），应于 {due:%Y-%m-%d} 前完成",
        data={"review_id": review.pk, "kind": review_kind, "due_on": due.isoformat()},
    )
    return review


def change_report(
    *,
    actor: User,
    household: Household,
    kind: str,
    occurred_on: dt.date,
    note: str = "",
    facts: ChangeFacts | None = None,
    reported_on: dt.date | None = None,
    client: Client | None = None,
) -> ChangeReport:
    """Record a change reported by the village or township (二(二), 三(二)).

    The registry is updated through its services (a death ends the membership, hands the
    household to a new head and ends the member's own category; a birth adds a member; an income
    change sets the member's income); where the change may affect eligibility the household is
    queued for the township's check. All of it commits together or not at all."""
    require(actor, Capability.EDIT_HOUSEHOLDS, household)
    facts = facts or ChangeFacts()
    if kind not in ChangeKind.values:
        raise ChangeError("请选择变化事项", field="kind")
    reported_on = reported_on or timezone.localdate()
    if occurred_on > reported_on:
        raise ChangeError("发生日期不能晚于报告日期", field="occurred_on")
    assisted = is_assisted(household, reported_on)
    label = ChangeKind(kind).label
    try:
        with transaction.atomic():
            person = _apply(
                actor=actor,
                household=household,
                kind=kind,
                occurred_on=occurred_on,
                facts=facts,
                client=client,
            )
            household.refresh_from_db()
            who = f"{person.name}" if person is not None else ""
            summary = f"{label}{('：' + who) if who else ''}（{occurred_on:%Y-%m-%d}）"
            review = None
            if needs_check(kind, assisted=assisted):
                review = _queue_check(
                    actor=actor,
                    household=household,
                    kind=kind,
                    person=person,
                    on=reported_on,
                    note=summary,
                )
            report = ChangeReport.objects.create(
                household=household,
                region_id=household.region_id,
                kind=kind,
                person=person,
                occurred_on=occurred_on,
                reported_on=reported_on,
                note=note.strip(),
                reported_by=actor if getattr(actor, "pk", None) else None,
                reported_by_name=getattr(actor, "signature", "") or getattr(actor, "username", ""),
                check_review=review,
            )
            audit_record(
                actor=actor,
                action=Action.CREATE,
                object_type="change_report",
                object_id=report.pk,
                region_code=household.region_id,
                summary=f"报告家庭情况变化：{summary}"
                + ("，已列入乡镇核查" if review is not None else ""),
                detail={"household": household.pk, "kind": kind},
                client=client,
            )
    except registry_services.HouseholdValidationError as exc:
        raise ChangeError("；".join(p.reason for p in exc.problems), field="new_member") from exc
    except registry_services.RegistryError as exc:
        raise ChangeError(str(exc), field=getattr(exc, "field", "") or "") from exc
    return report
