"""The monthly payment roll: amounts from decisions, reviews and terminations, totals that
reconcile with the month before, the Excel roll and the bank file."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from safetynet.assistance.payments import roll as rolls
from safetynet.determination.models import Decision, ReviewSchedule, Termination, TerminationStatus
from safetynet.determination.tests.notice_cases import decided_case
from safetynet.jobs.tests.exporting import exported_file
from safetynet.regions.models import Region

pytestmark = pytest.mark.django_db

MAY, JUNE, JULY = dt.date(2026, 5, 1), dt.date(2026, 6, 1), dt.date(2026, 7, 1)


@pytest.fixture
def county(county_officer: Any) -> Region:
    return Region.objects.get(code=county_officer.scope_region_id)


@pytest.fixture
def three(jinshui_officer: Any, county_officer: Any, make_household: Any) -> list[Any]:
    """A: decided 600 from May; B: 400, a review makes it 450 from June; C: 300, terminated from
    June. All decided through the determination services (start month: May)."""
    households = []
    for name, amount in (("甲", "600.00"), ("乙", "400.00"), ("丙", "300.00")):
        household = make_household(jinshui_officer, head_name=f"发放{name}")
        case = decided_case(officer=jinshui_officer, county=county_officer, household=household)
        Decision.objects.filter(application=case).update(monthly_amount=Decimal(amount))
        households.append(household)
    _a, b, c = households
    ReviewSchedule.objects.create(
        household=b,
        region_id=b.region_id,
        kind="annual_review",
        category="dibao",
        due_on=JUNE,
        done_on=dt.date(2026, 5, 20),
        outcome="change",
        monthly_amount=Decimal("450.00"),
        changes_from=JUNE,
    )
    Termination.objects.create(
        household=c,
        region_id=c.region_id,
        category="dibao",
        reason="收入超标",
        started_on=dt.date(2026, 5, 10),
        status=TerminationStatus.DONE,
        effective_from=JUNE,
    )
    return households


def test_the_roll_reconciles_month_to_month(
    county_officer: Any, county: Region, three: list[Any]
) -> None:
    a, b, c = three
    may = rolls.payment_roll(actor=county_officer, county=county, month=MAY)
    june = rolls.payment_roll(actor=county_officer, county=county, month=JUNE)
    july = rolls.payment_roll(actor=county_officer, county=county, month=JULY)

    assert {r.household_id: (r.amount, r.change) for r in may.rows} == {
        a.pk: (Decimal("600.00"), "new"),
        b.pk: (Decimal("400.00"), "new"),
        c.pk: (Decimal("300.00"), "new"),
    }
    assert {r.household_id: (r.amount, r.change) for r in june.rows} == {
        a.pk: (Decimal("600.00"), "same"),
        b.pk: (Decimal("450.00"), "changed"),
        c.pk: (Decimal("0.00"), "ended"),
    }
    assert (june.previous_total, june.new, june.ended, june.changed, june.total) == (
        Decimal("1300.00"),
        Decimal("0.00"),
        Decimal("300.00"),
        Decimal("50.00"),
        Decimal("1050.00"),
    )
    for before, after in ((may, june), (june, july)):
        assert after.reconciles
        assert after.previous_total == before.total
    assert [r.household_id for r in july.rows] == sorted([a.pk, b.pk])


def test_excel_masks_and_the_bank_file_pays_the_whole_account(
    client: Client, county_officer: Any, county: Region, three: list[Any]
) -> None:
    a = three[0]
    rolls.payment_account_set(
        actor=county_officer,
        household=a,
        payee_name="发放甲",
        bank="农村信用社",
        account="6228480012345678901",
    )
    client.force_login(county_officer)
    url = reverse("assistance:payments")

    page = client.get(url, {"county": "410105", "month": "2026-06"}).content.decode()
    workbook = exported_file(
        client, url, {"county": "410105", "month": "2026-06", "format": "xlsx"}
    )
    bank = exported_file(client, url, {"county": "410105", "month": "2026-06", "format": "bank"})

    assert "已平衡" in page and "6228***********8901" in page
    cells = [
        str(c)
        for row in load_workbook(io.BytesIO(workbook)).worksheets[0].iter_rows(values_only=True)
        for c in row
    ]
    assert "6228***********8901" in cells and "6228480012345678901" not in cells
    text = bank.decode("gbk")
    assert "6228480012345678901,600.00" in text
    assert "发放丙" not in text  # ended this month


def test_another_county_cannot_have_the_roll(
    client: Client, zhongyuan_officer: Any, three: list[Any]
) -> None:
    from conftest import ZHONGYUAN, make_user
    from safetynet.accounts.roles import Role

    client.force_login(
        make_user("zy_county", Role.COUNTY_OFFICER, Region.objects.get(code=ZHONGYUAN))
    )

    response = client.get(reverse("assistance:payments"), {"county": "410105", "month": "2026-06"})

    assert response.status_code == 404


def test_the_timeline_shows_the_amounts_and_their_end(
    county_officer: Any, three: list[Any]
) -> None:
    from safetynet.assistance.selectors import household_timeline

    b, c = three[1], three[2]
    texts_b = [e.text for e in household_timeline(user=county_officer, household=b)]
    texts_c = [e.text for e in household_timeline(user=county_officer, household=c)]

    assert "月救助金 450.00 元（2026年06月起）" in texts_b
    assert "停发月救助金（2026年06月起）" in texts_c


def test_issuing_the_roll_stores_what_is_paid_once(
    client: Client,
    county_officer: Any,
    jinshui_officer: Any,
    county: Region,
    three: list[Any],
    django_capture_on_commit_callbacks: Any,
) -> None:
    from safetynet.accounts.permissions import PermissionDenied
    from safetynet.assistance.models import PaidLine, PaidRoll
    from safetynet.audit.models import AuditRecord

    a, b, _c = three
    client.force_login(county_officer)
    url = reverse("assistance:payments")
    before = client.get(url, {"county": "410105", "month": "2026-06"}).content.decode()
    assert 'id="roll-not-issued"' in before and 'id="issue-roll"' in before

    with django_capture_on_commit_callbacks(execute=True):
        answer = client.post(
            reverse("assistance:payments_issue") + "?county=410105&month=2026-06", follow=True
        )

    issued = PaidRoll.objects.get(county_code=county.code, month=JUNE)
    assert (issued.households, issued.total, issued.previous_total) == (
        2,
        Decimal("1050.00"),
        Decimal("1300.00"),
    )
    lines = {line.household_id: line.amount for line in PaidLine.objects.filter(roll=issued)}
    assert lines == {a.pk: Decimal("600.00"), b.pk: Decimal("450.00")}  # the ended one: none
    assert 'id="roll-issued"' in answer.content.decode()
    assert AuditRecord.objects.filter(object_type="assistance.PaidRoll", action="create").exists()
    # once per county and month; a township officer may not; a month not begun is refused
    with pytest.raises(ValueError, match="已经定稿"):
        rolls.roll_issue(actor=county_officer, county=county, month=JUNE)
    with pytest.raises(PermissionDenied):
        rolls.roll_issue(actor=jinshui_officer, county=county, month=JULY)
    with pytest.raises(ValueError, match="尚未开始"):
        rolls.roll_issue(actor=county_officer, county=county, month=dt.date(2099, 1, 1))
    # the statistics were rebuilt for June when the roll was stored: amounts paid are in
    from django.db.models import Sum

    from safetynet.reports.models import MonthlyRollup

    paid = MonthlyRollup.objects.filter(
        month=JUNE, level="county", region_code=county.code
    ).aggregate(amount=Sum("paid_amount"), households=Sum("paid_households"))
    assert paid == {"amount": Decimal("1050.00"), "households": 2}


def test_the_monthly_report_reconciles_the_amounts_paid_with_the_roll(
    client: Client, county_officer: Any, supervisor: Any, county: Region, three: list[Any]
) -> None:
    """The statistical report's amounts paid of a county are its issued roll's total; a month
    without an issued roll says 未定稿 instead of a silent zero — on the report, its Excel and
    the dashboard at every level."""
    from safetynet.reports import monthly
    from safetynet.reports.rollups import refresh_month

    issued = rolls.roll_issue(actor=county_officer, county=county, month=JUNE)
    for month in (JUNE, JULY):
        refresh_month(month)

    june = monthly.build(
        user=supervisor, region=Region.objects.get(code="410100000000"), month=JUNE
    )
    paid = sum(table.total.total("paid_amount") for table in june.tables)
    households = sum(table.total.total("paid_households") for table in june.tables)
    assert (paid, households) == (issued.total, issued.households)
    jinshui = [line for table in june.tables for line in table.lines if line.code == county.code]
    assert sum(line.total("paid_amount") for line in jinshui) == issued.total
    assert {line.roll for line in jinshui} == {"已定稿"}
    assert "未定稿" in june.paid_note  # the city's other districts issued nothing
    sheet = load_workbook(io.BytesIO(monthly.workbook(june))).worksheets[0]
    header = [c.value for c in sheet[3]]
    assert "合计实发金额(元)" in header and header[-1] == "发放名册"

    july = monthly.build(user=county_officer, region=county, month=JULY)
    assert {table.total.roll for table in july.tables} == {"未定稿"}
    assert "本月发放名册未定稿" in july.paid_note

    client.force_login(county_officer)
    for month, shown in (("2026-06", "1050"), ("2026-07", "本月发放名册未定稿，实发数暂缺")):
        page = client.get(
            reverse("reports:dashboard"), {"region": county.code, "month": month}
        ).content.decode()
        assert "本月实发金额(元)" in page and shown in page
    drill = client.get(
        reverse("reports:drill"),
        {"figure": "paid_amount", "region": county.code, "month": "2026-06"},
    ).content.decode()
    assert 'id="drill-amount">1050.00<' in drill and "发放甲" in drill and "发放丙" not in drill
