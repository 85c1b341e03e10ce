"""Confirmation and its aftermath: spot checks, confirm or refuse, the refusal notice, extension
of the whole procedure, transfer to near-dibao or expenditure hardship. (Direct inclusion of
existing registers: ``services.direct``.)"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.audit.services import Client
from safetynet.determination import deadlines
from safetynet.determination.after.services import schedule_after_decision
from safetynet.determination.amounts import (
    Amount,
    AmountError,
    destitute_amount,
    dibao_amount,
)
from safetynet.determination.common import (
    DeterminationError,
    PermissionDenied,
    acts_for_township,
    audit,
    bump,
    check_date,
    event,
    limits,
    require_any,
    require_scope,
    require_status,
    today,
)
from safetynet.determination.models import (
    OPEN_STATUSES,
    PROCEDURE_STATUSES,
    Application,
    ApplicationType,
    CareTier,
    Decision,
    DecisionLevel,
    EventKind,
    Outcome,
    ReviewSchedule,
    SpotCheckResult,
    Status,
    Transfer,
)
from safetynet.policy.classifier import classify
from safetynet.policy.facts import classification_to_json, facts_from_household
from safetynet.policy.selectors import StandardsMissing, standards_for
from safetynet.policy.types import Standards
from safetynet.registry import services as registry_services
from safetynet.registry.choices import MEMBER_CATEGORIES, Category
from safetynet.registry.models import CategoryStatus, Household

# The registry categories a confirmed application of each type may record.
TYPE_CATEGORIES: dict[str, tuple[str, ...]] = {
    ApplicationType.DIBAO: (Category.DIBAO, Category.INDIVIDUAL_DIBAO),
    ApplicationType.DESTITUTE: (Category.DESTITUTE,),
    ApplicationType.NEAR_DIBAO: (Category.NEAR_DIBAO,),
    ApplicationType.EXPENDITURE_HARDSHIP: (Category.EXPENDITURE_HARDSHIP,),
    ApplicationType.TEMPORARY_ASSISTANCE: ("",),
}
TRANSFER_TYPES = frozenset({ApplicationType.NEAR_DIBAO, ApplicationType.EXPENDITURE_HARDSHIP})


def _require_confirmer(actor: User, application: Application) -> str:
    """The confirming level: the county, or the township where the county delegated it."""
    require_any(actor, Capability.CONFIRM_DETERMINATION)
    require_scope(actor, application.region_id)
    if acts_for_township(actor):
        if not application.delegated:
            raise PermissionDenied("本县未委托乡镇(街道)审核确认，须由县级民政部门确认")
        return DecisionLevel.TOWNSHIP
    return DecisionLevel.COUNTY


def _standards(household: Household, on: dt.date) -> Standards:
    try:
        return standards_for(region_code=household.region_id, on=on, residence=household.residence)
    except StandardsMissing as exc:
        raise DeterminationError(str(exc)) from exc


def _registry_error(exc: registry_services.RegistryError) -> DeterminationError:
    return DeterminationError(f"登记救助类别失败：{exc}", field=exc.field)


def spot_check_record(
    *,
    actor: User,
    application: Application,
    result: str,
    note: str = "",
    checked_on: dt.date | None = None,
    client: Client | None = None,
) -> Application:
    """The county's spot check of a sampled destitute case."""
    level = _require_confirmer(actor, application)
    if level != DecisionLevel.COUNTY:
        raise PermissionDenied("抽查由县级民政部门进行")
    require_status(application, Status.CONFIRMING, doing="登记抽查结果")
    if not application.spot_check_required:
        raise DeterminationError("本案件未被抽中，无需抽查")
    if result not in SpotCheckResult.values:
        raise DeterminationError("抽查结果无效", field="result")
    if result == SpotCheckResult.INCONSISTENT and not note.strip():
        raise DeterminationError("抽查情况不符的，请写明不符之处", field="note")
    checked_on = check_date(
        checked_on or today(),
        field="checked_on",
        label="抽查日期",
        not_before=application.confirmation_requested_on,
    )
    spot = application.spot_check
    with transaction.atomic():
        bump(application)
        spot.result = result
        spot.note = note.strip()
        spot.checked_on = checked_on
        spot.checked_by = actor
        spot.save(update_fields=["result", "note", "checked_on", "checked_by"])
        event(
            household=application.household,
            application=application,
            kind=EventKind.SPOT_CHECK,
            actor=actor,
            on=checked_on,
            note=spot.note,
            data={"result": result},
        )
        audit(actor=actor, application=application, summary="登记县级抽查结果", client=client)
    return application


