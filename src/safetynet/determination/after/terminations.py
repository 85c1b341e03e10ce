"""Terminations (终止救助): who decides one, and from when it takes effect.

- A township starts it: outside a review (``termination_start``: a reported change, a home
  check's finding) or as a review's outcome (``review_record`` with ``terminate``).
- Destitute support is publicised for 7 days first (《社会救助暂行办法》第十八条: 终止供养并予以
  公示; 《特困人员认定办法》).
- It is decided by the level that confirms the category (ADR 0010): the county civil-affairs
  department (《社会救助暂行办法》第十三条: the county decides to stop dibao and states the reasons
  in writing; 第十八条: destitute support ends after the township's review and the county's
  approval), or the township where the county delegated confirmation to it (豫政办〔2022〕103号
  二(二): 乡镇（街道）受县级政府委托，负责低收入人口认定的受理、审核、确认). Near-dibao and
  expenditure-hardship households follow the dibao procedure (二(三)2), so the township alone
  ends their category only where the county delegated confirmation; otherwise the township
  proposes (``CONFIRMING``) and the county confirms (``termination_confirm``) or declines.
  Whether the county delegated is read from the time limits in force when it starts.
- It takes effect on the first of the month after the decision, or after a gradual exit (渐退期);
  ``termination_complete`` on or after that date ends the category in the registry.
- The termination notice (终止救助通知书, ``documents.termination``) states the reasons, the
  month and the rights to object; it exists once the termination is decided.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied, allowed
from safetynet.accounts.roles import Capability
from safetynet.audit.services import Client
from safetynet.determination import deadlines
from safetynet.determination.common import (
    DeterminationError,
    acts_for_township,
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
    TERMINATION_OPEN,
    Application,
    ApplicationType,
    DecisionLevel,
    EventKind,
    ReviewOutcome,
    ReviewSchedule,
    Status,
    Termination,
    TerminationStatus,
)
from safetynet.policy.assessment import facts as policy_facts
from safetynet.policy.assessment import rules as eligibility
from safetynet.policy.assessment.classifier import gradual_exit_reason
from safetynet.policy.standards.selectors import StandardsMissing, standards_for
from safetynet.registry import services as registry_services
from safetynet.registry.choices import MEMBER_CATEGORIES, Category
from safetynet.registry.models import CategoryStatus, Household, Person

# The application type whose confirmation recorded each category (for the case a termination
# belongs to, whose archive keeps its notice).
CATEGORY_TYPES: dict[str, str] = {
    Category.DIBAO: ApplicationType.DIBAO,
    Category.INDIVIDUAL_DIBAO: ApplicationType.DIBAO,
    Category.DESTITUTE: ApplicationType.DESTITUTE,
    Category.NEAR_DIBAO: ApplicationType.NEAR_DIBAO,
    Category.EXPENDITURE_HARDSHIP: ApplicationType.EXPENDITURE_HARDSHIP,
}
NOT_DELEGATED = "本县未委托乡镇(街道)审核确认，终止须由县级民政部门确认"


def case_of(household: Household, category: str) -> Application | None:
    """The household's latest confirmed case of the category's type, if any."""
    kind = CATEGORY_TYPES.get(category)
    if kind is None:
        return None
    return (
        Application.objects.filter(household=household, type=kind, status=Status.CONFIRMED)
        .order_by("-id")
        .first()
    )


def _check_new(
    household: Household,
    category: str,
    person: Person | None,
    gradual_exit_months: int,
    rules: Limits,
) -> None:
    if not category:
        raise DeterminationError("该家庭当前没有救助类别，无需终止", field="category")
    # The local months, never above the national ceiling (ADR 0005, 渐退期).
    ceiling = min(rules.gradual_exit_max_months, eligibility.GRADUAL_EXIT_MAX_MONTHS)
    if not 0 <= gradual_exit_months <= ceiling:
        raise DeterminationError(f"渐退期为 0 至 {ceiling} 个月", field="gradual_exit_months")
    if gradual_exit_months and category not in eligibility.GRADUAL_EXIT_CATEGORIES:
        raise DeterminationError(
            "渐退期只适用于因收入超过低保标准而退出的低保家庭，"
            "不适用于特困、单人保、低保边缘、支出型困难等",
            field="gradual_exit_months",
        )
    if category in MEMBER_CATEGORIES and person is None:
        raise DeterminationError("特困和单人保的终止须指定到人员", field="person")
    if Termination.objects.filter(
        household=household, person=person, category=category, status__in=TERMINATION_OPEN
    ).exists():
        raise DeterminationError("已有一件办理中的终止")


def _gradual_exit_basis(household: Household, on: dt.date) -> str:
    """The reason text that allows a gradual exit, or a refusal: only a household whose counted
    income per head has risen to or above the dibao standard (ADR 0005, 渐退期)."""
    facts = policy_facts.facts_from_household(household=household, on=on)
    try:
        standards = standards_for(region_code=household.region_id, on=on, residence=facts.residence)
    except StandardsMissing as exc:
        raise DeterminationError(
            f"无法核实收入是否超过低保标准：{exc}", field="gradual_exit_months"
        ) from exc
    reason = gradual_exit_reason(facts, standards)
    if not reason.met:
        raise DeterminationError(
            "渐退期只适用于因收入超过低保标准而退出的低保家庭。"
            + reason.text
            + "。如收入已增加，请先在家庭档案中登记增加的收入。",
            field="gradual_exit_months",
        )
    return reason.text


def _record_decision(
    termination: Termination, *, actor: User, on: dt.date, level: str, note: str, status: str
) -> None:
    """The confirming level's decision on the termination, and its event on the timeline."""
    termination.status = status
    termination.decided_on = on
    termination.decided_by = actor
    termination.decision_level = level
    termination.decision_note = note.strip()
    confirmed = status == TerminationStatus.SCHEDULED
    if confirmed:
        termination.effective_from = deadlines.termination_effective(
            on, termination.gradual_exit_months
        )
    termination.save(
        update_fields=[
            "status",
            "decided_on",
            "decided_by",
            "decision_level",
            "decision_note",
            "effective_from",
        ]
    )
    label = DecisionLevel(level).label
    event(
        household=termination.household,
        application=termination.application,
        kind=EventKind.TERMINATION_DECIDED,
        actor=actor,
        on=on,
        note=(
            f"终止救助（{label}决定）"
            if confirmed
            else f"不予终止（{label}）：{termination.decision_note}"
        ),
        data={
            "termination_id": termination.pk,
            "level": level,
            "declined": not confirmed,
            "effective_from": (
                termination.effective_from.isoformat() if termination.effective_from else None
            ),
        },
    )


