"""Finding 2 of issue 12: registering an ID number already registered outside the actor's scope
answers the generic "无法登记该身份证号，请联系县级民政部门核实" on every path (create, add member,
import, direct inclusion), never "此人已登记在另一户中"; the details go to the conflict queue of the
registrar's county, which only that county's officers see."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import ZHONGYUAN, first_below, make_user, new_id_number
from safetynet.accounts.roles import Role
from safetynet.determination.inclusion import registers_include
from safetynet.regions.models import Level, Region
from safetynet.registry import services
from safetynet.registry.identity import decrypt_id_number, mask_id_number
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import IdConflict, Person
from safetynet.registry.tests.import_files import HEADERS, family, table, xlsx_bytes
from safetynet.registry.validation import NOT_REGISTRABLE

pytestmark = pytest.mark.django_db

TOLD_ELSEWHERE = "此人已登记在另一户中"


@pytest.fixture(autouse=True)
def media_root(settings: Any, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    return tmp_path / "media"


@pytest.fixture
def village(jinshui_township: Region) -> Region:
    return first_below(jinshui_township.code, Level.VILLAGE)


@pytest.fixture
def outside_number(zhongyuan_officer: Any, make_household: Any) -> str:
    """The head of a 中原区 household: outside the 金水区 township officer's scope."""
    household = make_household(zhongyuan_officer)
    return decrypt_id_number(Person.objects.get(pk=household.head_id).id_number_encrypted)


@pytest.fixture
def officer(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


def _body(village: Region, number: str) -> dict[str, Any]:
    return {
        "region_code": village.code,
        "members": [
            {"id_number": new_id_number(village.code[:6]), "name": "王大", "relation": "02"},
            {"id_number": number, "name": "赵二", "relation": "10"},
        ],
    }


def test_api_create_answers_the_generic_refusal_and_queues_the_conflict(
    officer: Client, village: Region, outside_number: str, jinshui_officer: Any
) -> None:
    response = officer.post(
        "/api/households",
        data=json.dumps(_body(village, outside_number)),
        content_type="application/json",
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["reason"] == NOT_REGISTRABLE
    assert TOLD_ELSEWHERE not in response.content.decode()
    conflict = IdConflict.objects.get()
    assert (conflict.region_id, conflict.village_code) == ("410105000000", village.code)
    assert (conflict.id_number_masked, conflict.attempted_name) == (
        mask_id_number(outside_number),
        "赵二",
    )
    assert conflict.created_by == jinshui_officer


def test_in_scope_duplicate_still_names_the_other_household(
    officer: Client, village: Region, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, village=village)
    number = decrypt_id_number(Person.objects.get(pk=household.head_id).id_number_encrypted)
    response = officer.post(
        "/api/households", data=json.dumps(_body(village, number)), content_type="application/json"
    )
    assert response.json()["errors"][0]["reason"] == TOLD_ELSEWHERE
    assert not IdConflict.objects.exists()


def test_add_member_answers_the_generic_refusal(
    jinshui_officer: Any, village: Region, outside_number: str, make_household: Any
) -> None:
    household = make_household(jinshui_officer, village=village)
    with pytest.raises(services.HouseholdValidationError) as refused:
        services.member_add(
            actor=jinshui_officer,
            household=household,
            member=MemberInput(id_number=outside_number, name="赵二", relation="20"),
        )
    assert [p.reason for p in refused.value.problems] == [NOT_REGISTRABLE]
    assert IdConflict.objects.count() == 1


def test_import_answers_the_generic_refusal(
    officer: Client, village: Region, outside_number: str
) -> None:
    people = family(village.code)
    people[1]["身份证号"] = outside_number
    response = officer.post(
        "/households/import/", {"file": SimpleUploadedFile("名单.xlsx", xlsx_bytes(table(people)))}
    )
    body = response.content.decode()
    assert NOT_REGISTRABLE in body and TOLD_ELSEWHERE not in body
    assert IdConflict.objects.count() == 1


def test_direct_inclusion_answers_the_generic_refusal(
    jinshui_officer: Any, village: Region, outside_number: str
) -> None:
    people = family(village.code)
    people[1]["身份证号"] = outside_number
    people[0]["纳入日期"] = "2024-05-01"
    headers = [*HEADERS, "纳入日期"]
    result = registers_include(
        actor=jinshui_officer,
        kind="dibao",
        content=xlsx_bytes(table(people, headers)),
        file_name="名册.xlsx",
    )
    reasons = [p.reason for p in result.problems]
    assert NOT_REGISTRABLE in reasons and TOLD_ELSEWHERE not in reasons
    assert IdConflict.objects.count() == 1


def test_conflict_queue_is_the_county_officers_and_scoped(
    officer: Client, village: Region, outside_number: str, county_officer: Any, jinshui_officer: Any
) -> None:
    officer.post(
        "/api/households",
        data=json.dumps(_body(village, outside_number)),
        content_type="application/json",
    )
    county = Client()
    county.force_login(county_officer)
    page = county.get("/households/conflicts/").content.decode()
    assert mask_id_number(outside_number) in page and "赵二" in page
    assert outside_number not in page

    other_county = Client()
    other_county.force_login(
        make_user("zy-county", Role.COUNTY_OFFICER, Region.objects.get(code=ZHONGYUAN))
    )
    assert (
        mask_id_number(outside_number)
        not in other_county.get("/households/conflicts/").content.decode()
    )
    assert officer.get("/households/conflicts/").status_code == 403

    conflict = IdConflict.objects.get()
    assert (
        other_county.post(
            f"/households/conflicts/{conflict.pk}/resolve/", {"resolution": "x"}
        ).status_code
        == 404
    )
    conflict.refresh_from_db()
    assert conflict.resolved_at is None
    county.post(
        f"/households/conflicts/{conflict.pk}/resolve/",
        {"resolution": "已与中原区核实，系重复登记"},
    )
    conflict.refresh_from_db()
    assert conflict.resolved_by == county_officer
    assert "赵二" not in county.get("/households/conflicts/").content.decode()
