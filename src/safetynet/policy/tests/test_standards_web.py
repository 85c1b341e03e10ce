"""The 地方标准 pages and the /api/standards endpoints: what they show, who may add or delete a
version, and that a region outside the user's scope (and not above it) does not exist for them."""

from __future__ import annotations

import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from conftest import make_user
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.accounts.services import api_token_create
from safetynet.policy.models import StandardVersion
from safetynet.policy.standards.selectors import standards_for
from safetynet.policy.tests.test_standards_selectors import (
    FULL,
    LANKAO,
    PROVINCE,
    QIXIAN,
    province,
    version,
)
from safetynet.regions.models import Level, Region
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def setting(db: Any) -> Iterator[None]:
    """A cited province version for 2027 and an example 兰考 rural dibao; today is 2027-06-01."""
    StandardVersion.objects.all().delete()
    province("2027-01-01", source="豫民文〔2026〕1号")
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"), is_example=True)
    with time_machine.travel(dt.datetime(2027, 6, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def lankao_officer(db: Any) -> User:
    return make_user("lankao", Role.COUNTY_OFFICER, Region.objects.get(code=LANKAO))


@pytest.fixture
def administrator(db: Any) -> User:
    return make_user("admin", Role.ADMINISTRATOR, Region.objects.get(code=PROVINCE))


@pytest.fixture
def lankao_township_officer(db: Any) -> User:
    township = Region.objects.filter(code__startswith="410225", level=Level.TOWNSHIP).first()
    return make_user("lankao_town", Role.TOWNSHIP_OFFICER, township)


def logged_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def figure_row(body: str, name: str) -> str:
    match = re.search(rf'<tr data-figure="{name}">(.*?)</tr>', body, re.S)
    assert match, name
    return match.group(1)


# --- the standards page ---------------------------------------------------------------------------


def test_county_officer_sees_the_own_county_by_default(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/")
    assert response.status_code == 200
    assert response.context["region"].code == LANKAO


def test_page_shows_each_figure_with_its_origin(lankao_officer: User) -> None:
    body = logged_in(lankao_officer).get("/policy/standards/").content.decode()
    rural = figure_row(body, "dibao_rural_monthly")
    urban = figure_row(body, "dibao_urban_monthly")
    assert "450.00" in rural and "本级" in rural
    assert "600.00" in urban and "继承自河南省" in urban and "豫民文〔2026〕1号" in urban


def test_example_figures_are_tagged_and_cited_ones_are_not(lankao_officer: User) -> None:
    body = logged_in(lankao_officer).get("/policy/standards/").content.decode()
    assert "示例" in figure_row(body, "dibao_rural_monthly")
    assert "示例" not in figure_row(body, "dibao_urban_monthly")


def test_on_shows_the_standards_of_another_date(lankao_officer: User) -> None:
    province("2028-01-01", dibao_urban_monthly=Decimal("650.00"))
    body = logged_in(lankao_officer).get("/policy/standards/", {"on": "2028-03-01"}).content
    assert "650.00" in figure_row(body.decode(), "dibao_urban_monthly")


def test_an_unreadable_date_says_so_and_shows_today(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/", {"on": "2027-13-01"})
    assert response.context["on"] == dt.date(2027, 6, 1)
    assert "格式不正确" in response.content.decode()


def test_a_date_without_provincial_standards_says_so(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/", {"on": "2026-12-31"})
    assert response.status_code == 200
    assert "没有生效的省级标准" in response.content.decode()


def test_the_province_above_is_visible_to_a_county_officer(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/", {"region": "410000"})
    assert response.status_code == 200
    assert response.context["can_add"] is False


def test_another_county_is_404(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/", {"region": QIXIAN})
    assert response.status_code == 404


def test_township_officer_sees_the_county_standards_without_the_add_button(
    lankao_township_officer: User,
) -> None:
    response = logged_in(lankao_township_officer).get("/policy/standards/")
    assert response.context["region"].code == LANKAO
    assert "新增标准版本" not in response.content.decode()


def test_county_officer_gets_the_add_button_for_the_own_county(lankao_officer: User) -> None:
    assert "新增标准版本" in logged_in(lankao_officer).get("/policy/standards/").content.decode()


def test_history_shows_the_chain_versions(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/")
    assert [h["version"].region_id for h in response.context["history"]] == [PROVINCE, LANKAO]


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    assert client.get("/policy/standards/").status_code == 302


def test_the_navigation_links_to_the_standards(lankao_township_officer: User) -> None:
    body = logged_in(lankao_township_officer).get("/").content.decode()
    assert 'href="/policy/standards/"' in body


# --- a new version --------------------------------------------------------------------------------


def test_the_form_starts_from_the_county_figures_and_shows_the_inherited_ones(
    lankao_officer: User,
) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/new/", {"region": LANKAO})
    form = response.context["form"]
    assert form["dibao_rural_monthly"].value() == Decimal("450.00")
    assert form["dibao_urban_monthly"].value() in (None, "")
    assert 'placeholder="继承 600.00"' in response.content.decode()


def test_a_figure_the_county_sets_shows_what_it_would_inherit_if_cleared(
    lankao_officer: User,
) -> None:
    body = logged_in(lankao_officer).get("/policy/standards/new/", {"region": LANKAO}).content
    assert 'placeholder="继承 400.00"' in body.decode()


def test_the_province_form_starts_from_every_figure_in_force(administrator: User) -> None:
    response = logged_in(administrator).get("/policy/standards/new/", {"region": "41"})
    assert response.context["form"]["dibao_urban_monthly"].value() == Decimal("600.00")


def test_posting_the_form_creates_the_version(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).post(
        "/policy/standards/new/",
        {
            "region": LANKAO,
            "effective_from": "2027-07-01",
            "dibao_urban_monthly": "620",
            "source": "兰民〔2027〕3号",
        },
    )
    assert response.status_code == 302
    created = StandardVersion.objects.get(region_id=LANKAO, effective_from=dt.date(2027, 7, 1))
    assert (created.dibao_urban_monthly, created.dibao_rural_monthly) == (Decimal("620.00"), None)


def test_a_refused_figure_is_shown_beside_its_field(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).post(
        "/policy/standards/new/",
        {"region": LANKAO, "effective_from": "2027-07-01", "dibao_urban_monthly": "500",
         "source": "x"},
    )  # fmt: skip
    assert response.status_code == 200
    assert "低于上级" in " ".join(response.context["form"].errors["dibao_urban_monthly"])


def test_township_officer_may_not_open_the_form(lankao_township_officer: User) -> None:
    response = logged_in(lankao_township_officer).get("/policy/standards/new/", {"region": LANKAO})
    assert response.status_code == 403


def test_county_officer_may_not_open_the_province_form(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/policy/standards/new/", {"region": PROVINCE})
    assert response.status_code == 403


def test_another_county_form_is_404_and_writes_nothing(lankao_officer: User) -> None:
    client = logged_in(lankao_officer)
    assert client.get("/policy/standards/new/", {"region": QIXIAN}).status_code == 404
    response = client.post(
        "/policy/standards/new/",
        {"region": QIXIAN, "effective_from": "2027-07-01", "dibao_urban_monthly": "700",
         "source": "x"},
    )  # fmt: skip
    assert response.status_code == 404
    assert not StandardVersion.objects.filter(region_id=QIXIAN).exists()


# --- deleting a planned version -------------------------------------------------------------------


def test_a_planned_version_is_deleted(lankao_officer: User) -> None:
    planned = version(LANKAO, "2027-09-01", dibao_rural_monthly=Decimal("470.00"))
    response = logged_in(lankao_officer).post(f"/policy/standards/{planned.pk}/delete/")
    assert response.status_code == 302
    assert not StandardVersion.objects.filter(pk=planned.pk).exists()


def test_a_version_in_force_is_kept_with_a_message(lankao_officer: User) -> None:
    current = StandardVersion.objects.get(region_id=LANKAO)
    response = logged_in(lankao_officer).post(
        f"/policy/standards/{current.pk}/delete/", follow=True
    )
    assert "已生效" in response.content.decode()
    assert StandardVersion.objects.filter(pk=current.pk).exists()


def test_delete_by_get_is_refused(lankao_officer: User) -> None:
    planned = version(LANKAO, "2027-09-01", dibao_rural_monthly=Decimal("470.00"))
    assert (
        logged_in(lankao_officer).get(f"/policy/standards/{planned.pk}/delete/").status_code == 405
    )


def test_another_county_version_cannot_be_deleted(lankao_officer: User) -> None:
    planned = version(QIXIAN, "2027-09-01", dibao_rural_monthly=Decimal("470.00"))
    response = logged_in(lankao_officer).post(f"/policy/standards/{planned.pk}/delete/")
    assert response.status_code == 404
    assert StandardVersion.objects.filter(pk=planned.pk).exists()


def test_county_officer_cannot_delete_a_planned_province_version(lankao_officer: User) -> None:
    planned = province("2028-01-01")
    response = logged_in(lankao_officer).post(f"/policy/standards/{planned.pk}/delete/")
    assert response.status_code == 403
    assert StandardVersion.objects.filter(pk=planned.pk).exists()


# --- Excel export ---------------------------------------------------------------------------------


def export_rows(user: User, **params: str) -> list[tuple[Any, ...]]:
    response = logged_in(user).get("/policy/standards/export.xlsx", params)
    assert response.status_code == 200
    return data_rows(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))


def test_export_of_a_county_officer_has_the_own_county(lankao_officer: User) -> None:
    rows = export_rows(lankao_officer)
    header, data = rows[1], rows[2:]
    assert [r[0] for r in data] == ["410225"]
    assert data[0][header.index("农村低保标准(元/人·月)")] == 450
    assert "农村低保标准" in data[0][header.index("示例数值项")]


def test_an_export_is_audited(lankao_officer: User) -> None:
    from safetynet.audit.models import Action, AuditRecord

    export_rows(lankao_officer)

    record = AuditRecord.objects.get(action=Action.EXPORT)
    assert (record.object_type, record.actor_id) == ("standard_version", lankao_officer.pk)


def test_export_of_the_administrator_has_every_county(administrator: User) -> None:
    rows = export_rows(administrator, on="2027-03-01")
    assert len(rows[2:]) == Region.objects.filter(level=Level.COUNTY).count()


# --- API ------------------------------------------------------------------------------------------


def test_api_effective_standards(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get(
        "/api/standards/effective", {"region": LANKAO, "on": "2027-03-01", "residence": "rural"}
    )
    assert response.status_code == 200
    data = response.json()
    assert (data["dibao_monthly"], data["is_example"], data["standards_region"]) == (
        "450.00",
        True,
        LANKAO,
    )
    assert (
        data["provenance"]["near_dibao_multiplier"] == "410000 河南省 2027-01-01 豫民文〔2026〕1号"
    )


def test_api_effective_with_a_bearer_token(lankao_officer: User) -> None:
    raw = api_token_create(user=lankao_officer, name="测试系统", actor=lankao_officer)
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.get("/api/standards/effective", {"region": LANKAO, "residence": "urban"})
    assert response.json()["dibao_monthly"] == "600.00"


def test_api_effective_for_another_county_is_404(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get(
        "/api/standards/effective", {"region": QIXIAN, "residence": "rural"}
    )
    assert response.status_code == 404


def test_api_effective_without_provincial_standards_is_404_saying_why(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get(
        "/api/standards/effective", {"region": LANKAO, "on": "2026-01-01", "residence": "rural"}
    )
    assert response.status_code == 404
    assert "没有生效的省级标准" in response.json()["detail"]


def test_api_effective_requires_a_valid_residence(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get(
        "/api/standards/effective", {"region": LANKAO, "residence": "suburb"}
    )
    assert response.status_code == 422


def test_api_versions_list_the_chain_with_nulls_for_inherited(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/api/standards/versions", {"region": LANKAO})
    data = response.json()
    assert [v["region"] for v in data] == [PROVINCE, LANKAO]
    assert (data[1]["dibao_rural_monthly"], data[1]["dibao_urban_monthly"]) == ("450.00", None)


def test_api_versions_of_another_county_is_404(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).get("/api/standards/versions", {"region": QIXIAN})
    assert response.status_code == 404


def post_version(user: User, body: dict[str, Any]) -> Any:
    return logged_in(user).post(
        "/api/standards/versions", data=json.dumps(body), content_type="application/json"
    )


def test_api_creates_a_version(lankao_officer: User) -> None:
    response = post_version(
        lankao_officer,
        {"region": "410225", "effective_from": "2027-07-01", "dibao_urban_monthly": "630",
         "source": "兰民〔2027〕4号"},
    )  # fmt: skip
    assert response.status_code == 201
    assert response.json()["dibao_urban_monthly"] == "630.00"
    assert response.json()["created_by"] == "lankao"


def test_api_lists_every_refused_figure(lankao_officer: User) -> None:
    response = post_version(
        lankao_officer,
        {"region": LANKAO, "effective_from": "2027-07-01", "dibao_urban_monthly": "100",
         "care_full_monthly": "-1"},
    )  # fmt: skip
    assert response.status_code == 422
    fields = {e["field"] for e in response.json()["errors"]}
    assert fields == {"dibao_urban_monthly", "care_full_monthly", "source"}


def test_api_refuses_the_province_to_a_county_officer(lankao_officer: User) -> None:
    body = {"region": "41", "effective_from": "2028-01-01", **{k: str(v) for k, v in FULL.items()}}
    response = post_version(lankao_officer, body)
    assert response.status_code == 403
    assert "不在您的管辖范围内" in response.json()["detail"]


def test_api_create_for_another_county_is_404(lankao_officer: User) -> None:
    response = post_version(
        lankao_officer,
        {"region": QIXIAN, "effective_from": "2027-07-01", "dibao_urban_monthly": "700",
         "source": "x"},
    )  # fmt: skip
    assert response.status_code == 404
    assert not StandardVersion.objects.filter(region_id=QIXIAN).exists()


# --- the local figures of issue 10 ----------------------------------------------------------------
# Income-drop share, employment cost deduction and the province's other cases of inability are
# set on the page and through the API like the other figures, shown with their source or the
# national default, and read by the classifier.


def test_the_standards_page_shows_the_national_defaults_until_a_level_sets_them(
    lankao_officer: User,
) -> None:
    body = logged_in(lankao_officer).get("/policy/standards/").content.decode()
    assert "收入大幅缩减比例" in body and "就业成本扣减" in body
    assert "各级均未设定，适用全国默认" in body
    assert "省级规定的其他无履行义务能力情形" in body


def test_a_county_sets_its_employment_cost_and_drop_share_on_the_page(
    lankao_officer: User,
) -> None:
    client = logged_in(lankao_officer)
    form = client.get("/policy/standards/new/", {"region": LANKAO})
    assert "income_drop_share" in form.context["form"].fields
    # Only the province sets the other cases of inability.
    assert "supporter_other_cases" not in form.context["form"].fields

    response = client.post(
        "/policy/standards/new/",
        {
            "region": LANKAO,
            "effective_from": "2027-07-01",
            "income_drop_share": "0.4",
            "employment_cost_monthly": "150",
            "source": "兰民〔2027〕5号",
        },
    )
    assert response.status_code == 302
    created = StandardVersion.objects.get(region_id=LANKAO, effective_from=dt.date(2027, 7, 1))
    assert created.income_drop_share == Decimal("0.400")
    assert created.employment_cost_monthly == Decimal("150.00")
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 7, 1), residence="rural")
    assert standards.employment_cost_monthly == Decimal("150.00")
    assert standards.income_drop_share == Decimal("0.400")
    assert "兰民〔2027〕5号" in standards.provenance["employment_cost_monthly"]

    body = client.get("/policy/standards/", {"region": LANKAO, "on": "2027-07-01"}).content
    assert "150.00" in body.decode() and "本级" in body.decode()


def test_a_drop_share_above_one_is_refused(lankao_officer: User) -> None:
    response = logged_in(lankao_officer).post(
        "/policy/standards/new/",
        {
            "region": LANKAO,
            "effective_from": "2027-07-01",
            "income_drop_share": "1.5",
            "source": "x",
        },
    )
    assert response.status_code == 200
    assert "过大" in " ".join(response.context["form"].errors["income_drop_share"])


def test_the_province_lists_its_other_cases_one_a_line(administrator: User) -> None:
    client = logged_in(administrator)
    current = client.get("/policy/standards/new/", {"region": "41"}).context["form"]
    data = {
        name: ("" if value is None else value)
        for name, value in current.initial.items()
        if name in StandardVersion.FIGURES
    }
    response = client.post(
        "/policy/standards/new/",
        {
            **data,
            "region": PROVINCE,
            "effective_from": "2027-08-01",
            "supporter_other_cases": "长期卧床\n\n重度失能",
            "source": "豫民文〔2027〕9号",
        },
    )
    assert response.status_code == 302, response.context["form"].errors
    created = StandardVersion.objects.get(region_id=PROVINCE, effective_from=dt.date(2027, 8, 1))
    assert created.supporter_other_cases == ["长期卧床", "重度失能"]


def test_the_api_sets_and_returns_the_local_figures(lankao_officer: User) -> None:
    client = logged_in(lankao_officer)
    response = client.post(
        "/api/standards/versions",
        json.dumps(
            {
                "region": LANKAO,
                "effective_from": "2027-07-01",
                "employment_cost_monthly": "120",
                "source": "兰民〔2027〕6号",
            }
        ),
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    assert response.json()["employment_cost_monthly"] == "120.00"

    effective = client.get(
        "/api/standards/effective", {"region": LANKAO, "on": "2027-07-01", "residence": "rural"}
    ).json()
    assert effective["employment_cost_monthly"] == "120.00"
    assert effective["supporter_other_cases"] == []
    assert Decimal(effective["income_drop_share"]) == Decimal("0.5")


def test_the_api_refuses_other_cases_below_the_province(lankao_officer: User) -> None:
    raw = api_token_create(user=lankao_officer, name="x", actor=lankao_officer)
    response = logged_in(lankao_officer).post(
        "/api/standards/versions",
        json.dumps(
            {
                "region": LANKAO,
                "effective_from": "2027-07-01",
                "supporter_other_cases": ["长期卧床"],
                "source": "x",
            }
        ),
        content_type="application/json",
        headers={"Authorization": f"Bearer {raw}"},
    )
    assert response.status_code == 422
    assert "只能由省级设定" in response.content.decode()
