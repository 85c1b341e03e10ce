"""Reads of the registry. Every queryset of people or households passes through the scope."""

from __future__ import annotations

import bisect
import datetime as dt
import operator
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import TYPE_CHECKING, Any, overload

from django.db import connection
from django.db.models import F, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Left
from django.utils import timezone

from safetynet.accounts.scope import access_scoped, scope_prefix, scope_queryset
from safetynet.core.lookups import AnyOf
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


# A name search confined to one county uses the county-scoped prefix indexes of PostgreSQL
# (registry migration 0007: left(region_id, 6) with the name, pinyin or initials), so that a
# common name or two initials in a county reads that county's matches only, not the province's.
COUNTY_DIGITS = 6


def _one_county(user: User, region_prefix: str | None) -> str | None:
    """The county (6 digits) a search is confined to by the scope or the region filter."""
    narrowest = max((p for p in (scope_prefix(user), region_prefix) if p), key=len, default="")
    return narrowest[:COUNTY_DIGITS] if len(narrowest) >= COUNTY_DIGITS else None


def _person_match(q: str, *, id_hash: str = "", prefix: str = "") -> Q:
    """The persons a search text finds, as a condition on ``prefix`` (``person__`` from a
    membership): name in 汉字, full pinyin or initials (prefix match), a whole ID number, or its
    last 4–6 characters (by their keyed hash)."""
    alternatives = _person_alternatives(q, id_hash=id_hash, prefix=prefix)
    match = alternatives[0]
    for other in alternatives[1:]:
        match |= other
    return match


def _person_alternatives(q: str, *, id_hash: str = "", prefix: str = "") -> list[Q]:
    """``_person_match`` as its alternatives, each answered by one index (up to four letters are
    initials or the start of a pinyin)."""
    text = q.strip()
    normalised = identity.full_id_number(text)
    tail = identity.id_tail(text)
    if id_hash:
        return [Q(**{f"{prefix}id_number_hash": id_hash})]
    if normalised:
        return [Q(**{f"{prefix}id_number_hash": identity.blind_index(normalised)})]
    if tail:
        return [Q(**{f"{prefix}id_tail{len(tail)}_hash": identity.tail_index(tail)})]
    if text.isascii():
        lowered = text.lower().replace(" ", "")
        pinyin = Q(**{f"{prefix}name_pinyin__startswith": lowered})
        if len(lowered) <= 4:
            return [Q(**{f"{prefix}name_initials__startswith": lowered}), pinyin]
        return [pinyin]
    return [Q(**{f"{prefix}name__startswith": text})]


def _person_scope(user: User, *, prefix: str = "") -> Q:
    """The scope filter of persons (``scope_queryset``) as a condition on ``prefix``."""
    scope = scope_prefix(user)
    if scope is None:
        return Q(pk__in=[])
    lo, hi = prefix_bounds(scope)
    return Q(**{f"{prefix}region_id__gte": lo, f"{prefix}region_id__lte": hi})


def _persons_within(user: User, county: str | None) -> QuerySet[Person]:
    """The persons of the user's scope, and on PostgreSQL of the county a search is confined to,
    by the county-scoped name indexes' expression (registry migrations 0007–0008). A county's
    scope is that condition alone, as for the households (``_households_within``): with the
    code range beside it the planner expected one person and read the county's persons by the
    region index, filtering names (13,000 rows for 1,201 of 王)."""
    persons = Person.objects.all()
    if county is None or connection.vendor != "postgresql":
        return scope_queryset(persons, user=user)
    persons = persons.alias(county=Left("region_id", COUNTY_DIGITS)).filter(county=county)
    if scope_prefix(user) == county:
        return persons
    return scope_queryset(persons, user=user)


def _search(
    queryset: QuerySet[Household],
    q: str,
    *,
    user: User,
    id_hash: str = "",
    region_prefix: str | None = None,
) -> QuerySet[Household]:
    """The households with a current member the search finds (always within the user's scope):
    every match, for the export and the API's exact paging (``household_list``)."""
    county = _one_county(user, region_prefix)
    persons = _persons_within(user, county).filter(_person_match(q, id_hash=id_hash))
    household_ids = Membership.objects.filter(
        left_on__isnull=True, person__in=persons.values("pk")
    ).values("household_id")
    return queryset.filter(pk__in=household_ids)