def standard_amount(
    *, household: Household, category: str, person_id: int | None, care_tier: str, on: dt.date
) -> Amount | None:
    """What the standards in force on ``on`` give ``category`` a month: the dibao gap of the
    co-residing members (of the one person for individual dibao), or the destitute standard with
    the care tier; None for a category without a monthly amount. Raises ``AmountError`` when the
    household does not qualify for one, ``DeterminationError`` when no standards are in force."""
    if category in (Category.DIBAO, Category.INDIVIDUAL_DIBAO):
        facts = facts_from_household(household=household, on=on)
        members = list(facts.members)
        if category == Category.INDIVIDUAL_DIBAO:
            members = [m for m in members if m.person_id == person_id]
        income = sum((m.income.counted for m in members), Decimal("0"))
        standards = _standards(household, on)
        return dibao_amount(
            standard=standards.dibao_monthly, income_total=income, members=len(members)
        )
    if category == Category.DESTITUTE:
        return destitute_amount(standards=_standards(household, on), care_tier=care_tier)
    return None


@dataclass(frozen=True)
class ReviewAmounts:
    """What the review form shows beside the amount field."""

    decided: Decimal | None  # the amount of the decision the review follows
    latest: ReviewSchedule | None  # the last review that changed the amount
    estimate: Amount | None  # what the standards in force today give the category
    estimate_problem: str  # why there is no estimate


def review_amounts(review: ReviewSchedule, *, on: dt.date | None = None) -> ReviewAmounts:
    """The amounts an officer weighs when recording a review: the decided one, the last change,
    and the estimate by the standards in force, for the category under review."""
    decision = getattr(review.application, "decision", None) if review.application else None
    latest = (
        ReviewSchedule.objects.filter(
            household_id=review.household_id,
            person=review.person,
            monthly_amount__isnull=False,
            done_on__isnull=False,
        )
        .order_by("-done_on", "-id")
        .first()
    )
    decided = decision.monthly_amount if decision is not None else None
    try:
        estimate = standard_amount(
            household=review.household,
            category=review.category,
            person_id=review.person_id,
            care_tier=decision.care_tier if decision is not None else "",
            on=on or today(),
        )
    except AmountError as exc:
        return ReviewAmounts(decided, latest, None, str(exc))
    except DeterminationError as exc:
        return ReviewAmounts(decided, latest, None, exc.message)
    return ReviewAmounts(
        decided, latest, estimate, "" if estimate else "该类别没有按标准测算的月金额"
    )


def decision_amount(
    *,
    application: Application,
    category: str,
    care_tier: str,
    amount: Decimal | None,
    on: dt.date,
) -> Amount | None:
    """The monthly amount a confirmation would record (also shown on the decision form before
    the officer confirms): the officer's own figure, or the one computed from the standards."""
    try:
        computed = standard_amount(
            household=application.household,
            category=category,
            person_id=application.applicant_id,
            care_tier=care_tier,
            on=on,
        )
    except AmountError as exc:
        raise DeterminationError(str(exc), field="category") from exc
    if computed is not None:
        return computed
    if application.type == ApplicationType.TEMPORARY_ASSISTANCE:
        if amount is None or amount <= 0:
            raise DeterminationError("请填写临时救助金额", field="amount")
        return Amount(
            monthly=amount.quantize(Decimal("0.01")), basis={"rule": "临时救助一次性金额"}
        )
    return None


