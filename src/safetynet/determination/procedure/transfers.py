"""Transfers (转介): a refused dibao or destitute applicant who qualifies as near-dibao or
expenditure hardship is told so and, with consent, a new case waits for confirmation (豫政办〔2022〕
103号 二(三)3)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.audit.services import Client
from safetynet.determination import deadlines
from safetynet.determination.common import (
    DeterminationError,
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
    Application,
    EventKind,
    Status,
    Transfer,
)
from safetynet.determination.procedure.decision_amounts import _standards
from safetynet.determination.procedure.decisions import TRANSFER_TYPES
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.facts import classification_to_json, facts_from_household
from safetynet.registry.choices import Category

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