def _households_within(prefix: str) -> QuerySet[Household]:
    """The households whose village code starts with ``prefix``.

    On PostgreSQL a county is written as the expression of the households' (county, id) index
    (``left(region_id, 6) = county``, registry migration 0008), not as the code range: given both,
    the planner multiplies their selectivities as if they were independent — 12 households
    expected of a county's 17,734 at 2,000,000 — and sorts every match of a walked search (or
    walks the primary key past the province for the newest ten) instead of reading the county's
    index from its newest end and stopping after a page."""
    households = Household.objects.select_related("head", "region")
    if connection.vendor == "postgresql" and len(prefix) == COUNTY_DIGITS:
        return households.alias(county=Left("region_id", COUNTY_DIGITS)).filter(county=prefix)
    lo, hi = prefix_bounds(prefix)
    return households.filter(region_id__gte=lo, region_id__lte=hi)


def _filtered(
    user: User, filters: HouseholdFilters
) -> tuple[QuerySet[Household], str | None] | None:
    """The list's households by scope, region, category and relapse watch (no search), and the
    region filter's prefix; None when the region filter names no region.

    The scope and the region filter are one prefix condition, the narrower of the two (a code
    starting with both starts with the longer one; none starts with two that differ): the
    scope holds as with ``scope_queryset``, and the planner sees one condition, not two
    correlated ones (``_households_within``)."""
    scope = scope_prefix(user)
    if scope is None:
        return Household.objects.none(), None
    prefix = None
    narrowest = scope
    if filters.region_code:
        prefix = _region_prefix(filters.region_code)
        if prefix is None:
            return None
        if prefix.startswith(scope):
            narrowest = prefix
        elif not scope.startswith(prefix):
            return Household.objects.none(), prefix
    queryset = _households_within(narrowest)
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
    return queryset, prefix


def household_list(*, user: User, filters: HouseholdFilters | None = None) -> QuerySet[Household]:
    """Every household of the list, newest first (the export's and the API's source)."""
    filters = filters or HouseholdFilters()
    found = _filtered(user, filters)
    if found is None:
        return Household.objects.none()
    queryset, prefix = found
    if filters.q.strip() or filters.id_hash:
        queryset = _search(
            queryset, filters.q, user=user, id_hash=filters.id_hash, region_prefix=prefix
        )
    return queryset.order_by("-id")


# Up to this many matches, a list without a search is paged over its collected ids (see
# ``household_list_paged``); past it (a city or the province) it is walked.
COLLECT_MAX = 200_000


def household_count(*, user: User) -> tuple[int, bool]:
    """How many households the user's scope holds, counted up to ``COLLECT_MAX``; past it
    ``(COLLECT_MAX, True)``, shown as "200,000+" like the walked list: counting a province's
    2,000,000 took a second of the database on every view of a supervisor's workbench."""
    found = _filtered(user, HouseholdFilters())
    households = found[0] if found is not None else Household.objects.none()
    counted = households.order_by()[: COLLECT_MAX + 1].count()
    return min(counted, COLLECT_MAX), counted > COLLECT_MAX


# A search reads at most ``SEARCH_ROWS_MAX`` matching persons per alternative; if there are
# more, it is walked in the list's order and counted as the households found among them, at
# most ``SEARCH_COLLECT_MAX`` ("1,000+": a family shares a surname, so 1,200 persons of 王 are
# some 1,100 households). Each person read costs a membership and a household probe.
SEARCH_COLLECT_MAX = 1_000
SEARCH_ROWS_MAX = 1_200
# A walked list answers ``?page=N`` by OFFSET up to this page (old links, the first pages);
# further on it pages by keyset only (``after`` / ``before``).
WALK_PAGES_MAX = 20


