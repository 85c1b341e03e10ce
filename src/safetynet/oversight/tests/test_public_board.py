"""The public notice board (公示栏) without login: only cases in their publicity period and the
dibao/destitute households confirmed within the configured days, each with what a notice board
posts (name or 未成年人, masked ID, village, type, members, amount, dates) — no full ID, no
telephone, no address beyond the village. An objection sent from it is recorded against the
case, answered with a number only, and the township registers it as the case's objection."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import new_id_number
from safetynet.determination import services
from safetynet.determination.models import Objection, Publicity
from safetynet.determination.tests.notice_cases import accepted_case, at, decided_case
from safetynet.oversight.models import PublicObjection
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.inputs import IncomeInput, MemberInput

pytestmark = pytest.mark.django_db

FULL_ID = re.compile(r"\d{17}[\dX]")
PHONE = "13912345678"
ADDRESS = "幸福路88号3单元"
DURING = dt.date(2026, 4, 9)  # the publicity runs 7–13 April


def _in_publicity(officer: Any, county: Any, household: Any) -> Any:
    application = accepted_case(officer=officer, household=household)
    with at(dt.date(2026, 4, 2)):
        services.home_visit_record(
            actor=officer,
            application=application,
            visited_on=dt.date(2026, 4, 2),
            staff=["王建华", "李秀英"],
            findings="家中两人，无劳动能力。",
        )
        check = services.data_check_request(actor=officer, application=application)
        services.data_check_answer(actor=county, data_check=check, answer="未发现不一致。")
    application.refresh_from_db()
    with at(dt.date(2026, 4, 3)):
        services.township_review(actor=officer, application=application, opinion="符合条件。")
    application.refresh_from_db()
    with at(dt.date(2026, 4, 7)):
        services.publicity_start(
            actor=officer, application=application, starts_on=dt.date(2026, 4, 7)
        )
    application.refresh_from_db()
    return application


@pytest.fixture
def cases(make_household: Any, jinshui_officer: Any, county_officer: Any) -> dict[str, Any]:
    def household(name: str, **extra: Any) -> Any:
        return make_household(
            jinshui_officer,
            head_name=name,
            wages=Decimal("300.00"),
            phone=PHONE,
            address=ADDRESS,
            **extra,
        )

    county = jinshui_officer.scope_region.code[:6]
    minor = make_household(
        jinshui_officer,
        phone=PHONE,
        address=ADDRESS,
        members=[
            MemberInput(
                id_number=new_id_number(county, born=dt.date(2012, 5, 1)),
                name="王小花",
                relation="02",
                incomes=[IncomeInput(kind="transfer", monthly_amount=Decimal("100.00"))],
            )
        ],
    )
    found = {
        "shown": _in_publicity(jinshui_officer, county_officer, household("公示甲")),
        "minor": _in_publicity(jinshui_officer, county_officer, minor),
        "accepted": accepted_case(officer=jinshui_officer, household=household("受理乙")),
        "confirmed": decided_case(
            officer=jinshui_officer, county=county_officer, household=household("确认丙")
        ),
    }
    return found


def _board(client: Client, code: str, day: dt.date = DURING) -> str:
    with at(day):
        response = client.get(reverse("public:notices"), {"region": code})
    assert response.status_code == 200
    return response.content.decode()


def test_the_board_shows_the_cases_in_publicity_and_nothing_private(
    client: Client, cases: dict[str, Any]
) -> None:
    shown = cases["shown"]
    township = shown.region_id[:9] + "000"
    text = _board(client, township)

    assert "公示甲" in text and shown.applicant.id_number_masked in text
    assert "2026-04-07 至 2026-04-13" in text and shown.region.name in text
    # the minor: 未成年人, only the region digits of the masked ID
    assert "王小花" not in text and "未成年人" in text
    assert cases["minor"].applicant.id_number_masked not in text
    # not in publicity: accepted only; confirmed later (on the 20th, not yet on the 9th)
    assert "受理乙" not in text and "确认丙" not in text
    # nothing private: no full ID, no telephone, no street address
    assert FULL_ID.search(text) is None
    for case in cases.values():
        assert decrypt_id_number(case.applicant.id_number_encrypted) not in text
    assert PHONE not in text and ADDRESS not in text
    # the same from the village's own board
    assert "公示甲" in _board(client, shown.region_id)


def test_confirmed_households_stay_on_the_board_for_the_configured_days(
    client: Client, cases: dict[str, Any], settings: Any
) -> None:
    confirmed = cases["confirmed"]
    township = confirmed.region_id[:9] + "000"
    after = _board(client, township, dt.date(2026, 4, 21))
    assert "确认丙" in after and confirmed.applicant.id_number_masked in after
    # the publicity of 7–13 April is over, its case is not listed as in publicity
    assert "公示甲" not in after.split('id="confirmed"')[0]
    settings.OVERSIGHT_PUBLIC_CONFIRMED_DAYS = 30
    assert "确认丙" not in _board(client, township, dt.date(2026, 5, 25))


def test_an_objection_is_recorded_against_the_case_and_registered_by_the_township(
    client: Client, cases: dict[str, Any], jinshui_officer: Any
) -> None:
    shown = cases["shown"]
    publicity = Publicity.objects.get(application=shown)
    with at(DURING):
        answer = client.post(
            reverse("public:notice_objection"),
            {"publicity": publicity.pk, "content": "该户有一辆货车在跑运输。", "contact_phone": ""},
        )
    text = answer.content.decode()
    assert answer.status_code == 200
    filed = PublicObjection.objects.get()
    assert filed.application == shown and filed.status == "received"
    assert filed.number in text
    # nothing of the case comes back
    assert "公示甲" not in text and shown.applicant.id_number_masked not in text

    # the township sees it in its queue and registers it: the case's objection, reinvestigation
    staff = Client()
    staff.force_login(jinshui_officer)
    queue = staff.get(reverse("oversight:public_objections")).content.decode()
    assert filed.number in queue and "该户有一辆货车" in queue
    with at(DURING):
        staff.post(reverse("oversight:public_objections"), {"pk": filed.pk, "action": "register"})
    filed.refresh_from_db()
    shown.refresh_from_db()
    objection = Objection.objects.get(application=shown)
    assert filed.status == "registered" and filed.objection == objection
    assert objection.received_on == DURING and shown.status == "investigating"


def test_objections_to_a_case_not_in_publicity_are_refused_alike(
    client: Client, cases: dict[str, Any]
) -> None:
    closed = Publicity.objects.get(application=cases["shown"])
    with at(dt.date(2026, 4, 20)):  # after the last day
        late = client.post(
            reverse("public:notice_objection"), {"publicity": closed.pk, "content": "有异议"}
        )
        unknown = client.post(
            reverse("public:notice_objection"), {"publicity": 999999, "content": "有异议"}
        )
    assert late.status_code == unknown.status_code == 400
    assert late.content.decode().count("不在公示期内") == 1
    assert PublicObjection.objects.count() == 0


def test_another_townships_staff_cannot_register_it(
    client: Client, cases: dict[str, Any], zhongyuan_officer: Any
) -> None:
    publicity = Publicity.objects.get(application=cases["shown"])
    with at(DURING):
        client.post(
            reverse("public:notice_objection"), {"publicity": publicity.pk, "content": "有异议"}
        )
    filed = PublicObjection.objects.get()
    client.force_login(zhongyuan_officer)
    assert filed.number not in client.get(reverse("oversight:public_objections")).content.decode()
    response = client.post(
        reverse("oversight:public_objections"), {"pk": filed.pk, "action": "register"}
    )
    assert response.status_code == 404
    filed.refresh_from_db()
    assert filed.status == "received"


def test_the_board_reads_are_rate_limited_and_unknown_regions_explained(
    client: Client, settings: Any
) -> None:
    settings.OVERSIGHT_PUBLIC_LIMIT_PER_HOUR = 1  # 12 reads an hour
    for _ in range(12):
        assert client.get(reverse("public:notices"), {"region": "110101001000"}).status_code == 200
    assert client.get(reverse("public:notices"), {"region": "110101001000"}).status_code == 429
    assert client.get(reverse("public:notices")).status_code == 200  # the picker itself


def test_the_board_page_reads_in_chinese_without_login(client: Client) -> None:
    from tests.test_pages_in_chinese import problems_of

    response = client.get(reverse("public:notices"))
    assert response.status_code == 200
    assert problems_of(response.content.decode()) == []
