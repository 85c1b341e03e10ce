"""The set-based classification's tables (ADR 0007): the fixed Arrow shapes of the engine's
input tables (``SCHEMAS``), the standards as a small table of integers (money in cents, ratios
scaled by 10⁶, refused if that would round), and building the tables from rows or from the
row-by-row classifier's facts. Nothing here touches Django's database.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Any

import pyarrow as pa

from safetynet.policy.assessment import rules
from safetynet.policy.assessment.terms import NONE
from safetynet.policy.common import ExpenditureRule, HouseholdFacts, Standards

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
            # 二(一)4 收入大幅缩减: the income of the same 12 months a year earlier, or a monthly
            # income before the drop and the day it was recorded (nulls when unknown).
            ("income_year_earlier_12m", MONEY),
            ("income_before_drop_monthly", MONEY),
            ("income_before_drop_on", pa.date32()),
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
            ("relation", pa.string()),
            ("school_stage", pa.string()),  # "" when none or unknown
            ("labour_capacity", pa.string()),
            ("employed", pa.bool_()),  # null: employed when the member has wages
            ("recorded_category", pa.string()),
            ("destitute_since", pa.date32()),
            ("legal_status", pa.string()),
            ("other_inability", pa.string()),
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
            ("income_drop_share_scaled", pa.int64()),
            ("employment_cost_cents", pa.int64()),
            ("supporter_other_cases", pa.list_(pa.string())),
        ]
    ),
}


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
        "income_drop_share_scaled": _scaled(s.income_drop_share, RATIO_SCALE, "收入大幅缩减比例"),
        "employment_cost_cents": _scaled(s.employment_cost_monthly, 100, "就业成本扣减"),
        "supporter_other_cases": list(s.supporter_other_cases),
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
        rows["households"].append(
            (
                hid,
                h.region_code,
                h.residence,
                NONE,
                h.relapse_watch,
                h.income_year_earlier_12m,
                h.income_before_drop_monthly,
                h.income_before_drop_on,
            )
        )
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
                    m.relation,
                    m.school_stage,
                    m.labour_capacity,
                    m.employed,
                    m.recorded_category,
                    m.destitute_since,
                    m.legal_status,
                    m.other_inability,
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
        for kind in rules.RIGID_EXPENDITURE_KINDS:
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
