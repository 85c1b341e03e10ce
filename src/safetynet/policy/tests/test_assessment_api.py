"""GET /api/assessment/{id} and POST /api/classify: scope, capability, masking, errors by path."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from conftest import new_id_number
from safetynet.audit.models import AuditRecord
from safetynet.policy.tests.assessment_fixtures import jinshui_standards
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.inputs import IncomeInput, MemberInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jinshui_standards")]
__all__ = ["jinshui_standards"]  # the fixture, imported to be found by pytest

HEAD_ID = "410225195001010014"
CHILD_ID = "410225201501010027"


def session(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def household(jinshui_officer: Any, make_household: Any) -> Any:
    return make_household(
        jinshui_officer,
        residence="urban",
        members=[
            MemberInput(
                id_number=new_id_number(born=dt.date(1980, 5, 1)),
                name="王大",
                relation="02",
                incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("1500.00"))],
            ),
            MemberInput(
                id_number=new_id_number(born=dt.date(1982, 7, 1)), name="赵二", relation="10"
            ),
        ],
    )


def body(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": "410105",
        "date": "2026-06-30",
        "residence": "urban",
        "members": [
            {"id_number": HEAD_ID, "relation": "02", "income": {"wages": 700}},
            {"id_number": CHILD_ID, "relation": "20"},
        ],
        "supporters": [{"able_to_support": True}],
    }
    data.update(changes)
    return data


def post(client: Client, data: Any) -> Any:
    return client.post("/api/classify", data=json.dumps(data), content_type="application/json")


def test_assessment_endpoint_answers_with_masked_members(
    client: Client, jinshui_officer: Any, household: Any
) -> None:
    response = session(client, jinshui_officer).get(
        f"/api/assessment/{household.pk}", {"on": "2026-06-30"}
    )
    data = response.json()
    head = household.head
    assert response.status_code == 200
    assert (data["category"], data["recorded_category"], data["on"]) == (
        "near_dibao",
        "none",
        "2026-06-30",
    )
    assert data["members"][0]["id_number"] == head.id_number_masked
    assert data["members"][0]["name"] == "王大"
    assert decrypt_id_number(head.id_number_encrypted) not in response.content.decode()
    near = next(r for r in data["reasons"] if r["code"] == "near_dibao_income")
    assert near["text"] == "家庭月人均收入 750.00 元 < 低保边缘标准（1.5 倍城市低保标准） 840.00 元"
    assert {w["code"] for w in data["what_if"]} >= {"dibao_income", "near_dibao_income"}


def test_assessment_endpoint_is_audited(
    client: Client, jinshui_officer: Any, household: Any
) -> None:
    session(client, jinshui_officer).get(f"/api/assessment/{household.pk}")
    record = AuditRecord.objects.get(summary="查看救助类别评估")
    assert (record.object_id, record.channel) == (str(household.pk), "api")


def test_assessment_endpoint_is_404_outside_the_scope(
    client: Client, zhongyuan_officer: Any, household: Any
) -> None:
    response = session(client, zhongyuan_officer).get(f"/api/assessment/{household.pk}")
    assert response.status_code == 404
    assert "王大" not in response.content.decode()


def test_assessment_endpoint_needs_the_capability(
    client: Client, village_assistant: Any, household: Any
) -> None:
    assert (
        session(client, village_assistant).get(f"/api/assessment/{household.pk}").status_code == 403
    )


def test_classify_endpoint_returns_the_command_json_with_masked_ids(
    client: Client, jinshui_officer: Any
) -> None:
    response = post(session(client, jinshui_officer), body())
    data = response.json()
    assert response.status_code == 200
    assert data["category"] == "dibao"
    assert data["members"] == [
        {"id_number": "410***********0014", "category": "dibao"},
        {"id_number": "410***********0027", "category": "dibao"},
    ]
    assert HEAD_ID not in response.content.decode()


def test_classify_endpoint_lists_every_problem_by_path(
    client: Client, jinshui_officer: Any
) -> None:
    data = body(residence="city")
    data["members"][1]["income"] = {"wages": "-3"}
    response = post(session(client, jinshui_officer), data)
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert [(e["field"], e["member"], e["reason"]) for e in errors] == [
        ("residence", None, "“city”不是可选值（可选：urban、rural）"),
        ("members[1].income.wages", 1, "不能为负数（-3）"),
    ]


def test_classify_endpoint_without_standards_is_400(client: Client, jinshui_officer: Any) -> None:
    response = post(session(client, jinshui_officer), body(date="2017-06-30"))
    assert response.status_code == 400
    assert "standards.dibao_monthly" in response.json()["detail"]


def test_classify_endpoint_requires_authentication(client: Client) -> None:
    assert post(client, body()).status_code == 401
