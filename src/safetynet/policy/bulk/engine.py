"""The engine of the set-based classification: input tables of fixed Arrow shapes, ADR 0005 in
SQL, and the embedded DuckDB that runs it (ADR 0007).

Exactness: money enters the SQL as DECIMAL(18,2) and is turned into integer cents; ratios of
the standards (multipliers, months, shares) enter as integers scaled by 10⁶. Every comparison
is a cross-multiplication of such integers in DECIMAL(38,0), which overflows loudly instead of
rounding. No DOUBLE is ever involved. Nothing here touches Django's database.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any, Protocol

import duckdb
import pyarrow as pa

from safetynet.policy.classifier import NONE
from safetynet.policy.types import ExpenditureRule, HouseholdFacts, Standards
from safetynet.registry.choices import COUNTED_INCOME_KINDS

CHUNK = 5000
MONEY = pa.decimal128(18, 2)
# Ratios of the standards are carried as integers scaled by this factor (the model keeps three
# decimal places; six leave room for a configured value without ever rounding one).
RATIO_SCALE = 1_000_000


class BulkError(Exception):
    """A request the bulk classification refuses, with a Chinese message for the user."""


# --- inputs and outputs ----------------------------------------------------------

SCHEMAS: dict[str, pa.Schema] = {
    "households": pa.schema(
        [
            ("household_id", pa.int64()),
            ("region_id", pa.string()),
            ("residence", pa.string()),
            ("recorded", pa.string()),
            ("relapse_watch", pa.string()),
        ]
    ),
    # Current co-resident members only.
    "members": pa.schema(
        [
            ("household_id", pa.int64()),
            ("person_id", pa.int64()),
            ("birth_date", pa.date32()),
            ("disability_type", pa.string()),
            ("disability_grade", pa.int16()),
            ("serious_illness", pa.bool_()),
            ("in_school", pa.bool_()),
        ]
    ),
    # Monthly income summed per household, person and kind (every kind, excluded ones too).
    "incomes": pa.schema(
        [
            ("household_id", pa.int64()),
            ("person_id", pa.int64()),
            ("kind", pa.string()),
            ("amount", MONEY),
        ]
    ),
    "assets": pa.schema(
        [
            ("household_id", pa.int64()),
            ("financial", MONEY),
            ("dwellings", pa.int32()),
            ("business_capital", MONEY),
        ]
    ),
    "vehicles": pa.schema(
        [("household_id", pa.int64()), ("value", MONEY), ("for_disability", pa.bool_())]
    ),
    # Rigid expenditure of the 12 months up to the date, summed per household and kind.
    "expenditures": pa.schema(
        [("household_id", pa.int64()), ("kind", pa.string()), ("amount", MONEY)]
    ),
    # A null supported person means the duty is owed to every member.
    "supporters": pa.schema(
        [
            ("household_id", pa.int64()),
            ("supported_person_id", pa.int64()),
            ("able", pa.bool_()),
        ]
    ),
    # One row per (county, residence); money in cents, ratios scaled by RATIO_SCALE.
    "standards": pa.schema(
        [
            ("county", pa.string()),
            ("residence", pa.string()),
            ("dibao_cents", pa.int64()),
            ("near_dibao_multiplier_scaled", pa.int64()),
            ("disposable_income_annual_cents", pa.int64()),
            ("rigid_expenditure_share_scaled", pa.int64()),
            ("after_expenditure", pa.bool_()),
            ("financial_assets_months_scaled", pa.int64()),
            ("vehicle_value_limit_cents", pa.int64()),
            ("max_dwellings", pa.int32()),
            ("business_capital_limit_cents", pa.int64()),
        ]
    ),
}


@dataclass(frozen=True)
class BulkInputs:
    """The engine's input tables (shapes in ``SCHEMAS``) and the date classified."""

    on: dt.date
    tables: dict[str, pa.Table]


@dataclass(frozen=True)
class BulkOutputs:
    # household_id, region_id, residence, recorded, relapse_watch, proposed, members,
    # income_cents (I), dibao_cents (S)
    households: pa.Table
    # household_id, person_id, category
    members: pa.Table


class ClassificationEngine(Protocol):
    """Evaluates ADR 0005 over ``BulkInputs``. DuckDB is the embedded engine; the statements are
    plain SQL with CTEs so that another engine (Spark SQL) can run them with a dialect shim."""

    def run(self, inputs: BulkInputs) -> BulkOutputs: ...


def _sql_date(day: dt.date) -> str:
    return f"DATE '{day.isoformat()}'"


@dataclass(frozen=True)
class ClassificationSQL:
    """The statements of one pass: ``setup`` materialises the intermediate tables in order
    (member facts, household facts and tests, member tests, household outcome); ``households``
    and ``members`` select the outputs."""

    setup: tuple[str, ...]
    households: str
    members: str


