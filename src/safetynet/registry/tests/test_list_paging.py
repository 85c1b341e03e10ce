"""The household list pages over collected ids (bounded work on any page of a township or a
county), walks the ordered query past ``COLLECT_MAX`` matches, collects a search's households
through the persons' side up to ``SEARCH_ROWS_MAX`` and walks a broader search with a capped
count and keyset links (web page and API), and a county-confined name search on PostgreSQL
reads the county-scoped prefix indexes (ADR 0016)."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client

from safetynet.registry import selectors
from safetynet.registry.selectors import CollectedHouseholds, HouseholdFilters, WalkedHouseholds


def test_pages_over_collected_ids_newest_first(
    jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any
) -> None:
    mine = [make_household(jinshui_officer) for _ in range(5)]
    make_household(zhongyuan_officer)
    listed = selectors.household_list_paged(user=jinshui_officer)
    assert isinstance(listed, CollectedHouseholds)
    paginator = Paginator(listed, 2)
    assert paginator.count == 5
    pages = [[h.pk for h in paginator.page(n)] for n in paginator.page_range]
    assert pages == [[mine[4].pk, mine[3].pk], [mine[2].pk, mine[1].pk], [mine[0].pk]]
    assert [h.pk for h in listed] == [h.pk for h in reversed(mine)]


def test_past_the_bound_the_ordered_query_is_paged(
    jinshui_officer: Any, make_household: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = [make_household(jinshui_officer) for _ in range(3)]
    monkeypatch.setattr(selectors, "COLLECT_MAX", 2)
    listed = selectors.household_list_paged(user=jinshui_officer)
    assert not isinstance(listed, CollectedHouseholds)
    assert [h.pk for h in Paginator(listed, 2).page(1)] == [made[2].pk, made[1].pk]


def test_the_workbench_counts_up_to_the_bound(
    client: Client, jinshui_officer: Any, make_household: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    for _ in range(3):
        make_household(jinshui_officer)
    assert selectors.household_count(user=jinshui_officer) == (3, False)
    monkeypatch.setattr(selectors, "COLLECT_MAX", 2)
    assert selectors.household_count(user=jinshui_officer) == (2, True)
    client.force_login(jinshui_officer)
    assert "<strong>2+</strong> 户" in client.get("/").text


def test_scope_and_region_filter_are_one_prefix(
    county_officer: Any, jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any
) -> None:
    own = make_household(jinshui_officer)
    make_household(zhongyuan_officer)

    def listed(user: Any, region: str = "") -> list[int]:
        filters = HouseholdFilters(region_code=region)
        return [h.pk for h in selectors.household_list(user=user, filters=filters)]

    assert listed(county_officer) == [own.pk]
    # A wider filter keeps the scope, a narrower one narrows it, one beside it finds nothing.
    assert listed(county_officer, "410100000000") == [own.pk]
    assert listed(jinshui_officer, county_officer.scope_region.code) == [own.pk]
    assert listed(county_officer, jinshui_officer.scope_region.code) == [own.pk]
    assert listed(county_officer, zhongyuan_officer.scope_region.code) == []
    assert listed(zhongyuan_officer, jinshui_officer.scope_region.code) == []


def test_list_page_shows_the_count_and_a_later_page(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    made = [make_household(jinshui_officer) for _ in range(51)]
    client.force_login(jinshui_officer)
    page = client.get("/households/", {"page": 2})
    assert page.context["page"].paginator.count == 51
    assert [h.pk for h in page.context["page"].object_list] == [made[0].pk]
    assert "共 51 户" in page.text and "第 2 / 2 页" in page.text


def test_search_is_confined_to_the_county_of_the_scope_or_filter(jinshui_officer: Any) -> None:
    assert selectors._one_county(jinshui_officer, None) == jinshui_officer.scope_region.code[:6]
    assert selectors._one_county(jinshui_officer, "4101") == jinshui_officer.scope_region.code[:6]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")
def test_a_county_search_reads_the_county_prefix_index(
    jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer, head_name="张三")
    households = selectors.household_list(user=jinshui_officer, filters=HouseholdFilters(q="zs"))
    assert [h.head.name for h in households] == ["张三"]
    # The persons' side of that search (county prefix + initials) can be read from the index.
    # Asked of the persons alone: over the whole list query the planner's choice depends on
    # the statistics of whatever the worker's earlier tests left in these tiny tables.
    # Index-only scans alone allowed: on tiny tables the planner may as well take the initials'
    # own index (which ANALYZE of other tests' rows decides), but only the county index holds
    # what the persons' side reads (id, region_id) to answer it without the table.
    county = jinshui_officer.scope_region_id[:6]
    with connection.cursor() as cursor:
        for scan in ("seqscan", "bitmapscan", "indexscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        # enable_indexscan weighs index-only scans too, so the province-wide initials index
        # (registry 0009) could still win on a table of a few rows; it is set aside inside the
        # test's transaction, which is rolled back.
        cursor.execute("DROP INDEX person_name_initials_idx")
        cursor.execute(
            "EXPLAIN SELECT id, region_id FROM registry_person "
            "WHERE left(region_id, 6) = %s AND name_initials LIKE %s",
            [county, "zs%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "Index Only Scan using person_county_" in plan, plan


@pytest.fixture
def broad(monkeypatch: pytest.MonkeyPatch) -> None:
    """Searches matching more than two households (three pairs) count as broad."""
    monkeypatch.setattr(selectors, "SEARCH_COLLECT_MAX", 2)
    monkeypatch.setattr(selectors, "SEARCH_ROWS_MAX", 3)


def test_a_narrow_search_is_collected_with_its_exact_count(
    jinshui_officer: Any, make_household: Any, broad: None
) -> None:
    wanted = [make_household(jinshui_officer, head_name="张三") for _ in range(2)]
    make_household(jinshui_officer, head_name="王五")
    listed = selectors.household_list_paged(
        user=jinshui_officer, filters=HouseholdFilters(q="zhangsan")
    )
    assert isinstance(listed, CollectedHouseholds)
    assert (listed.count(), listed.count_more) == (2, False)
    assert [h.pk for h in listed] == [wanted[1].pk, wanted[0].pk]


def test_a_broad_search_is_walked_with_a_capped_count_and_keyset_pages(
    jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any, broad: None
) -> None:
    mine = [make_household(jinshui_officer, head_name="张三") for _ in range(5)]
    make_household(jinshui_officer, head_name="王五")
    make_household(zhongyuan_officer, head_name="张三")  # out of scope
    newest_first = [h.pk for h in reversed(mine)]
    filters = HouseholdFilters(q="zs")
    listed = selectors.household_list_paged(user=jinshui_officer, filters=filters)
    assert isinstance(listed, WalkedHouseholds)
    assert (listed.count(), listed.count_more) == (2, True)

    def page(**kwargs: Any) -> selectors.HouseholdPage:
        return selectors.household_page(user=jinshui_officer, filters=filters, size=2, **kwargs)

    first = page()
    assert [h.pk for h in first] == newest_first[:2]
    assert (first.count, first.count_more, first.num_pages) == (2, True, None)
    assert (first.has_previous, first.has_next) == (False, True)
    second = page(after=first.last_id, number=2)
    assert [h.pk for h in second] == newest_first[2:4]
    assert (second.number, second.has_previous, second.has_next) == (2, True, True)
    third = page(after=second.last_id, number=3)
    assert [h.pk for h in third] == newest_first[4:]
    assert (third.has_previous, third.has_next) == (True, False)
    back = page(before=third.first_id, number=2)
    assert [h.pk for h in back] == newest_first[2:4]
    assert (back.number, back.has_previous, back.has_next) == (2, True, True)
    assert [h.pk for h in page(before=back.first_id, number=1)] == newest_first[:2]
    # An old ?page=N link is answered by offset, up to WALK_PAGES_MAX.
    assert [h.pk for h in page(number=3)] == newest_first[4:]


def test_deep_page_numbers_of_a_walked_list_are_bounded(
    jinshui_officer: Any, make_household: Any, broad: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    mine = [make_household(jinshui_officer, head_name="张三") for _ in range(5)]
    monkeypatch.setattr(selectors, "WALK_PAGES_MAX", 2)
    deep = selectors.household_page(
        user=jinshui_officer, filters=HouseholdFilters(q="张"), size=2, number=99
    )
    assert (deep.number, deep.page_bounded) == (2, True)
    assert [h.pk for h in deep] == [mine[2].pk, mine[1].pk]


def test_list_page_of_a_broad_search_shows_the_capped_count_and_keyset_links(
    client: Client, jinshui_officer: Any, make_household: Any, broad: None
) -> None:
    mine = [make_household(jinshui_officer, head_name="张三") for _ in range(52)]
    newest_first = [h.pk for h in reversed(mine)]
    client.force_login(jinshui_officer)
    first = client.get("/households/", {"q": "zs", "category": ""})
    page = first.context["page"]
    assert [h.pk for h in page] == newest_first[:50]
    assert "共 2+ 户" in first.text and "第 1 页" in first.text
    link = f"?q=zs&amp;category=&amp;after={newest_first[49]}&amp;page=2"
    assert link in first.text, first.text[first.text.index("household-pager") :]
    second = client.get("/households/", {"q": "zs", "after": newest_first[49], "page": 2})
    assert [h.pk for h in second.context["page"]] == newest_first[50:]
    assert f"before={newest_first[50]}&amp;page=1" in second.text
    assert 'rel="next"' not in second.text
    back = client.get("/households/", {"q": "zs", "before": newest_first[50], "page": 1})
    assert [h.pk for h in back.context["page"]] == newest_first[:50]
    old = client.get("/households/", {"q": "zs", "page": 2})
    assert [h.pk for h in old.context["page"]] == newest_first[50:]
    mangled = client.get("/households/", {"q": "zs", "after": "x" * 5000, "page": "-1"})
    assert [h.pk for h in mangled.context["page"]] == newest_first[:50]


def test_api_pages_a_broad_search_by_after_with_a_lower_bound_count(
    jinshui_officer: Any, make_household: Any, broad: None
) -> None:
    mine = [make_household(jinshui_officer, head_name="张三") for _ in range(5)]
    newest_first = [h.pk for h in reversed(mine)]
    client = Client()
    client.force_login(jinshui_officer)
    first = client.get("/api/households", {"q": "zs", "page_size": 2})
    assert first.headers["X-Count-Lower-Bound"] == "true"
    assert first.json()["count"] == 2
    assert [item["id"] for item in first.json()["items"]] == newest_first[:2]
    nxt = client.get("/api/households", {"q": "zs", "page_size": 2, "after": newest_first[1]})
    assert [item["id"] for item in nxt.json()["items"]] == newest_first[2:4]
    by_page = client.get("/api/households", {"q": "zs", "page_size": 2, "page": 3})
    assert [item["id"] for item in by_page.json()["items"]] == newest_first[4:]
    # A collected list: exact count, no header, ``after`` pages it the same way.
    plain = client.get("/api/households", {"page_size": 2, "after": newest_first[0]})
    assert "X-Count-Lower-Bound" not in plain.headers
    assert plain.json()["count"] == 5
    assert [item["id"] for item in plain.json()["items"]] == newest_first[1:3]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL indexes")
def test_a_walked_county_list_reads_the_households_county_index(
    county_officer: Any, make_household: Any, broad: None
) -> None:
    for _ in range(4):
        make_household(county_officer, head_name="张三")
    listed = selectors.household_list_paged(user=county_officer, filters=HouseholdFilters(q="zs"))
    assert isinstance(listed, WalkedHouseholds)
    sql, params = listed.ids.values_list("id", flat=True)[:51].query.sql_with_params()
    # The county's scope is one condition, the index's expression: with the code range beside
    # it the planner multiplied the two and, at 2,000,000 households, sorted every match.
    assert sql.count('LEFT("registry_household"."region_id"') == 1, sql
    assert '"registry_household"."region_id" >=' not in sql, sql
    persons = selectors._persons_within(county_officer, county_officer.scope_region.code[:6])
    persons_sql = str(persons.query)
    assert 'LEFT("registry_person"."region_id"' in persons_sql, persons_sql
    assert '"registry_person"."region_id" >=' not in persons_sql, persons_sql
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_bitmapscan = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "household_county_id_idx" in plan, plan
    assert "SubPlan" in plan, plan  # the members asked per household, not joined up front