def _record_category(
    *,
    actor: User,
    application: Application,
    category: str,
    effective_from: dt.date,
    reason: str,
    client: Client | None,
) -> None:
    if not category:
        return
    person = application.applicant if category in MEMBER_CATEGORIES else None
    current = CategoryStatus.objects.filter(
        household=application.household, person=person, effective_to__isnull=True
    ).first()
    if current is not None and current.category == category:
        return
    try:
        registry_services.category_set(
            actor=actor,
            household=application.household,
            category=category,
            effective_from=effective_from,
            reason=reason,
            person=person,
            client=client,
        )
    except registry_services.RegistryError as exc:
        raise _registry_error(exc) from exc


def _confirmable_category(application: Application, category: str | None, care_tier: str) -> str:
    """The category to confirm (the type's own by default), once the case may be confirmed."""
    allowed = TYPE_CATEGORIES[application.type]
    category = allowed[0] if category is None else category
    if category not in allowed:
        raise DeterminationError("救助类别与申请类型不符", field="category")
    if category == Category.DESTITUTE and care_tier not in CareTier.values:
        raise DeterminationError("请选择照料护理等级", field="care_tier")
    if application.spot_check_required and not application.spot_check.result:
        raise DeterminationError("本案件被抽中县级抽查，请先登记抽查结果", field="spot_check")
    return category


def decision_confirm(
    *,
    actor: User,
    application: Application,
    category: str | None = None,
    care_tier: str = "",
    amount: Decimal | None = None,
    reasons: str = "",
    income_unstable: bool = False,
    decided_on: dt.date | None = None,
    client: Client | None = None,
) -> Decision:
    """Confirm: the category is recorded in the registry from the start month (the month after
    the decision), the amount computed from the standards in force (``amount`` only for
    temporary assistance, a one-off sum), and the after-decision reviews are scheduled.

    ``income_unstable`` makes the periodic check of a dibao household half-yearly.
    """
    level = _require_confirmer(actor, application)
    require_status(application, Status.CONFIRMING, doing="审核确认")
    category = _confirmable_category(application, category, care_tier)
    decided_on = check_date(
        decided_on or today(),
        field="decided_on",
        label="确认日期",
        not_before=application.confirmation_requested_on,
    )
    computed = decision_amount(
        application=application,
        category=category,
        care_tier=care_tier,
        amount=amount,
        on=decided_on,
    )
    start = deadlines.start_month(decided_on)
    with transaction.atomic():
        from_status = bump(
            application, to_status=Status.CONFIRMED, step_due_on=None, closed_on=decided_on
        )
        decision = Decision.objects.create(
            application=application,
            outcome=Outcome.CONFIRMED,
            level=level,
            category=category,
            care_tier=care_tier if category == Category.DESTITUTE else "",
            monthly_amount=computed.monthly if computed else None,
            amount_basis=computed.basis if computed else {},
            start_month=start,
            reasons=reasons.strip(),
            decided_by=actor,
            decided_on=decided_on,
        )
        _record_category(
            actor=actor,
            application=application,
            category=category,
            effective_from=start,
            reason=f"认定案件 {application.number} 审核确认",
            client=client,
        )
        schedule_after_decision(
            actor=actor, application=application, decision=decision, income_unstable=income_unstable
        )
        event(
            household=application.household,
            application=application,
            kind=EventKind.CONFIRMED,
            actor=actor,
            on=decided_on,
            from_status=from_status,
            to_status=Status.CONFIRMED,
            note=decision.reasons,
            data={
                "category": category,
                "monthly_amount": str(decision.monthly_amount or ""),
                "start_month": start.isoformat(),
                "level": level,
            },
        )
        audit(actor=actor, application=application, summary="审核确认：予以认定", client=client)
    return decision