class CollectedHouseholds:
    """A household list as its matching ids, newest first, collected in one query through the
    indexes of its filters; a page is a slice of the ids and one query for its 50 rows.

    Paging a query ``ORDER BY id DESC LIMIT 50 OFFSET n`` lets PostgreSQL walk the primary key
    backwards past every other region's rows (page 1 of a quiet township), or sort the whole
    county before the offset (deep pages), and count by scanning again. Collected ids make the
    count ``len`` and every page equally cheap. ``Paginator`` takes this like a queryset."""

    count_more = False

    def __init__(self, ids: list[int], rows: QuerySet[Household]) -> None:
        self.ids = ids
        self.rows = rows

    def count(self) -> int:
        return len(self.ids)

    def all(self) -> CollectedHouseholds:
        return self

    def __len__(self) -> int:
        return len(self.ids)

    def __iter__(self) -> Iterator[Household]:
        for start in range(0, len(self.ids), 1000):
            yield from self[start : start + 1000]

    @overload
    def __getitem__(self, index: int) -> Household: ...

    @overload
    def __getitem__(self, index: slice) -> list[Household]: ...

    def __getitem__(self, index: int | slice) -> Household | list[Household]:
        if isinstance(index, int):
            return self[index : index + 1][0] if index >= 0 else self[len(self) + index]
        return _rows_in_order(self.rows, self.ids[index])

    def after(self, pk: int, size: int) -> list[Household]:
        """Up to ``size`` rows older than household ``pk`` (the API's ``after``)."""
        start = bisect.bisect_right(self.ids, -pk, key=operator.neg)  # ids are newest first
        return self[start : start + size]


def _rows_in_order(rows: QuerySet[Household], ids: Sequence[int]) -> list[Household]:
    found = {row.pk: row for row in rows.filter(pk__in=ids)}
    return [found[pk] for pk in ids if pk in found]


class WalkedHouseholds:
    """A list too broad to collect (a common name or two initials in a county, a city without
    filters): its ids read in the list's order (newest first) from the newest end and stopped
    after a page, by keyset (``after``/``before`` the id a page ends or starts at) or, for the
    first ``WALK_PAGES_MAX`` pages, by OFFSET. Its count is the lower bound found while
    deciding (``count_more``): counting every match is what made broad searches slow."""

    count_more = True

    def __init__(self, ids: QuerySet[Household], rows: QuerySet[Household], at_least: int) -> None:
        self.ids = ids  # ordered newest first
        self.rows = rows
        self.at_least = at_least

    def count(self) -> int:
        return self.at_least

    def all(self) -> WalkedHouseholds:
        return self

    def __len__(self) -> int:
        return self.at_least

    def __getitem__(self, index: slice) -> list[Household]:
        return _rows_in_order(self.rows, list(self.ids.values_list("id", flat=True)[index]))

    def after(self, pk: int, size: int) -> list[Household]:
        """Up to ``size`` rows older than household ``pk`` (the next page)."""
        ids = self.ids.filter(id__lt=pk).values_list("id", flat=True)[:size]
        return _rows_in_order(self.rows, list(ids))

    def before(self, pk: int, size: int) -> list[Household]:
        """Up to ``size`` rows newer than household ``pk``, the nearest ones (the previous
        page), newest first."""
        ids = list(self.ids.filter(id__gt=pk).order_by("id").values_list("id", flat=True)[:size])
        return _rows_in_order(self.rows, ids[::-1])


def _confined(households: QuerySet[Household], county: str | None) -> QuerySet[Household]:
    """On PostgreSQL, a list within one county reads the households' (county, id) index
    (registry migration 0008) in id order, not the primary key past other regions' rows. A
    list of exactly the county has that condition already (``_households_within``); the same
    clause twice would halve the planner's estimate again."""
    if county is None or connection.vendor != "postgresql":
        return households
    if "county" in households.query.annotations:
        return households
    return households.alias(county=Left("region_id", COUNTY_DIGITS)).filter(county=county)


