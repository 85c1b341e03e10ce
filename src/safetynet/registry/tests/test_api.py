"""The households and persons API: scope isolation for every endpoint (session and bearer token),
validation errors that name the member and field, audit of reads, documentation, query counts.

The isolation matrix is built from the OpenAPI document itself, so a new endpoint that takes an id
is covered (or fails the completeness test) without anyone remembering to add it here.
"""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from conftest import first_below, make_user, new_id_number
from safetynet.accounts.services import api_token_create
from safetynet.api import api
from safetynet.audit.models import Action, AuditRecord
from safetynet.regions.models import Level, Region
from safetynet.registry import services
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.inputs import HouseholdInput, MemberInput
from safetynet.registry.models import Household, Person

pytestmark = pytest.mark.django_db

REGISTRY_PREFIXES = ("/api/households", "/api/persons")
AUTH_MODES = ["session", "token"]

# A valid body for every write that takes an id, so that a refusal is the scope's doing and not
# the body's.
WRITE_BODIES: dict[tuple[str, str], dict[str, Any]] = {
    ("patch", "/api/households/{household_id}"): {"address": "被篡改的地址"},
    ("patch", "/api/persons/{person_id}"): {"phone": "13900000000", "name": "被篡改"},
}


def api_client(user: Any, how: str) -> Client:
    if how == "session":
        client = Client()
        client.force_login(user)
        return client
    raw = api_token_create(user=user, name="测试系统", actor=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def call(client: Client, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
    if method == "get":
        return client.get(path)
    return getattr(client, method)(
        path, data=json.dumps(body or {}), content_type="application/json"
    )


def text(response: Any) -> str:
    """The body as readable text, whether or not the renderer escapes non-ASCII characters."""
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return str(response.content.decode())


def registry_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return [
        (method, path)
        for path, operations in paths.items()
        if path.startswith(REGISTRY_PREFIXES)
        for method in operations
    ]


def id_operations() -> list[tuple[str, str]]:
    return [(method, path) for method, path in registry_operations() if "{" in path]


def fill(path: str, ids: dict[str, int]) -> str:
    return path.format(**ids)


def household_body(village: Region, **extra: Any) -> dict[str, Any]:
    county = village.code[:6]
    body: dict[str, Any] = {
        "region_code": village.code,
        "address": "幸福路 1 号",
        "members": [
            {
                "id_number": new_id_number(county),
                "name": "王大",
                "relation": "02",
                "incomes": [{"kind": "wages", "monthly_amount": "800.00"}],
            },
            {"id_number": new_id_number(county, male=False), "name": "赵二", "relation": "10"},
        ],
    }
    body.update(extra)
    return body


@pytest.fixture
def foreign(jinshui_officer: Any, make_household: Any) -> dict[str, Any]:
    """A 金水区 household, with what must never reach a 中原区 officer."""
    household = make_household(jinshui_officer, head_name="欧阳秘密")
    head = Person.objects.get(pk=household.head_id)
    return {
        "household": household,
        "ids": {"household_id": household.pk, "person_id": head.pk},
        "secrets": ["欧阳秘密", head.id_number_masked, decrypt_id_number(head.id_number_encrypted)],
    }


@pytest.fixture
def village(jinshui_township: Region) -> Region:
    return first_below(jinshui_township.code, Level.VILLAGE)


@pytest.fixture
def officer(jinshui_officer: Any) -> Client:
    return api_client(jinshui_officer, "token")


# --- scope isolation ---------------------------------------------------------------------------


def test_every_id_endpoint_is_reachable_by_the_matrix(foreign: dict[str, Any]) -> None:
    for method, path in id_operations():
        fill(path, foreign["ids"])
        assert method == "get" or (method, path) in WRITE_BODIES, (method, path)


def test_matrix_endpoints_answer_their_owner(jinshui_officer: Any, foreign: dict[str, Any]) -> None:
    client = api_client(jinshui_officer, "token")
    for method, path in id_operations():
        response = call(
            client, method, fill(path, foreign["ids"]), WRITE_BODIES.get((method, path))
        )
        assert response.status_code == 200, (method, path, response.content)


@pytest.mark.parametrize("how", AUTH_MODES)
def test_other_township_gets_404_or_403_from_every_id_endpoint(
    zhongyuan_officer: Any, foreign: dict[str, Any], how: str
) -> None:
    client = api_client(zhongyuan_officer, how)
    for method, path in id_operations():
        response = call(
            client, method, fill(path, foreign["ids"]), WRITE_BODIES.get((method, path))
        )
        assert response.status_code in (403, 404), (method, path, response.status_code)
        body = text(response)
        for secret in foreign["secrets"]:
            assert secret not in body, (method, path)


@pytest.mark.parametrize("how", AUTH_MODES)
def test_other_township_writes_change_nothing(
    zhongyuan_officer: Any, foreign: dict[str, Any], how: str
) -> None:
    client = api_client(zhongyuan_officer, how)
    household = foreign["household"]
    before = (household.updated_at, Person.objects.get(pk=household.head_id).name)
    for method, path in id_operations():
        call(client, method, fill(path, foreign["ids"]), WRITE_BODIES.get((method, path)))
    household.refresh_from_db()
    assert (household.updated_at, Person.objects.get(pk=household.head_id).name) == before


@pytest.mark.parametrize("how", AUTH_MODES)
@pytest.mark.parametrize("path", ["/api/households", "/api/persons"])
def test_other_township_lists_and_searches_do_not_include_it(
    zhongyuan_officer: Any, foreign: dict[str, Any], how: str, path: str
) -> None:
    client = api_client(zhongyuan_officer, how)
    for query in ["", "欧阳", "oy", "ouyang"]:
        response = client.get(path, {"q": query})
        assert response.json() == {"items": [], "count": 0}, query
    response = call(client, "post", f"{path}/search", {"id_number": foreign["secrets"][2]})
    assert response.json() == {"items": [], "count": 0}


@pytest.mark.parametrize("path", ["/api/households", "/api/persons"])
def test_other_township_region_filter_does_not_widen_the_scope(
    zhongyuan_officer: Any, foreign: dict[str, Any], path: str
) -> None:
    client = api_client(zhongyuan_officer, "token")
    for region in [foreign["household"].region_id, "41"]:
        assert client.get(path, {"region": region}).json()["count"] == 0, region


@pytest.mark.parametrize("path", ["/api/households", "/api/persons"])
def test_own_township_lists_include_it(
    jinshui_officer: Any, foreign: dict[str, Any], path: str
) -> None:
    response = api_client(jinshui_officer, "token").get(path, {"q": "oy"})
    assert "欧阳秘密" in text(response)


@pytest.mark.parametrize("how", AUTH_MODES)
def test_other_township_cannot_create_a_household_in_it(
    zhongyuan_officer: Any, village: Region, how: str
) -> None:
    client = api_client(zhongyuan_officer, how)
    response = call(client, "post", "/api/households", household_body(village))
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["region_code"]
    assert not Household.objects.exists()


def test_county_officer_of_the_same_county_reads_it(
    county_officer: Any, foreign: dict[str, Any]
) -> None:
    response = api_client(county_officer, "token").get(f"/api/households/{foreign['household'].pk}")
    assert response.status_code == 200


def test_user_without_scope_gets_404(foreign: dict[str, Any], django_user_model: Any) -> None:
    user = django_user_model.objects.create_user(
        username="noscope", password="x", role="county_officer"
    )
    response = api_client(user, "token").get(f"/api/households/{foreign['household'].pk}")
    assert response.status_code == 404


# --- authentication and permission -------------------------------------------------------------


def test_anonymous_gets_401_from_every_endpoint(foreign: dict[str, Any]) -> None:
    client = Client()
    for method, path in registry_operations():
        response = call(
            client, method, fill(path, foreign["ids"]), WRITE_BODIES.get((method, path))
        )
        assert response.status_code == 401, (method, path)
        assert "未认证" in response.json()["detail"]


def test_user_without_view_capability_gets_403_with_chinese_message(
    jinshui_township: Region, foreign: dict[str, Any]
) -> None:
    user = make_user("norole", "", jinshui_township)
    response = api_client(user, "token").get("/api/households")
    assert response.status_code == 403
    assert response.json() == {"detail": "您没有执行此操作的权限"}


def test_auditor_cannot_edit_a_household_it_can_read(auditor: Any, foreign: dict[str, Any]) -> None:
    client = api_client(auditor, "token")
    path = f"/api/households/{foreign['household'].pk}"
    assert client.get(path).status_code == 200
    assert call(client, "patch", path, {"address": "x"}).status_code == 403


def test_session_write_without_csrf_token_is_refused(
    jinshui_officer: Any, foreign: dict[str, Any]
) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(jinshui_officer)
    response = call(
        client, "patch", f"/api/households/{foreign['household'].pk}", {"address": "新地址"}
    )
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail"]


def test_bearer_write_needs_no_csrf_token(jinshui_officer: Any, foreign: dict[str, Any]) -> None:
    raw = api_token_create(user=jinshui_officer, name="测试", actor=jinshui_officer)
    client = Client(enforce_csrf_checks=True, headers={"Authorization": f"Bearer {raw}"})
    response = call(
        client, "patch", f"/api/households/{foreign['household'].pk}", {"address": "新地址"}
    )
    assert response.status_code == 200


# --- households --------------------------------------------------------------------------------


def test_household_list_row_shows_masked_head_id(officer: Client, foreign: dict[str, Any]) -> None:
    row = officer.get("/api/households").json()["items"][0]
    household = foreign["household"]
    assert row == {
        "id": household.pk,
        "region_code": household.region_id,
        "region_name": Region.objects.get(code=household.region_id).name,
        "residence": household.residence,
        "residence_display": str(household.get_residence_display()),
        "head_id": household.head_id,
        "head_name": "欧阳秘密",
        "head_id_number_masked": foreign["secrets"][1],
        "member_count": 2,
        "category": None,
        "category_display": "",
        "relapse_watch": None,
        "relapse_watch_display": "",
    }


def test_household_list_filters_by_category(
    officer: Client, jinshui_officer: Any, make_household: Any
) -> None:
    dibao = make_household(jinshui_officer, category="dibao")
    make_household(jinshui_officer)
    items = officer.get("/api/households", {"category": "dibao"}).json()["items"]
    assert [item["id"] for item in items] == [dibao.pk]


def test_household_list_refuses_unknown_category(officer: Client) -> None:
    response = officer.get("/api/households", {"category": "rich"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "category"


def test_household_list_page_size_is_capped_at_200(
    officer: Client, jinshui_officer: Any, village: Region
) -> None:
    county = village.code[:6]
    services.households_create(
        actor=jinshui_officer,
        households=[
            HouseholdInput(
                region_code=village.code,
                members=[MemberInput(id_number=new_id_number(county), name="张三", relation="02")],
            )
            for _ in range(201)
        ],
        audit_each=False,
    )
    page = officer.get("/api/households", {"page_size": 1000}).json()
    assert (page["count"], len(page["items"])) == (201, 200)


def test_household_list_paginates(
    officer: Client, jinshui_officer: Any, make_household: Any
) -> None:
    households = [make_household(jinshui_officer) for _ in range(3)]
    page = officer.get("/api/households", {"page": 2, "page_size": 2}).json()
    assert (page["count"], [item["id"] for item in page["items"]]) == (3, [households[0].pk])


def test_household_list_query_count_does_not_grow_with_households(
    jinshui_officer: Any, make_household: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(jinshui_officer)
    make_household(jinshui_officer)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/households")
    for _ in range(6):
        make_household(jinshui_officer)
    with django_assert_max_num_queries(len(one)):
        response = client.get("/api/households")
    assert response.json()["count"] == 7


def test_person_list_query_count_does_not_grow_with_persons(
    jinshui_officer: Any, make_household: Any, django_assert_max_num_queries: Any
) -> None:
    client = Client()
    client.force_login(jinshui_officer)
    make_household(jinshui_officer)
    with CaptureQueriesContext(connection) as one:
        client.get("/api/persons")
    for _ in range(6):
        make_household(jinshui_officer)
    with django_assert_max_num_queries(len(one)):
        response = client.get("/api/persons")
    assert response.json()["count"] == 14


@pytest.mark.parametrize("how", AUTH_MODES)
def test_household_detail_writes_view_audit_record_with_channel_api(
    jinshui_officer: Any, foreign: dict[str, Any], how: str
) -> None:
    household = foreign["household"]
    api_client(jinshui_officer, how).get(f"/api/households/{household.pk}")
    record = AuditRecord.objects.filter(action=Action.VIEW).get()
    assert (record.object_type, record.object_id, record.channel, record.actor) == (
        "household",
        str(household.pk),
        "api",
        jinshui_officer,
    )


def test_household_detail_shows_members_with_masked_ids_only(
    officer: Client, foreign: dict[str, Any]
) -> None:
    household = foreign["household"]
    response = officer.get(f"/api/households/{household.pk}")
    body = text(response)
    persons = Person.objects.filter(memberships__household=household)
    assert [m["id_number_masked"] for m in response.json()["members"]] == [
        p.id_number_masked for p in persons.order_by("memberships__relation")
    ]
    for person in persons:
        assert decrypt_id_number(person.id_number_encrypted) not in body


def test_household_detail_shows_what_the_household_page_shows(
    officer: Client, jinshui_officer: Any, village: Region
) -> None:
    body = household_body(
        village,
        assets=[{"kind": "deposit", "value": "3000.00", "description": "活期"}],
        expenditures=[{"kind": "medical", "amount": "12000.00", "incurred_on": "2025-03-01"}],
    )
    body["members"][1].update(
        {"disability_type": "physical", "disability_grade": 2, "labour_capacity": "none"}
    )
    household_id = call(officer, "post", "/api/households", body).json()["id"]
    household = Household.objects.get(pk=household_id)
    supporter_id = new_id_number("410102")
    services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="王小",
        id_number=supporter_id,
        relation="20",
        able_to_support=False,
    )
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="near_dibao",
        effective_from=dt.date(2025, 1, 1),
        reason="收入低于低保标准 1.5 倍",
    )
    detail = officer.get(f"/api/households/{household_id}").json()
    spouse = detail["members"][1]
    assert (spouse["relation_display"], spouse["disability_type_display"]) == ("配偶", "肢体残疾")
    assert (spouse["disability_grade"], spouse["labour_capacity"]) == (2, "none")
    assert detail["members"][0]["incomes"][0]["monthly_amount"] == "800.00"
    assert (detail["counted_income_total"], detail["income_per_head"]) == ("800.00", "400.00")
    assert detail["assets"][0]["value"] == "3000.00"
    assert detail["expenditures"][0]["incurred_on"] == "2025-03-01"
    assert (
        detail["supporters"][0]["id_number_masked"]
        == supporter_id[:3] + "*" * 11 + supporter_id[-4:]
    )
    assert [c["category"] for c in detail["category_history"]] == ["near_dibao"]
    assert detail["category"] == "near_dibao"


def test_create_household_returns_it_and_audits_with_channel_api(
    officer: Client, village: Region
) -> None:
    response = call(officer, "post", "/api/households", household_body(village))
    assert response.status_code == 201
    household = Household.objects.get(pk=response.json()["id"])
    assert (household.member_count, household.head.name, household.address) == (
        2,
        "王大",
        "幸福路 1 号",
    )
    record = AuditRecord.objects.get(action=Action.CREATE, object_type="household")
    assert record.channel == "api"


def test_create_validation_error_names_member_and_field(officer: Client, village: Region) -> None:
    body = household_body(village)
    good = body["members"][1]["id_number"]
    body["members"][1]["id_number"] = good[:17] + ("0" if good[17] != "0" else "1")
    response = call(officer, "post", "/api/households", body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["member"], error["member_name"], error["field"]) == (1, "赵二", "id_number")
    assert error["reason"].startswith("身份证号校验码错误")


def test_create_validation_error_masks_the_id_number(officer: Client, village: Region) -> None:
    body = household_body(village)
    body["members"][1]["id_number"] = body["members"][0]["id_number"]
    response = call(officer, "post", "/api/households", body)
    [error] = response.json()["errors"]
    assert error["reason"] == "身份证号重复"
    assert (
        error["value"]
        == body["members"][0]["id_number"][:3] + "*" * 11 + body["members"][0]["id_number"][-4:]
    )


def test_create_schema_error_names_member_and_field(officer: Client, village: Region) -> None:
    body = household_body(village)
    body["members"][0]["incomes"][0]["monthly_amount"] = "八百"
    response = call(officer, "post", "/api/households", body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["member"], error["member_name"], error["field"], error["reason"]) == (
        0,
        "王大",
        "incomes.0.monthly_amount",
        "应为数字金额",
    )


def test_create_household_level_error_has_no_member(officer: Client, village: Region) -> None:
    body = household_body(village)
    body["members"][0]["relation"] = "10"
    response = call(officer, "post", "/api/households", body)
    [error] = response.json()["errors"]
    assert (error["member"], error["field"]) == (None, "relation")
    assert "户主" in error["reason"]


def test_create_with_errors_writes_nothing(officer: Client, village: Region) -> None:
    body = household_body(village)
    body["members"][1]["name"] = " "
    assert call(officer, "post", "/api/households", body).status_code == 422
    assert (Household.objects.count(), Person.objects.count()) == (0, 0)


def test_create_refuses_unknown_fields(officer: Client, village: Region) -> None:
    body = household_body(village, category="dibao")
    response = call(officer, "post", "/api/households", body)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        "member": None,
        "member_name": "",
        "field": "category",
        "value": "dibao",
        "reason": "不支持该字段",
    }


def test_patch_household_changes_only_the_fields_sent(
    officer: Client, foreign: dict[str, Any]
) -> None:
    household = foreign["household"]
    response = call(officer, "patch", f"/api/households/{household.pk}", {"phone": "0371-1234567"})
    assert response.status_code == 200
    household.refresh_from_db()
    assert (household.phone, household.address) == ("0371-1234567", "")
    record = AuditRecord.objects.get(action=Action.UPDATE, object_type="household")
    assert (record.channel, record.detail["changed"]) == ("api", {"phone": ["", "0371-1234567"]})


def test_patch_household_moves_it_to_another_village_in_scope(
    officer: Client, foreign: dict[str, Any], jinshui_township: Region
) -> None:
    household = foreign["household"]
    other = (
        Region.objects.filter(parent_id=jinshui_township.code)
        .exclude(code=household.region_id)
        .order_by("code")
        .first()
    )
    response = call(
        officer, "patch", f"/api/households/{household.pk}", {"region_code": other.code}
    )
    assert response.json()["region_code"] == other.code
    assert set(
        Person.objects.filter(memberships__household=household).values_list("region_id", flat=True)
    ) == {other.code}


def test_patch_household_refuses_a_village_outside_scope(
    officer: Client, foreign: dict[str, Any], zhongyuan_township: Region
) -> None:
    household = foreign["household"]
    outside = first_below(zhongyuan_township.code, Level.VILLAGE)
    response = call(
        officer, "patch", f"/api/households/{household.pk}", {"region_code": outside.code}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "新的区划不是您管辖范围内的村(居)委会"
    household.refresh_from_db()
    assert household.region_id != outside.code


def test_patch_household_refuses_null(officer: Client, foreign: dict[str, Any]) -> None:
    response = call(
        officer, "patch", f"/api/households/{foreign['household'].pk}", {"address": None}
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["reason"]) == ("address", "不能为 null；不修改请不要提交该字段")


# --- persons -----------------------------------------------------------------------------------


def test_person_list_finds_by_initials_with_household(
    officer: Client, foreign: dict[str, Any]
) -> None:
    items = officer.get("/api/persons", {"q": "oymm"}).json()["items"]
    assert [(i["name"], i["household_id"], i["id_number_masked"]) for i in items] == [
        ("欧阳秘密", foreign["household"].pk, foreign["secrets"][1])
    ]


def test_person_detail_is_masked_and_audited(officer: Client, foreign: dict[str, Any]) -> None:
    person_id = foreign["ids"]["person_id"]
    response = officer.get(f"/api/persons/{person_id}")
    data = response.json()
    assert (data["id_number_masked"], data["household"]["household_id"]) == (
        foreign["secrets"][1],
        foreign["household"].pk,
    )
    assert foreign["secrets"][2] not in text(response)
    assert data["incomes"][0]["monthly_amount"] == "500.00"
    record = AuditRecord.objects.get(action=Action.VIEW, object_type="person")
    assert (record.object_id, record.channel) == (str(person_id), "api")


def test_patch_person_updates_circumstances(officer: Client, foreign: dict[str, Any]) -> None:
    person_id = foreign["ids"]["person_id"]
    response = call(
        officer,
        "patch",
        f"/api/persons/{person_id}",
        {
            "health_status": "serious",
            "illness_name": "尿毒症",
            "disability_type": "visual",
            "disability_grade": 1,
        },
    )
    assert response.status_code == 200
    person = Person.objects.get(pk=person_id)
    assert (
        person.health_status,
        person.illness_name,
        person.disability_type,
        person.disability_grade,
    ) == (
        "serious",
        "尿毒症",
        "visual",
        1,
    )
    assert AuditRecord.objects.get(action=Action.UPDATE, object_type="person").channel == "api"


def test_patch_person_null_disability_clears_the_grade(
    officer: Client, jinshui_officer: Any, foreign: dict[str, Any]
) -> None:
    person_id = foreign["ids"]["person_id"]
    call(
        officer,
        "patch",
        f"/api/persons/{person_id}",
        {"disability_type": "visual", "disability_grade": 3},
    )
    call(officer, "patch", f"/api/persons/{person_id}", {"disability_type": None})
    person = Person.objects.get(pk=person_id)
    assert (person.disability_type, person.disability_grade) == ("", None)


def test_patch_person_refuses_grade_without_disability_type(
    officer: Client, foreign: dict[str, Any]
) -> None:
    response = call(
        officer, "patch", f"/api/persons/{foreign['ids']['person_id']}", {"disability_grade": 2}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "填写了残疾等级但未填写残疾类别"


def test_patch_person_refuses_an_unknown_relation_code(
    officer: Client, foreign: dict[str, Any]
) -> None:
    household = foreign["household"]
    spouse = household.memberships.exclude(person_id=household.head_id).get().person_id
    response = call(officer, "patch", f"/api/persons/{spouse}", {"relation": "00"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "relation"
    assert "GB/T 4761" in response.json()["errors"][0]["reason"]


def test_patch_person_refuses_changing_the_heads_relation(
    officer: Client, foreign: dict[str, Any]
) -> None:
    response = call(
        officer, "patch", f"/api/persons/{foreign['ids']['person_id']}", {"relation": "10"}
    )
    assert response.status_code == 400
    assert response.json()["detail"] == "户主的关系不能直接修改，请先变更户主"


def test_patch_person_who_left_the_household_is_refused(
    officer: Client, jinshui_officer: Any, foreign: dict[str, Any]
) -> None:
    household = foreign["household"]
    spouse = household.memberships.exclude(person_id=household.head_id).get().person
    services.member_remove(actor=jinshui_officer, household=household, person=spouse, reason="迁出")
    response = call(officer, "patch", f"/api/persons/{spouse.pk}", {"phone": "13900000000"})
    assert response.status_code == 400
    assert response.json()["detail"] == "该人员当前不在任何家庭中，无法修改"


def test_household_detail_money_is_exact_decimal_text(
    officer: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, wages=Decimal("1234.56"))
    detail = officer.get(f"/api/households/{household.pk}").json()
    assert detail["members"][0]["counted_income"] == "1234.56"


# --- documentation -----------------------------------------------------------------------------


def test_docs_page_renders(client: Client) -> None:
    response = client.get("/api/docs")
    assert response.status_code == 200
    assert "swagger-ui" in response.content.decode()


def test_openapi_document_lists_the_paths(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {
        "/api/households",
        "/api/households/{household_id}",
        "/api/persons",
        "/api/persons/{person_id}",
        "/api/regions/{code}",
        "/api/regions/{code}/children",
    } <= set(paths)
