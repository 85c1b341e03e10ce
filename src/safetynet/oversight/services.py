"""Oversight writes: public submissions (self-declaration, tip-off), their handling by the
township, recoveries and repayments, and the county's settings. Every write is one transaction
with a transition row and an audit record; a declaration that becomes an application goes
through determination's public services only."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination import services as determination
from safetynet.masking import mask_id_number
from safetynet.oversight.common import (
    DECLARATION_PREFIX,
    TIPOFF_PREFIX,
    OversightError,
    case_number,
    settings_for,
)
from safetynet.oversight.models import (
    LEGAL_BASIS,
    DeclarantKind,
    Declaration,
    DeclarationFinding,
    DeclarationStatus,
    OfficerFinding,
    OversightSettings,
    Recovery,
    RecoveryReason,
    RecoverySource,
    RecoveryStatus,
    Repayment,
    TipOff,
    TipOffChannel,
    TipOffFinding,
    TipOffMatter,
    TipOffStatus,
    Transition,
)
from safetynet.policy.calendar import workdays
from safetynet.regions.models import Level, Region
from safetynet.registry.identity import (
    InvalidIdNumber,
    blind_index,
    encrypt_id_number,
    parse_id_number,
)
from safetynet.registry.models import Household, Membership, Person

MAX_TEXT = 2000


def _transition(obj: Any, *, status_from: str, actor: User | None, note: str = "") -> None:
    Transition.objects.create(
        object_type=type(obj).__name__.lower(),
        object_id=obj.pk,
        status_from=status_from,
        status_to=obj.status,
        note=note[:300],
        actor=actor if getattr(actor, "pk", None) else None,
    )


def _village(code: str) -> Region:
    region = Region.objects.filter(code=code.strip(), level=Level.VILLAGE).first()
    if region is None:
        raise OversightError("请选择所在村(居)", field="region_code")
    return region


def _text(value: str, *, field: str, label: str, required: bool = True) -> str:
    text = (value or "").strip()
    if required and not text:
        raise OversightError(f"请填写{label}", field=field)
    if len(text) > MAX_TEXT:
        raise OversightError(f"{label}不能超过 {MAX_TEXT} 字", field=field)
    return text


def _phone(value: str, *, field: str, required: bool) -> str:
    phone = (value or "").strip().replace(" ", "").replace("-", "")
    if not phone and not required:
        return ""
    if not (phone.isdigit() and 7 <= len(phone) <= 12):
        raise OversightError("请填写正确的手机号或固定电话", field=field)
    return phone


# --- self-declaration (自主申报) ----------------------------------------------------------------


def declaration_file(
    *,
    name: str,
    id_number: str,
    region_code: str,
    phone: str,
    account: str,
    consent: bool,
    declarant: str = DeclarantKind.SELF,
    declarant_name: str = "",
    client: Client | None = None,
    today: dt.date | None = None,
) -> Declaration:
    """A self-declaration from the public page: validated, the ID number stored like the
    registry's, due for a home visit within the county's working days. Whether the person is in
    the registry is not looked at here: the answer is the same for everybody."""
    today = today or timezone.localdate()
    name = _text(name, field="name", label="姓名")[:50]
    try:
        facts = parse_id_number(id_number, today=today)
    except InvalidIdNumber as exc:
        raise OversightError(exc.reason, field="id_number") from exc
    village = _village(region_code)
    phone = _phone(phone, field="phone", required=True)
    account = _text(account, field="account", label="困难情况")
    if not consent:
        raise OversightError("请同意核对家庭经济状况，以便核实困难情况", field="consent")
    if declarant not in DeclarantKind.values:
        raise OversightError("请选择申报人", field="declarant")
    if declarant == DeclarantKind.RELATIVE:
        declarant_name = _text(declarant_name, field="declarant_name", label="代为申报人姓名")
    else:
        declarant_name = ""
    limits = settings_for(village.code, today)
    with transaction.atomic():
        declaration = Declaration.objects.create(
            number=case_number(DECLARATION_PREFIX, today),
            region_code=village.code,
            township_code=village.code[:9] + "000",
            name=name,
            id_number_encrypted=encrypt_id_number(facts.number),
            id_number_hash=blind_index(facts.number),
            id_number_masked=mask_id_number(facts.number),
            phone=phone,
            declarant=declarant,
            declarant_name=declarant_name[:50],
            account=account,
            consent=True,
            received_on=today,
            due_on=workdays.add_working_days(today, limits.declaration_visit_days),
        )
        _transition(declaration, status_from="", actor=None, note="网上自主申报")
        audit_record(
            actor=None,
            action=Action.CREATE,
            object_type="oversight_declaration",
            object_id=declaration.pk,
            region_code=village.code,
            summary=f"收到自主申报 {declaration.number}",
            client=client,
            channel="public",
        )
    return declaration


def registry_household_of(declaration: Declaration) -> Household | None:
    """The registry household of the declared person, if registered (staff side only)."""
    person = Person.objects.filter(id_number_hash=declaration.id_number_hash).first()
    if person is None:
        return None
    membership = (
        Membership.objects.filter(person=person, left_on__isnull=True)
        .select_related("household")
        .first()
    )
    return membership.household if membership is not None else None


def declaration_visit(
    *,
    actor: User,
    declaration: Declaration,
    visited_on: dt.date,
    staff: str,
    finding: str,
    note: str,
    application_type: str = "",
    client: Client | None = None,
) -> Declaration:
    """Record the home visit and its finding; with ``application_type`` the finding
    确有困难 opens an application for the person's registry household (determination's
    public service), which must exist and be in the officer's scope."""
    require(actor, Capability.HANDLE_OVERSIGHT, declaration)
    if finding not in DeclarationFinding.values:
        raise OversightError("请选择核实结论", field="finding")
    if visited_on > timezone.localdate() or visited_on < declaration.received_on:
        raise OversightError("走访日期应在申报日期与今天之间", field="visited_on")
    staff = _text(staff, field="staff", label="走访人员")[:100]
    note = _text(note, field="note", label="核实情况")
    with transaction.atomic():
        locked = Declaration.objects.select_for_update().get(pk=declaration.pk)
        if locked.status != DeclarationStatus.AWAITING_VISIT:
            raise OversightError("该申报已记录走访结果")
        application_id = None
        if application_type:
            if finding != DeclarationFinding.HARDSHIP:
                raise OversightError("只有确有困难的才能发起救助申请", field="application_type")
            household = registry_household_of(locked)
            if household is None or not in_scope(household.region_id, user=actor):
                raise OversightError(
                    "该人员尚未登记家庭档案，请先新增家庭后再发起申请", field="application_type"
                )
            try:
                application = determination.application_submit(
                    actor=actor,
                    household=household,
                    type=application_type,
                    reason=f"自主申报 {locked.number} 入户核实确有困难",
                )
            except determination.DeterminationError as exc:
                raise OversightError(str(exc), field="application_type") from exc
            application_id = int(application.pk)
        locked.visited_on = visited_on
        locked.visit_staff = staff
        locked.finding = finding
        locked.finding_note = note
        locked.application_id = application_id
        locked.visited_by = actor
        locked.status = DeclarationStatus.VISITED
        locked.save()
        _transition(locked, status_from=DeclarationStatus.AWAITING_VISIT, actor=actor, note=note)
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="oversight_declaration",
            object_id=locked.pk,
            region_code=locked.region_code,
            summary=f"自主申报 {locked.number} 入户核实：{locked.get_finding_display()}",
            detail={"application": application_id},
            client=client,
        )
    return locked