def household_list_paged(
    *, user: User, filters: HouseholdFilters | None = None
) -> CollectedHouseholds | WalkedHouseholds:
    """What the list page pages.

    Without a search: the collected ids of the list (any page of a township or a county, with
    an exact count), or past ``COLLECT_MAX`` matches (a city, the province) the walked list.

    With a search: the matching households are collected from the persons' side — the
    county-scoped name/pinyin/initials indexes, the current memberships, the household by its
    key — reading at most ``SEARCH_ROWS_MAX`` persons per alternative (initials, pinyin). A
    search that ends there is the collected
    list with its exact count; a broader one (``王``, ``zh``) is walked: the county's households
    newest first, each asked whether a current member matches, stopping after a page — with
    a thousand or more matches among the county's households a page is found within a few
    thousand of them."""
    filters = filters or HouseholdFilters()
    rows = scope_queryset(Household.objects.select_related("head", "region"), user=user)
    found = _filtered(user, filters)
    if found is None:
        return CollectedHouseholds([], rows)
    households, prefix = found
    county = _one_county(user, prefix)
    if not (filters.q.strip() or filters.id_hash):
        ids = list(households.order_by().values_list("id", flat=True)[: COLLECT_MAX + 1])
        if len(ids) <= COLLECT_MAX:
            ids.sort(reverse=True)
            return CollectedHouseholds(ids, rows)
        return WalkedHouseholds(_confined(households, county).order_by("-id"), rows, COLLECT_MAX)
    in_scope = _person_scope(user, prefix="person__")
    matched: set[int] = set()
    complete = True
    # (The ids as one array parameter, ``AnyOf``: a thousand placeholders cost more to quote and
    # parse than the queries take.)
    # Three small queries per alternative (initials, pinyin: each reads its own index, where an
    # OR would be a bitmap of every match), each with the ids of the one before: the persons
    # (index-only through the county indexes), their current memberships, the households that
    # pass the list's filters. Given explicit ids the planner probes; given the join it may
    # hash every membership of the province when it expects fewer persons than the limit.
    for alternative in _person_alternatives(filters.q, id_hash=filters.id_hash):
        persons = _persons_within(user, county).filter(alternative).order_by()
        person_ids = list(persons.values_list("id", flat=True)[: SEARCH_ROWS_MAX + 1])
        if len(person_ids) > SEARCH_ROWS_MAX:
            complete = False
            del person_ids[SEARCH_ROWS_MAX:]
        household_ids = set(
            Membership.objects.filter(AnyOf(F("person_id"), person_ids), left_on__isnull=True)
            .order_by()
            .values_list("household_id", flat=True)
        )
        matched.update(
            households.order_by().filter(AnyOf(F("id"), household_ids)).values_list("id", flat=True)
        )
        if not complete:
            break
    if complete:
        return CollectedHouseholds(sorted(matched, reverse=True), rows)
    match = _person_match(filters.q, id_hash=filters.id_hash, prefix="person__") & in_scope
    # Each household of the walk asks for one current member matching (a scalar subquery, so
    # the planner probes per household instead of joining every match first).
    probe = (
        Membership.objects.filter(match, household_id=OuterRef("pk"), left_on__isnull=True)
        .order_by()
        .values("pk")[:1]
    )
    walked = _confined(households, county).alias(hit=Subquery(probe)).filter(hit__isnull=False)
    return WalkedHouseholds(walked.order_by("-id"), rows, min(len(matched), SEARCH_COLLECT_MAX))


@dataclass
class HouseholdPage:
    """One page of the household list, with what its pager needs: page numbers and a total for
    a collected list; a lower bound (``count_more``) and keyset links for a walked one. Reads
    like Django's ``Page`` (``object_list``, ``paginator.count``, ``number``)."""

    object_list: list[Household]
    number: int
    count: int
    count_more: bool
    num_pages: int | None  # None: walked, the last page is not known
    has_previous: bool
    has_next: bool
    page_bounded: bool = False  # ?page=N past WALK_PAGES_MAX, answered with that page

    @property
    def first_id(self) -> int | None:
        return self.object_list[0].pk if self.object_list else None

    @property
    def last_id(self) -> int | None:
        return self.object_list[-1].pk if self.object_list else None

    @property
    def previous_page_number(self) -> int:
        return max(1, self.number - 1)

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def paginator(self) -> HouseholdPage:
        return self

    def __iter__(self) -> Iterator[Household]:
        return iter(self.object_list)

    def __len__(self) -> int:
        return len(self.object_list)


