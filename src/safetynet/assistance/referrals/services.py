"""Referrals (分类推送, 三(三)) and what departments give (五(二)).

A referral is proposed from a confirmed determination, a home check concluded 转相关部门 or
特殊情况, or by hand; an officer confirms several at once and each lands in the inbox of its
department for the household's county, with working-day deadlines to acknowledge and to answer
(local settings). The department acknowledges and answers: what it gave (becoming an assistance
record) or why not. It may also report help given without a referral.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied, allowed, require
from safetynet.accounts.roles import Capability
from safetynet.assistance import catalogue
from safetynet.assistance.catalogue import HouseholdFacts, referrals_proposed
from safetynet.assistance.facts import HARDSHIP_CIRCUMSTANCES, facts_of
from safetynet.assistance.models import (
    OPEN_STATUSES,
    WAITING_STATUSES,
    AssistanceRecord,
    RecordSource,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.policy.calendar.workdays import add_working_days
from safetynet.registry.models import Household

AMOUNT_LIMIT = Decimal("10000000")
CENT = Decimal("0.01")


class AssistanceError(Exception):
    def __init__(self, message: str, *, field: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.field = field


def county_of(region_code: str) -> str:
    return region_code[:6].ljust(12, "0")


# --- proposing ----------------------------------------------------------------------------------


def _open_items(household_id: int) -> set[str]:
    return set(
        Referral.objects.filter(household_id=household_id, status__in=OPEN_STATUSES).values_list(
            "item", flat=True
        )
    )


def referrals_propose(
    *,
    household: Household,
    facts: HouseholdFacts,
    source: str,
    source_id: int | None = None,
    on: dt.date | None = None,
    departments: Iterable[str] = (),
) -> list[Referral]:
    """Store the proposals of the catalogue rule that are not open already (proposing twice
    changes nothing). ``departments``: keep only those departments' items when any matches."""
    on = on or timezone.localdate()
    proposals = referrals_proposed(facts)
    wanted = set(departments)
    if wanted and any(p.item.department in wanted for p in proposals):
        proposals = [p for p in proposals if p.item.department in wanted]
    open_items = _open_items(household.pk)
    created = []
    for proposal in proposals:
        if proposal.item.code in open_items:
            continue
        try:
            with transaction.atomic():
                created.append(
                    Referral.objects.create(
                        household=household,
                        region_code=household.region_id,
                        county_code=county_of(household.region_id),
                        item=proposal.item.code,
                        clause=proposal.item.clause,
                        department=proposal.item.department,
                        reason=proposal.reason[:500],
                        source=source,
                        source_id=source_id,
                        proposed_on=on,
                    )
                )
        except IntegrityError:  # proposed meanwhile by another path
            continue
    return created


def proposals_from_visit(*, visit_id: int | None) -> list[Referral]:
    """A home check concluded 转相关部门 or 特殊情况: propose what the household qualifies for,
    the alert's hardship type counting as a circumstance, the department the visitor named first."""
    from safetynet.monitoring.checks.selectors import visit_conclusion
    from safetynet.monitoring.common import Outcome

    conclusion = visit_conclusion(visit_id=visit_id)
    if conclusion is None or conclusion.household_id is None:
        return []
    if conclusion.outcome not in (Outcome.REFERRED, Outcome.SPECIAL):
        return []
    if Referral.objects.filter(source=ReferralSource.HOME_CHECK, source_id=visit_id).exists():
        return []
    household = Household.objects.get(pk=conclusion.household_id)
    extra = [
        HARDSHIP_CIRCUMSTANCES[h] for h in [conclusion.hardship_type] if h in HARDSHIP_CIRCUMSTANCES
    ]
    facts = facts_of(household, on=conclusion.visited_on, extra=extra)
    return referrals_propose(
        household=household,
        facts=facts,
        source=ReferralSource.HOME_CHECK,
        source_id=conclusion.visit_id,
        on=conclusion.visited_on,
        departments=[conclusion.referral_department] if conclusion.referral_department else (),
    )


def proposals_from_decision(*, decision_id: int | None) -> list[Referral]:
    """A confirmed determination: propose the special assistance the new category opens."""
    from safetynet.determination.selectors import decision_facts

    found = decision_facts(decision_id=decision_id)
    if found is None:
        return []
    household = Household.objects.get(pk=found.household_id)
    facts = facts_of(household, on=found.decided_on, category=found.category)
    return referrals_propose(
        household=household,
        facts=facts,
        source=ReferralSource.DETERMINATION,
        source_id=decision_id,
        on=found.decided_on,
    )