def _decide(
    termination: Termination, *, actor: User, on: dt.date, level: str, note: str = ""
) -> None:
    """Decided: the termination takes effect from the next month (or after the gradual exit)."""
    _record_decision(
        termination,
        actor=actor,
        on=on,
        level=level,
        note=note,
        status=TerminationStatus.SCHEDULED,
    )


def _after_proposal(termination: Termination, *, actor: User, on: dt.date) -> None:
    """What follows the township's proposal (after the publicity, for destitute support): its
    own decision where the county delegated confirmation, or a county officer's when one starts
    it; else it waits for the county's confirmation."""
    if termination.delegated and acts_for_township(actor):
        _decide(termination, actor=actor, on=on, level=DecisionLevel.TOWNSHIP)
    elif not acts_for_township(actor) and allowed(actor, Capability.CONFIRM_DETERMINATION):
        _decide(termination, actor=actor, on=on, level=DecisionLevel.COUNTY)
    else:
        termination.status = TerminationStatus.CONFIRMING
        termination.save(update_fields=["status"])


def termination_create(
    *,
    actor: User,
    household: Household,
    category: str,
    reason: str,
    person: Person | None,
    review: ReviewSchedule | None,
    application: Application | None,
    gradual_exit_months: int,
    started_on: dt.date,
) -> Termination:
    """A termination started (in the caller's transaction): publicity for destitute support,
    else decided at once or sent to the county (see the module's docstring)."""
    rules = limits(household.region_id, started_on)
    _check_new(household, category, person, gradual_exit_months, rules)
    exit_basis = _gradual_exit_basis(household, started_on) if gradual_exit_months else ""
    destitute = category == Category.DESTITUTE
    termination = Termination.objects.create(
        household=household,
        region_id=household.region_id,
        application=application or case_of(household, category),
        review=review,
        person=person,
        category=category,
        reason=reason.strip()
        + (f"\n渐退期 {gradual_exit_months} 个月：{exit_basis}" if exit_basis else ""),
        started_on=started_on,
        started_by=actor,
        publicity_ends_on=(
            deadlines.termination_publicity_end(started_on, rules) if destitute else None
        ),
        gradual_exit_months=gradual_exit_months,
        delegated=rules.confirmation_delegated,
        status=TerminationStatus.PUBLICITY if destitute else TerminationStatus.CONFIRMING,
    )
    event(
        household=household,
        application=termination.application,
        kind=EventKind.TERMINATION_STARTED,
        actor=actor,
        on=started_on,
        note=termination.reason,
        data={
            "termination_id": termination.pk,
            "category": category,
            "publicity_ends_on": (
                termination.publicity_ends_on.isoformat() if termination.publicity_ends_on else None
            ),
            "gradual_exit_months": gradual_exit_months,
            "delegated": termination.delegated,
        },
    )
    if not destitute:
        _after_proposal(termination, actor=actor, on=started_on)
    return termination


