"""The regions API: a region with its parents and counts below, and its children."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from safetynet.accounts.services import api_token_create
from safetynet.api import api
from safetynet.regions.models import Level, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer(client: Client, zhongyuan_officer: Any) -> Client:
    client.force_login(zhongyuan_officer)
    return client


def test_region_detail_lists_parents_from_the_province_down(officer: Client) -> None:
    data = officer.get("/api/regions/410105000000").json()
    assert (data["code"], data["name"], data["level"]) == ("410105000000", "金水区", "county")
    assert [p["code"] for p in data["parents"]] == ["410000000000", "410100000000"]


def test_region_detail_counts_regions_below_by_level(officer: Client) -> None:
    data = officer.get("/api/regions/410105").json()
    townships = Region.objects.filter(parent_id="410105000000").count()
    villages = Region.objects.filter(code__startswith="410105", level=Level.VILLAGE).count()
    assert [(c["level"], c["count"]) for c in data["counts_below"]] == [
        ("township", townships),
        ("village", villages),
    ]
    assert data["counts_below"][0]["level_display"] == "乡镇(街道)"


def test_region_detail_accepts_short_codes(officer: Client) -> None:
    assert officer.get("/api/regions/4101").json()["code"] == "410100000000"


def test_region_children_are_the_direct_children_in_code_order(officer: Client) -> None:
    children = officer.get("/api/regions/410100000000/children").json()
    codes = [child["code"] for child in children]
    assert codes == sorted(
        Region.objects.filter(parent_id="410100000000").values_list("code", flat=True)
    )
    assert "410105000000" in codes
    assert {child["parent_code"] for child in children} == {"410100000000"}


def test_village_children_carry_their_urban_rural_class(officer: Client) -> None:
    township = Region.objects.filter(parent_id="410105000000").order_by("code").first()
    children = officer.get(f"/api/regions/{township.code}/children").json()
    assert {child["urban_rural"] for child in children} <= {"urban", "rural"}
    assert {child["level"] for child in children} == {"village"}


@pytest.mark.parametrize("path", ["/api/regions/419999000000", "/api/regions/41x/children"])
def test_unknown_region_is_404_with_chinese_message(officer: Client, path: str) -> None:
    response = officer.get(path)
    assert response.status_code == 404
    assert response.json()["detail"].startswith("区划代码不存在")


def test_region_endpoints_accept_a_bearer_token(zhongyuan_officer: Any) -> None:
    raw = api_token_create(user=zhongyuan_officer, name="测试", actor=zhongyuan_officer)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    assert client.get("/api/regions/41").status_code == 200


def test_anonymous_gets_401_from_every_region_endpoint(client: Client) -> None:
    paths = [p for p in api.get_openapi_schema()["paths"] if p.startswith("/api/regions")]
    assert paths
    for path in paths:
        assert client.get(path.format(code="410105")).status_code == 401, path