def referrals_propose_by_hand(
    *, actor: User, household: Household, circumstances: Sequence[str], on: dt.date | None = None
) -> list[Referral]:
    """An officer names the circumstances; the rule proposes the items."""
    require(actor, Capability.SEND_REFERRALS, household)
    unknown = set(circumstances) - set(catalogue.Circumstance.values)
    if unknown:
        raise AssistanceError("未知的困难情形", field="circumstances")
    on = on or timezone.localdate()
    with transaction.atomic():
        created = referrals_propose(
            household=household,
            facts=facts_of(household, on=on, extra=circumstances),
            source=ReferralSource.MANUAL,
            on=on,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="assistance.Referral",
            object_id=household.pk,
            region_code=household.region_id,
            summary=f"提出分类推送建议 {len(created)} 项",
        )
    return created


def referral_add(
    *, actor: User, household: Household, item: str, reason: str, on: dt.date | None = None
) -> Referral:
    """A referral of one catalogue item by hand (e.g. a coordination task), proposed."""
    require(actor, Capability.SEND_REFERRALS, household)
    try:
        entry = catalogue.item(item)
    except KeyError as exc:
        raise AssistanceError("请选择帮扶项目", field="item") from exc
    if not entry.referral:
        raise AssistanceError("该项目由认定程序办理，不需推送", field="item")
    if not reason.strip():
        raise AssistanceError("请填写推送理由", field="reason")
    if entry.code in _open_items(household.pk):
        raise AssistanceError("该家庭已有同一项目的转办在办理中", field="item")
    with transaction.atomic():
        referral = Referral.objects.create(
            household=household,
            region_code=household.region_id,
            county_code=county_of(household.region_id),
            item=entry.code,
            clause=entry.clause,
            department=entry.department,
            reason=f"依据豫政办〔2022〕103号{entry.clause}：{reason.strip()}"[:500],
            source=ReferralSource.MANUAL,
            proposed_on=on or timezone.localdate(),
        )
        _audit(actor, referral, f"提出转办：{entry.name}")
    return referral


# --- sending ------------------------------------------------------------------------------------


def deadlines(sent_on: dt.date) -> tuple[dt.date, dt.date]:
    return (
        add_working_days(sent_on, settings.ASSISTANCE_ACKNOWLEDGE_WORKING_DAYS),
        add_working_days(sent_on, settings.ASSISTANCE_ANSWER_WORKING_DAYS),
    )


def referrals_send(*, actor: User, referrals: Sequence[Referral], on: dt.date | None = None) -> int:
    """Confirm several proposals at once: each goes to its department's inbox."""
    on = on or timezone.localdate()
    for referral in referrals:
        require(actor, Capability.SEND_REFERRALS, referral)
    acknowledge_due, answer_due = deadlines(on)
    sent = 0
    with transaction.atomic():
        for referral in referrals:
            updated = Referral.objects.filter(
                pk=referral.pk, status=ReferralStatus.PROPOSED
            ).update(
                status=ReferralStatus.SENT,
                sent_on=on,
                sent_by=actor,
                acknowledge_due=acknowledge_due,
                answer_due=answer_due,
            )
            if updated:
                sent += 1
                _audit(actor, referral, f"推送至{referral.get_department_display()}")
    return sent


def referral_withdraw(*, actor: User, referral: Referral, reason: str) -> Referral:
    require(actor, Capability.SEND_REFERRALS, referral)
    if referral.status not in OPEN_STATUSES:
        raise AssistanceError("该转办已办结")
    if not reason.strip():
        raise AssistanceError("请填写撤回理由", field="reason")
    with transaction.atomic():
        referral.status = ReferralStatus.WITHDRAWN
        referral.answer_note = reason.strip()
        referral.save(update_fields=["status", "answer_note"])
        _audit(actor, referral, "撤回转办")
    return referral


# --- the department's side ----------------------------------------------------------------------


def may_handle(actor: User, referral: Referral) -> bool:
    return allowed(actor, Capability.HANDLE_REFERRALS) and actor.department == referral.department


def _require_handler(actor: User, referral: Referral) -> None:
    require(actor, Capability.HANDLE_REFERRALS, referral)
    if actor.department != referral.department:
        raise PermissionDenied("只能办理推送给本部门的事项", capability=Capability.HANDLE_REFERRALS)


def referral_acknowledge(*, actor: User, referral: Referral, on: dt.date | None = None) -> Referral:
    _require_handler(actor, referral)
    on = on or timezone.localdate()
    with transaction.atomic():
        updated = Referral.objects.filter(pk=referral.pk, status=ReferralStatus.SENT).update(
            status=ReferralStatus.ACKNOWLEDGED, acknowledged_on=on, acknowledged_by=actor
        )
        if not updated:
            raise AssistanceError("只有已推送待签收的事项可以签收")
        referral.refresh_from_db()
        _audit(actor, referral, "部门签收转办")
    return referral


