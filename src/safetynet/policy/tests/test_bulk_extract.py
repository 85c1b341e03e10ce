"""The bulk extraction on its own (``policy.bulk.extract``): exact money, the scope, the
temporary table of household ids, and SQLite's line-per-row path. The agreement of the whole
pass with the row-by-row classifier is in test_bulk.py."""

from __future__ import annotations

import datetime as dt
import sqlite3
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection

from conftest import new_id_number
from safetynet.accounts.models import User
from safetynet.policy.bulk import SCHEMAS
from safetynet.policy.bulk.extract import extract
from safetynet.regions.models import Region
from safetynet.registry.inputs import AssetInput, ExpenditureInput, IncomeInput, MemberInput
from safetynet.registry.models import Household

D1 = dt.date(2026, 6, 30)


def _tables(user: User, region: Region) -> dict[str, Any]:
    tables, _ = extract(user=user, region=region, on=D1)
    return tables


def _rows(table: Any) -> list[dict[str, Any]]:
    return sorted(table.to_pylist(), key=lambda row: tuple(str(v) for v in row.values()))


@pytest.fixture
def household_with_cents(jinshui_officer: User, make_household: Any) -> Household:
    """Amounts whose sums binary floating point cannot hold (0.1 + 0.2)."""
    county = jinshui_officer.scope_region_id[:6]
    members = [
        MemberInput(
            id_number=new_id_number(county, born=dt.date(1970, 3, 1)),
            name="王五",
            relation="02",
            incomes=[
                IncomeInput(kind="wages", monthly_amount=Decimal("0.10")),
                IncomeInput(kind="wages", monthly_amount=Decimal("0.20"), description="兼职"),
            ],
        )
    ]
    return make_household(
        jinshui_officer,
        members=members,
        assets=[
            AssetInput(kind="deposit", value=Decimal("0.10")),
            AssetInput(kind="securities", value=Decimal("0.20")),
            AssetInput(kind="business", value=Decimal("1234567890.99")),
            AssetInput(kind="real_estate", value=Decimal("300000.00")),
            AssetInput(kind="real_estate", value=Decimal("1.01")),
            AssetInput(kind="vehicle", value=Decimal("45678.91"), for_disability=True),
        ],
        expenditures=[
            ExpenditureInput(kind="medical", amount=Decimal("0.10"), incurred_on=D1),
            ExpenditureInput(kind="medical", amount=Decimal("0.20"), incurred_on=D1),
            # Outside the 12 months up to D1.
            ExpenditureInput(
                kind="medical", amount=Decimal("5.00"), incurred_on=dt.date(2025, 6, 30)
            ),
        ],
    )


def test_money_is_summed_to_the_exact_cent(
    jinshui_officer: User, household_with_cents: Household
) -> None:
    tables = _tables(jinshui_officer, jinshui_officer.scope_region)
    hid = household_with_cents.pk

    assert [(r["kind"], r["amount"]) for r in tables["incomes"].to_pylist()] == [
        ("wages", Decimal("0.30"))
    ]
    assert tables["assets"].to_pylist() == [
        {
            "household_id": hid,
            "financial": Decimal("0.30"),
            "dwellings": 2,
            "business_capital": Decimal("1234567890.99"),
        }
    ]
    assert tables["vehicles"].to_pylist() == [
        {"household_id": hid, "value": Decimal("45678.91"), "for_disability": True}
    ]
    assert tables["expenditures"].to_pylist() == [
        {"household_id": hid, "kind": "medical", "amount": Decimal("0.30")}
    ]


def test_tables_have_the_engines_shapes(
    jinshui_officer: User, household_with_cents: Household
) -> None:
    tables = _tables(jinshui_officer, jinshui_officer.scope_region)
    assert {name: table.schema for name, table in tables.items()} == {
        name: schema for name, schema in SCHEMAS.items() if name != "standards"
    }


def test_region_without_households_gives_empty_tables_of_the_engines_shapes(
    jinshui_officer: User,
) -> None:
    tables = _tables(jinshui_officer, jinshui_officer.scope_region)
    assert all(table.num_rows == 0 for table in tables.values())
    assert tables["members"].schema == SCHEMAS["members"]


def test_nothing_outside_the_users_scope_is_extracted_even_without_the_region_check(
    jinshui_officer: User,
    zhongyuan_officer: User,
    make_household: Any,
    zhongyuan_township: Region,
) -> None:
    make_household(zhongyuan_officer)
    assert _tables(zhongyuan_officer, zhongyuan_township)["members"].num_rows == 2

    tables = _tables(jinshui_officer, zhongyuan_township)

    assert {name: table.num_rows for name, table in tables.items()} == dict.fromkeys(tables, 0)


def test_extraction_runs_twice_in_one_transaction(
    jinshui_officer: User, household_with_cents: Household
) -> None:
    # The test's transaction stays open: the temporary table of the first run must not be in
    # the way of the second.
    first = _tables(jinshui_officer, jinshui_officer.scope_region)
    second = _tables(jinshui_officer, jinshui_officer.scope_region)
    assert {n: _rows(t) for n, t in first.items()} == {n: _rows(t) for n, t in second.items()}


@pytest.mark.skipif(
    connection.vendor != "sqlite", reason="SQLite joins its lines in one string when it can"
)
def test_sqlite_text_longer_than_its_limit_comes_a_line_per_row(
    jinshui_officer: User, make_household: Any, household_with_cents: Household
) -> None:
    for _ in range(10):
        make_household(jinshui_officer)
    joined = _tables(jinshui_officer, jinshui_officer.scope_region)
    raw = connection.connection
    previous = raw.getlimit(sqlite3.SQLITE_LIMIT_LENGTH)
    # Longer than any one line (or SQLite's statement creating the temporary table), shorter
    # than the lines of all the members.
    raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, 400)
    try:
        per_row = _tables(jinshui_officer, jinshui_officer.scope_region)
    finally:
        raw.setlimit(sqlite3.SQLITE_LIMIT_LENGTH, previous)

    assert per_row["members"].num_rows == 21
    assert {n: _rows(t) for n, t in per_row.items()} == {n: _rows(t) for n, t in joined.items()}
