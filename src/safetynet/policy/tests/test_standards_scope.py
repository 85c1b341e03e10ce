"""An officer of 杞县 gets nothing of 兰考县's standards through any standards URL, and changes
nothing. Built from the URL configuration, like the registry's matrix, so a new URL is covered
(or fails the completeness test) without anyone remembering to add it here."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.urls import URLPattern, reverse
from openpyxl import load_workbook

from conftest import make_user
from safetynet.accounts.roles import Role
from safetynet.policy.models import StandardVersion
from safetynet.policy.standards.urls import urlpatterns
from safetynet.policy.tests.test_standards_selectors import LANKAO, QIXIAN, province, version
from safetynet.regions.models import Region
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db

# URLs that take no region and answer for the user's own scope only.
OWN_SCOPE_ONLY = {"standards_export"}


@pytest.fixture(autouse=True)
def setting(db: Any) -> Iterator[None]:
    StandardVersion.objects.all().delete()
    province("2027-01-01")
    with time_machine.travel(dt.datetime(2027, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def foreign(db: Any) -> StandardVersion:
    """A planned 兰考县 version, deletable by 兰考县's own officer."""
    return version(LANKAO, "2027-09-01", dibao_rural_monthly=Decimal("470.00"))


@pytest.fixture
def outsider(client: Client, db: Any) -> Client:
    client.force_login(make_user("qixian", Role.COUNTY_OFFICER, Region.objects.get(code=QIXIAN)))
    return client


def _url(pattern: URLPattern, foreign: StandardVersion) -> str:
    kwargs = {"pk": foreign.pk} if "pk" in pattern.pattern.regex.groupindex else {}
    return reverse(f"policy:{pattern.name}", kwargs=kwargs) + f"?region={LANKAO}"


def _snapshot() -> list[tuple[Any, ...]]:
    return list(StandardVersion.objects.order_by("pk").values_list("pk", "dibao_rural_monthly"))


def test_every_standards_url_is_reachable_by_the_matrix() -> None:
    for pattern in urlpatterns:
        assert isinstance(pattern, URLPattern)
        assert set(pattern.pattern.regex.groupindex) <= {"pk"}, pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_county_gets_404_or_403_from_every_url_naming_lankao(
    outsider: Client, foreign: StandardVersion, method: str
) -> None:
    for pattern in urlpatterns:
        if pattern.name in OWN_SCOPE_ONLY:
            continue
        response = getattr(outsider, method)(_url(pattern, foreign))
        assert response.status_code in (403, 404, 405), (pattern.name, response.status_code)


def test_other_county_post_changes_nothing(outsider: Client, foreign: StandardVersion) -> None:
    before = _snapshot()
    for pattern in urlpatterns:
        outsider.post(
            _url(pattern, foreign),
            {"region": LANKAO, "effective_from": "2027-07-01", "dibao_rural_monthly": "900",
             "source": "篡改"},
        )  # fmt: skip
    assert _snapshot() == before


def test_other_county_export_holds_only_its_own_county(
    outsider: Client, foreign: StandardVersion
) -> None:
    response = outsider.get(reverse("policy:standards_export"), {"region": LANKAO})
    rows = data_rows(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[2:]] == [QIXIAN[:6]]
