"""Reading referrals: every list goes through the region scope, and an account without
``view_all_referrals`` (a department officer) sees only the referrals to its own department."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.permissions import NOT_FOUND, PermissionDenied, allowed
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.assistance.models import AssistanceRecord, Referral, ReferralStatus


def may_view(user: Any) -> bool:
    return allowed(user, Capability.VIEW_ALL_REFERRALS) or allowed(
        user, Capability.HANDLE_REFERRALS
    )


def visible_referrals(*, user: Any) -> QuerySet[Referral]:
    if not may_view(user):
        raise PermissionDenied(capability=Capability.HANDLE_REFERRALS)
    referrals = scope_queryset(
        Referral.objects.select_related("household__head", "household__region"), user=user
    )
    if not allowed(user, Capability.VIEW_ALL_REFERRALS):
        referrals = referrals.filter(department=user.department)
    return referrals


def overdue_q(today: dt.date) -> Q:
    return Q(status=ReferralStatus.SENT, acknowledge_due__lt=today) | Q(
        status__in=(ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED), answer_due__lt=today
    )


@dataclass(frozen=True)
class ReferralFilters:
    status: str = ""
    department: str = ""
    item: str = ""
    overdue: bool = False
    household: int | None = None

    @classmethod
    def from_query(cls, query: Any) -> ReferralFilters:
        household = str(query.get("household", ""))
        return cls(
            status=str(query.get("status", "")),
            department=str(query.get("department", "")),
            item=str(query.get("item", "")),
            overdue=query.get("overdue") in ("1", "true", True),
            household=int(household) if household.isdigit() else None,
        )


def referral_list(
    *, user: Any, filters: ReferralFilters | None = None, today: dt.date | None = None
) -> QuerySet[Referral]:
    filters = filters or ReferralFilters()
    today = today or timezone.localdate()
    referrals = visible_referrals(user=user)
    if not allowed(user, Capability.VIEW_ALL_REFERRALS):
        # A department's inbox holds what was sent to it, not the civil-affairs proposals.
        referrals = referrals.exclude(status=ReferralStatus.PROPOSED)
    if filters.status:
        referrals = referrals.filter(status=filters.status)
    if filters.department:
        referrals = referrals.filter(department=filters.department)
    if filters.item:
        referrals = referrals.filter(item=filters.item)
    if filters.household is not None:
        referrals = referrals.filter(household_id=filters.household)
    if filters.overdue:
        referrals = referrals.filter(overdue_q(today))
    return referrals.order_by("-id")


def referral_get(*, user: Any, pk: Any) -> Referral:
    try:
        referral: Referral = visible_referrals(user=user).get(pk=pk)
    except (Referral.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404(NOT_FOUND) from exc
    if referral.status == ReferralStatus.PROPOSED and not allowed(
        user, Capability.VIEW_ALL_REFERRALS
    ):
        raise Http404(NOT_FOUND)
    return referral


def overdue_count(*, user: Any, today: dt.date | None = None) -> int:
    """For the workbench and the county queue."""
    if not may_view(user):
        return 0
    today = today or timezone.localdate()
    return referral_list(user=user, filters=ReferralFilters(overdue=True), today=today).count()


def is_overdue(referral: Referral, today: dt.date) -> bool:
    acknowledge_due = referral.acknowledge_due
    if referral.status == ReferralStatus.SENT and acknowledge_due and acknowledge_due < today:
        return True
    return bool(
        referral.status in (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)
        and referral.answer_due
        and referral.answer_due < today
    )


def record_list(*, user: Any, household: int | None = None) -> QuerySet[AssistanceRecord]:
    if not may_view(user) and not allowed(user, Capability.VIEW_HOUSEHOLDS):
        raise PermissionDenied(capability=Capability.VIEW_HOUSEHOLDS)
    records = scope_queryset(AssistanceRecord.objects.select_related("household__head"), user=user)
    if not allowed(user, Capability.VIEW_ALL_REFERRALS) and allowed(
        user, Capability.HANDLE_REFERRALS
    ):
        records = records.filter(department=user.department)
    if household is not None:
        records = records.filter(household_id=household)
    return records.order_by("-given_on", "-id")


def household_by_id_number(*, user: Any, number: str) -> Any:
    """The household a person (by full ID number) currently belongs to, within the user's scope;
    None otherwise. Only the blind index is queried."""
    from safetynet.registry import identity
    from safetynet.registry.models import Household

    normalised = identity.full_id_number(number)
    if not normalised:
        return None
    households = Household.objects.filter(
        memberships__person__id_number_hash=identity.blind_index(normalised),
        memberships__left_on__isnull=True,
    ).select_related("head")
    return scope_queryset(households, user=user).first()
