"""Investigating an accepted case: the home visit (at least two staff) and the economic
data check with its time limit."""

from __future__ import annotations

import datetime as dt
from typing import Any

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
    Application,
    DataCheck,
    EventKind,
    HomeVisit,
    Status,
)

MIN_VISIT_STAFF = 2


def investigation_step_due(application: Application) -> dt.date | None:
    """The due date while investigating: an open objection's reinvestigation; before any work,
    the start of the investigation; an open data check's answer; then the whole procedure."""
    open_objection = (
        application.objections.filter(resolved_on__isnull=True).order_by("received_on").first()
    )
    if open_objection is not None:
        return open_objection.reinvestigation_due_on
    started = application.home_visits.exists() or application.data_checks.exists()
    if not started and application.accepted_on is not None:
        rules = limits(application.region_id, application.accepted_on)
        return deadlines.investigation_start_due(application.accepted_on, rules)
    pending = application.data_checks.filter(answered_on__isnull=True).order_by("due_on").first()
    if pending is not None:
        return pending.due_on
    return application.procedure_due_on


def _staff_entries(staff: list[Any]) -> list[dict[str, Any]]:
    entries: list[dict[str, Any]] = []
    seen: set[str] = set()
    for member in staff:
        if isinstance(member, str):
            name, user_id = member.strip(), None
        else:
            name = (member.get_full_name() or member.username).strip()
            user_id = member.pk
        if name and name not in seen:
            seen.add(name)
            entries.append({"name": name, "user_id": user_id})
    return entries


def home_visit_record(
    *,
    actor: User,
    application: Application,
    visited_on: dt.date,
    staff: list[Any],
    findings: str,
    client: Client | None = None,
) -> HomeVisit:
    """A home visit by at least two staff (users or names); photos are attachments of it."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="登记入户调查")
    assert application.accepted_on is not None
    check_date(visited_on, field="visited_on", label="调查日期", not_before=application.accepted_on)
    entries = _staff_entries(staff)
    if len(entries) < MIN_VISIT_STAFF:
        raise DeterminationError(
            "入户调查须由不少于 2 名工作人员进行，请填写全部调查人员", field="staff"
        )
    if not findings.strip():
        raise DeterminationError("请填写调查情况", field="findings")
    with transaction.atomic():
        visit = HomeVisit.objects.create(
            application=application,
            visited_on=visited_on,
            staff=entries,
            findings=findings.strip(),
            recorded_by=actor,
        )
        bump(application, step_due_on=investigation_step_due(application))
        event(
            household=application.household,
            application=application,
            kind=EventKind.HOME_VISIT,
            actor=actor,
            on=visited_on,
            note=visit.findings,
            data={"home_visit_id": visit.pk, "staff": [e["name"] for e in entries]},
        )
        audit(actor=actor, application=application, summary="登记入户调查", client=client)
    return visit


def data_check_request(
    *,
    actor: User,
    application: Application,
    requested_on: dt.date | None = None,
    client: Client | None = None,
) -> DataCheck:
    """Ask the county's checking body for the economic-status check, due in 3 working days."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="提请经济状况核对")
    assert application.accepted_on is not None
    requested_on = check_date(
        requested_on or today(),
        field="requested_on",
        label="提请日期",
        not_before=application.accepted_on,
    )
    if application.data_checks.filter(answered_on__isnull=True).exists():
        raise DeterminationError("已有一件尚未反馈的核对请求")
    rules = limits(application.region_id, requested_on)
    due = deadlines.data_check_due(requested_on, rules)
    with transaction.atomic():
        check = DataCheck.objects.create(
            application=application, requested_on=requested_on, requested_by=actor, due_on=due
        )
        bump(application, step_due_on=investigation_step_due(application))
        event(
            household=application.household,
            application=application,
            kind=EventKind.DATA_CHECK_REQUESTED,
            actor=actor,
            on=requested_on,
            data={"data_check_id": check.pk, "due_on": due.isoformat()},
        )
        audit(actor=actor, application=application, summary="提请经济状况核对", client=client)
    return check


def data_check_answer(
    *,
    actor: User,
    data_check: DataCheck,
    answer: str = "",
    verification_report: Any = None,
    answered_on: dt.date | None = None,
    client: Client | None = None,
) -> DataCheck:
    """The county's answer: by hand, or a verification report issued for the household."""
    require_any(actor, Capability.VERIFY_HOUSEHOLDS)
    application = data_check.application
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="反馈核对结果")
    if data_check.answered_on is not None:
        raise DeterminationError("该核对请求已反馈")
    answered_on = check_date(
        answered_on or today(),
        field="answered_on",
        label="反馈日期",
        not_before=data_check.requested_on,
    )
    if verification_report is not None:
        if verification_report.household_id != application.household_id:
            raise DeterminationError("核对报告不是本户的", field="verification_report")
        answer = answer.strip() or f"见家庭经济状况核对报告 {verification_report.number}"
    if not answer.strip():
        raise DeterminationError("请填写核对结果或选择核对报告", field="answer")
    with transaction.atomic():
        data_check.answered_on = answered_on
        data_check.answered_by = actor
        data_check.answer = answer.strip()
        data_check.verification_report = verification_report
        data_check.save(
            update_fields=["answered_on", "answered_by", "answer", "verification_report"]
        )
        bump(application, step_due_on=investigation_step_due(application))
        event(
            household=application.household,
            application=application,
            kind=EventKind.DATA_CHECK_ANSWERED,
            actor=actor,
            on=answered_on,
            note=data_check.answer,
            data={
                "data_check_id": data_check.pk,
                "late": answered_on > data_check.due_on,
                "verification_report": getattr(verification_report, "number", ""),
            },
        )
        audit(actor=actor, application=application, summary="反馈经济状况核对结果", client=client)
    return data_check
