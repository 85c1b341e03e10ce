"""After the decision: reviews and checks, re-assessments and death re-checks; terminations are
in ``terminations``."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.audit.services import Client
from safetynet.determination import deadlines
from safetynet.determination.after.terminations import termination_create
from safetynet.determination.common import (
    DeterminationError,
    audit_household,
    check_date,
    event,
    limits,
    require_any,
    require_scope,
    today,
)
from safetynet.determination.limits.selectors import Limits
from safetynet.determination.models import (
    Application,
    Decision,
    EventKind,
    ReviewKind,
    ReviewOutcome,
    ReviewSchedule,
)
from safetynet.policy.assessment.terms import age_on
from safetynet.registry import services as registry_services
from safetynet.registry.choices import MEMBER_CATEGORIES, Category, LabourCapacity
from safetynet.registry.models import Household, Membership, Person

CENT = Decimal("0.01")
AMOUNT_LIMIT = Decimal("1000000")

# Working age for "members can work" (which makes the dibao check half-yearly).
WORKING_AGE = (16, 59)


def can_work(labour_capacity: str, birth_date: dt.date, on: dt.date) -> bool:
    """A co-resident member of working age with some labour capacity (half-yearly checks)."""
    low, high = WORKING_AGE
    return labour_capacity != LabourCapacity.NONE and low <= age_on(birth_date, on) <= high


def members_can_work(household: Household, on: dt.date) -> bool:
    return any(
        can_work(capacity, birth, on)
        for capacity, birth in Membership.objects.filter(
            household=household, left_on__isnull=True, co_resident=True
        ).values_list("person__labour_capacity", "person__birth_date")
    )


PERIODIC_CATEGORIES = frozenset({Category.DIBAO, Category.INDIVIDUAL_DIBAO})
ANNUAL_CATEGORIES = frozenset({Category.NEAR_DIBAO, Category.EXPENDITURE_HARDSHIP})


def review_period(*, category: str, rules: Limits, unstable: bool) -> tuple[str, int] | None:
    """The review a category calls for and its period in months: the annual review of near-dibao
    and expenditure hardship, the periodic check of dibao (half-yearly when ``unstable``: income
    unstable or a member can work). None for categories re-assessed only on a reported change."""
    if category in ANNUAL_CATEGORIES:
        return ReviewKind.ANNUAL_REVIEW, rules.annual_review_months
    if category in PERIODIC_CATEGORIES:
        months = rules.periodic_check_unstable_months if unstable else rules.periodic_check_months
        return ReviewKind.PERIODIC_CHECK, months
    return None


def _next_review(
    *, household: Household, category: str, from_day: dt.date, unstable: bool = False
) -> tuple[str, dt.date] | None:
    rules = limits(household.region_id, from_day)
    if category in (Category.NEAR_DIBAO, Category.EXPENDITURE_HARDSHIP):
        return ReviewKind.ANNUAL_REVIEW, deadlines.annual_review_due(from_day, rules)
    if category in (Category.DIBAO, Category.INDIVIDUAL_DIBAO):
        unstable = unstable or members_can_work(household, from_day)
        return ReviewKind.PERIODIC_CHECK, deadlines.periodic_check_due(
            from_day, unstable=unstable, limits=rules
        )
    return None


def _schedule(
    *,
    actor: User,
    household: Household,
    kind: str,
    due_on: dt.date,
    on: dt.date,
    category: str = "",
    application: Application | None = None,
    person: Person | None = None,
    note: str = "",
) -> ReviewSchedule:
    review = ReviewSchedule.objects.create(
        household=household,
        region_id=household.region_id,
        application=application,
        person=person,
        kind=kind,
        category=category,
        due_on=due_on,
    )
    event(
        household=household,
        application=application,
        kind=EventKind.REVIEW_SCHEDULED,
        actor=actor,
        on=on,
        note=note or f"{review.get_kind_display()}，应于 {due_on:%Y-%m-%d} 前完成",
        data={"review_id": review.pk, "kind": kind, "due_on": due_on.isoformat()},
    )
    return review


def schedule_after_decision(
    *, actor: User, application: Application, decision: Decision, income_unstable: bool = False
) -> ReviewSchedule | None:
    """The first review after a confirmation: the annual review of near-dibao and expenditure
    hardship (from the identification date), the periodic check of dibao (yearly; half-yearly
    where income is unstable or a member can work). Destitute persons are re-assessed when a
    change is reported; temporary assistance has none. Runs inside the caller's transaction."""
    planned = _next_review(
        household=application.household,
        category=decision.category,
        from_day=decision.decided_on,
        unstable=income_unstable,
    )
    if planned is None:
        return None
    kind, due = planned
    return _schedule(
        actor=actor,
        household=application.household,
        kind=kind,
        due_on=due,
        on=decision.decided_on,
        category=decision.category,
        application=application,
        person=application.applicant if decision.category in MEMBER_CATEGORIES else None,
    )


