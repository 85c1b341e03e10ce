"""Reads of the registry. Every queryset of people or households passes through the scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Prefetch, Q, QuerySet
from django.utils import timezone

from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.regions.codes import normalise_code, prefix_bounds
from safetynet.regions.models import SIGNIFICANT_DIGITS, Region
from safetynet.registry import identity
from safetynet.registry.choices import COUNTED_INCOME_KINDS, MEMBER_CATEGORIES
from safetynet.registry.models import (
    Asset,
    CategoryStatus,
    Household,
    Income,
    LegalSupporter,
    Membership,
    Person,
    RelapseWatchStatus,
    RigidExpenditure,
)

if TYPE_CHECKING:
    from safetynet.accounts.models import User


@dataclass
class HouseholdFilters:
    q: str = ""
    region_code: str = ""
    category: str = ""
    relapse_watch: str = ""
    # The blind index of a whole ID number searched for without putting it in a URL (a search
    # token of the list page, or the body of POST /api/households/search).
    id_hash: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


def _region_prefix(code: str) -> str | None:
    """The significant digits of a region code given by a filter, or None if unknown."""
    try:
        full = normalise_code(code)
    except ValueError:
        return None
    region = Region.objects.filter(code=full).only("level").first()
    if region is None:
        return None
    return full[: SIGNIFICANT_DIGITS[region.level]]


def _search(
    queryset: QuerySet[Household], q: str, *, user: User, id_hash: str = ""
) -> QuerySet[Household]:
    """Name in 汉字, full pinyin or initials (prefix match), a whole ID number, or its last 4–6
    characters (by their keyed hash; always within the user's scope)."""
    text = q.strip()
    normalised = identity.full_id_number(text)
    tail = identity.id_tail(text)
    if id_hash:
        persons = Person.objects.filter(id_number_hash=id_hash)
    elif normalised:
        persons = Person.objects.filter(id_number_hash=identity.blind_index(normalised))
    elif tail:
        persons = Person.objects.filter(**{f"id_tail{len(tail)}_hash": identity.tail_index(tail)})
    elif text.isascii():
        lowered = text.lower().replace(" ", "")
        field = "name_initials" if len(lowered) <= 4 else "name_pinyin"
        persons = Person.objects.filter(**{f"{field}__startswith": lowered})
        if field == "name_initials":
            persons = persons | Person.objects.filter(name_pinyin__startswith=lowered)
    else:
        persons = Person.objects.filter(name__startswith=text)
    persons = scope_queryset(persons, user=user)
    household_ids = Membership.objects.filter(
        left_on__isnull=True, person__in=persons.values("pk")
    ).values("household_id")
    return queryset.filter(pk__in=household_ids)


def household_list(*, user: User, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    filters = filters or HouseholdFilters()
    queryset = scope_queryset(Household.objects.select_related("head", "region"), user=user)
    if filters.region_code:
        prefix = _region_prefix(filters.region_code)
        if prefix is None:
            return queryset.none()
        lo, hi = prefix_bounds(prefix)
        queryset = queryset.filter(region_id__gte=lo, region_id__lte=hi)
    if filters.category:
        if filters.category in MEMBER_CATEGORIES:
            # Destitute and individual dibao are a member's, not the household's.
            members = member_statuses_in_force(on=timezone.localdate()).filter(
                category=filters.category
            )
            queryset = queryset.filter(
                Q(category=filters.category) | Q(pk__in=members.values("household_id"))
            )
        else:
            queryset = queryset.filter(category=filters.category)
    if filters.relapse_watch:
        queryset = queryset.filter(relapse_watch=filters.relapse_watch)
    if filters.q.strip() or filters.id_hash:
        queryset = _search(queryset, filters.q, user=user, id_hash=filters.id_hash)
    return queryset.order_by("-id")


def member_statuses_in_force(*, on: dt.date) -> QuerySet[CategoryStatus]:
    """Members' own categories (destitute, individual dibao) in force on a day."""
    return (
        CategoryStatus.objects.filter(person__isnull=False, effective_from__lte=on)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=on))
        .exclude(category="")
    )


def member_categories(
    households: Iterable[Household], *, on: dt.date
) -> dict[int, list[CategoryStatus]]:
    """Household id -> its members' own categories in force on a day, each with ``person``
    loaded: one query for a page of households."""
    found: dict[int, list[CategoryStatus]] = {}
    for status in (
        member_statuses_in_force(on=on)
        .filter(household_id__in=[row.pk for row in households])
        .select_related("person")
        .order_by("household_id", "person_id")
    ):
        found.setdefault(status.household_id, []).append(status)
    return found


def household_get(*, user: User, pk: Any) -> Household:
    return access_scoped(Household.objects.select_related("head", "region"), user=user, pk=pk)


def person_get(*, user: User, pk: Any) -> Person:
    return access_scoped(Person.objects.all(), user=user, pk=pk)


