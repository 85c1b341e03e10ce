"""The public pages read no personal data back: the same answer for a registered and an
unregistered person, a follow-up that shows a status only; rate limit, honeypot, CSRF."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import first_below, new_id_number
from safetynet.oversight.models import Declaration, PublicAttempt, TipOff
from safetynet.oversight.services import tipoff_assign
from safetynet.policy.calendar import workdays
from safetynet.regions.models import Level
from safetynet.registry.identity import blind_index, decrypt_id_number

pytestmark = pytest.mark.django_db

NUMBER = re.compile(r"(SB|JB)\d{8}-[0-9A-Z]{8}")
# What differs between any two answers by design: the case number and the masked CSRF token.
VARYING = re.compile(r"(SB|JB)\d{8}-[0-9A-Z]{8}|\"X-CSRFToken\": \"\w+\"")


def _declare(client: Client, village: str, id_number: str, **extra: Any) -> Any:
    data = {
        "declarant": "self",
        "name": "王困难",
        "id_number": id_number,
        "region_code": village,
        "phone": "13800000000",
        "account": "丈夫去年病故，两个孩子上学，家里没有收入。",
        "consent": "on",
        **extra,
    }
    return client.post(reverse("public:declare"), data)


@pytest.fixture
def village(jinshui_township: Any) -> str:
    return first_below(jinshui_township.code, Level.VILLAGE).code


def test_the_declaration_page_opens_without_login(client: Client) -> None:
    response = client.get(reverse("public:declare"))

    assert response.status_code == 200
    assert "Content-Security-Policy" in response
    assert "csrfmiddlewaretoken" in response.content.decode()


def test_a_registered_and_an_unregistered_person_get_the_same_answer(
    client: Client, jinshui_officer: Any, make_household: Any, village: str
) -> None:
    household = make_household(jinshui_officer, head_name="欧阳在册")
    registered = decrypt_id_number(household.head.id_number_encrypted)
    unregistered = new_id_number("410105")

    first = _declare(client, village, registered)
    second = _declare(client, village, unregistered)

    assert first.status_code == second.status_code == 200
    one, two = (VARYING.sub("N", r.content.decode()) for r in (first, second))
    assert one == two
    assert "欧阳在册" not in one and household.head.id_number_masked not in one
    assert Declaration.objects.count() == 2


def test_the_id_number_is_stored_encrypted_with_its_blind_index(
    client: Client, village: str
) -> None:
    number = new_id_number("410105")

    _declare(client, village, number)

    declaration = Declaration.objects.get()
    stored = [str(v) for v in Declaration.objects.values_list().get()]
    assert number not in stored
    assert declaration.id_number_hash == blind_index(number)
    assert decrypt_id_number(declaration.id_number_encrypted) == number


def test_a_declaration_is_due_for_a_visit_in_the_countys_working_days(
    client: Client, village: str
) -> None:
    _declare(client, village, new_id_number("410105"))

    declaration = Declaration.objects.get()
    assert declaration.township_code == village[:9] + "000"
    assert declaration.due_on == workdays.add_working_days(declaration.received_on, 10)


def test_an_invalid_id_number_is_refused_by_the_registry_check(
    client: Client, village: str
) -> None:
    response = _declare(client, village, "410105199001011234")

    assert response.status_code == 200
    assert "校验码" in response.content.decode()
    assert Declaration.objects.count() == 0


def test_a_filled_honeypot_gets_an_answer_and_stores_nothing(client: Client, village: str) -> None:
    response = _declare(client, village, new_id_number("410105"), website="http://spam")

    assert NUMBER.search(response.content.decode())
    assert Declaration.objects.count() == 0


def test_an_address_is_limited_to_five_submissions_an_hour(client: Client, village: str) -> None:
    for _ in range(5):
        _declare(client, village, new_id_number("410105"))

    response = _declare(client, village, new_id_number("410105"))

    assert response.status_code == 429
    assert Declaration.objects.count() == 5
    assert "127.0.0.1" not in PublicAttempt.objects.values_list("address_hash", flat=True)


def test_a_post_without_the_csrf_token_is_refused(village: str) -> None:
    client = Client(enforce_csrf_checks=True)

    response = _declare(client, village, new_id_number("410105"))

    assert response.status_code == 403
    assert Declaration.objects.count() == 0


def _tipoff(client: Client, village: str, **extra: Any) -> Any:
    data = {
        "matter": "fraud",
        "region_code": village,
        "subject_name": "赵隐瞒",
        "content": "赵隐瞒家有两辆轿车，仍领取低保。",
        "reporter_name": "",
        "reporter_phone": "",
        **extra,
    }
    return client.post(reverse("public:tipoff"), data)


def test_a_tip_off_filed_publicly_gets_a_number_and_a_due_date(
    client: Client, village: str
) -> None:
    response = _tipoff(client, village)

    tipoff = TipOff.objects.get()
    assert tipoff.number in response.content.decode()
    assert tipoff.channel == "online"
    assert tipoff.due_on == workdays.add_working_days(tipoff.received_on, 15)
    assert "赵隐瞒" not in response.content.decode()


def test_the_follow_up_shows_the_status_and_nothing_of_the_content(
    client: Client, village: str, county_officer: Any
) -> None:
    _tipoff(client, village, reporter_name="钱举报", reporter_phone="13900000000")
    tipoff = TipOff.objects.get()
    tipoff_assign(actor=county_officer, tipoff=tipoff)

    response = client.post(reverse("public:follow_up"), {"number": tipoff.number.lower()})

    text = response.content.decode()
    assert "已交乡镇(街道)核查" in text
    for secret in ("赵隐瞒", "两辆轿车", "钱举报", "13900000000", village):
        assert secret not in text


def test_an_unknown_number_is_not_found(client: Client) -> None:
    response = client.post(reverse("public:follow_up"), {"number": "JB20261207-AAAAAAAA"})

    assert "未找到该编号" in response.content.decode()


def test_the_picker_reads_regions_of_the_province_only(client: Client) -> None:
    inside = client.get(reverse("public:places"), {"parent": "410000000000"})
    outside = client.get(reverse("public:places"), {"parent": "110000000000"})

    assert inside.status_code == 200 and inside.json()["children"]
    assert outside.status_code == 400


@pytest.mark.parametrize("name", ["public:declare", "public:tipoff", "public:follow_up"])
def test_the_public_pages_read_in_chinese_without_login(client: Client, name: str) -> None:
    from tests.test_pages_in_chinese import problems_of

    response = client.get(reverse(name))

    assert response.status_code == 200
    assert problems_of(response.content.decode()) == []