# --- tip-offs (举报) ----------------------------------------------------------------------------


def tipoff_file(
    *,
    matter: str,
    region_code: str,
    content: str,
    subject_name: str = "",
    reporter_name: str = "",
    reporter_phone: str = "",
    channel: str = TipOffChannel.ONLINE,
    actor: User | None = None,
    client: Client | None = None,
    today: dt.date | None = None,
) -> TipOff:
    """A tip-off, from the public page (no actor) or taken by staff (phone, letter, visit).
    Anonymous tip-offs are accepted; the reporter's details stay with the county."""
    today = today or timezone.localdate()
    if actor is not None:
        require(actor, Capability.HANDLE_OVERSIGHT)
    elif channel != TipOffChannel.ONLINE:
        raise OversightError("举报方式无效", field="channel")
    if channel not in TipOffChannel.values:
        raise OversightError("请选择举报方式", field="channel")
    if matter not in TipOffMatter.values:
        raise OversightError("请选择举报事项", field="matter")
    village = _village(region_code)
    if actor is not None and not in_scope(village.code, user=actor):
        raise OversightError("该村(居)不在您的管辖范围内", field="region_code")
    content = _text(content, field="content", label="举报内容")
    limits = settings_for(village.code, today)
    with transaction.atomic():
        tipoff = TipOff.objects.create(
            number=case_number(TIPOFF_PREFIX, today),
            channel=channel,
            matter=matter,
            region_code=village.code,
            township_code=village.code[:9] + "000",
            county_code=village.code[:6] + "000000",
            subject_name=_text(
                subject_name, field="subject_name", label="被举报人", required=False
            )[:50],
            content=content,
            reporter_name=_text(
                reporter_name, field="reporter_name", label="举报人", required=False
            )[:50],
            reporter_phone=_phone(reporter_phone, field="reporter_phone", required=False),
            received_on=today,
            due_on=workdays.add_working_days(today, limits.tipoff_days),
            received_by=actor,
        )
        _transition(tipoff, status_from="", actor=actor, note=tipoff.get_channel_display())
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="oversight_tipoff",
            object_id=tipoff.pk,
            region_code=village.code,
            summary=f"受理举报 {tipoff.number}",
            client=client,
            channel="public" if actor is None else None,
        )
    return tipoff