def _check_member(household: Household, person: Person) -> None:
    if not Membership.objects.filter(household=household, person=person).exists():
        raise DeterminationError("该人员不是本户成员", field="person")


def self_care_change_report(
    *,
    actor: User,
    household: Household,
    person: Person,
    note: str,
    reported_on: dt.date | None = None,
    client: Client | None = None,
) -> ReviewSchedule:
    """A destitute person's self-care ability changed: re-assess within 10 working days."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, household.region_id)
    _check_member(household, person)
    if not note.strip():
        raise DeterminationError("请填写变化情况", field="note")
    reported_on = check_date(reported_on or today(), field="reported_on", label="报告日期")
    rules = limits(household.region_id, reported_on)
    due = deadlines.self_care_reassessment_due(reported_on, rules)
    with transaction.atomic():
        event(
            household=household,
            kind=EventKind.SELF_CARE_CHANGE,
            actor=actor,
            on=reported_on,
            note=note.strip(),
            data={"person_id": person.pk},
        )
        review = _schedule(
            actor=actor,
            household=household,
            kind=ReviewKind.SELF_CARE_REASSESSMENT,
            due_on=due,
            on=reported_on,
            category=Category.DESTITUTE,
            person=person,
        )
        audit_household(
            actor=actor, household=household, summary="报告特困人员自理能力变化", client=client
        )
    return review


def member_death_report(
    *,
    actor: User,
    household: Household,
    person: Person,
    died_on: dt.date,
    reported_on: dt.date | None = None,
    client: Client | None = None,
) -> ReviewSchedule:
    """A member died: the household's assistance is re-checked within 3 months of the report
    (the platform cannot act before it knows). Removing the member from the household stays a
    registry edit."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, household.region_id)
    _check_member(household, person)
    reported_on = check_date(reported_on or today(), field="reported_on", label="报告日期")
    check_date(died_on, field="died_on", label="死亡日期")
    if died_on > reported_on:
        raise DeterminationError("死亡日期不能晚于报告日期", field="died_on")
    rules = limits(household.region_id, reported_on)
    due = deadlines.death_recheck_due(reported_on, rules)
    with transaction.atomic():
        event(
            household=household,
            kind=EventKind.MEMBER_DEATH,
            actor=actor,
            on=reported_on,
            note=f"{person.name} 于 {died_on:%Y-%m-%d} 死亡",
            data={"person_id": person.pk, "died_on": died_on.isoformat()},
        )
        review = _schedule(
            actor=actor,
            household=household,
            kind=ReviewKind.DEATH_RECHECK,
            due_on=due,
            on=reported_on,
            category=household.category,
            person=person,
        )
        audit_household(actor=actor, household=household, summary="报告家庭成员死亡", client=client)
    return review


def _checked_change(
    review: ReviewSchedule, outcome: str, new_category: str, monthly_amount: Decimal | None
) -> tuple[str, Decimal | None]:
    """The category after the review and the new monthly amount, as the outcome allows them."""
    category = review.category
    if monthly_amount is not None:
        if outcome != ReviewOutcome.CHANGE:
            raise DeterminationError("只有“变更类别或金额”时才填写新的金额", field="monthly_amount")
        if not Decimal(0) <= monthly_amount < AMOUNT_LIMIT:
            raise DeterminationError("金额应在 0 至 999,999.99 元之间", field="monthly_amount")
        monthly_amount = monthly_amount.quantize(CENT)
    if outcome == ReviewOutcome.CHANGE:
        if new_category and new_category not in Category.values:
            raise DeterminationError("救助类别无效", field="new_category")
        if monthly_amount is None and (not new_category or new_category == review.category):
            raise DeterminationError("变更须填写新的救助类别或新的月救助金额", field="new_category")
        category = new_category or category
    return category, monthly_amount


