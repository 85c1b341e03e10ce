"""急难社会救助 (四(三)): help first, procedure after. A township grants at once within its
delegated per-case limit (local setting by residence, 示例) and completes the paperwork within the
local deadline; an amount above the limit is not granted by the township but routed to the
county, which grants or refuses it. Every grant becomes an assistance record."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import NOT_FOUND, allowed, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.assistance.models import (
    AssistanceRecord,
    EmergencyGrant,
    EmergencyStatus,
    RecordSource,
)
from safetynet.assistance.referrals.services import AMOUNT_LIMIT, CENT, AssistanceError, county_of
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.policy.calendar.workdays import add_working_days
from safetynet.registry.models import Household


def township_limit(residence: str) -> Decimal:
    try:
        return Decimal(settings.ASSISTANCE_TOWNSHIP_EMERGENCY_LIMIT[residence])
    except (KeyError, InvalidOperation):
        return Decimal(0)


def _record(actor: User, grant: EmergencyGrant, on: dt.date) -> AssistanceRecord:
    return AssistanceRecord.objects.create(
        household_id=grant.household_id,
        region_code=grant.region_code,
        department="civil_affairs",
        item="emergency_assistance",
        kind="急难救助金（先行救助）"
        if grant.status == EmergencyStatus.GRANTED
        else "急难救助金（县级审批）",
        amount=grant.amount,
        given_on=on,
        source=RecordSource.EMERGENCY,
        note=grant.reason[:500],
        recorded_by=actor,
    )


def emergency_grant(
    *, actor: User, household: Household, amount: Decimal, reason: str, on: dt.date | None = None
) -> EmergencyGrant:
    """Grant at once if within the township's limit; otherwise route to the county (the
    returned grant's status says which)."""
    require(actor, Capability.GRANT_EMERGENCY, household)
    on = on or timezone.localdate()
    if not Decimal(0) < amount < AMOUNT_LIMIT:
        raise AssistanceError("请填写救助金额", field="amount")
    if not reason.strip():
        raise AssistanceError("请填写急难情形和救助理由", field="reason")
    amount = amount.quantize(CENT)
    limit = township_limit(household.residence)
    within = amount <= limit
    with transaction.atomic():
        grant = EmergencyGrant.objects.create(
            household=household,
            region_code=household.region_id,
            county_code=county_of(household.region_id),
            amount=amount,
            reason=reason.strip()[:500],
            limit=limit,
            status=EmergencyStatus.GRANTED if within else EmergencyStatus.ROUTED,
            requested_on=on,
            requested_by=actor,
            paperwork_due=add_working_days(on, settings.ASSISTANCE_EMERGENCY_PAPERWORK_WORKING_DAYS)
            if within
            else None,
        )
        if within:
            grant.record = _record(actor, grant, on)
            grant.save(update_fields=["record"])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="assistance.EmergencyGrant",
            object_id=grant.pk,
            region_code=household.region_id,
            summary=(
                f"急难救助先行救助 {amount} 元（四(三)）"
                if within
                else f"急难救助 {amount} 元超出乡镇权限 {limit} 元，报县级审批"
            ),
        )
    return grant


def paperwork_complete(*, actor: User, grant: EmergencyGrant, on: dt.date | None = None) -> None:
    require(actor, Capability.GRANT_EMERGENCY, grant)
    if grant.status != EmergencyStatus.GRANTED or grant.paperwork_done_on:
        raise AssistanceError("该救助无需补办手续")
    with transaction.atomic():
        grant.paperwork_done_on = on or timezone.localdate()
        grant.save(update_fields=["paperwork_done_on"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="assistance.EmergencyGrant",
            object_id=grant.pk,
            region_code=grant.region_code,
            summary="急难救助补齐手续",
        )


def county_decide(
    *,
    actor: User,
    grant: EmergencyGrant,
    approve: bool,
    note: str,
    on: dt.date | None = None,
) -> EmergencyGrant:
    require(actor, Capability.DECIDE_EMERGENCY, grant)
    if grant.status != EmergencyStatus.ROUTED:
        raise AssistanceError("只有报县级的急难救助需要县级审批")
    if not approve and not note.strip():
        raise AssistanceError("不予批准须说明理由", field="note")
    on = on or timezone.localdate()
    with transaction.atomic():
        grant.status = EmergencyStatus.COUNTY_GRANTED if approve else EmergencyStatus.COUNTY_REFUSED
        grant.county_decided_on = on
        grant.county_note = note.strip()[:500]
        if approve:
            grant.record = _record(actor, grant, on)
        grant.save()
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="assistance.EmergencyGrant",
            object_id=grant.pk,
            region_code=grant.region_code,
            summary=f"县级审批急难救助：{grant.get_status_display()}",
        )
    return grant


def visible_grants(*, user: User) -> QuerySet[EmergencyGrant]:
    if not (
        allowed(user, Capability.GRANT_EMERGENCY) or allowed(user, Capability.DECIDE_EMERGENCY)
    ):
        require(user, Capability.GRANT_EMERGENCY)
    return scope_queryset(EmergencyGrant.objects.select_related("household__head"), user=user)


def grant_get(*, user: User, pk: int | str) -> EmergencyGrant:
    try:
        grant: EmergencyGrant = visible_grants(user=user).get(pk=pk)
    except (EmergencyGrant.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc
    return grant