def termination_start(
    *,
    actor: User,
    household: Household,
    reason: str,
    category: str | None = None,
    person: Person | None = None,
    gradual_exit_months: int = 0,
    started_on: dt.date | None = None,
    client: Client | None = None,
) -> Termination:
    """Start ending a category outside a review (see the module's docstring for what follows)."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, household.region_id)
    if not reason.strip():
        raise DeterminationError("请填写终止原因", field="reason")
    started_on = check_date(started_on or today(), field="started_on", label="启动日期")
    if category is None:
        current = CategoryStatus.objects.filter(
            household=household, person=person, effective_to__isnull=True
        ).first()
        category = current.category if current is not None else ""
    with transaction.atomic():
        termination = termination_create(
            actor=actor,
            household=household,
            category=category,
            reason=reason,
            person=person,
            review=None,
            application=None,
            gradual_exit_months=gradual_exit_months,
            started_on=started_on,
        )
        audit_household(actor=actor, household=household, summary="启动终止救助", client=client)
    return termination


def termination_publicity_close(
    *,
    actor: User,
    termination: Termination,
    closed_on: dt.date | None = None,
    client: Client | None = None,
) -> Termination:
    """The termination's publicity has run its 7 days: decided, or sent to the county."""
    household = termination.household
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, household.region_id)
    if termination.status != TerminationStatus.PUBLICITY:
        raise DeterminationError("该终止不在公示中")
    assert termination.publicity_ends_on is not None
    closed_on = check_date(closed_on or today(), field="closed_on", label="公示结束日期")
    if closed_on <= termination.publicity_ends_on:
        raise DeterminationError(
            f"公示期至 {termination.publicity_ends_on:%Y-%m-%d} 届满，届满后方可结束公示",
            field="closed_on",
        )
    with transaction.atomic():
        event(
            household=household,
            application=termination.application,
            kind=EventKind.TERMINATION_STARTED,
            actor=actor,
            on=closed_on,
            note="终止公示期满",
            data={"termination_id": termination.pk},
        )
        _after_proposal(termination, actor=actor, on=closed_on)
        audit_household(actor=actor, household=household, summary="终止公示期满", client=client)
    return termination


