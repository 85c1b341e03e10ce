"""Policy delivery (三(三): 重点监测现行救助政策是否依法落实到位): the households of a region that
qualify, by the catalogue and what their registry records show, for an item they have neither
been referred for nor received. Set-based: the households with a category and their members'
illness, schooling and disability in two queries, the referrals and records in two more."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.assistance.catalogue import HouseholdFacts, referrals_proposed
from safetynet.assistance.facts import member_circumstances
from safetynet.assistance.models import AssistanceRecord, Referral, ReferralStatus
from safetynet.registry.choices import Category
from safetynet.registry.models import Household, Membership

MAX_ROWS = 2000


@dataclass(frozen=True)
class Gap:
    household_id: int
    head_name: str
    region_code: str
    category_label: str
    items: list[str]


def undelivered(*, user: Any, on: dt.date | None = None, limit: int = MAX_ROWS) -> list[Gap]:
    require(user, Capability.VIEW_ALL_REFERRALS)
    on = on or timezone.localdate()
    households = scope_queryset(Household.objects.exclude(category=""), user=user)
    rows = {
        pk: (name or "", region, category, residence)
        for pk, name, region, category, residence in households.values_list(
            "id", "head__name", "region_id", "category", "residence"
        ).iterator(chunk_size=10000)
    }
    found: dict[int, set[str]] = {pk: set() for pk in rows}
    members = Membership.objects.filter(household__in=households, left_on__isnull=True).values_list(
        "household_id",
        "person__health_status",
        "person__school_stage",
        "person__disability_type",
        "person__disability_grade",
        "person__birth_date",
    )
    for pk, health, school, disability, grade, born in members.iterator(chunk_size=10000):
        found.setdefault(pk, set()).update(
            member_circumstances(
                health=health, school=school, disability=disability, grade=grade, born=born, on=on
            )
        )
    had: dict[int, set[str]] = {}
    referred = scope_queryset(Referral.objects.all(), user=user).exclude(
        status=ReferralStatus.WITHDRAWN
    )
    for pk, item in referred.values_list("household_id", "item").iterator(chunk_size=10000):
        had.setdefault(pk, set()).add(item)
    given = scope_queryset(AssistanceRecord.objects.all(), user=user)
    for pk, item in given.values_list("household_id", "item").iterator(chunk_size=10000):
        had.setdefault(pk, set()).add(item)
    gaps = []
    for pk in sorted(rows):
        name, region, category, residence = rows[pk]
        facts = HouseholdFacts(
            category=category, residence=residence, circumstances=frozenset(found.get(pk, ()))
        )
        missing = [
            p.item.name for p in referrals_proposed(facts) if p.item.code not in had.get(pk, ())
        ]
        if missing:
            gaps.append(Gap(pk, name, region, str(Category(category).label), missing))
            if len(gaps) >= limit:
                break
    return gaps
