"""A township officer of 中原区 gets nothing of a 金水区 household through any registry URL.

The matrix is built from the URL configuration itself, so a new URL that takes an id is covered
(or fails the completeness test) without anyone remembering to add it here.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from openpyxl import load_workbook

from safetynet.registry import services
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.tests.exporting import exported
from safetynet.registry.urls import urlpatterns
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db

# URL names whose <pk> is a person rather than a household.
PERSON_PK = {"person_reveal"}


def _id_patterns() -> list[URLPattern]:
    return [p for p in urlpatterns if "<int:" in str(p.pattern)]


@pytest.fixture
def foreign(jinshui_officer: Any, make_household: Any) -> dict[str, Any]:
    household = make_household(jinshui_officer, head_name="欧阳秘密")
    supporter = services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="赡养人甲",
        id_number="",
        relation="20",
        able_to_support=True,
    )
    member = household.memberships.exclude(person=household.head).get().person
    return {
        "household": household,
        "kwargs": {"pk": household.pk, "person_id": member.pk, "supporter_id": supporter.pk},
        "secrets": [
            "欧阳秘密",
            household.head.id_number_masked,
            decrypt_id_number(household.head.id_number_encrypted),
        ],
    }


@pytest.fixture
def outsider(client: Client, zhongyuan_officer: Any) -> Client:
    client.force_login(zhongyuan_officer)
    return client


def _url(pattern: URLPattern, foreign: dict[str, Any]) -> str:
    wanted = set(pattern.pattern.regex.groupindex)
    kwargs = {k: v for k, v in foreign["kwargs"].items() if k in wanted}
    if pattern.name in PERSON_PK:
        kwargs["pk"] = foreign["household"].head_id
    return reverse(f"registry:{pattern.name}", kwargs=kwargs)


def test_every_id_url_is_reachable_by_the_matrix(foreign: dict[str, Any]) -> None:
    for pattern in _id_patterns():
        assert set(pattern.pattern.regex.groupindex) <= set(foreign["kwargs"]), pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_township_gets_404_or_403_from_every_id_url(
    outsider: Client, foreign: dict[str, Any], method: str
) -> None:
    for pattern in _id_patterns():
        response = getattr(outsider, method)(_url(pattern, foreign))
        assert response.status_code in (403, 404, 405), (pattern.name, response.status_code)
        body = response.content.decode(errors="replace")
        for secret in foreign["secrets"]:
            assert secret not in body, pattern.name


def test_other_township_post_changes_nothing(outsider: Client, foreign: dict[str, Any]) -> None:
    household = foreign["household"]
    before = (household.updated_at, household.memberships.count())
    for pattern in _id_patterns():
        outsider.post(_url(pattern, foreign), {"address": "被篡改", "reason": "x"})
    household.refresh_from_db()
    assert (household.updated_at, household.memberships.count()) == before


def test_other_township_list_and_search_do_not_show_it(
    outsider: Client, foreign: dict[str, Any]
) -> None:
    for query in ["", "欧阳", "oy"]:
        response = outsider.get("/households/", {"q": query})
        assert list(response.context["page"].object_list) == [], query
    # A whole ID number is searched by POST (a token in the URL), never by ?q=.
    response = outsider.post("/households/", {"q": foreign["secrets"][2]}, follow=True)
    assert list(response.context["page"].object_list) == []


def test_other_township_region_filter_does_not_widen_the_scope(
    outsider: Client, foreign: dict[str, Any]
) -> None:
    response = outsider.get("/households/", {"region": foreign["household"].region_id})
    assert list(response.context["page"].object_list) == []


def test_other_township_export_does_not_contain_it(
    outsider: Client, foreign: dict[str, Any]
) -> None:
    content = exported(outsider, {"region": "410000000000"})
    rows = data_rows(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[1:] == []


def test_other_township_home_page_does_not_list_it(
    outsider: Client, foreign: dict[str, Any]
) -> None:
    body = outsider.get("/").content.decode()
    assert "欧阳秘密" not in body


def test_county_officer_of_the_same_county_sees_it(
    client: Client, county_officer: Any, foreign: dict[str, Any]
) -> None:
    client.force_login(county_officer)
    assert client.get(f"/households/{foreign['household'].pk}/").status_code == 200


def test_user_without_scope_sees_nothing(
    client: Client, foreign: dict[str, Any], django_user_model: Any
) -> None:
    user = django_user_model.objects.create_user(
        username="noscope", password="x", role="county_officer"
    )
    client.force_login(user)
    assert client.get(f"/households/{foreign['household'].pk}/").status_code == 404
