"""The public notice board (公示栏, 五(四) 加大信息公开力度) of a township or village, without
login, and the objections the public sends from it.

What it shows is what a notice board posts and no more: the cases of the region in their
publicity period today (name — 未成年人 for a minor —, masked ID, village, type, members, the
proposed amount, the period), the dibao and destitute households confirmed in the last
``OVERSIGHT_PUBLIC_CONFIRMED_DAYS`` (示例) with their amounts, where and how to object, and the
county's tip-off telephone. No telephone, address or household detail beyond the village; no
case out of its publicity period. An objection is recorded against the case
(``PublicObjection``) and answered with a number only; the township registers it as the case's
publicity objection (the publicity stops and reinvestigation follows) or declines it with a
reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination import services as determination
from safetynet.determination.documents.layout import PublicityLine
from safetynet.determination.documents.notices import objection_contact, public_identity
from safetynet.determination.documents.publicity import publicity_in_force
from safetynet.determination.documents.reading import Places
from safetynet.determination.models import (
    Application,
    ApplicationType,
    Decision,
    Outcome,
    Publicity,
)
from safetynet.oversight.common import OversightError, Settings, case_number, settings_for
from safetynet.oversight.models import PublicObjection, PublicObjectionStatus
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region

OBJECTION_PREFIX = "GY"
MAX_TEXT = 2000
# The types publicised before confirmation (ADR 0010), hence posted once confirmed.
PUBLICISED = (ApplicationType.DIBAO, ApplicationType.DESTITUTE)


@dataclass(frozen=True)
class NoticeLine:
    publicity_id: int
    line: PublicityLine
    starts_on: dt.date
    ends_on: dt.date


@dataclass(frozen=True)
class ConfirmedNotice:
    name: str
    id_masked: str
    village: str
    category: str
    member_count: int
    amount: str
    decided_on: dt.date


@dataclass
class PublicBoard:
    region: Region
    township: Region
    today: dt.date
    confirmed_since: dt.date
    in_publicity: list[NoticeLine] = field(default_factory=list)
    confirmed: list[ConfirmedNotice] = field(default_factory=list)
    objection_address: str = ""
    objection_phone: str = ""
    settings: Settings | None = None


def board_region(code: str) -> Region | None:
    """A township or village of this province by its 12-digit code, else None."""
    code = (code or "").strip()
    if not (code.isdigit() and len(code) == 12 and code[:2] == settings.PROVINCE_CODE[:2]):
        return None
    return Region.objects.filter(code=code, level__in=(Level.TOWNSHIP, Level.VILLAGE)).first()


def public_board(region: Region, *, today: dt.date | None = None) -> PublicBoard:
    today = today or timezone.localdate()
    township = region if region.level == Level.TOWNSHIP else region.parent
    assert township is not None
    prefix = region.prefix
    since = today - dt.timedelta(days=settings.OVERSIGHT_PUBLIC_CONFIRMED_DAYS)
    lo, hi = prefix_bounds(prefix)
    decisions = (
        Decision.objects.filter(
            application__region_id__gte=lo,
            application__region_id__lte=hi,
            application__type__in=PUBLICISED,
            outcome=Outcome.CONFIRMED,
            decided_on__gte=since,
            decided_on__lte=today,
        )
        .select_related("application__applicant", "application__region", "application__household")
        .order_by("application__region_id", "-decided_on", "id")
    )
    confirmed = []
    for decision in decisions:
        application = decision.application
        applicant = application.applicant
        name, id_masked = public_identity(
            applicant.name, applicant.id_number_masked, applicant.birth_date, today
        )
        confirmed.append(
            ConfirmedNotice(
                name=name,
                id_masked=id_masked,
                village=application.region.name,
                category=str(ApplicationType(application.type).label),
                member_count=application.household.member_count,
                amount=f"{decision.monthly_amount:.2f}" if decision.monthly_amount else "—",
                decided_on=decision.decided_on,
            )
        )
    office = Places.above([township.code]).township_office(township.code)
    address, phone = objection_contact(office, township.code)
    return PublicBoard(
        region=region,
        township=township,
        today=today,
        confirmed_since=since,
        in_publicity=[
            NoticeLine(publicity.pk, line, publicity.starts_on, publicity.ends_on)
            for publicity, line in publicity_in_force(prefix=prefix, on=today)
        ],
        confirmed=confirmed,
        objection_address=address,
        objection_phone=phone,
        settings=settings_for(township.code, today),
    )


def public_objection_file(
    *,
    publicity_id: int,
    content: str,
    contact_name: str = "",
    contact_phone: str = "",
    client: Client | None = None,
    today: dt.date | None = None,
) -> PublicObjection:
    """Record an objection sent from the public board against the case: only a case whose
    publicity runs today (the same test as the board's), else the same refusal for every
    other number, so that nothing can be probed."""
    today = today or timezone.localdate()
    publicity = (
        Publicity.objects.filter(
            pk=publicity_id,
            application__status="publicity",
            starts_on__lte=today,
            ends_on__gte=today,
            closed_on__isnull=True,
            interrupted=False,
        )
        .select_related("application")
        .first()
    )
    if publicity is None:
        raise OversightError("该公示不在公示期内，请直接联系乡镇(街道)")
    content = (content or "").strip()
    if not content:
        raise OversightError("请填写异议内容", field="content")
    if len(content) > MAX_TEXT:
        raise OversightError(f"异议内容不能超过 {MAX_TEXT} 字", field="content")
    phone = (contact_phone or "").strip().replace(" ", "").replace("-", "")
    if phone and not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise OversightError("请填写正确的手机号或固定电话", field="contact_phone")
    application = publicity.application
    with transaction.atomic():
        objection = PublicObjection.objects.create(
            number=case_number(OBJECTION_PREFIX, today),
            application=application,
            publicity=publicity,
            region_code=application.region_id,
            content=content,
            contact_name=(contact_name or "").strip()[:50],
            contact_phone=phone,
            received_on=today,
        )
        audit_record(
            actor=None,
            action=Action.CREATE,
            object_type="oversight_public_objection",
            object_id=objection.pk,
            region_code=application.region_id,
            summary=f"收到群众公示异议 {objection.number}（案件 {application.pk}）",
            client=client,
            channel="public",
        )
    return objection


def public_objections(*, user: User) -> list[PublicObjection]:
    """The objections sent from the public board to the user's region, waiting ones first."""
    require(user, Capability.VIEW_CASES)
    rows = scope_queryset(PublicObjection.objects.all(), user=user).select_related(
        "application__applicant", "publicity", "handled_by"
    )
    return sorted(rows[:500], key=lambda o: (o.status != PublicObjectionStatus.RECEIVED, -o.pk))


def public_objection_register(
    *, actor: User, pk: Any, client: Client | None = None
) -> PublicObjection:
    """Register it as the case's publicity objection, received on the day it was sent: the
    publicity stops and the reinvestigation is due (determination's ``objection_record``)."""
    found = access_scoped(PublicObjection.objects.all(), user=actor, pk=pk)
    if found.status != PublicObjectionStatus.RECEIVED:
        raise OversightError("该异议已处理")
    application = Application.objects.get(pk=found.application_id)
    try:
        with transaction.atomic():
            objection = determination.objection_record(
                actor=actor,
                application=application,
                content=f"群众通过公示栏提出（{found.number}）：{found.content}",
                received_on=found.received_on,
                client=client,
            )
            found.status = PublicObjectionStatus.REGISTERED
            found.objection = objection
            found.handled_by = actor
            found.handled_on = timezone.localdate()
            found.save(update_fields=["status", "objection", "handled_by", "handled_on"])
    except determination.DeterminationError as exc:
        raise OversightError(str(exc)) from None
    return found


def public_objection_dismiss(
    *, actor: User, pk: Any, reason: str, client: Client | None = None
) -> PublicObjection:
    """Decline to register it (e.g. not about the case's eligibility), with the reason."""
    require(actor, Capability.INVESTIGATE)
    found = access_scoped(PublicObjection.objects.all(), user=actor, pk=pk)
    if found.status != PublicObjectionStatus.RECEIVED:
        raise OversightError("该异议已处理")
    reason = (reason or "").strip()
    if not reason:
        raise OversightError("请说明不予登记的理由", field="reason")
    found.status = PublicObjectionStatus.DISMISSED
    found.note = reason[:MAX_TEXT]
    found.handled_by = actor
    found.handled_on = timezone.localdate()
    found.save(update_fields=["status", "note", "handled_by", "handled_on"])
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="oversight_public_objection",
        object_id=found.pk,
        region_code=found.region_code,
        summary=f"群众公示异议 {found.number} 不予登记：{reason[:100]}",
        client=client,
    )
    return found
