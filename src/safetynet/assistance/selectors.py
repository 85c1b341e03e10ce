"""What other apps and the household page read from assistance: the household's one timeline
(discovery, determination, alerts and home checks, referrals and feedback, assistance records,
reviews, termination), gathered from each app's public selectors, everything the viewer may see."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.urls import reverse

from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.assistance import catalogue
from safetynet.assistance.referrals import selectors as referral_selectors


@dataclass(frozen=True)
class Event:
    on: dt.date
    stage: str
    text: str
    url: str = ""


def household_timeline(*, user: Any, household: Any) -> list[Event]:
    """One chain per household, oldest first. The household itself was fetched through the
    scope filter by the caller; each part is read through its own app's selectors."""
    from safetynet.monitoring.checks import selectors as monitoring
    from safetynet.monitoring.common import Outcome

    events = [Event(household.created_at.date(), "发现", "登记入库")]
    if allowed(user, Capability.VIEW_MONITORING):
        for raised_on, summary in monitoring.alerts_of_household(household_id=household.pk):
            events.append(Event(raised_on, "监测预警", summary))
        for visit in monitoring.visits_of_household(household_id=household.pk):
            events.append(
                Event(visit.visited_on, "入户核查", f"核查结论：{Outcome(visit.outcome).label}")
            )
    if allowed(user, Capability.VIEW_CASES):
        events.extend(_determination(user, household))
        events.extend(_payments(household))
    if referral_selectors.may_view(user):
        referrals = referral_selectors.referral_list(
            user=user, filters=referral_selectors.ReferralFilters(household=household.pk)
        )
        for r in referrals:
            url = reverse("assistance:referral", args=[r.pk])
            name = catalogue.item_name(r.item)
            events.append(Event(r.proposed_on, "分类推送", f"提出：{name}（{r.clause}）", url))
            if r.sent_on:
                dept = r.get_department_display()
                events.append(Event(r.sent_on, "分类推送", f"推送{dept}：{name}", url))
            if r.answered_on:
                events.append(
                    Event(r.answered_on, "部门反馈", f"{name}：{r.get_status_display()}", url)
                )
    for x in referral_selectors.record_list(user=user, household=household.pk):
        amount = f"，{x.amount} 元" if x.amount is not None else ""
        events.append(
            Event(
                x.given_on,
                "救助帮扶",
                f"{x.get_department_display()}：{catalogue.item_name(x.item)}，{x.kind}{amount}",
            )
        )
    return sorted(events, key=lambda e: e.on)


def _payments(household: Any) -> list[Event]:
    """The monthly amount as decisions and reviews set it, and when it stopped."""
    from safetynet.determination.selectors import amount_history

    changes = amount_history(
        prefix=household.region_id, until=dt.date.max, household_id=household.pk
    )
    events = []
    for change in changes:
        text = (
            f"停发月救助金（{change.starts:%Y年%m月}起）"
            if change.amount is None
            else f"月救助金 {change.amount} 元（{change.starts:%Y年%m月}起）"
        )
        events.append(Event(change.starts, "救助金发放", text))
    return events


def _determination(user: Any, household: Any) -> list[Event]:
    from safetynet.determination.selectors import household_chain

    chain = household_chain(user=user, household_id=household.pk)
    events = []
    for event in chain.events:
        text = event.get_kind_display()
        if event.note:
            text = f"{text}：{event.note}"
        url = (
            reverse("determination:case", args=[event.application_id])
            if event.application_id
            else ""
        )
        events.append(Event(event.on, "认定", text[:200], url))
    for review in chain.reviews:
        if review.done_on:
            events.append(
                Event(
                    review.done_on,
                    "复核",
                    f"{review.get_kind_display()}：{review.get_outcome_display()}",
                )
            )
    for termination in chain.terminations:
        events.append(
            Event(termination.started_on, "终止", f"启动终止救助：{termination.reason}"[:200])
        )
    return events
