"""Handling by staff: a declaration's visit and outcome, a tip-off from intake to closing,
recoveries with repayments and the credit mark, figures per county, the notice board and the
county's settings."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from conftest import ZHONGYUAN, first_below, make_user, new_id_number
from safetynet.accounts.permissions import PermissionDenied
from safetynet.accounts.roles import Role
from safetynet.determination.models import Application
from safetynet.determination.tests.notice_cases import decided_case
from safetynet.oversight import selectors, services
from safetynet.oversight.common import OversightError, settings_for
from safetynet.oversight.models import (
    DeclarationStatus,
    RecoveryStatus,
    TipOffChannel,
    TipOffStatus,
)
from safetynet.regions.models import Level, Region
from safetynet.registry.identity import decrypt_id_number

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 12, 7)


def _village(user: Any) -> str:
    return first_below(user.scope_region.code, Level.VILLAGE).code


def _declaration(village: str, id_number: str) -> Any:
    return services.declaration_file(
        name="王困难",
        id_number=id_number,
        region_code=village,
        phone="13800000000",
        account="家中变故",
        consent=True,
    )


def _recovery(actor: Any, household: Any, amount: str, **extra: Any) -> Any:
    fields: dict[str, Any] = {
        "source": "review",
        "reason": "fraud",
        "period_from": dt.date(2025, 1, 1),
        "period_to": dt.date(2025, 12, 31),
        "amount": Decimal(amount),
        "decision_number": f"追字〔2026〕{amount}号",
        "decided_on": dt.date(2026, 11, 1),
        "facts": "隐瞒经营收入。",
        "officer_finding": "no_fault",
        **extra,
    }
    return services.recovery_decide(actor=actor, household=household, **fields)


# --- declarations -------------------------------------------------------------------------------


def test_a_declaration_is_in_its_townships_queue_and_not_in_another(
    jinshui_officer: Any, zhongyuan_officer: Any
) -> None:
    declaration = _declaration(_village(jinshui_officer), new_id_number())

    assert list(selectors.declaration_list(user=jinshui_officer)) == [declaration]
    assert list(selectors.declaration_list(user=zhongyuan_officer)) == []


def test_a_visit_finding_hardship_opens_an_application_for_the_registered_household(
    jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    number = decrypt_id_number(household.head.id_number_encrypted)
    declaration = _declaration(household.region_id, number)

    visited = services.declaration_visit(
        actor=jinshui_officer,
        declaration=declaration,
        visited_on=declaration.received_on,
        staff="张干部",
        finding="hardship",
        note="确有困难",
        application_type="dibao",
    )

    assert visited.status == DeclarationStatus.VISITED
    application = Application.objects.get(pk=visited.application_id)
    assert application.household_id == household.pk


def test_an_application_needs_the_household_registered_first(jinshui_officer: Any) -> None:
    declaration = _declaration(_village(jinshui_officer), new_id_number())

    with pytest.raises(OversightError, match="尚未登记家庭档案"):
        services.declaration_visit(
            actor=jinshui_officer,
            declaration=declaration,
            visited_on=declaration.received_on,
            staff="张干部",
            finding="hardship",
            note="确有困难",
            application_type="dibao",
        )


def test_the_declaration_page_shows_the_registry_match_to_staff(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="在册户主")
    declaration = _declaration(
        household.region_id, decrypt_id_number(household.head.id_number_encrypted)
    )
    client.force_login(jinshui_officer)

    response = client.get(reverse("oversight:declaration_detail", args=[declaration.pk]))

    assert "在册户主户" in response.content.decode()


# --- tip-offs -----------------------------------------------------------------------------------


def test_a_tip_off_taken_by_telephone_goes_to_the_township_and_closes_on_a_household(
    county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    tipoff = services.tipoff_file(
        actor=county_officer,
        channel=TipOffChannel.PHONE,
        matter="fraud",
        region_code=household.region_id,
        content="有车仍领低保",
    )
    tipoff = services.tipoff_assign(actor=county_officer, tipoff=tipoff)
    assert list(selectors.tipoff_list(user=jinshui_officer)) == [tipoff]

    closed = services.tipoff_close(
        actor=jinshui_officer,
        tipoff=tipoff,
        finding="substantiated",
        investigation="属实",
        household=household,
    )

    assert closed.status == TipOffStatus.CLOSED
    assert closed.household_id == household.pk
    assert [t.status_to for t in selectors.transitions_of(closed)] == [
        "received",
        "assigned",
        "closed",
    ]


def test_a_tip_off_cannot_be_closed_on_another_districts_household(
    jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any
) -> None:
    foreign = make_household(zhongyuan_officer)
    tipoff = services.tipoff_file(
        matter="fraud", region_code=_village(jinshui_officer), content="内容"
    )

    with pytest.raises(OversightError):
        services.tipoff_close(
            actor=jinshui_officer,
            tipoff=tipoff,
            finding="substantiated",
            investigation="属实",
            household=foreign,
        )


def test_staff_cannot_take_a_tip_off_outside_their_scope(jinshui_officer: Any) -> None:
    with pytest.raises(OversightError, match="管辖范围"):
        services.tipoff_file(
            actor=jinshui_officer,
            channel=TipOffChannel.PHONE,
            matter="fraud",
            region_code=first_below(ZHONGYUAN, Level.VILLAGE).code,
            content="内容",
        )


# --- recoveries ---------------------------------------------------------------------------------


def test_a_fraud_recovery_cites_article_68_and_marks_the_credit_for_three_years(
    county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)

    recovery = _recovery(county_officer, household, "1200.00")

    assert recovery.legal_basis == "《社会救助暂行办法》第六十八条"
    assert recovery.credit_mark and recovery.credit_until == dt.date(2029, 11, 1)
    assert selectors.household_credit(household=household, today=TODAY).marks == [recovery]


def test_paid_after_eligibility_ended_marks_no_credit_and_records_the_objective_error(
    county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)

    recovery = _recovery(
        county_officer,
        household,
        "300.00",
        reason="paid_after_end",
        officer_finding="objective",
        officer_note="部门数据延迟一个月推送，发现后当月停发。",
    )

    assert not recovery.credit_mark
    assert recovery.get_officer_finding_display().endswith("依法免于问责")
    assert selectors.household_credit(household=household).marks == []


def test_repayments_move_the_status_and_never_exceed_the_balance(
    county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    recovery = _recovery(county_officer, make_household(jinshui_officer), "1000.00")
    services.repayment_record(
        actor=county_officer, recovery=recovery, paid_on=TODAY, amount=Decimal("400.00")
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.PARTLY

    with pytest.raises(OversightError, match=r"超过未退回余额 600\.00"):
        services.repayment_record(
            actor=county_officer, recovery=recovery, paid_on=TODAY, amount=Decimal("600.01")
        )
    services.repayment_record(
        actor=county_officer, recovery=recovery, paid_on=TODAY, amount=Decimal("600.00")
    )
    recovery.refresh_from_db()
    assert recovery.status == RecoveryStatus.REPAID and recovery.balance == 0


def test_a_township_officer_cannot_decide_a_recovery(
    jinshui_officer: Any, make_household: Any
) -> None:
    with pytest.raises(PermissionDenied):
        _recovery(jinshui_officer, make_household(jinshui_officer), "100.00")


def test_recovery_totals_per_county_are_right_and_scoped(
    county_officer: Any,
    jinshui_officer: Any,
    zhongyuan_officer: Any,
    supervisor: Any,
    make_household: Any,
) -> None:
    zhongyuan_county = make_user(
        "zy_county", Role.COUNTY_OFFICER, Region.objects.get(code=ZHONGYUAN)
    )
    first = _recovery(county_officer, make_household(jinshui_officer), "1000.00")
    _recovery(county_officer, make_household(jinshui_officer), "250.50")
    _recovery(zhongyuan_county, make_household(zhongyuan_officer), "80.00")
    services.repayment_record(
        actor=county_officer, recovery=first, paid_on=TODAY, amount=Decimal("100.00")
    )
    services.tipoff_file(matter="fraud", region_code=_village(zhongyuan_officer), content="x")

    province = {r.county_code: r for r in selectors.county_figures(user=supervisor)}
    own = selectors.county_figures(user=county_officer)

    assert province["410105000000"].recovery_amount == Decimal("1250.50")
    assert province["410105000000"].recovery_repaid == Decimal("100.00")
    assert province["410105000000"].recovery_balance == Decimal("1150.50")
    assert province["410105000000"].recoveries == 2
    assert province["410102000000"].recovery_amount == Decimal("80.00")
    assert province["410102000000"].tipoffs == 1
    assert [r.county_code for r in own] == ["410105000000"]


def test_the_credit_mark_shows_on_the_household_page_and_the_next_application(
    client: Client, county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    recovery = _recovery(county_officer, household, "500.00")
    application = decided_case(officer=jinshui_officer, county=county_officer, household=household)
    client.force_login(jinshui_officer)

    household_page = client.get(reverse("registry:detail", args=[household.pk])).content.decode()
    case_page = client.get(reverse("determination:case", args=[application.pk])).content.decode()

    for page in (household_page, case_page):
        assert 'id="credit-panel"' in page
        assert recovery.decision_number in page


# --- notice board and settings ------------------------------------------------------------------


def test_the_notice_board_lists_the_proposed_households_masked_with_the_tipoff_line(
    client: Client, county_officer: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, head_name="公示户主")
    decided_case(officer=jinshui_officer, county=county_officer, household=household)
    client.force_login(jinshui_officer)

    response = client.get(
        reverse("oversight:board"),
        {
            "township": jinshui_officer.scope_region_id,
            "starts_from": "2026-04-01",
            "starts_to": "2026-04-30",
        },
    )

    text = response.content.decode()
    assert "公示户主" in text and household.head.id_number_masked in text
    assert decrypt_id_number(household.head.id_number_encrypted) not in text
    assert 'id="board-phone">12345<' in text


def test_a_county_sets_its_tipoff_line_and_the_public_answer_shows_it(
    client: Client, county_officer: Any
) -> None:
    services.settings_save(
        actor=county_officer,
        region=county_officer.scope_region,
        effective_from=dt.date(2026, 1, 1),
        tipoff_phone="0371-66660000",
        declaration_visit_days=None,
        tipoff_days=5,
    )
    village = first_below("410105000000", Level.VILLAGE).code

    current = settings_for(village)
    response = client.post(
        reverse("public:tipoff"),
        {"matter": "other", "region_code": village, "content": "内容"},
    )

    assert current.tipoff_phone == "0371-66660000" and current.tipoff_days == 5
    assert current.declaration_visit_days == 10 and not current.is_example
    assert "0371-66660000" in response.content.decode()
    assert settings_for(first_below(ZHONGYUAN, Level.VILLAGE).code).is_example


@pytest.mark.parametrize("name", ["oversight:declaration_list", "oversight:tipoff_list"])
def test_the_queues_read_in_a_fixed_number_of_queries_and_name_the_village(
    client: Client, jinshui_officer: Any, name: str
) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    village = _village(jinshui_officer)
    client.force_login(jinshui_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(reverse(name))
        assert Region.objects.get(code=village).name in response.content.decode()
        return len(captured)

    _declaration(village, new_id_number())
    services.tipoff_file(matter="fraud", region_code=village, content="x")
    queries()  # the first request of the day also runs the session and daily-job checks
    one = queries()
    for _ in range(3):
        _declaration(village, new_id_number())
        services.tipoff_file(matter="fraud", region_code=village, content="x")

    assert queries() == one


def test_the_workbench_counts_declarations_awaiting_a_visit_and_open_tipoffs(
    client: Client, jinshui_officer: Any
) -> None:
    village = _village(jinshui_officer)
    _declaration(village, new_id_number())
    services.tipoff_file(matter="fraud", region_code=village, content="x")
    client.force_login(jinshui_officer)

    response = client.get(reverse("web:home"))

    assert response.context["oversight"] == selectors.Waiting(
        declarations=1, declarations_overdue=0, tipoffs_open=1
    )