def decision_refuse(
    *,
    actor: User,
    application: Application,
    reasons: str,
    decided_on: dt.date | None = None,
    client: Client | None = None,
) -> Decision:
    """Refuse with reasons; the written notice is due within 3 working days."""
    level = _require_confirmer(actor, application)
    require_status(application, Status.CONFIRMING, doing="作出不予认定决定")
    if not reasons.strip():
        raise DeterminationError("请写明不予认定的理由", field="reasons")
    decided_on = check_date(
        decided_on or today(),
        field="decided_on",
        label="决定日期",
        not_before=application.confirmation_requested_on,
    )
    rules = limits(application.region_id, decided_on)
    notice_due = deadlines.refusal_notice_due(decided_on, rules)
    with transaction.atomic():
        from_status = bump(application, to_status=Status.REFUSED, step_due_on=notice_due)
        decision = Decision.objects.create(
            application=application,
            outcome=Outcome.REFUSED,
            level=level,
            reasons=reasons.strip(),
            decided_by=actor,
            decided_on=decided_on,
            refusal_notice_due_on=notice_due,
        )
        event(
            household=application.household,
            application=application,
            kind=EventKind.REFUSED,
            actor=actor,
            on=decided_on,
            from_status=from_status,
            to_status=Status.REFUSED,
            note=decision.reasons,
            data={"refusal_notice_due_on": notice_due.isoformat()},
        )
        audit(actor=actor, application=application, summary="审核确认：不予认定", client=client)
    return decision


def refusal_notice_issue(
    *,
    actor: User,
    application: Application,
    issued_on: dt.date | None = None,
    client: Client | None = None,
) -> Decision:
    """The refusal notice (with reasons and the rights of review and litigation) was served."""
    require_any(actor, Capability.ACCEPT_APPLICATIONS, Capability.CONFIRM_DETERMINATION)
    require_scope(actor, application.region_id)
    require_status(application, Status.REFUSED, doing="登记告知书送达")
    decision = application.decision
    issued_on = check_date(
        issued_on or today(),
        field="issued_on",
        label="送达日期",
        not_before=decision.decided_on,
    )
    with transaction.atomic():
        from_status = bump(
            application, to_status=Status.CLOSED_REFUSED, step_due_on=None, closed_on=issued_on
        )
        decision.refusal_notice_issued_on = issued_on
        decision.save(update_fields=["refusal_notice_issued_on"])
        event(
            household=application.household,
            application=application,
            kind=EventKind.REFUSAL_NOTICE,
            actor=actor,
            on=issued_on,
            from_status=from_status,
            to_status=Status.CLOSED_REFUSED,
            data={
                "late": bool(
                    decision.refusal_notice_due_on and issued_on > decision.refusal_notice_due_on
                )
            },
        )
        audit(actor=actor, application=application, summary="送达不予认定告知书", client=client)
    return decision


def procedure_extend(
    *,
    actor: User,
    application: Application,
    reason: str,
    client: Client | None = None,
) -> Application:
    """Extend the whole procedure (30 → 45 working days from acceptance), once, with a reason."""
    require_any(actor, Capability.ACCEPT_APPLICATIONS, Capability.CONFIRM_DETERMINATION)
    require_scope(actor, application.region_id)
    if application.status not in PROCEDURE_STATUSES:
        raise DeterminationError("只有受理后、确认前的案件可以延长办理期限")
    if application.extension_reason:
        raise DeterminationError("办理期限已延长过一次")
    if not reason.strip():
        raise DeterminationError("请填写延长办理期限的原因", field="reason")
    assert application.accepted_on is not None
    rules = limits(application.region_id, application.accepted_on)
    old_due = application.procedure_due_on
    new_due = deadlines.procedure_due(
        application.accepted_on, delegated=application.delegated, extended=True, limits=rules
    )
    fields: dict[str, Any] = {
        "procedure_due_on": new_due,
        "extension_reason": reason.strip()[:300],
        "extended_by": actor,
        "extended_at": timezone.now(),
    }
    # A step whose only limit was the whole procedure follows it.
    if application.step_due_on == old_due:
        fields["step_due_on"] = new_due
    with transaction.atomic():
        bump(application, **fields)
        event(
            household=application.household,
            application=application,
            kind=EventKind.EXTENDED,
            actor=actor,
            on=today(),
            note=application.extension_reason,
            data={
                "from": old_due.isoformat() if old_due else None,
                "to": new_due.isoformat(),
            },
        )
        audit(actor=actor, application=application, summary="延长办理期限", client=client)
    return application


# --- transfer ------------------------------------------------------------------------------