def tipoff_assign(*, actor: User, tipoff: TipOff, client: Client | None = None) -> TipOff:
    """The county hands the tip-off to the township of the place it concerns."""
    require(actor, Capability.HANDLE_OVERSIGHT, tipoff)
    with transaction.atomic():
        locked = TipOff.objects.select_for_update().get(pk=tipoff.pk)
        if locked.status != TipOffStatus.RECEIVED:
            raise OversightError("该举报已交办")
        locked.status = TipOffStatus.ASSIGNED
        locked.assigned_on = timezone.localdate()
        locked.save(update_fields=["status", "assigned_on", "updated_at"])
        _transition(locked, status_from=TipOffStatus.RECEIVED, actor=actor, note="交乡镇(街道)核查")
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="oversight_tipoff",
            object_id=locked.pk,
            region_code=locked.region_code,
            summary=f"举报 {locked.number} 交乡镇(街道)核查",
            client=client,
        )
    return locked


def tipoff_close(
    *,
    actor: User,
    tipoff: TipOff,
    finding: str,
    investigation: str,
    household: Household | None = None,
    client: Client | None = None,
) -> TipOff:
    """Close with the investigation's finding, linked to the household it concerns (which must
    be in the officer's scope)."""
    require(actor, Capability.HANDLE_OVERSIGHT, tipoff)
    if finding not in TipOffFinding.values:
        raise OversightError("请选择核查结论", field="finding")
    investigation = _text(investigation, field="investigation", label="核查情况")
    if household is not None and not in_scope(household.region_id, user=actor):
        raise OversightError("未找到该家庭，或不在您的管辖范围内", field="household")
    with transaction.atomic():
        locked = TipOff.objects.select_for_update().get(pk=tipoff.pk)
        if locked.status == TipOffStatus.CLOSED:
            raise OversightError("该举报已办结")
        previous = locked.status
        locked.status = TipOffStatus.CLOSED
        locked.finding = finding
        locked.investigation = investigation
        locked.household = household
        locked.closed_on = timezone.localdate()
        locked.save()
        _transition(locked, status_from=previous, actor=actor, note=locked.get_finding_display())
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="oversight_tipoff",
            object_id=locked.pk,
            region_code=locked.region_code,
            summary=f"举报 {locked.number} 办结：{locked.get_finding_display()}",
            detail={"household": household.pk if household else None},
            client=client,
        )
    return locked


# --- recoveries (追回) --------------------------------------------------------------------------

# 示例: how long a fraud stays on the household's credit record (the province sets the rule).
CREDIT_YEARS = 3


def _years_later(day: dt.date, years: int) -> dt.date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def recovery_decide(
    *,
    actor: User,
    household: Household,
    source: str,
    reason: str,
    period_from: dt.date,
    period_to: dt.date,
    amount: Decimal,
    decision_number: str,
    decided_on: dt.date,
    facts: str,
    officer_finding: str,
    officer_note: str = "",
    tipoff: TipOff | None = None,
    client: Client | None = None,
) -> Recovery:
    """Record a recovery decision. Fraud and an unreported change mark the household's credit
    for ``CREDIT_YEARS`` (示例); assistance paid after eligibility ended through no fault of the
    family does not. The finding about the officers is required (三个区分开来)."""
    require(actor, Capability.RECORD_RECOVERIES, household)
    if source not in RecoverySource.values:
        raise OversightError("请选择发现途径", field="source")
    if reason not in RecoveryReason.values:
        raise OversightError("请选择追回原因", field="reason")
    if officer_finding not in OfficerFinding.values:
        raise OversightError("请填写经办人员责任认定", field="officer_finding")
    if period_to < period_from:
        raise OversightError("多发期间的截止日期不能早于起始日期", field="period_to")
    if decided_on > timezone.localdate():
        raise OversightError("决定日期不能晚于今天", field="decided_on")
    if amount is None or amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise OversightError("应退回金额应大于零，最多两位小数", field="amount")
    if tipoff is not None and (tipoff.household_id not in (None, household.pk)):
        raise OversightError("该举报涉及的是另一户家庭", field="tipoff")
    decision_number = _text(decision_number, field="decision_number", label="决定文号")[:60]
    facts = _text(facts, field="facts", label="事实与理由")
    credit = reason in (RecoveryReason.FRAUD, RecoveryReason.UNREPORTED_CHANGE)
    with transaction.atomic():
        recovery = Recovery.objects.create(
            household=household,
            region_code=household.region_id,
            county_code=household.region_id[:6] + "000000",
            source=RecoverySource.TIPOFF if tipoff is not None else source,
            tipoff=tipoff,
            reason=reason,
            legal_basis=LEGAL_BASIS[RecoveryReason(reason)],
            period_from=period_from,
            period_to=period_to,
            amount=amount,
            decision_number=decision_number,
            decided_on=decided_on,
            facts=facts,
            officer_finding=officer_finding,
            officer_note=officer_note.strip()[:MAX_TEXT],
            credit_mark=credit,
            credit_until=_years_later(decided_on, CREDIT_YEARS) if credit else None,
            decided_by=actor,
        )
        _transition(recovery, status_from="", actor=actor, note=recovery.legal_basis)
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="oversight_recovery",
            object_id=recovery.pk,
            region_code=recovery.region_code,
            summary=f"追回决定 {decision_number}：{amount} 元",
            detail={"household": household.pk, "reason": reason, "credit": credit},
            client=client,
        )
    return recovery


