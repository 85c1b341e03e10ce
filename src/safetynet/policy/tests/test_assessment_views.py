"""The household's 评估 page: reasons with figures and clause, the recorded category beside the
proposed one, region scope, capability and audit."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.test import Client

from conftest import new_id_number
from safetynet.audit.models import Action, AuditRecord
from safetynet.policy.models import StandardVersion
from safetynet.policy.tests.assessment_fixtures import jinshui_standards
from safetynet.registry import services
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.inputs import IncomeInput, MemberInput

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("jinshui_standards")]
__all__ = ["jinshui_standards"]  # the fixture, imported to be found by pytest

TODAY = dt.datetime(2026, 6, 30, 10, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def _today() -> Any:
    with time_machine.travel(TODAY, tick=False):
        yield


@pytest.fixture
def officer(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


@pytest.fixture
def household(jinshui_officer: Any, make_household: Any) -> Any:
    """Two members, 700 yuan a month together: 350 per head, below an urban 560."""
    return make_household(
        jinshui_officer,
        residence="urban",
        members=[
            MemberInput(
                id_number=new_id_number(born=dt.date(1980, 5, 1)),
                name="王大",
                relation="02",
                incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("700.00"))],
            ),
            MemberInput(
                id_number=new_id_number(born=dt.date(1982, 7, 1), male=False),
                name="赵二",
                relation="10",
            ),
        ],
    )


def page(client: Client, household: Any, **params: Any) -> Any:
    return client.get(f"/policy/assessment/{household.pk}/", params)


def test_page_shows_the_proposed_category_and_every_reason(officer: Client, household: Any) -> None:
    response = page(officer, household)
    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["a"].proposed == "dibao"
    assert 'data-category="dibao"' in body
    assert "家庭月人均收入 350.00 元 &lt; 城市低保标准 560.00 元" in body
    assert "二(一)1" in body
    assert "✗ 不符合" in body  # e.g. expenditure share: every test shows, met or not


def test_page_shows_members_with_masked_id_numbers_only(officer: Client, household: Any) -> None:
    body = page(officer, household).content.decode()
    head = household.head
    assert "王大" in body and head.id_number_masked in body
    assert decrypt_id_number(head.id_number_encrypted) not in body


def test_page_shows_the_recorded_category_beside_the_proposed_one(
    officer: Client, household: Any, jinshui_officer: Any
) -> None:
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="near_dibao",
        effective_from=dt.date(2026, 1, 1),
        reason="2026 年复核",
    )
    body = page(officer, household).content.decode()
    assert 'id="recorded-category" data-category="near_dibao">低保边缘<' in body
    assert "与建议类别不一致" in body


def test_page_shows_the_standards_used_with_their_source(officer: Client, household: Any) -> None:
    body = page(officer, household).content.decode()
    assert "金水区测试文件" in body
    assert "560.00" in body


def test_example_standards_are_tagged(
    officer: Client, household: Any, jinshui_standards: StandardVersion
) -> None:
    jinshui_standards.is_example = True
    jinshui_standards.save(update_fields=["is_example"])
    response = page(officer, household)
    assert response.context["a"].standards.is_example
    assert '<span class="tag watch">示例</span>' in response.content.decode()


def test_page_shows_what_if(officer: Client, household: Any) -> None:
    body = page(officer, household).content.decode()
    assert "家庭月收入增加 420.00 元及以上（达到 1120.00 元，即人均 560.00 元）" in body


def test_on_parameter_assesses_another_date(officer: Client, household: Any) -> None:
    # Before the county version took effect, the shipped provincial standards apply.
    response = page(officer, household, on="2025-12-31")
    assert response.context["a"].on == dt.date(2025, 12, 31)
    assert "金水区测试文件" not in response.content.decode()


def test_invalid_on_parameter_falls_back_to_today_with_a_message(
    officer: Client, household: Any
) -> None:
    response = page(officer, household, on="2026-02-30")
    assert response.context["a"].on == dt.date(2026, 6, 30)
    assert "评估日期“2026-02-30”无效" in response.content.decode()


def test_date_without_standards_says_so(officer: Client, household: Any) -> None:
    response = page(officer, household, on="2017-06-30")
    assert response.status_code == 200
    assert response.context["a"].classification is None
    assert 'id="standards-error"' in response.content.decode()


def test_household_of_another_township_is_404(
    client: Client, zhongyuan_officer: Any, household: Any
) -> None:
    client.force_login(zhongyuan_officer)
    response = page(client, household)
    assert response.status_code == 404
    assert "王大" not in response.content.decode()


def test_user_without_the_capability_is_refused(
    client: Client, village_assistant: Any, household: Any
) -> None:
    client.force_login(village_assistant)
    assert page(client, household).status_code == 403


def test_viewing_the_assessment_is_audited(
    officer: Client, household: Any, jinshui_officer: Any
) -> None:
    page(officer, household)
    record = AuditRecord.objects.filter(action=Action.VIEW, summary="查看救助类别评估").get()
    assert (record.actor, record.object_id, record.region_code) == (
        jinshui_officer,
        str(household.pk),
        household.region_id,
    )
    assert record.detail == {"on": "2026-06-30", "proposed": "dibao", "recorded": "none"}


def test_refused_access_is_not_audited_as_a_view(
    client: Client, zhongyuan_officer: Any, household: Any
) -> None:
    client.force_login(zhongyuan_officer)
    page(client, household)
    assert not AuditRecord.objects.filter(summary="查看救助类别评估").exists()


def test_household_page_has_an_assessment_button_for_those_who_may_assess(
    officer: Client, household: Any
) -> None:
    body = officer.get(f"/households/{household.pk}/").content.decode()
    assert f'href="/policy/assessment/{household.pk}/">评估</a>' in body


def test_household_page_has_no_assessment_button_for_a_village_assistant(
    client: Client, village_assistant: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    client.force_login(village_assistant)
    body = client.get(f"/households/{household.pk}/").content.decode()
    assert "/policy/assessment/" not in body


def test_page_runs_a_fixed_number_of_queries(
    officer: Client, household: Any, jinshui_officer: Any, django_assert_max_num_queries: Any
) -> None:
    for index in range(4):
        services.member_add(
            actor=jinshui_officer,
            household=household,
            member=MemberInput(id_number=new_id_number(), name=f"成员{index}", relation="30"),
        )
    # 22: a fixed set (the page's reads and its audit record, which also chains any reads left
    # pending by a busy chain), whatever the number of members.
    with django_assert_max_num_queries(22):
        assert page(officer, household).status_code == 200


# --- the what-if (试算): typed figures change the proposal, nothing is saved -------------------


def test_trying_a_higher_wage_changes_the_proposal_without_saving(
    officer: Client, household: Any
) -> None:
    """Issue 11: the officer types a member's income and sees the proposal change."""
    from safetynet.registry.models import Income

    response = page(officer, household, **{"try": "1", "member": "0", "wages": "3000"})
    tried = response.context["tried"]
    assert tried.before == "dibao" and tried.proposed == "none"
    body = response.content.decode()
    assert 'id="tried-category" data-category="none"' in body
    assert "王大月工资性收入 700.00 → 3000.00 元" in body
    assert "变为不符合" in body
    # The registry is untouched and the page itself still proposes dibao.
    assert Income.objects.get(person=household.head).monthly_amount == Decimal("700.00")
    assert response.context["a"].proposed == "dibao"


def test_trying_an_asset_or_an_expense(officer: Client, household: Any) -> None:
    vehicle = page(officer, household, **{"try": "1", "vehicle": "300000"}).context["tried"]
    assert vehicle.proposed != "dibao"
    assert "新增一辆价值 300000.00 元的机动车" in vehicle.changes
    financial = page(officer, household, **{"try": "1", "financial": "10000000"}).context["tried"]
    assert financial.proposed != "dibao"
    expense = page(
        officer, household, **{"try": "1", "expense_kind": "medical", "expense": "5000"}
    ).context["tried"]
    assert expense.changes == ["近 12 个月医疗支出增加 5000.00 元"]


def test_an_expense_without_its_kind_is_asked_for(officer: Client, household: Any) -> None:
    response = page(officer, household, **{"try": "1", "expense": "5000"})
    assert response.context["tried"] is None
    assert "请选择支出类别" in response.content.decode()