@dataclass
class Given:
    """What was given: kind (现金、实物、服务、政策), amount in yuan (optional), when, period."""

    kind: str
    given_on: dt.date
    amount: Decimal | None = None
    period_from: dt.date | None = None
    period_to: dt.date | None = None
    note: str = ""


def _checked(given: Given) -> Given:
    if not given.kind.strip():
        raise AssistanceError("请填写帮扶内容", field="kind")
    if given.given_on > timezone.localdate():
        raise AssistanceError("实施日期不能晚于今天", field="given_on")
    if given.amount is not None:
        if not Decimal(0) <= given.amount < AMOUNT_LIMIT:
            raise AssistanceError("金额应在 0 至 9,999,999.99 元之间", field="amount")
        given.amount = given.amount.quantize(CENT)
    if given.period_from and given.period_to and given.period_to < given.period_from:
        raise AssistanceError("期间止不能早于期间起", field="period_to")
    given.kind = given.kind.strip()[:200]
    given.note = given.note.strip()[:500]
    return given


def referral_answer(
    *,
    actor: User,
    referral: Referral,
    given: Given | None = None,
    declined_reason: str = "",
    on: dt.date | None = None,
    source: str = RecordSource.FEEDBACK,
    external_ref: str = "",
) -> Referral:
    """The department's feedback: what it gave (an assistance record), or why not. Closes the
    referral; answering an unacknowledged one acknowledges it too."""
    _require_handler(actor, referral)
    on = on or timezone.localdate()
    if given is None and not declined_reason.strip():
        raise AssistanceError("请填写帮扶情况，或说明未予救助的理由", field="declined_reason")
    if given is not None:
        given = _checked(given)
    with transaction.atomic():
        locked = Referral.objects.select_for_update().get(pk=referral.pk)
        if locked.status not in WAITING_STATUSES:
            raise AssistanceError("该转办不在待反馈状态")
        if locked.acknowledged_on is None:
            locked.acknowledged_on = on
            locked.acknowledged_by = actor
        locked.answered_on = on
        locked.answered_by = actor
        if given is not None:
            locked.status = ReferralStatus.GIVEN
            locked.answer_note = given.note
            _record(
                actor=actor,
                household_id=locked.household_id,
                region_code=locked.region_code,
                department=locked.department,
                item=locked.item,
                given=given,
                referral=locked,
                source=source,
                external_ref=external_ref,
            )
        else:
            locked.status = ReferralStatus.DECLINED
            locked.answer_note = declined_reason.strip()
        locked.save()
        _audit(actor, locked, f"部门反馈：{locked.get_status_display()}")
        if locked.coordination_id is not None:
            from safetynet.assistance.coordination.services import close_if_done

            close_if_done(locked.coordination_id)
    return locked


def _record(
    *,
    actor: User,
    household_id: int,
    region_code: str,
    department: str,
    item: str,
    given: Given,
    source: str,
    referral: Referral | None = None,
    external_ref: str = "",
) -> AssistanceRecord:
    return AssistanceRecord.objects.create(
        household_id=household_id,
        region_code=region_code,
        department=department,
        item=item,
        kind=given.kind,
        amount=given.amount,
        given_on=given.given_on,
        period_from=given.period_from,
        period_to=given.period_to,
        referral=referral,
        source=source,
        external_ref=external_ref,
        note=given.note,
        recorded_by=actor,
    )


def record_report(
    *,
    actor: User,
    household: Household,
    item: str,
    given: Given,
    source: str = RecordSource.REPORT,
    external_ref: str = "",
) -> AssistanceRecord:
    """Help a department gave without a referral (五(二): 实施救助帮扶后及时反馈)."""
    require(actor, Capability.HANDLE_REFERRALS, household)
    try:
        entry = catalogue.item(item)
    except KeyError as exc:
        raise AssistanceError("请选择帮扶项目", field="item") from exc
    if entry.department != actor.department:
        raise AssistanceError("只能报送本部门实施的帮扶项目", field="item")
    given = _checked(given)
    with transaction.atomic():
        record = _record(
            actor=actor,
            household_id=household.pk,
            region_code=household.region_id,
            department=actor.department,
            item=entry.code,
            given=given,
            source=source,
            external_ref=external_ref,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="assistance.AssistanceRecord",
            object_id=record.pk,
            region_code=household.region_id,
            summary=f"部门报送帮扶：{entry.name}",
        )
    return record


def _audit(actor: User, referral: Referral, summary: str) -> None:
    audit_record(
        actor=actor,
        action=Action.UPDATE,
        object_type="assistance.Referral",
        object_id=referral.pk,
        region_code=referral.region_code,
        summary=summary,
        detail={"item": referral.item, "department": referral.department},
    )
