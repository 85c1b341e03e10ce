"""Confirmation and its aftermath: spot checks, confirm or refuse, the refusal notice, extension
of the whole procedure, transfer to near-dibao or expenditure hardship. (Direct inclusion of
existing registers: ``services.direct``.)"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.audit.services import Client
from safetynet.determination import deadlines
from safetynet.determination.after.services import schedule_after_decision
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
    PROCEDURE_STATUSES,
    Application,
    ApplicationType,
    CareTier,
    Decision,
    DecisionLevel,
    EventKind,
    Outcome,
    SpotCheckResult,
    Status,
)
from safetynet.determination.procedure.decision_amounts import decision_amount
from safetynet.registry import services as registry_services
from safetynet.registry.choices import MEMBER_CATEGORIES, Category
from safetynet.registry.models import CategoryStatus

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
        _confirmed_event(actor, decision, from_status=from_status)
        audit(actor=actor, application=application, summary="审核确认：予以认定", client=client)
    return decision


def _confirmed_event(actor: User, decision: Decision, *, from_status: str) -> None:
    application = decision.application
    event(
        household=application.household,
        application=application,
        kind=EventKind.CONFIRMED,
        actor=actor,
        on=decision.decided_on,
        from_status=from_status,
        to_status=Status.CONFIRMED,
        note=decision.reasons,
        data={
            "category": decision.category,
            "monthly_amount": str(decision.monthly_amount or ""),
            "start_month": decision.start_month.isoformat() if decision.start_month else "",
            "level": decision.level,
        },
    )


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
