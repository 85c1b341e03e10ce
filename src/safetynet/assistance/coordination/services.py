"""County coordination cases (一事一议, 三(三) and 四(三)): the county's mechanism for basic-living
protection meets on a special case — situation, departments involved, meeting date, decision —
and sets tasks with owners (a department) and due dates. Each task becomes a referral sent at once
to its department, due on the task's date; the case closes when every task is answered."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from django.db import transaction
from django.db.models import QuerySet
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import NOT_FOUND, require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.assistance import catalogue
from safetynet.assistance.models import (
    ANSWERED_STATUSES,
    Coordination,
    CoordinationStatus,
    Referral,
    ReferralSource,
    ReferralStatus,
)
from safetynet.assistance.referrals.services import AssistanceError, county_of, deadlines
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.registry.models import Household


@dataclass
class Task:
    item: str
    description: str
    due_on: dt.date


def coordination_open(
    *,
    actor: User,
    household: Household,
    situation: str,
    meeting_on: dt.date,
    decision: str,
    tasks: Sequence[Task],
    monitoring_case_id: int | None = None,
) -> Coordination:
    require(actor, Capability.DECIDE_EMERGENCY, household)
    if not situation.strip():
        raise AssistanceError("请填写情况", field="situation")
    if not decision.strip():
        raise AssistanceError("请填写议定事项", field="decision")
    if not tasks:
        raise AssistanceError("请至少列出一项任务", field="tasks")
    entries = []
    for task in tasks:
        try:
            entries.append(catalogue.item(task.item))
        except KeyError as exc:
            raise AssistanceError("任务的帮扶项目无效", field="tasks") from exc
        if not task.description.strip():
            raise AssistanceError("请填写任务内容", field="tasks")
        if task.due_on < meeting_on:
            raise AssistanceError("任务完成时限不能早于会议日期", field="tasks")
    today = timezone.localdate()
    acknowledge_due, _answer = deadlines(today)
    with transaction.atomic():
        case = Coordination.objects.create(
            household=household,
            region_code=household.region_id,
            county_code=county_of(household.region_id),
            situation=situation.strip(),
            departments=sorted({e.department for e in entries}),
            meeting_on=meeting_on,
            decision=decision.strip(),
            monitoring_case_id=monitoring_case_id,
            created_by=actor,
        )
        for entry, task in zip(entries, tasks, strict=True):
            # A task is a referral sent at once, due on the task's date; not one per household and
            # item like the others (a task may repeat an item already under way).
            Referral.objects.filter(
                household=household, item=entry.code, status=ReferralStatus.PROPOSED
            ).update(status=ReferralStatus.WITHDRAWN, answer_note="由一事一议任务替代")
            open_one = Referral.objects.filter(
                household=household,
                item=entry.code,
                status__in=(ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED),
            ).first()
            if open_one is not None:
                open_one.coordination = case
                open_one.answer_due = min(open_one.answer_due or task.due_on, task.due_on)
                open_one.save(update_fields=["coordination", "answer_due"])
                continue
            Referral.objects.create(
                household=household,
                region_code=household.region_id,
                county_code=case.county_code,
                item=entry.code,
                clause=entry.clause,
                department=entry.department,
                reason=f"一事一议议定（{meeting_on:%Y-%m-%d}）：{task.description.strip()}"[:500],
                source=ReferralSource.COORDINATION,
                source_id=case.pk,
                status=ReferralStatus.SENT,
                proposed_on=today,
                sent_on=today,
                sent_by=actor,
                acknowledge_due=acknowledge_due,
                answer_due=task.due_on,
                coordination=case,
            )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="assistance.Coordination",
            object_id=case.pk,
            region_code=household.region_id,
            summary=f"一事一议：{len(tasks)} 项任务推送至{'、'.join(case.departments_display)}",
        )
    return case


def close_if_done(case_id: int | None) -> bool:
    """Called when a referral is answered: the case closes when all its tasks are."""
    if case_id is None:
        return False
    tasks = Referral.objects.filter(coordination_id=case_id)
    if tasks.exclude(status__in=(*ANSWERED_STATUSES, ReferralStatus.WITHDRAWN)).exists():
        return False
    return bool(
        Coordination.objects.filter(pk=case_id, status=CoordinationStatus.OPEN).update(
            status=CoordinationStatus.CLOSED, closed_on=timezone.localdate()
        )
    )


def visible_cases(*, user: User) -> QuerySet[Coordination]:
    require(user, Capability.VIEW_ALL_REFERRALS)
    return scope_queryset(Coordination.objects.select_related("household__head"), user=user)


def case_get(*, user: User, pk: int | str) -> Coordination:
    try:
        case: Coordination = visible_cases(user=user).get(pk=pk)
    except (Coordination.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc
    return case