def transfer_offer(
    *,
    actor: User,
    application: Application,
    informed_on: dt.date | None = None,
    client: Client | None = None,
) -> Transfer:
    """After a refusal, run the classifier; when the household meets near-dibao or expenditure
    hardship, record that the applicant was informed (二(二)3)."""
    require_any(actor, Capability.ACCEPT_APPLICATIONS)
    require_scope(actor, application.region_id)
    require_status(application, Status.REFUSED, Status.CLOSED_REFUSED, doing="告知转介")
    if Transfer.objects.filter(application=application).exists():
        raise DeterminationError("本案件已告知过转介")
    informed_on = check_date(
        informed_on or today(),
        field="informed_on",
        label="告知日期",
        not_before=application.decision.decided_on,
    )
    household = application.household
    standards = _standards(household, informed_on)
    result = classify(facts_from_household(household=household, on=informed_on), standards)
    proposed = result.category
    if proposed not in TRANSFER_TYPES or proposed == application.type:
        label = Category(proposed).label if proposed in Category.values else "不符合救助条件"
        raise DeterminationError(
            f"评估结果为“{label}”，不符合转介低保边缘家庭或刚性支出困难家庭的条件"
        )
    with transaction.atomic():
        bump(application)
        transfer = Transfer.objects.create(
            application=application,
            proposed_type=proposed,
            classification=classification_to_json(result, mask=True),
            informed_on=informed_on,
            informed_by=actor,
        )
        event(
            household=household,
            application=application,
            kind=EventKind.TRANSFER_OFFERED,
            actor=actor,
            on=informed_on,
            data={"transfer_id": transfer.pk, "proposed_type": proposed},
        )
        audit(actor=actor, application=application, summary="告知转介", client=client)
    return transfer


def transfer_consent(
    *,
    actor: User,
    transfer: Transfer,
    consent: bool,
    answered_on: dt.date | None = None,
    client: Client | None = None,
) -> Transfer:
    """The applicant's answer. With consent a new application of the proposed type is created,
    already investigated, waiting for confirmation within 3 working days."""
    application = transfer.application
    require_any(actor, Capability.ACCEPT_APPLICATIONS)
    require_scope(actor, application.region_id)
    if transfer.consent is not None:
        raise DeterminationError("已登记过申请人的转介意见")
    answered_on = check_date(
        answered_on or today(),
        field="answered_on",
        label="答复日期",
        not_before=transfer.informed_on,
    )
    with transaction.atomic():
        bump(application)
        new: Application | None = None
        if consent:
            if Application.objects.filter(
                household=application.household,
                type=transfer.proposed_type,
                status__in=OPEN_STATUSES,
            ).exists():
                raise DeterminationError("该家庭已有一件同类办理中的申请")
            rules = limits(application.region_id, answered_on)
            due = deadlines.transfer_due(answered_on, rules)
            new = Application.objects.create(
                type=transfer.proposed_type,
                household=application.household,
                region_id=application.region_id,
                applicant=application.applicant,
                reason=f"由认定案件 {application.number} 转介",
                entered_by=actor,
                applied_on=answered_on,
                status=Status.CONFIRMING,
                accepted_on=answered_on,
                accepted_by=actor,
                delegated=rules.confirmation_delegated,
                confirmation_requested_on=answered_on,
                step_due_on=due,
                procedure_due_on=due,
                transferred_from=application,
            )
            event(
                household=application.household,
                application=new,
                kind=EventKind.SUBMITTED,
                actor=actor,
                on=answered_on,
                to_status=Status.CONFIRMING,
                note=new.reason,
                data={"transferred_from": application.pk, "due_on": due.isoformat()},
            )
        transfer.consent = consent
        transfer.answered_on = answered_on
        transfer.new_application = new
        transfer.save(update_fields=["consent", "answered_on", "new_application"])
        event(
            household=application.household,
            application=application,
            kind=EventKind.TRANSFER_CONSENT,
            actor=actor,
            on=answered_on,
            note="同意转介" if consent else "不同意转介",
            data={"consent": consent, "new_application": new.pk if new else None},
        )
        audit(
            actor=actor,
            application=application,
            summary="申请人同意转介" if consent else "申请人不同意转介",
            client=client,
        )
    return transfer


# --- direct inclusion ----------------------------------------------------------------------