def household_page(
    *,
    user: User,
    filters: HouseholdFilters | None = None,
    number: int = 1,
    after: int | None = None,
    before: int | None = None,
    size: int = 50,
) -> HouseholdPage:
    """Page ``number`` of the household list; for a walked list ``after``/``before`` (the id the
    previous page ended, or the next page started, at) take precedence over the number."""
    source = household_list_paged(user=user, filters=filters)
    number = max(1, number)
    if isinstance(source, CollectedHouseholds):
        count = source.count()
        num_pages = max(1, -(-count // size))
        number = min(number, num_pages)
        return HouseholdPage(
            object_list=source[(number - 1) * size : number * size],
            number=number,
            count=count,
            count_more=False,
            num_pages=num_pages,
            has_previous=number > 1,
            has_next=number < num_pages,
        )
    if after is not None:
        rows = source.after(after, size + 1)
        return HouseholdPage(
            object_list=rows[:size],
            number=max(2, number),
            count=source.count(),
            count_more=True,
            num_pages=None,
            has_previous=True,
            has_next=len(rows) > size,
        )
    if before is not None:
        rows = source.before(before, size + 1)
        if len(rows) > size:
            return HouseholdPage(
                object_list=rows[-size:],
                number=max(2, number),
                count=source.count(),
                count_more=True,
                num_pages=None,
                has_previous=True,
                has_next=True,
            )
        number = 1  # back at the newest end: the first page, full
    bounded = min(number, WALK_PAGES_MAX)
    rows = source[(bounded - 1) * size : bounded * size + 1]
    return HouseholdPage(
        object_list=rows[:size],
        number=bounded,
        count=source.count(),
        count_more=True,
        num_pages=None,
        has_previous=bounded > 1,
        has_next=len(rows) > size,
        page_bounded=bounded < number,
    )


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


@dataclass
class ExportChunk:
    """Plain values of up to 1,000 households for the export (``exports.household_list_write``),
    in newest-first order, read in four queries without model instances."""

    households: list[dict[str, Any]]
    # Household id → (person id, relation, then the ``EXPORT_PERSON_FIELDS``) per member.
    members: dict[int, list[tuple[Any, ...]]]
    incomes: dict[int, dict[int, Decimal]]
    categories: dict[int, list[str]]
    co_resident: dict[int, set[int]]

    def income_per_head(self, household_id: int, member_count: int) -> Decimal | None:
        """As on the household page: co-resident members' counted incomes over the household's
        size."""
        if not member_count:
            return None
        living = self.co_resident.get(household_id, set())
        total = sum(
            (a for p, a in self.incomes.get(household_id, {}).items() if p in living), Decimal(0)
        )
        return (total / member_count).quantize(Decimal("0.01"))


EXPORT_PERSON_FIELDS = (
    "person__name",
    "person__id_number_masked",
    "person__sex",
    "person__birth_date",
    "person__disability_type",
    "person__disability_grade",
    "person__health_status",
    "person__labour_capacity",
)


def household_export_chunk(ids: Sequence[int]) -> ExportChunk:
    """The export's values of households ``ids`` (already scoped and filtered by the caller)."""
    order = {pk: index for index, pk in enumerate(ids)}
    values: Iterable[Any] = Household.objects.filter(AnyOf(F("id"), ids)).values(
        "id",
        "region__full_name",
        "region_id",
        "residence",
        "head__name",
        "member_count",
        "category",
        "relapse_watch",
        "address",
    )
    households: list[dict[str, Any]] = sorted(values, key=lambda row: order[row["id"]])
    # Tuples, not dicts (300,000 of them in a county): (person id, relation, *person fields).
    members: dict[int, list[tuple[Any, ...]]] = {}
    co_resident: dict[int, set[int]] = {}
    for household_id, person_id, relation, living, *person in (
        Membership.objects.filter(AnyOf(F("household_id"), ids), left_on__isnull=True)
        .order_by("household_id", "relation", "id")
        .values_list("household_id", "person_id", "relation", "co_resident", *EXPORT_PERSON_FIELDS)
    ):
        members.setdefault(household_id, []).append((person_id, relation, *person))
        if living:
            co_resident.setdefault(household_id, set()).add(person_id)
    incomes: dict[int, dict[int, Decimal]] = {}
    for household_id, person_id, amount in Income.objects.filter(
        AnyOf(F("household_id"), ids), kind__in=COUNTED_INCOME_KINDS
    ).values_list("household_id", "person_id", "monthly_amount"):
        per_person = incomes.setdefault(household_id, {})
        per_person[person_id] = per_person.get(person_id, Decimal(0)) + amount
    categories: dict[int, list[str]] = {}
    for person_id, category in (
        member_statuses_in_force(on=timezone.localdate())
        .filter(AnyOf(F("household_id"), ids))
        .order_by("person_id", "effective_from", "id")
        .values_list("person_id", "category")
    ):
        categories.setdefault(person_id, []).append(category)
    return ExportChunk(households, members, incomes, categories, co_resident)