def _save_outcome(
    review: ReviewSchedule,
    *,
    actor: User,
    outcome: str,
    notes: str,
    category: str,
    monthly_amount: Decimal | None,
    done_on: dt.date,
) -> None:
    changed = outcome == ReviewOutcome.CHANGE
    review.done_on = done_on
    review.outcome = outcome
    review.notes = notes.strip()
    review.done_by = actor
    review.new_category = category if changed and category != review.category else ""
    review.monthly_amount = monthly_amount
    review.changes_from = deadlines.first_of_next_month(done_on) if changed else None
    review.save(
        update_fields=[
            "done_on",
            "outcome",
            "notes",
            "done_by",
            "new_category",
            "monthly_amount",
            "changes_from",
        ]
    )
    data: dict[str, Any] = {"review_id": review.pk, "outcome": outcome, "category": category}
    note = review.notes
    if monthly_amount is not None and review.changes_from is not None:
        data |= {
            "monthly_amount": str(monthly_amount),
            "effective_from": review.changes_from.isoformat(),
        }
        note = (
            f"{note}（月救助金额调整为 {monthly_amount:,} 元，自 {review.changes_from:%Y年%m月}起）"
        )
    event(
        household=review.household,
        application=review.application,
        kind=EventKind.REVIEW_RECORDED,
        actor=actor,
        on=done_on,
        note=note,
        data=data,
    )


def _category_change(
    review: ReviewSchedule, *, actor: User, category: str, client: Client | None
) -> None:
    """A changed category through the registry, from the month after the review."""
    person = review.person if category in MEMBER_CATEGORIES else None
    assert review.done_on is not None
    try:
        registry_services.category_set(
            actor=actor,
            household=review.household,
            category=category,
            effective_from=review.changes_from or deadlines.first_of_next_month(review.done_on),
            reason=f"复核变更：{review.notes}"[:200],
            person=person,
            client=client,
        )
    except registry_services.RegistryError as exc:
        raise DeterminationError(f"登记救助类别失败：{exc}", field=exc.field) from exc


def _next_after(
    review: ReviewSchedule,
    *,
    actor: User,
    category: str,
    income_unstable: bool,
    gradual_exit_months: int,
) -> None:
    """What follows the outcome: the termination, or the next review of the same kind."""
    household, done_on = review.household, review.done_on
    assert done_on is not None
    if review.outcome == ReviewOutcome.TERMINATE:
        termination_create(
            actor=actor,
            household=household,
            category=review.category or household.category,
            reason=review.notes,
            person=review.person if review.category in MEMBER_CATEGORIES else None,
            review=review,
            application=review.application,
            gradual_exit_months=gradual_exit_months,
            started_on=done_on,
        )
    elif review.kind in (ReviewKind.ANNUAL_REVIEW, ReviewKind.PERIODIC_CHECK):
        planned = _next_review(
            household=household, category=category, from_day=done_on, unstable=income_unstable
        )
        if planned is not None:
            _schedule(
                actor=actor,
                household=household,
                kind=planned[0],
                due_on=planned[1],
                on=done_on,
                category=category,
                application=review.application,
                person=review.person,
            )


def review_record(
    *,
    actor: User,
    review: ReviewSchedule,
    outcome: str,
    notes: str,
    new_category: str = "",
    monthly_amount: Decimal | None = None,
    income_unstable: bool = False,
    gradual_exit_months: int = 0,
    done_on: dt.date | None = None,
    client: Client | None = None,
) -> ReviewSchedule:
    """Record a review's outcome. Continue schedules the next one of the same kind; change
    records the new category and/or monthly amount from next month (and schedules by the
    category); terminate starts the termination (see ``termination_start``)."""
    household = review.household
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, household.region_id)
    if review.done_on is not None:
        raise DeterminationError("该复核已登记结果")
    if outcome not in ReviewOutcome.values:
        raise DeterminationError("复核结果无效", field="outcome")
    if not notes.strip():
        raise DeterminationError("请填写复核情况", field="notes")
    done_on = check_date(done_on or today(), field="done_on", label="复核日期")
    category, monthly_amount = _checked_change(review, outcome, new_category, monthly_amount)
    with transaction.atomic():
        locked = ReviewSchedule.objects.select_for_update().get(pk=review.pk)
        if locked.done_on is not None:
            raise DeterminationError("该复核已登记结果")
        _save_outcome(
            review,
            actor=actor,
            outcome=outcome,
            notes=notes,
            category=category,
            monthly_amount=monthly_amount,
            done_on=done_on,
        )
        if outcome == ReviewOutcome.CHANGE and category and category != review.category:
            _category_change(review, actor=actor, category=category, client=client)
        _next_after(
            review,
            actor=actor,
            category=category,
            income_unstable=income_unstable,
            gradual_exit_months=gradual_exit_months,
        )
        audit_household(
            actor=actor,
            household=household,
            summary=f"{review.get_kind_display()}：{review.get_outcome_display()}"
            + (f"，月救助金额调整为 {monthly_amount} 元" if monthly_amount is not None else ""),
            detail={
                "review_id": review.pk,
                "outcome": outcome,
                "new_category": review.new_category,
                "monthly_amount": None if monthly_amount is None else str(monthly_amount),
            },
            client=client,
        )
    return review