def classification_sql(on: dt.date) -> ClassificationSQL:
    """ADR 0005 in SQL over the input tables of ``SCHEMAS`` for the date ``on``.

    ``big(x)`` casts to DECIMAL(38,0): every product of cents, counts and scaled ratios is made
    there, exact, with an overflow error rather than a rounding.
    """
    d = _sql_date(on)
    counted = ", ".join(f"'{kind}'" for kind in sorted(COUNTED_INCOME_KINDS))

    def big(expr: str) -> str:
        return f"CAST({expr} AS DECIMAL(38,0))"

    def cents(expr: str) -> str:
        return f"CAST(({expr}) * 100 AS BIGINT)"

    member_facts = f"""
CREATE OR REPLACE TEMP TABLE member_facts AS
WITH
counted AS (
    SELECT household_id, person_id, SUM(amount) AS amount
    FROM incomes WHERE kind IN ({counted})
    GROUP BY household_id, person_id
),
supported_all AS (
    SELECT DISTINCT household_id FROM supporters
    WHERE able AND supported_person_id IS NULL
),
supported_one AS (
    SELECT DISTINCT household_id, supported_person_id AS person_id FROM supporters
    WHERE able AND supported_person_id IS NOT NULL
)
SELECT m.household_id, m.person_id, m.disability_type,
    COALESCE(m.disability_grade, 0) AS disability_grade, m.serious_illness, m.in_school,
    {cents("COALESCE(c.amount, 0)")} AS own_cents,
    EXTRACT(YEAR FROM {d}) - EXTRACT(YEAR FROM m.birth_date)
        - CASE WHEN EXTRACT(MONTH FROM m.birth_date) * 100 + EXTRACT(DAY FROM m.birth_date)
                  > EXTRACT(MONTH FROM {d}) * 100 + EXTRACT(DAY FROM {d})
               THEN 1 ELSE 0 END AS age,
    (sa.household_id IS NOT NULL OR so.person_id IS NOT NULL) AS supported
FROM members m
LEFT JOIN counted c ON c.household_id = m.household_id AND c.person_id = m.person_id
LEFT JOIN supported_all sa ON sa.household_id = m.household_id
LEFT JOIN supported_one so ON so.household_id = m.household_id AND so.person_id = m.person_id
"""

    household_facts = f"""
CREATE OR REPLACE TEMP TABLE household_facts AS
WITH
totals AS (
    SELECT household_id, COUNT(*) AS n, SUM(own_cents) AS income_cents
    FROM member_facts GROUP BY household_id
),
rigid AS (
    SELECT household_id, {cents("SUM(amount)")} AS rigid_cents
    FROM expenditures GROUP BY household_id
),
base AS (
    SELECT h.household_id, h.region_id, h.residence, h.recorded, h.relapse_watch,
        s.dibao_cents, s.near_dibao_multiplier_scaled, s.disposable_income_annual_cents,
        s.rigid_expenditure_share_scaled, s.after_expenditure,
        s.financial_assets_months_scaled, s.vehicle_value_limit_cents, s.max_dwellings,
        s.business_capital_limit_cents,
        COALESCE(t.n, 0) AS n,
        COALESCE(t.income_cents, 0) AS income_cents,
        {cents("COALESCE(a.financial, 0)")} AS financial_cents,
        COALESCE(a.dwellings, 0) AS dwellings,
        {cents("COALESCE(a.business_capital, 0)")} AS business_cents,
        COALESCE(r.rigid_cents, 0) AS rigid_cents
    FROM households h
    JOIN standards s
        ON s.county = SUBSTRING(h.region_id, 1, 6) AND s.residence = h.residence
    LEFT JOIN totals t ON t.household_id = h.household_id
    LEFT JOIN assets a ON a.household_id = h.household_id
    LEFT JOIN rigid r ON r.household_id = h.household_id
),
vehicles_over AS (
    SELECT v.household_id, COUNT(*) AS over_limit
    FROM vehicles v JOIN base b ON b.household_id = v.household_id
    WHERE NOT v.for_disability AND {cents("v.value")} >= b.vehicle_value_limit_cents
    GROUP BY v.household_id
)
SELECT b.*,
    {big("b.financial_cents")} * {RATIO_SCALE}
        <= {big("b.financial_assets_months_scaled")} * {big("b.dibao_cents")} * {big("b.n")}
    AND COALESCE(vo.over_limit, 0) = 0
    AND b.dwellings <= b.max_dwellings
    AND b.business_cents <= b.business_capital_limit_cents
        AS assets_pass,
    {big("b.income_cents")} < {big("b.dibao_cents")} * {big("b.n")} AS dibao_income,
    {big("b.income_cents")} * {RATIO_SCALE}
        < {big("b.near_dibao_multiplier_scaled")} * {big("b.dibao_cents")} * {big("b.n")}
        AS near_dibao_income,
    CASE WHEN b.after_expenditure
        THEN {big("b.income_cents")} * 12 - {big("b.rigid_cents")}
            < {big("b.dibao_cents")} * 12 * {big("b.n")}
        ELSE {big("b.income_cents")} * 12
                < {big("b.disposable_income_annual_cents")} * {big("b.n")}
            AND {big("b.rigid_cents")} * {RATIO_SCALE}
                > {big("b.rigid_expenditure_share_scaled")} * {big("b.income_cents")} * 12
    END AS expenditure_met
FROM base b
LEFT JOIN vehicles_over vo ON vo.household_id = b.household_id
"""

    member_tests = """
CREATE OR REPLACE TEMP TABLE member_tests AS
SELECT mf.household_id, mf.person_id,
    (mf.age >= 60 OR mf.age < 18 OR (mf.in_school AND mf.age >= 18)
        OR (mf.disability_type IN ('intellectual', 'mental')
            AND mf.disability_grade BETWEEN 1 AND 3)
        OR (mf.disability_type = 'physical' AND mf.disability_grade BETWEEN 1 AND 2)
        OR (mf.disability_type = 'visual' AND mf.disability_grade = 1))
    AND mf.own_cents < hf.dibao_cents AND hf.assets_pass
    AND NOT mf.supported AS destitute,
    mf.disability_grade BETWEEN 1 AND 2
        OR (mf.disability_type IN ('intellectual', 'mental') AND mf.disability_grade = 3)
        OR mf.serious_illness AS individual_dibao
FROM member_facts mf JOIN household_facts hf ON hf.household_id = mf.household_id
"""

    household_outcome = f"""
CREATE OR REPLACE TEMP TABLE household_outcome AS
WITH
any_destitute AS (
    SELECT household_id, BOOL_OR(destitute) AS some_destitute
    FROM member_tests GROUP BY household_id
),
outcome AS (
    SELECT hf.*,
        COALESCE(ad.some_destitute, FALSE) AS some_destitute,
        hf.n > 0 AND hf.dibao_income AND hf.assets_pass AS is_dibao
    FROM household_facts hf LEFT JOIN any_destitute ad ON ad.household_id = hf.household_id
)
SELECT o.*,
    CASE
        WHEN o.n = 0 THEN '{NONE}'
        WHEN o.is_dibao THEN 'dibao'
        WHEN o.some_destitute THEN 'destitute'
        WHEN o.near_dibao_income AND o.assets_pass THEN 'near_dibao'
        WHEN o.expenditure_met AND o.assets_pass THEN 'expenditure_hardship'
        WHEN o.relapse_watch <> '' THEN 'other_low_income'
        ELSE '{NONE}'
    END AS proposed
FROM outcome o
"""

    households = """
SELECT household_id, region_id, residence, recorded, relapse_watch, proposed,
    CAST(n AS INTEGER) AS members, income_cents, dibao_cents
FROM household_outcome
"""
    members = f"""
SELECT mt.household_id, mt.person_id,
    CASE ho.proposed
        WHEN 'dibao' THEN CASE WHEN mt.destitute THEN 'destitute' ELSE 'dibao' END
        WHEN 'destitute' THEN CASE WHEN mt.destitute THEN 'destitute' ELSE '{NONE}' END
        WHEN 'near_dibao'
            THEN CASE WHEN mt.individual_dibao THEN 'individual_dibao' ELSE 'near_dibao' END
        ELSE ho.proposed
    END AS category
FROM member_tests mt JOIN household_outcome ho ON ho.household_id = mt.household_id
"""
    return ClassificationSQL(
        setup=(member_facts, household_facts, member_tests, household_outcome),
        households=households,
        members=members,
    )