def _confirming_level(actor: User, termination: Termination) -> str:
    require_any(actor, Capability.CONFIRM_DETERMINATION)
    require_scope(actor, termination.region_id)
    if termination.status != TerminationStatus.CONFIRMING:
        raise DeterminationError("该终止不在待确认阶段")
    if acts_for_township(actor):
        if not termination.delegated:
            raise PermissionDenied(NOT_DELEGATED)
        return DecisionLevel.TOWNSHIP
    return DecisionLevel.COUNTY


def termination_confirm(
    *,
    actor: User,
    termination: Termination,
    note: str = "",
    decided_on: dt.date | None = None,
    client: Client | None = None,
) -> Termination:
    """The confirming level agrees: the termination takes effect from the next month."""
    level = _confirming_level(actor, termination)
    decided_on = check_date(
        decided_on or today(),
        field="decided_on",
        label="决定日期",
        not_before=termination.publicity_ends_on or termination.started_on,
    )
    with transaction.atomic():
        _decide(termination, actor=actor, on=decided_on, level=level, note=note)
        audit_household(
            actor=actor,
            household=termination.household,
            summary=f"确认终止救助（{DecisionLevel(level).label}）",
            detail={"termination_id": termination.pk},
            client=client,
        )
    return termination


def termination_decline(
    *,
    actor: User,
    termination: Termination,
    note: str,
    decided_on: dt.date | None = None,
    client: Client | None = None,
) -> Termination:
    """The confirming level does not agree: assistance continues; the reasons are kept."""
    level = _confirming_level(actor, termination)
    if not note.strip():
        raise DeterminationError("请填写不予终止的理由", field="note")
    decided_on = check_date(decided_on or today(), field="decided_on", label="决定日期")
    with transaction.atomic():
        _record_decision(
            termination,
            actor=actor,
            on=decided_on,
            level=level,
            note=note,
            status=TerminationStatus.DECLINED,
        )
        audit_household(
            actor=actor,
            household=termination.household,
            summary="不予终止救助",
            detail={"termination_id": termination.pk},
            client=client,
        )
    return termination


def termination_complete(
    *,
    actor: User,
    termination: Termination,
    client: Client | None = None,
) -> Termination:
    """On or after the effective date, end the category in the registry (history kept)."""
    household = termination.household
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, household.region_id)
    if termination.status != TerminationStatus.SCHEDULED:
        raise DeterminationError("该终止尚未到可生效的阶段")
    assert termination.effective_from is not None
    on = today()
    if on < termination.effective_from:
        raise DeterminationError(
            f"终止自 {termination.effective_from:%Y-%m-%d} 起生效，届时方可办结",
            field="effective_from",
        )
    with transaction.atomic():
        try:
            registry_services.category_set(
                actor=actor,
                household=household,
                category="",
                effective_from=termination.effective_from,
                reason=f"终止救助：{termination.reason}"[:200],
                person=termination.person,
                client=client,
            )
        except registry_services.RegistryError as exc:
            raise DeterminationError(f"登记终止失败：{exc}", field=exc.field) from exc
        termination.status = TerminationStatus.DONE
        termination.completed_on = on
        termination.save(update_fields=["status", "completed_on"])
        ReviewSchedule.objects.filter(
            household=household,
            person=termination.person,
            category=termination.category,
            done_on__isnull=True,
        ).update(done_on=on, outcome=ReviewOutcome.TERMINATE, notes="救助已终止")
        event(
            household=household,
            application=termination.application,
            kind=EventKind.TERMINATION_COMPLETED,
            actor=actor,
            on=on,
            note=termination.reason,
            data={
                "termination_id": termination.pk,
                "effective_from": termination.effective_from.isoformat(),
            },
        )
        audit_household(actor=actor, household=household, summary="终止救助生效", client=client)
    return termination
