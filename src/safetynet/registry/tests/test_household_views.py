from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from conftest import first_below, new_id_number
from safetynet.audit.models import Action, AuditRecord
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.models import Household, Person
from safetynet.registry.tests.exporting import exported
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def officer_client(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


@pytest.mark.parametrize("query", ["张三", "zhangsan", "zs", "ZS", "zhang"])
def test_household_found_by_name_pinyin_or_initials(
    officer_client: Client, jinshui_officer: Any, make_household: Any, query: str
) -> None:
    household = make_household(jinshui_officer, head_name="张三")
    make_household(jinshui_officer, head_name="王五")
    response = officer_client.get("/households/", {"q": query})
    assert list(response.context["page"].object_list) == [household]


def test_household_found_by_full_id_number(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    make_household(jinshui_officer)
    number = Person.objects.get(pk=household.head_id)
    posted = officer_client.post(
        "/households/", {"q": decrypt_id_number(number.id_number_encrypted).lower()}
    )
    response = officer_client.get(posted["Location"])
    assert list(response.context["page"].object_list) == [household]


def test_household_list_filtered_by_region(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    response = officer_client.get("/households/", {"region": household.region_id})
    assert list(response.context["page"].object_list) == [household]


def test_household_list_shows_only_masked_id_numbers(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    full = decrypt_id_number(household.head.id_number_encrypted)
    content = officer_client.get("/households/").content.decode()
    assert household.head.id_number_masked in content
    assert full not in content


def test_household_list_query_count_does_not_grow_with_rows(
    officer_client: Client,
    jinshui_officer: Any,
    make_household: Any,
    django_assert_max_num_queries: Any,
) -> None:
    for _ in range(12):
        make_household(jinshui_officer)
    with django_assert_max_num_queries(12):
        officer_client.get("/households/")


def test_detail_view_is_audited(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    officer_client.get(f"/households/{household.pk}/")
    record = AuditRecord.objects.filter(action=Action.VIEW).latest("id")
    assert (record.actor, record.object_id, record.region_code) == (
        jinshui_officer,
        str(household.pk),
        household.region_id,
    )


def test_detail_page_shows_members_income_and_category(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, category="dibao")
    content = officer_client.get(f"/households/{household.pk}/").content.decode()
    assert "李四" in content
    assert "工资性收入 500.00" in content
    assert "低保" in content


def test_reveal_returns_full_number_and_is_audited(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    response = officer_client.post(f"/households/persons/{household.head_id}/reveal/")
    assert response.json()["id_number"] == decrypt_id_number(household.head.id_number_encrypted)
    assert AuditRecord.objects.filter(action=Action.REVEAL, object_id=household.head_id).exists()


def test_reveal_is_refused_without_the_permission(
    client: Client, village_assistant: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    client.force_login(village_assistant)
    response = client.post(f"/households/persons/{household.head_id}/reveal/")
    assert response.status_code == 403
    assert not AuditRecord.objects.filter(action=Action.REVEAL).exists()


def test_export_contains_the_listed_households_masked_and_is_audited(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="张三")
    make_household(jinshui_officer, head_name="王五")
    sheet = load_workbook(io.BytesIO(exported(officer_client, {"q": "zs"}))).active
    rows = data_rows(sheet.iter_rows(values_only=True))
    column = {name: index for index, name in enumerate(rows[0])}
    assert {row[0] for row in rows[1:]} == {household.pk}
    assert household.head.id_number_masked in {row[column["身份证号(脱敏)"]] for row in rows[1:]}
    # 500 yuan of wages over two co-resident members.
    assert {row[column["家庭月人均收入(元)"]] for row in rows[1:]} == {250}
    # Audited when made and again when downloaded.
    made, downloaded = AuditRecord.objects.filter(action=Action.EXPORT).order_by("id")
    assert made.detail["households"] == 1
    assert downloaded.detail["rows"] == len(rows) - 1


def test_create_household_from_the_form(
    officer_client: Client, jinshui_officer: Any, jinshui_township: Any
) -> None:
    village = first_below(jinshui_township.code, "village")
    head_id = new_id_number("410105")
    response = officer_client.post(
        "/households/new/",
        {
            "region": village.code,
            "residence": "",
            "address": "文化路 1 号",
            "phone": "",
            "m-TOTAL_FORMS": "1",
            "m-INITIAL_FORMS": "0",
            "m-MIN_NUM_FORMS": "1",
            "m-MAX_NUM_FORMS": "1000",
            "m-0-name": "赵六",
            "m-0-id_number": head_id.lower(),
            "m-0-relation": "02",
            "m-0-co_resident": "on",
            "m-0-health_status": "healthy",
            "m-0-labour_capacity": "full",
            "m-0-school_stage": "none",
            "m-0-wages": "1200",
        },
    )
    household = Household.objects.get()
    assert response.status_code == 302
    assert (household.head.name, household.residence) == ("赵六", village.urban_rural)


def test_create_form_reports_a_bad_id_number_on_its_field(
    officer_client: Client, jinshui_officer: Any, jinshui_township: Any
) -> None:
    village = first_below(jinshui_township.code, "village")
    response = officer_client.post(
        "/households/new/",
        {
            "region": village.code,
            "m-TOTAL_FORMS": "1",
            "m-INITIAL_FORMS": "0",
            "m-MIN_NUM_FORMS": "1",
            "m-MAX_NUM_FORMS": "1000",
            "m-0-name": "赵六",
            "m-0-id_number": "4.10102E+17",
            "m-0-relation": "02",
            "m-0-health_status": "healthy",
            "m-0-labour_capacity": "full",
            "m-0-school_stage": "none",
        },
    )
    errors = response.context["members"].forms[0].errors
    assert "科学计数法" in errors["id_number"][0]
    assert not Household.objects.exists()


def test_anonymous_user_is_sent_to_login(client: Client) -> None:
    response = client.get("/households/")
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


# --- members' own categories (destitute, individual dibao) ------------------------------------


def _member_category(
    officer: Any, household: Household, category: str, on: dt.date, *, ended: bool = False
) -> Person:
    from safetynet.registry import services

    person = household.memberships.exclude(person=household.head).get().person
    services.category_set(
        actor=officer,
        household=household,
        category=category,
        effective_from=on,
        reason="认定",
        person=person,
    )
    if ended:
        services.category_set(
            actor=officer,
            household=household,
            category="",
            effective_from=on + dt.timedelta(days=30),
            reason="终止",
            person=person,
        )
    return person


def test_list_filtered_by_destitute_finds_a_household_with_a_destitute_member(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    with_member = make_household(jinshui_officer, head_name="张三")
    person = _member_category(jinshui_officer, with_member, "destitute", dt.date(2025, 1, 1))
    ended = make_household(jinshui_officer, head_name="李五")
    _member_category(jinshui_officer, ended, "destitute", dt.date(2025, 1, 1), ended=True)
    make_household(jinshui_officer, head_name="王五", category="dibao")

    response = officer_client.get("/households/", {"category": "destitute"})

    shown = [household.pk for household, _members in response.context["rows"]]
    assert shown == [with_member.pk]
    assert f"特困（{person.name}）" in response.content.decode()


def test_export_names_each_members_own_category(
    officer_client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="张三")
    person = _member_category(jinshui_officer, household, "individual_dibao", dt.date(2025, 1, 1))

    content = exported(officer_client, {"category": "individual_dibao"})

    rows = list(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][-1] == "个人救助类别"
    by_name = {row[rows[0].index("成员姓名")]: row[-1] for row in rows[1:]}
    assert by_name[person.name] == "单人保"
    assert by_name["张三"] in ("", None)


def test_search_by_the_last_digits_of_an_id_number_within_scope(
    client: Client, jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    head = Person.objects.get(pk=household.head_id)
    number = decrypt_id_number(head.id_number_encrypted)
    assert number[-6:] not in str(Person.objects.filter(pk=head.pk).values().get())

    client.force_login(jinshui_officer)
    for tail in (number[-4:], number[-5:], number[-6:]):
        page = client.get("/households/", {"q": tail}).context["page"]
        assert [h.pk for h in page] == [household.pk], tail
    client.force_login(zhongyuan_officer)
    assert list(client.get("/households/", {"q": number[-6:]}).context["page"]) == []