class DuckDBEngine:
    """The embedded engine: Arrow tables registered in an in-memory DuckDB, no copy."""

    def __init__(self, *, threads: int | None = None) -> None:
        self.threads = threads

    def run(self, inputs: BulkInputs) -> BulkOutputs:
        sql = classification_sql(inputs.on)
        with duckdb.connect(":memory:") as con:
            if self.threads:
                con.execute(f"SET threads = {int(self.threads)}")
            for name, schema in SCHEMAS.items():
                table = inputs.tables[name]
                if not table.schema.equals(schema):
                    raise TypeError(f"table {name} has schema {table.schema}, expected {schema}")
                con.register(name, table)
            for statement in sql.setup:
                con.execute(statement)
            households = con.sql(sql.households).to_arrow_table()
            members = con.sql(sql.members).to_arrow_table()
        return BulkOutputs(households=households, members=members)


# --- standards as a small table ----------------------------------------------------------------


def _scaled(value: Decimal, scale: int, what: str) -> int:
    scaled = value * scale
    if scaled != scaled.to_integral_value():
        raise BulkError(f"标准数值 {what} = {value} 的小数位数过多，无法精确比较")
    return int(scaled)


def standards_row(county: str, residence: str, s: Standards) -> dict[str, Any]:
    return {
        "county": county,
        "residence": residence,
        "dibao_cents": _scaled(s.dibao_monthly, 100, "低保标准"),
        "near_dibao_multiplier_scaled": _scaled(
            s.near_dibao_multiplier, RATIO_SCALE, "低保边缘倍数"
        ),
        "disposable_income_annual_cents": _scaled(
            s.disposable_income_annual, 100, "人均可支配收入"
        ),
        "rigid_expenditure_share_scaled": _scaled(
            s.rigid_expenditure_share, RATIO_SCALE, "刚性支出比例"
        ),
        "after_expenditure": s.expenditure_rule == ExpenditureRule.AFTER_EXPENDITURE,
        "financial_assets_months_scaled": _scaled(
            s.financial_assets_months, RATIO_SCALE, "金融资产月数"
        ),
        "vehicle_value_limit_cents": _scaled(s.vehicle_value_limit, 100, "机动车价值上限"),
        "max_dwellings": int(s.max_dwellings),
        "business_capital_limit_cents": _scaled(
            s.business_capital_limit, 100, "工商登记注册资本上限"
        ),
    }


