"""The household export carries the monthly amount of assistance in force (issue 11): the
decision's amount, replaced by a later review's change, summed over the categories held."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from openpyxl import load_workbook

from safetynet.determination.after.amounts_in_force import HEADER, monthly_amounts
from safetynet.determination.models import ReviewSchedule
from safetynet.determination.tests.notice_cases import decided_case
from safetynet.registry.models import Household
from safetynet.registry.tests.exporting import exported
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


def _rows(client: Client) -> tuple[dict[str, int], list[tuple[Any, ...]]]:
    sheet = load_workbook(io.BytesIO(exported(client, {}))).active
    rows = data_rows(sheet.iter_rows(values_only=True))
    return {name: index for index, name in enumerate(rows[0])}, rows[1:]


def _exported(household: Household) -> list[Household]:
    # The export hands its columns the chunk's households as objects with ``pk``.
    return [Household.objects.get(pk=household.pk)]


def test_the_export_shows_the_decided_amount_beside_the_income_per_head(
    client: Client, jinshui_officer: Any, county_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, wages=Decimal("300.00"))
    case = decided_case(officer=jinshui_officer, county=county_officer, household=household)
    amount = case.decision.monthly_amount
    assert amount and amount > 0
    client.force_login(jinshui_officer)

    column, rows = _rows(client)

    assert column[HEADER] == column["家庭月人均收入(元)"] + 1
    assert {row[column[HEADER]] for row in rows} == {float(amount)}


def test_a_review_that_changed_the_amount_replaces_it(
    jinshui_officer: Any, county_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer, wages=Decimal("300.00"))
    case = decided_case(officer=jinshui_officer, county=county_officer, household=household)
    # The review scheduled after the decision, recorded as a change of amount.
    ReviewSchedule.objects.filter(household=household).update(
        done_on=dt.date(2026, 10, 1),
        outcome="change",
        monthly_amount=Decimal("123.45"),
        changes_from=dt.date(2026, 11, 1),
    )
    assert monthly_amounts(_exported(household)) == {household.pk: Decimal("123.45")}
    before = monthly_amounts(_exported(household), on=dt.date(2026, 10, 31))
    assert before == {household.pk: case.decision.monthly_amount}


def test_a_household_without_assistance_has_no_amount(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer)
    client.force_login(jinshui_officer)
    column, rows = _rows(client)
    assert {row[column[HEADER]] for row in rows} == {None}
