"""The household list pages over collected ids (bounded work on any page of a township or a
county), falls back to the ordered query past ``COLLECT_MAX`` matches, and a county-confined name
search on PostgreSQL reads the county-scoped prefix indexes."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.paginator import Paginator
from django.db import connection
from django.test import Client

from safetynet.registry import selectors
from safetynet.registry.selectors import CollectedHouseholds, HouseholdFilters


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


def test_list_page_shows_the_count_and_a_later_page(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    made = [make_household(jinshui_officer) for _ in range(51)]
    client.force_login(jinshui_officer)
    page = client.get("/households/", {"page": 2})
    assert page.context["page"].paginator.count == 51
    assert [h.pk for h in page.context["page"].object_list] == [made[0].pk]


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
    county = jinshui_officer.scope_region_id[:6]
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM registry_person "
            "WHERE left(region_id, 6) = %s AND name_initials LIKE %s",
            [county, "zs%"],
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "person_county_" in plan, plan  # tiny table: any of the (county, name) indexes