def standards_table(standards: dict[tuple[str, str], Standards]) -> pa.Table:
    rows = [standards_row(county, residence, s) for (county, residence), s in standards.items()]
    return pa.Table.from_pylist(rows, schema=SCHEMAS["standards"])


# --- building tables ---------------------------------------------------------------------------


def table_from_rows(rows: Iterable[Sequence[Any]], schema: pa.Schema) -> pa.Table:
    """Build a table from row tuples in the schema's column order, in chunks."""
    names = schema.names
    batches = []
    buffer: list[list[Any]] = [[] for _ in names]
    for count, row in enumerate(rows, 1):
        for column, value in zip(buffer, row, strict=True):
            column.append(value)
        if count % CHUNK == 0:
            batches.append(pa.record_batch(buffer, schema=schema))
            buffer = [[] for _ in names]
    batches.append(pa.record_batch(buffer, schema=schema))
    return pa.Table.from_batches(batches, schema=schema)


def tables_from_facts(
    households: Sequence[HouseholdFacts], *, standards: dict[tuple[str, str], Standards]
) -> dict[str, pa.Table]:
    """The engine's input tables for households given as ``HouseholdFacts`` (with
    ``household_id`` set). Members without a ``person_id`` are numbered here."""
    rows: dict[str, list[tuple[Any, ...]]] = {name: [] for name in SCHEMAS}
    next_person = 1 + max((m.person_id or 0 for h in households for m in h.members), default=0)
    for h in households:
        hid = h.household_id
        if hid is None:
            raise ValueError("household_id is required")
        rows["households"].append((hid, h.region_code, h.residence, NONE, h.relapse_watch))
        ids: dict[str, int] = {}
        for m in h.members:
            pid = m.person_id
            if pid is None:
                pid, next_person = next_person, next_person + 1
            ids[m.id_number] = pid
            rows["members"].append(
                (
                    hid,
                    pid,
                    m.birth_date,
                    m.disability_type,
                    m.disability_grade,
                    m.serious_illness,
                    m.in_school,
                )
            )
            for kind in ("wages", "business", "property", "transfer", "excluded"):
                amount = getattr(m.income, kind)
                if amount:
                    rows["incomes"].append((hid, pid, kind, amount))
        a = h.assets
        rows["assets"].append((hid, a.financial, a.dwellings, a.business_capital))
        for v in a.vehicles:
            rows["vehicles"].append((hid, v.value, v.for_disability))
        r = h.rigid_expenditure_12m
        for kind in ("medical", "education", "rehabilitation", "disaster"):
            amount = getattr(r, kind)
            if amount:
                rows["expenditures"].append((hid, kind, amount))
        for s in h.supporters:
            supported = ids.get(s.supported_id_number, -1) if s.supported_id_number else None
            rows["supporters"].append((hid, supported, s.able_to_support))
    tables = {
        name: table_from_rows(rows[name], SCHEMAS[name]) for name in SCHEMAS if name != "standards"
    }
    tables["standards"] = standards_table(standards)
    return tables