def repayment_record(
    *,
    actor: User,
    recovery: Recovery,
    paid_on: dt.date,
    amount: Decimal,
    receipt: str = "",
    client: Client | None = None,
) -> Repayment:
    """A repayment: never more than the balance; the status follows the balance."""
    require(actor, Capability.RECORD_RECOVERIES, recovery)
    if amount is None or amount <= 0 or amount.as_tuple().exponent < -2:  # type: ignore[operator]
        raise OversightError("退回金额应大于零，最多两位小数", field="amount")
    if paid_on > timezone.localdate():
        raise OversightError("退回日期不能晚于今天", field="paid_on")
    with transaction.atomic():
        locked = Recovery.objects.select_for_update().get(pk=recovery.pk)
        if amount > locked.balance:
            raise OversightError(f"退回金额超过未退回余额 {locked.balance} 元", field="amount")
        if paid_on < locked.decided_on:
            raise OversightError("退回日期不能早于决定日期", field="paid_on")
        repayment = Repayment.objects.create(
            recovery=locked,
            paid_on=paid_on,
            amount=amount,
            receipt=receipt.strip()[:60],
            recorded_by=actor,
        )
        Recovery.objects.filter(pk=locked.pk).update(repaid=F("repaid") + amount)
        locked.refresh_from_db()
        previous = locked.status
        locked.status = RecoveryStatus.REPAID if locked.balance == 0 else RecoveryStatus.PARTLY
        locked.save(update_fields=["status", "updated_at"])
        _transition(locked, status_from=previous, actor=actor, note=f"退回 {amount} 元")
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="oversight_recovery",
            object_id=locked.pk,
            region_code=locked.region_code,
            summary=f"追回 {locked.decision_number} 退回 {amount} 元",
            client=client,
        )
    return repayment


# --- settings -----------------------------------------------------------------------------------


def settings_save(
    *,
    actor: User,
    region: Region,
    effective_from: dt.date,
    tipoff_phone: str,
    declaration_visit_days: int | None,
    tipoff_days: int | None,
    client: Client | None = None,
) -> OversightSettings:
    """A county's (or city's) version of the oversight settings from a date."""
    require(actor, Capability.CONFIGURE_OVERSIGHT, region)
    if region.level not in (Level.PROVINCE, Level.CITY, Level.COUNTY):
        raise OversightError("只能为省、市或县(市、区)设置", field="region")
    phone = tipoff_phone.strip()
    if phone and not all(ch.isdigit() or ch in "-（）() " for ch in phone):
        raise OversightError("举报电话只能由数字和连字符组成", field="tipoff_phone")
    for value, field in (
        (declaration_visit_days, "declaration_visit_days"),
        (tipoff_days, "tipoff_days"),
    ):
        if value is not None and not 1 <= value <= 60:
            raise OversightError("时限应在 1 至 60 个工作日之间", field=field)
    with transaction.atomic():
        version, _created = OversightSettings.objects.update_or_create(
            region=region,
            effective_from=effective_from,
            defaults={
                "tipoff_phone": phone,
                "declaration_visit_days": declaration_visit_days,
                "tipoff_days": tipoff_days,
                "is_example": False,
                "created_by": actor,
            },
        )
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="oversight_settings",
            object_id=version.pk,
            region_code=region.code,
            summary=f"设置举报电话和办理时限（{effective_from:%Y-%m-%d} 起）",
            client=client,
        )
    return version