def person_list(
    *, user: User, q: str = "", region_code: str = "", id_hash: str = ""
) -> QuerySet[Person]:
    queryset = scope_queryset(Person.objects.select_related("region"), user=user)
    if region_code:
        prefix = _region_prefix(region_code)
        if prefix is None:
            return queryset.none()
        lo, hi = prefix_bounds(prefix)
        queryset = queryset.filter(region_id__gte=lo, region_id__lte=hi)
    text = q.strip()
    if id_hash:
        queryset = queryset.filter(id_number_hash=id_hash)
    elif text:
        normalised = identity.full_id_number(text)
        if normalised:
            queryset = queryset.filter(id_number_hash=identity.blind_index(normalised))
        elif text.isascii():
            lowered = text.lower()
            queryset = queryset.filter(name_initials__startswith=lowered) | queryset.filter(
                name_pinyin__startswith=lowered
            )
        else:
            queryset = queryset.filter(name__startswith=text)
    return queryset.order_by("id")


@dataclass
class MemberView:
    membership: Membership
    person: Person
    incomes: list[Income] = field(default_factory=list)
    categories: list[CategoryStatus] = field(default_factory=list)

    @property
    def counted_income(self) -> Decimal:
        return sum(
            (i.monthly_amount for i in self.incomes if i.kind in COUNTED_INCOME_KINDS),
            Decimal("0.00"),
        )


@dataclass
class HouseholdDetail:
    household: Household
    members: list[MemberView]
    former_members: list[Membership]
    supporters: list[LegalSupporter]
    assets: list[Asset]
    expenditures: list[RigidExpenditure]
    category_history: list[CategoryStatus]
    relapse_watch_history: list[RelapseWatchStatus]

    @property
    def counted_income_total(self) -> Decimal:
        return sum(
            (m.counted_income for m in self.members if m.membership.co_resident), Decimal("0.00")
        )

    @property
    def income_per_head(self) -> Decimal:
        count = sum(1 for m in self.members if m.membership.co_resident)
        if not count:
            return Decimal("0.00")
        return (self.counted_income_total / count).quantize(Decimal("0.01"))


def household_detail(*, user: User, pk: Any) -> HouseholdDetail:
    """Everything the household page shows, in a fixed number of queries."""
    household = household_get(user=user, pk=pk)
    memberships = list(
        Membership.objects.filter(household=household)
        .select_related("person")
        .order_by("relation", "id")
    )
    incomes = list(Income.objects.filter(household=household).order_by("id"))
    today = timezone.localdate()
    history = list(
        CategoryStatus.objects.filter(household=household)
        .select_related("decided_by", "person")
        .order_by("-effective_from", "-id")
    )
    members = []
    for membership in memberships:
        if membership.left_on is not None:
            continue
        members.append(
            MemberView(
                membership=membership,
                person=membership.person,
                incomes=[i for i in incomes if i.person_id == membership.person_id],
                categories=[
                    c
                    for c in history
                    if c.person_id == membership.person_id and c.in_force_on(today)
                ],
            )
        )
    return HouseholdDetail(
        household=household,
        members=members,
        former_members=[m for m in memberships if m.left_on is not None],
        supporters=list(
            LegalSupporter.objects.filter(household=household).select_related("supported_person")
        ),
        assets=list(Asset.objects.filter(household=household).select_related("person")),
        expenditures=list(
            RigidExpenditure.objects.filter(household=household).select_related("person")
        ),
        category_history=history,
        relapse_watch_history=list(
            RelapseWatchStatus.objects.filter(household=household)
            .select_related("decided_by")
            .order_by("-effective_from", "-id")
        ),
    )


def household_export_rows(*, households: QuerySet[Household]) -> Any:
    """Rows for the Excel export of a list, streamed in chunks with the members prefetched (each
    person with ``categories_in_force``: their own categories in force today)."""
    in_force = member_statuses_in_force(on=timezone.localdate())
    current = (
        Membership.objects.filter(left_on__isnull=True)
        .select_related("person")
        .prefetch_related(
            Prefetch("person__category_statuses", queryset=in_force, to_attr="categories_in_force")
        )
    )
    counted = Income.objects.filter(kind__in=COUNTED_INCOME_KINDS)
    return households.prefetch_related(
        Prefetch("memberships", queryset=current, to_attr="current_memberships"),
        Prefetch("incomes", queryset=counted, to_attr="counted_incomes"),
    ).iterator(chunk_size=1000)


def monthly_income_per_head(household: Any) -> Decimal | None:
    """Counted monthly income per head of a household from ``household_export_rows``: the
    co-resident members' counted incomes over their number, as on the household page."""
    if not household.member_count:
        return None
    living = {m.person_id for m in household.current_memberships if m.co_resident}
    total = sum(
        (row.monthly_amount for row in household.counted_incomes if row.person_id in living),
        Decimal(0),
    )
    return (total / household.member_count).quantize(Decimal("0.01"))
