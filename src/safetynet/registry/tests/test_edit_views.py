"""The household editing pages: who may open them, what they save, how they show refusals."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from conftest import new_id_number
from safetynet.audit.models import Action, AuditRecord
from safetynet.regions.models import Level, Region
from safetynet.registry import services
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

pytestmark = pytest.mark.django_db

# Every URL name this module's pages add, with the keyword arguments each takes.
EDIT_URLS = {
    "edit": ("pk",),
    "member_add": ("pk",),
    "member_edit": ("pk", "person_id"),
    "member_remove": ("pk", "person_id"),
    "change_head": ("pk",),
    "incomes": ("pk",),
    "assets": ("pk",),
    "expenditures": ("pk",),
    "supporter_add": ("pk",),
    "supporter_remove": ("pk", "supporter_id"),
    "category": ("pk",),
    "relapse_watch": ("pk",),
}
CATEGORY_URLS = {"category", "relapse_watch"}
GET_URLS = sorted(set(EDIT_URLS) - {"supporter_remove"})


@pytest.fixture
def household(jinshui_officer: Any, make_household: Any) -> Household:
    household: Household = make_household(jinshui_officer, head_name="张三")
    return household


@pytest.fixture
def spouse(household: Household) -> Person:
    return Membership.objects.get(household=household, relation="10").person


@pytest.fixture
def officer(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


@pytest.fixture
def supporter(jinshui_officer: Any, household: Household) -> LegalSupporter:
    return services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="张大",
        id_number="",
        relation="20",
        able_to_support=True,
    )


def url(name: str, household: Household, **kwargs: Any) -> str:
    return reverse(f"registry:{name}", kwargs={"pk": household.pk, **kwargs})


def url_of(name: str, household: Household, spouse: Person, supporter: LegalSupporter) -> str:
    values = {"pk": household.pk, "person_id": spouse.pk, "supporter_id": supporter.pk}
    return reverse(f"registry:{name}", kwargs={k: values[k] for k in EDIT_URLS[name]})


def errors_of(response: Any, form: str = "form") -> dict[str, list[str]]:
    return dict(response.context[form].errors)


def management(prefix: str, total: int, initial: int) -> dict[str, str]:
    return {
        f"{prefix}-TOTAL_FORMS": str(total),
        f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0",
        f"{prefix}-MAX_NUM_FORMS": "1000",
    }


# Access


@pytest.mark.parametrize("name", GET_URLS)
def test_officer_opens_every_edit_page(
    officer: Client,
    household: Household,
    spouse: Person,
    supporter: LegalSupporter,
    name: str,
) -> None:
    response = officer.get(url_of(name, household, spouse, supporter))
    assert response.status_code == 200
    assert reverse("registry:detail", kwargs={"pk": household.pk}) in response.content.decode()


@pytest.mark.parametrize("name", GET_URLS)
def test_officer_of_another_township_gets_404_opening_every_edit_page(
    client: Client,
    zhongyuan_officer: Any,
    household: Household,
    spouse: Person,
    supporter: LegalSupporter,
    name: str,
) -> None:
    client.force_login(zhongyuan_officer)
    response = client.get(url_of(name, household, spouse, supporter))
    assert response.status_code == 404
    assert "张三" not in response.content.decode()


@pytest.mark.parametrize("name", sorted(EDIT_URLS))
def test_officer_of_another_township_gets_404_posting_to_every_edit_url(
    client: Client,
    zhongyuan_officer: Any,
    household: Household,
    spouse: Person,
    supporter: LegalSupporter,
    name: str,
) -> None:
    client.force_login(zhongyuan_officer)
    before = AuditRecord.objects.count()
    response = client.post(url_of(name, household, spouse, supporter))
    assert response.status_code == 404
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize("name", GET_URLS)
def test_supervisor_gets_403_opening_every_edit_page(
    client: Client,
    supervisor: Any,
    household: Household,
    spouse: Person,
    supporter: LegalSupporter,
    name: str,
) -> None:
    client.force_login(supervisor)
    assert client.get(url_of(name, household, spouse, supporter)).status_code == 403


@pytest.mark.parametrize("name", sorted(EDIT_URLS))
def test_supervisor_gets_403_posting_to_every_edit_url(
    client: Client,
    supervisor: Any,
    household: Household,
    spouse: Person,
    supporter: LegalSupporter,
    name: str,
) -> None:
    client.force_login(supervisor)
    before = AuditRecord.objects.count()
    assert client.post(url_of(name, household, spouse, supporter)).status_code == 403
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize("name", sorted(CATEGORY_URLS))
def test_village_assistant_gets_403_from_category_pages(
    client: Client, village_assistant: Any, make_household: Any, name: str
) -> None:
    household = make_household(village_assistant)
    client.force_login(village_assistant)
    assert client.get(url(name, household)).status_code == 403


def test_village_assistant_may_edit_household_basics(
    client: Client, village_assistant: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    client.force_login(village_assistant)
    assert client.get(url("edit", household)).status_code == 200


def test_anonymous_user_is_sent_to_login(client: Client, household: Household) -> None:
    response = client.get(url("edit", household))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_member_of_another_household_is_404_on_the_member_pages(
    officer: Client, jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    stranger = make_household(jinshui_officer).head
    assert officer.get(url("member_edit", household, person_id=stranger.pk)).status_code == 404


def test_supporter_of_another_household_is_404_on_remove(
    officer: Client, jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    other = make_household(jinshui_officer)
    foreign = services.supporter_add(
        actor=jinshui_officer,
        household=other,
        name="李大",
        id_number="",
        relation="20",
        able_to_support=True,
    )
    response = officer.post(url("supporter_remove", household, supporter_id=foreign.pk))
    assert response.status_code == 404
    assert LegalSupporter.objects.filter(pk=foreign.pk).exists()


# Detail page actions


def test_detail_page_links_every_edit_page_for_an_officer(
    officer: Client, household: Household, spouse: Person
) -> None:
    content = officer.get(reverse("registry:detail", kwargs={"pk": household.pk})).content.decode()
    for name in sorted(set(GET_URLS) - {"member_edit", "member_remove"}):
        assert url(name, household) in content, name
    assert url("member_edit", household, person_id=spouse.pk) in content
    assert url("member_remove", household, person_id=spouse.pk) in content


def test_detail_page_offers_no_remove_link_for_the_head(
    officer: Client, household: Household
) -> None:
    content = officer.get(reverse("registry:detail", kwargs={"pk": household.pk})).content.decode()
    assert url("member_remove", household, person_id=household.head_id) not in content


def test_detail_page_hides_category_actions_without_the_capability(
    client: Client, village_assistant: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    client.force_login(village_assistant)
    content = client.get(reverse("registry:detail", kwargs={"pk": household.pk})).content.decode()
    assert url("edit", household) in content
    assert url("category", household) not in content


def test_detail_page_shows_no_edit_actions_to_a_supervisor(
    client: Client, supervisor: Any, household: Household
) -> None:
    client.force_login(supervisor)
    content = client.get(reverse("registry:detail", kwargs={"pk": household.pk})).content.decode()
    assert url("edit", household) not in content


# Household basics


def test_household_edit_saves_and_returns_to_the_detail_page(
    officer: Client, household: Household
) -> None:
    response = officer.post(
        url("edit", household),
        {
            "region": household.region_id,
            "residence": "urban",
            "address": "文化路 2 号",
            "phone": "0371-1234",
        },
        follow=True,
    )
    household.refresh_from_db()
    assert (household.address, household.residence) == ("文化路 2 号", "urban")
    assert response.redirect_chain[-1][0] == reverse("registry:detail", kwargs={"pk": household.pk})
    assert "家庭信息已保存。" in response.content.decode()


def test_household_moves_to_another_village_of_the_township(
    officer: Client, household: Household, jinshui_township: Region
) -> None:
    target = (
        Region.objects.filter(code__startswith=jinshui_township.prefix, level=Level.VILLAGE)
        .exclude(code=household.region_id)
        .order_by("code")
        .first()
    )
    assert target is not None
    officer.post(
        url("edit", household),
        {"region": target.code, "residence": household.residence, "address": "", "phone": ""},
    )
    household.refresh_from_db()
    assert household.region_id == target.code


def test_household_edit_shows_the_region_refusal_on_the_region_field(
    officer: Client, household: Household, jinshui_township: Region
) -> None:
    response = officer.post(
        url("edit", household),
        {"region": jinshui_township.code, "residence": "rural", "address": "", "phone": ""},
    )
    assert errors_of(response) == {"region": ["新的区划不是您管辖范围内的村(居)委会"]}
    assert "所属村(居)委会：新的区划不是您管辖范围内的村(居)委会" in response.content.decode()


def test_household_edit_page_carries_the_region_picker_preset_to_the_current_village(
    officer: Client, household: Household
) -> None:
    content = officer.get(url("edit", household)).content.decode()
    assert f'data-target="id_region" data-value="{household.region_id}"' in content


# Members


def member_post(**fields: Any) -> dict[str, Any]:
    data = {
        "name": "王小",
        "id_number": new_id_number(),
        "relation": "20",
        "co_resident": "on",
        "phone": "",
        "disability_type": "",
        "disability_grade": "",
        "health_status": "healthy",
        "illness_name": "",
        "labour_capacity": "full",
        "school_stage": "primary",
        "wages": "",
        "business": "",
        "property": "",
        "transfer": "120",
        "excluded": "",
    }
    data.update(fields)
    return data


def test_member_add_creates_the_member_with_their_income(
    officer: Client, household: Household
) -> None:
    response = officer.post(url("member_add", household), member_post())
    person = Membership.objects.get(household=household, relation="20").person
    assert response.status_code == 302
    assert Income.objects.get(person=person).monthly_amount == Decimal("120.00")


def test_member_add_shows_the_id_number_reason_on_its_field(
    officer: Client, household: Household
) -> None:
    response = officer.post(url("member_add", household), member_post(id_number="4101051970"))
    assert errors_of(response) == {"id_number": ["身份证号应为 18 位，实际为 10 位"]}


def test_member_add_does_not_offer_head_as_a_relation(
    officer: Client, household: Household
) -> None:
    response = officer.post(url("member_add", household), member_post(relation="02"))
    assert list(errors_of(response)) == ["relation"]
    assert not Membership.objects.filter(household=household, person__name="王小").exists()


def member_edit_post(**fields: Any) -> dict[str, Any]:
    data = {
        "name": "李四",
        "relation": "10",
        "co_resident": "on",
        "phone": "",
        "disability_type": "",
        "disability_grade": "",
        "health_status": "healthy",
        "illness_name": "",
        "labour_capacity": "full",
        "school_stage": "none",
    }
    data.update(fields)
    return data


def test_member_edit_saves_circumstances_and_co_residence(
    officer: Client, household: Household, spouse: Person
) -> None:
    officer.post(
        url("member_edit", household, person_id=spouse.pk),
        member_edit_post(
            co_resident="",
            health_status="serious",
            illness_name="尿毒症",
            labour_capacity="none",
        ),
    )
    spouse.refresh_from_db()
    household.refresh_from_db()
    assert (spouse.health_status, spouse.illness_name, spouse.labour_capacity) == (
        "serious",
        "尿毒症",
        "none",
    )
    assert household.member_count == 1


def test_member_edit_shows_the_missing_grade_on_the_grade_field(
    officer: Client, household: Household, spouse: Person
) -> None:
    response = officer.post(
        url("member_edit", household, person_id=spouse.pk),
        member_edit_post(disability_type="visual"),
    )
    assert errors_of(response) == {"disability_grade": ["残疾等级应为 1–4 级"]}
    assert "残疾等级：残疾等级应为 1–4 级" in response.content.decode()


def test_member_edit_of_the_head_has_no_relation_field(
    officer: Client, household: Household
) -> None:
    response = officer.get(url("member_edit", household, person_id=household.head_id))
    assert "relation" not in response.context["form"].fields


def test_member_remove_page_does_not_remove_on_get(
    officer: Client, household: Household, spouse: Person
) -> None:
    officer.get(url("member_remove", household, person_id=spouse.pk))
    assert Membership.objects.get(household=household, person=spouse).left_on is None


def test_member_remove_ends_the_membership_and_the_detail_page_lists_the_former_member(
    officer: Client, household: Household, spouse: Person
) -> None:
    today = timezone.localdate()
    response = officer.post(
        url("member_remove", household, person_id=spouse.pk),
        {"reason_kind": "死亡", "reason_note": "死亡证明 123", "left_on": today.isoformat()},
        follow=True,
    )
    membership = Membership.objects.get(household=household, person=spouse)
    assert (membership.left_on, membership.left_reason) == (today, "死亡：死亡证明 123")
    assert f"李四（{today:%Y-%m-%d}，死亡：死亡证明 123）" in response.content.decode()


def test_member_remove_with_other_reason_needs_a_note(
    officer: Client, household: Household, spouse: Person
) -> None:
    response = officer.post(
        url("member_remove", household, person_id=spouse.pk),
        {"reason_kind": "其他", "reason_note": "", "left_on": timezone.localdate().isoformat()},
    )
    assert errors_of(response) == {"reason_note": ["原因选择“其他”时，请填写补充说明"]}


def test_member_remove_of_the_head_shows_the_refusal(officer: Client, household: Household) -> None:
    response = officer.post(
        url("member_remove", household, person_id=household.head_id),
        {"reason_kind": "迁出", "reason_note": "", "left_on": timezone.localdate().isoformat()},
    )
    assert errors_of(response) == {"__all__": ["户主不能直接移出，请先变更户主"]}


def test_change_head_swaps_head_and_relation(
    officer: Client, household: Household, spouse: Person
) -> None:
    old_head = household.head_id
    officer.post(
        url("change_head", household), {"new_head": str(spouse.pk), "old_head_relation": "11"}
    )
    household.refresh_from_db()
    assert household.head_id == spouse.pk
    assert Membership.objects.get(household=household, person_id=old_head).relation == "11"


def test_change_head_offers_only_current_members_other_than_the_head(
    officer: Client, jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    stranger = make_household(jinshui_officer).head
    response = officer.post(
        url("change_head", household), {"new_head": str(stranger.pk), "old_head_relation": "11"}
    )
    assert list(errors_of(response)) == ["new_head"]
    household.refresh_from_db()
    assert household.head_id != stranger.pk


# Incomes, assets, expenditures


def test_incomes_page_lists_existing_rows(officer: Client, household: Household) -> None:
    formset = officer.get(url("incomes", household)).context["formset"]
    assert [f.initial for f in formset.forms] == [
        {
            "person": str(household.head_id),
            "kind": "wages",
            "monthly_amount": Decimal("500.00"),
            "description": "",
        }
    ]


def test_incomes_formset_edits_deletes_adds_and_skips_blank_rows(
    officer: Client, household: Household, spouse: Person
) -> None:
    head = str(household.head_id)
    data = {
        **management("income", total=3, initial=1),
        "income-0-person": head,
        "income-0-kind": "wages",
        "income-0-monthly_amount": "500.00",
        "income-0-description": "",
        "income-0-DELETE": "on",
        "income-1-person": str(spouse.pk),
        "income-1-kind": "transfer",
        "income-1-monthly_amount": "260.5",
        "income-1-description": "养老金",
        "income-2-person": "",
        "income-2-kind": "",
        "income-2-monthly_amount": "",
        "income-2-description": "",
    }
    response = officer.post(url("incomes", household), data)
    assert response.status_code == 302
    rows = list(
        Income.objects.filter(household=household).values_list(
            "person_id", "kind", "monthly_amount", "description"
        )
    )
    assert rows == [(spouse.pk, "transfer", Decimal("260.50"), "养老金")]
    assert AuditRecord.objects.latest("id").summary == "修改收入：1 条 → 1 条"


def test_incomes_formset_shows_a_negative_amount_on_its_row_and_saves_nothing(
    officer: Client, household: Household
) -> None:
    data = {
        **management("income", total=1, initial=1),
        "income-0-person": str(household.head_id),
        "income-0-kind": "wages",
        "income-0-monthly_amount": "-5",
        "income-0-description": "",
    }
    response = officer.post(url("incomes", household), data)
    assert response.context["formset"].errors == [{"monthly_amount": ["不能为负数"]}]
    assert "月收入(元)：不能为负数" in response.content.decode()
    assert Income.objects.get(household=household).monthly_amount == Decimal("500.00")


def test_incomes_formset_refuses_a_person_outside_the_household(
    officer: Client, jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    stranger = make_household(jinshui_officer).head
    data = {
        **management("income", total=1, initial=0),
        "income-0-person": str(stranger.pk),
        "income-0-kind": "wages",
        "income-0-monthly_amount": "1",
        "income-0-description": "",
    }
    response = officer.post(url("incomes", household), data)
    assert list(response.context["formset"].errors[0]) == ["person"]
    assert not Income.objects.filter(person=stranger, household=household).exists()


def test_incomes_page_has_the_add_row_template(officer: Client, household: Household) -> None:
    content = officer.get(url("incomes", household)).content.decode()
    assert '<template id="income-empty">' in content
    assert 'id="income-rows"' in content
    assert 'data-add-row="income"' in content


def test_assets_formset_saves_a_vehicle_for_disability_and_real_estate_area(
    officer: Client, household: Household, spouse: Person
) -> None:
    data = {
        **management("asset", total=2, initial=0),
        "asset-0-kind": "vehicle",
        "asset-0-value": "8000",
        "asset-0-person": str(spouse.pk),
        "asset-0-description": "残疾人摩托车",
        "asset-0-for_disability": "on",
        "asset-0-area_m2": "",
        "asset-1-kind": "real_estate",
        "asset-1-value": "150000",
        "asset-1-person": "",
        "asset-1-description": "自住房",
        "asset-1-area_m2": "96.5",
    }
    officer.post(url("assets", household), data)
    rows = list(
        Asset.objects.filter(household=household)
        .order_by("kind")
        .values_list("kind", "for_disability", "area_m2", "person_id")
    )
    assert rows == [
        ("real_estate", False, Decimal("96.50"), None),
        ("vehicle", True, None, spouse.pk),
    ]


def test_assets_formset_refuses_the_disability_flag_on_a_deposit(
    officer: Client, household: Household
) -> None:
    data = {
        **management("asset", total=1, initial=0),
        "asset-0-kind": "deposit",
        "asset-0-value": "8000",
        "asset-0-person": "",
        "asset-0-description": "",
        "asset-0-for_disability": "on",
        "asset-0-area_m2": "",
    }
    response = officer.post(url("assets", household), data)
    assert response.context["formset"].errors == [
        {"for_disability": ["只有机动车才能标记为残疾人功能性补偿代步车"]}
    ]


def test_assets_page_keeps_a_former_members_asset_owner(
    officer: Client, jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.assets_replace(
        actor=jinshui_officer,
        household=household,
        rows=[{"person_id": spouse.pk, "kind": "deposit", "value": Decimal("100")}],
    )
    services.member_remove(actor=jinshui_officer, household=household, person=spouse, reason="死亡")
    content = officer.get(url("assets", household)).content.decode()
    assert f'<option value="{spouse.pk}" selected>李四（已离开）</option>' in content


def test_expenditures_formset_saves_a_medical_bill(
    officer: Client, household: Household, spouse: Person
) -> None:
    data = {
        **management("expenditure", total=1, initial=0),
        "expenditure-0-kind": "medical",
        "expenditure-0-amount": "23000.00",
        "expenditure-0-incurred_on": "2024-05-06",
        "expenditure-0-person": str(spouse.pk),
        "expenditure-0-description": "住院",
    }
    officer.post(url("expenditures", household), data)
    row = RigidExpenditure.objects.get(household=household)
    assert (row.kind, row.amount, row.incurred_on, row.person_id) == (
        "medical",
        Decimal("23000.00"),
        dt.date(2024, 5, 6),
        spouse.pk,
    )


def test_expenditures_formset_refuses_a_future_date(officer: Client, household: Household) -> None:
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    data = {
        **management("expenditure", total=1, initial=0),
        "expenditure-0-kind": "medical",
        "expenditure-0-amount": "10",
        "expenditure-0-incurred_on": tomorrow.isoformat(),
        "expenditure-0-person": "",
        "expenditure-0-description": "",
    }
    response = officer.post(url("expenditures", household), data)
    assert response.context["formset"].errors == [{"incurred_on": ["发生日期不能晚于今天"]}]


# Supporters


def supporter_post(**fields: Any) -> dict[str, Any]:
    data = {
        "name": "张大",
        "id_number": "",
        "relation": "20",
        "supported_person": "",
        "able_to_support": "",
        "note": "外出务工",
    }
    data.update(fields)
    return data


def test_supporter_add_registers_the_supporter_with_a_masked_id(
    officer: Client, household: Household
) -> None:
    number = new_id_number()
    officer.post(
        url("supporter_add", household),
        supporter_post(id_number=number, supported_person=str(household.head_id)),
    )
    supporter = LegalSupporter.objects.get(household=household)
    assert (supporter.id_number_masked[-4:], supporter.able_to_support) == (number[-4:], False)
    assert supporter.supported_person_id == household.head_id


def test_supporter_add_shows_an_invalid_id_number_on_its_field(
    officer: Client, household: Household
) -> None:
    response = officer.post(
        url("supporter_add", household), supporter_post(id_number="99010519700101123X")
    )
    assert errors_of(response) == {"id_number": ["身份证号的省级代码 99 不存在"]}
    assert not LegalSupporter.objects.exists()


def test_supporter_remove_is_post_only(
    officer: Client, household: Household, supporter: LegalSupporter
) -> None:
    response = officer.get(url("supporter_remove", household, supporter_id=supporter.pk))
    assert response.status_code == 405
    assert LegalSupporter.objects.filter(pk=supporter.pk).exists()


def test_supporter_remove_deletes_and_returns_to_the_detail_page(
    officer: Client, household: Household, supporter: LegalSupporter
) -> None:
    response = officer.post(url("supporter_remove", household, supporter_id=supporter.pk))
    assert response["Location"] == reverse("registry:detail", kwargs={"pk": household.pk})
    assert not LegalSupporter.objects.filter(pk=supporter.pk).exists()


# Category and relapse watch


def category_post(**fields: Any) -> dict[str, Any]:
    data = {"category": "dibao", "person": "", "effective_from": "2024-01-01", "reason": "纳入"}
    data.update(fields)
    return data


def test_category_changes_keep_history_visible_on_the_detail_page(
    officer: Client, household: Household
) -> None:
    officer.post(url("category", household), category_post(category="near_dibao", reason="边缘"))
    officer.post(
        url("category", household),
        category_post(category="dibao", effective_from="2024-07-01", reason="纳入低保"),
    )
    content = officer.get(reverse("registry:detail", kwargs={"pk": household.pk})).content.decode()
    assert "<td>低保边缘</td><td>全户</td><td>2024-01-01</td><td>2024-06-30</td>" in content
    assert "<td>低保</td><td>全户</td><td>2024-07-01</td><td>至今</td>" in content


def test_category_with_an_earlier_date_shows_the_refusal_on_the_date(
    officer: Client, household: Household
) -> None:
    officer.post(url("category", household), category_post(effective_from="2024-07-01"))
    response = officer.post(
        url("category", household), category_post(category="none", effective_from="2024-03-01")
    )
    assert errors_of(response) == {
        "effective_from": ["生效日期须晚于当前记录的生效日期 2024-07-01"]
    }
    assert CategoryStatus.objects.filter(household=household).count() == 1


def test_category_form_without_a_choice_ends_nothing(officer: Client, household: Household) -> None:
    officer.post(url("category", household), category_post())
    response = officer.post(
        url("category", household), category_post(category="", effective_from="2024-09-01")
    )
    assert errors_of(response) == {"category": ["请选择救助类别，或选择“（无）”终止当前类别"]}
    household.refresh_from_db()
    assert household.category == "dibao"


def test_category_none_ends_the_current_category(officer: Client, household: Household) -> None:
    officer.post(url("category", household), category_post())
    officer.post(
        url("category", household),
        category_post(category="none", effective_from="2024-09-01", reason="收入超标"),
    )
    household.refresh_from_db()
    current = CategoryStatus.objects.get(household=household, effective_to__isnull=True)
    assert (household.category, current.category, current.reason) == ("", "", "收入超标")


def test_destitute_category_for_a_member_is_recorded_on_that_member(
    officer: Client, household: Household, spouse: Person
) -> None:
    officer.post(
        url("category", household),
        category_post(category="destitute", person=str(spouse.pk), reason="特困认定"),
    )
    assert CategoryStatus.objects.get(household=household).person_id == spouse.pk


def test_destitute_category_without_a_member_shows_the_refusal_on_the_member_field(
    officer: Client, household: Household
) -> None:
    response = officer.post(url("category", household), category_post(category="destitute"))
    assert errors_of(response) == {"person": ["特困和单人保须指定到具体成员"]}


def test_relapse_watch_is_recorded_with_history(officer: Client, household: Household) -> None:
    officer.post(
        url("relapse_watch", household),
        {"watch_type": "unstable", "effective_from": "2024-01-01", "reason": "脱贫不稳定"},
    )
    officer.post(
        url("relapse_watch", household),
        {"watch_type": "none", "effective_from": "2024-12-01", "reason": "风险消除"},
    )
    household.refresh_from_db()
    history = list(
        RelapseWatchStatus.objects.filter(household=household)
        .order_by("effective_from")
        .values_list("watch_type", "effective_to")
    )
    assert (household.relapse_watch, history) == (
        "",
        [("unstable", dt.date(2024, 11, 30)), ("", None)],
    )


def test_every_edit_is_audited_with_the_users_ip(
    officer: Client, jinshui_officer: Any, household: Household
) -> None:
    officer.post(
        url("edit", household),
        {"region": household.region_id, "residence": "rural", "address": "新址", "phone": ""},
    )
    record = AuditRecord.objects.latest("id")
    assert (record.actor, record.action, record.object_id, record.ip_address) == (
        jinshui_officer,
        Action.UPDATE,
        str(household.pk),
        "127.0.0.1",
    )


# Issue 10: the facts of the eligibility rules


def test_household_edit_records_the_income_before_a_drop(
    officer: Client, household: Household
) -> None:
    base = {"region": household.region_id, "residence": "urban", "address": "", "phone": ""}
    response = officer.post(url("edit", household), {**base, "income_before_drop_monthly": "3000"})
    assert "收入缩减前月收入与记录日期须同时填写" in response.content.decode()
    officer.post(
        url("edit", household),
        {**base, "income_before_drop_monthly": "3000.00", "income_before_drop_on": "2026-01-31"},
    )
    household.refresh_from_db()
    assert (household.income_before_drop_monthly, household.income_before_drop_on) == (
        Decimal("3000.00"),
        dt.date(2026, 1, 31),
    )


def test_member_edit_records_the_art_9_legal_status(
    officer: Client, household: Household, spouse: Person
) -> None:
    officer.post(
        url("member_edit", household, person_id=spouse.pk),
        member_edit_post(legal_status="imprisoned", other_inability=" 重病患者 "),
    )
    spouse.refresh_from_db()
    assert (spouse.legal_status, spouse.other_inability) == ("imprisoned", "重病患者")
