"""The engine of the set-based classification: ADR 0005 in SQL over the input tables of
``tables``, and the embedded DuckDB that runs it (ADR 0007).

Exactness: money enters the SQL as DECIMAL(18,2) and is turned into integer cents; ratios of
the standards (multipliers, months, shares) enter as integers scaled by 10⁶. Every comparison
is a cross-multiplication of such integers in DECIMAL(38,0), which overflows loudly instead of
rounding. No DOUBLE is ever involved. Nothing here touches Django's database.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

import duckdb
import pyarrow as pa

from safetynet.policy.assessment import rules
from safetynet.policy.assessment.terms import NONE, expenditure_window
from safetynet.policy.bulk.tables import RATIO_SCALE, SCHEMAS
from safetynet.registry.choices import COUNTED_INCOME_KINDS

# Rounds of the destitute members at most (a household's rounds stop after its members + 1).
MAX_ROUNDS = 64


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
    (member facts, household facts and tests, member tests and the supporters each member may
    rely on, the empty set of destitute members); ``round`` computes the next set of destitute
    members from the current one (run until it no longer changes, as the row-by-row classifier
    does); ``finish`` makes the household outcome; ``households`` and ``members`` select the
    outputs."""

    setup: tuple[str, ...]
    round: tuple[str, ...]
    changed: str
    finish: tuple[str, ...]
    households: str
    members: str


def _relation_case(a: str, b: str) -> str:
    """What member ``a`` is to member ``b`` (rules.KINSHIPS, first match), as SQL."""
    whens = "\n".join(
        f"        WHEN {a}.relation IN {rules.sql_in(ga)} AND {b}.relation IN {rules.sql_in(gb)}"
        f" THEN '{kind}'"
        for ga, gb, kind in rules.KINSHIPS
    )
    return f"CASE\n{whens}\n    END"


def _big(expr: str) -> str:
    return f"CAST({expr} AS DECIMAL(38,0))"


def _cents(expr: str) -> str:
    return f"CAST(({expr}) * 100 AS BIGINT)"


def _age(birth: str, day: str) -> str:
    """Completed years (a 29 February birthday is reached on 1 March in common years)."""
    return (
        f"(EXTRACT(YEAR FROM {day}) - EXTRACT(YEAR FROM {birth})"
        f" - CASE WHEN EXTRACT(MONTH FROM {birth}) * 100 + EXTRACT(DAY FROM {birth})"
        f" > EXTRACT(MONTH FROM {day}) * 100 + EXTRACT(DAY FROM {day}) THEN 1 ELSE 0 END)"
    )


def classification_sql(on: dt.date) -> ClassificationSQL:
    """ADR 0005 in SQL over the input tables of ``SCHEMAS`` for the date ``on``, generated from
    the constants of ``safetynet.policy.assessment.rules``.

    ``_big(x)`` casts to DECIMAL(38,0): every product of cents, counts and scaled ratios is made
    there, exact, with an overflow error rather than a rounding.
    """
    return ClassificationSQL(
        setup=(
            _member_facts_sql(on),
            _household_facts_sql(on),
            _member_tests_sql(),
            _kin_sql(),
            DESTITUTE_EMPTY,
        ),
        round=(NEXT_ROUND,),
        changed=CHANGED,
        finish=(SWAP, _household_outcome_sql()),
        households=HOUSEHOLDS,
        members=_members_sql(),
    )


def _member_facts_sql(on: dt.date) -> str:
    """Per member: age, own counted income after the employment cost, supporters outside."""
    d = _sql_date(on)
    counted = rules.sql_in(sorted(COUNTED_INCOME_KINDS))
    return f"""
CREATE OR REPLACE TEMP TABLE member_facts AS
WITH
counted AS (
    SELECT household_id, person_id,
        SUM(amount) AS amount,
        SUM(CASE WHEN kind = 'wages' THEN amount ELSE 0 END) AS wages
    FROM incomes WHERE kind IN {counted}
    GROUP BY household_id, person_id
),
supported_all AS (
    SELECT DISTINCT household_id FROM supporters
    WHERE able AND supported_person_id IS NULL
),
supported_one AS (
    SELECT DISTINCT household_id, supported_person_id AS person_id FROM supporters
    WHERE able AND supported_person_id IS NOT NULL
),
base AS (
    SELECT m.*, s.employment_cost_cents,
        {_cents("COALESCE(c.amount, 0)")} AS counted_cents,
        {_cents("COALESCE(c.wages, 0)")} AS wages_cents,
        {_age("m.birth_date", d)} AS age,
        CASE WHEN m.destitute_since IS NULL THEN NULL
            ELSE {_age("m.birth_date", "m.destitute_since")} END AS age_destitute_since,
        (sa.household_id IS NOT NULL OR so.person_id IS NOT NULL) AS outside_able
    FROM members m
    JOIN households h ON h.household_id = m.household_id
    JOIN standards s
        ON s.county = SUBSTRING(h.region_id, 1, 6) AND s.residence = h.residence
    LEFT JOIN counted c ON c.household_id = m.household_id AND c.person_id = m.person_id
    LEFT JOIN supported_all sa ON sa.household_id = m.household_id
    LEFT JOIN supported_one so
        ON so.household_id = m.household_id AND so.person_id = m.person_id
)
SELECT household_id, person_id, birth_date, disability_type,
    COALESCE(disability_grade, 0) AS disability_grade, serious_illness, relation,
    school_stage, labour_capacity, recorded_category, destitute_since, legal_status,
    other_inability, age, age_destitute_since, outside_able,
    counted_cents - CASE WHEN COALESCE(employed, wages_cents > 0)
        THEN LEAST(employment_cost_cents, wages_cents) ELSE 0 END AS own_cents
FROM base
"""


def _household_facts_sql(on: dt.date) -> str:
    """Per household: the standards, the totals and every household test (二(一)1–4)."""
    first, last = expenditure_window(on)
    prior = (
        f"CASE WHEN b.income_year_earlier_12m IS NOT NULL"
        f" THEN {_big(_cents('b.income_year_earlier_12m'))}"
        f" WHEN b.income_before_drop_monthly IS NOT NULL"
        f" AND b.income_before_drop_on BETWEEN {_sql_date(first)} AND {_sql_date(last)}"
        f" THEN {_big(_cents('b.income_before_drop_monthly'))} * 12 END"
    )
    return f"""
CREATE OR REPLACE TEMP TABLE household_facts AS
WITH
totals AS (
    SELECT household_id, COUNT(*) AS n, SUM(own_cents) AS income_cents
    FROM member_facts GROUP BY household_id
),
rigid AS (
    SELECT household_id, {_cents("SUM(amount)")} AS rigid_cents
    FROM expenditures GROUP BY household_id
),
base AS (
    SELECT h.household_id, h.region_id, h.residence, h.recorded, h.relapse_watch,
        h.income_year_earlier_12m, h.income_before_drop_monthly, h.income_before_drop_on,
        s.dibao_cents, s.near_dibao_multiplier_scaled, s.disposable_income_annual_cents,
        s.rigid_expenditure_share_scaled, s.after_expenditure,
        s.financial_assets_months_scaled, s.vehicle_value_limit_cents, s.max_dwellings,
        s.business_capital_limit_cents, s.income_drop_share_scaled, s.supporter_other_cases,
        COALESCE(t.n, 0) AS n,
        COALESCE(t.income_cents, 0) AS income_cents,
        {_cents("COALESCE(a.financial, 0)")} AS financial_cents,
        COALESCE(a.dwellings, 0) AS dwellings,
        {_cents("COALESCE(a.business_capital, 0)")} AS business_cents,
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
    WHERE NOT v.for_disability AND {_cents("v.value")} >= b.vehicle_value_limit_cents
    GROUP BY v.household_id
),
tests AS (
    SELECT b.*, {prior} AS prior_cents,
        {_big("b.financial_cents")} * {RATIO_SCALE}
            <= {_big("b.financial_assets_months_scaled")} * {_big("b.dibao_cents")}
                * {_big("b.n")}
        AND COALESCE(vo.over_limit, 0) = 0
        AND b.dwellings <= b.max_dwellings
        AND b.business_cents <= b.business_capital_limit_cents
            AS assets_pass,
        {_big("b.income_cents")} < {_big("b.dibao_cents")} * {_big("b.n")} AS dibao_income,
        {_big("b.income_cents")} * {RATIO_SCALE}
            < {_big("b.near_dibao_multiplier_scaled")} * {_big("b.dibao_cents")} * {_big("b.n")}
            AS near_dibao_income,
        {_big("b.income_cents")} * 12
            < {_big("b.disposable_income_annual_cents")} * {_big("b.n")} AS expenditure_income,
        {_big("b.income_cents")} * 12 - {_big("b.rigid_cents")}
            < {_big("b.dibao_cents")} * 12 * {_big("b.n")} AS expenditure_after,
        {_big("b.rigid_cents")} * {RATIO_SCALE}
            > {_big("b.rigid_expenditure_share_scaled")} * {_big("b.income_cents")} * 12
            AS expenditure_share
    FROM base b
    LEFT JOIN vehicles_over vo ON vo.household_id = b.household_id
)
SELECT t.*,
    COALESCE(t.prior_cents > 0
        AND (t.prior_cents - {_big("t.income_cents")} * 12) * {RATIO_SCALE}
            >= {_big("t.income_drop_share_scaled")} * t.prior_cents, FALSE) AS income_drop,
    CASE WHEN t.after_expenditure
        THEN t.expenditure_after OR (t.expenditure_income AND COALESCE(t.prior_cents > 0
            AND (t.prior_cents - {_big("t.income_cents")} * 12) * {RATIO_SCALE}
                >= {_big("t.income_drop_share_scaled")} * t.prior_cents, FALSE))
        ELSE t.expenditure_income AND (t.expenditure_share OR COALESCE(t.prior_cents > 0
            AND (t.prior_cents - {_big("t.income_cents")} * 12) * {RATIO_SCALE}
                >= {_big("t.income_drop_share_scaled")} * t.prior_cents, FALSE))
    END AS expenditure_met
FROM tests t
"""


def _cannot_work_disability() -> str:
    return " OR ".join(
        f"(mf.disability_type = '{kind}' AND mf.disability_grade IN {rules.sql_in(grades)})"
        for kind, grades in rules.CANNOT_WORK_DISABILITY.items()
    )


def _severe() -> str:
    return (
        f"(mf.disability_grade IN {rules.sql_in(rules.SEVERE_GRADES)}"
        f" OR (mf.disability_grade = {rules.GRADE3}"
        f" AND mf.disability_type IN {rules.sql_in(rules.GRADE3_TYPES)}))"
    )


def _member_tests_sql() -> str:
    # Per member: cannot work (办法 art. 6, 24), no income, a supporter unable under art. 9
    # (all but (一), which depends on the round), and whether parents owe support (民法典 1067).
    continuing = rules.sql_in(rules.CONTINUING_SCHOOL_STAGES)
    cannot_work_disability, severe = _cannot_work_disability(), _severe()
    return f"""
CREATE OR REPLACE TEMP TABLE member_tests AS
SELECT mf.household_id, mf.person_id, mf.birth_date, mf.relation, mf.age, mf.outside_able,
    (mf.age >= {rules.AGE_ELDERLY} OR mf.age < {rules.AGE_WORK}
        OR (mf.age < {rules.AGE_ADULT} AND mf.destitute_since IS NOT NULL)
        OR (mf.age >= {rules.AGE_ADULT} AND mf.school_stage IN {continuing}
            AND mf.age_destitute_since < {rules.AGE_ADULT})
        OR {cannot_work_disability})
    AND mf.own_cents < hf.dibao_cents AND hf.assets_pass AS candidate,
    mf.recorded_category = 'destitute'
        OR (mf.age >= {rules.AGE_ELDERLY} AND mf.recorded_category IN ('dibao', 'individual_dibao'))
        OR (mf.age >= {rules.AGE_SUPPORTER_OLD}
            AND {_big("mf.own_cents")} * 12 < hf.disposable_income_annual_cents AND hf.assets_pass)
        OR ({severe}
            AND {_big("mf.own_cents")} * 12 < hf.disposable_income_annual_cents AND hf.assets_pass)
        OR (mf.legal_status IN {rules.sql_in(rules.LEGAL_STATUSES_UNABLE)} AND hf.assets_pass)
        OR (mf.other_inability <> ''
            AND list_contains(hf.supporter_other_cases, mf.other_inability))
        AS static_unable,
    mf.age < {rules.AGE_ADULT} OR mf.school_stage IN {continuing} OR {cannot_work_disability}
        OR mf.labour_capacity IN {rules.sql_in(rules.LABOUR_NOT_INDEPENDENT)} AS needs_parents,
    {severe} OR mf.serious_illness AS individual_dibao
FROM member_facts mf JOIN household_facts hf ON hf.household_id = mf.household_id
"""


def _kin_sql() -> str:
    # The co-resident supporters a member may rely on (民法典 1059, 1067, 1074, 1075): the
    # order of the Code (grandparents only where parents are dead or unable, …) decides which
    # supporters the reasons list, but not whether an able one exists, so it is left out here.
    return f"""
CREATE OR REPLACE TEMP TABLE kin AS
WITH pairs AS (
    SELECT m.household_id, m.person_id, s.person_id AS supporter_id,
        s.age >= {rules.AGE_ADULT} AS supporter_adult, s.birth_date < m.birth_date AS older,
        m.age < {rules.AGE_ADULT} AS minor, m.needs_parents,
        {_relation_case("s", "m")} AS kind
    FROM member_tests m
    JOIN member_tests s ON s.household_id = m.household_id AND s.person_id <> m.person_id
    WHERE m.candidate
)
SELECT household_id, person_id, supporter_id FROM pairs
WHERE kind = '{rules.SPOUSE_OF}'
    OR (kind = '{rules.PARENT_OF}' AND needs_parents)
    OR (kind = '{rules.CHILD_OF}' AND supporter_adult)
    OR (kind = '{rules.GRANDPARENT_OF}' AND minor)
    OR (kind = '{rules.SIBLING_OF}' AND minor AND supporter_adult AND older)
    OR (kind = '{rules.GRANDCHILD_OF}' AND supporter_adult)
"""


DESTITUTE_EMPTY = """
CREATE OR REPLACE TEMP TABLE destitute AS
SELECT household_id, person_id FROM member_tests WHERE FALSE
"""

NEXT_ROUND = """
CREATE OR REPLACE TEMP TABLE destitute_next AS
SELECT c.household_id, c.person_id FROM member_tests c
WHERE c.candidate AND NOT c.outside_able AND NOT EXISTS (
    SELECT 1 FROM kin k
    JOIN member_tests s ON s.household_id = k.household_id AND s.person_id = k.supporter_id
    LEFT JOIN destitute d ON d.household_id = k.household_id AND d.person_id = k.supporter_id
    WHERE k.household_id = c.household_id AND k.person_id = c.person_id
        AND NOT s.static_unable AND d.person_id IS NULL
)
"""

CHANGED = """
SELECT COUNT(*) FROM (
    (SELECT * FROM destitute_next EXCEPT SELECT * FROM destitute)
    UNION ALL
    (SELECT * FROM destitute EXCEPT SELECT * FROM destitute_next)
)
"""

SWAP = "CREATE OR REPLACE TEMP TABLE destitute AS SELECT * FROM destitute_next"


def _household_outcome_sql() -> str:
    return f"""
CREATE OR REPLACE TEMP TABLE household_outcome AS
WITH
destitute_count AS (
    SELECT household_id, COUNT(*) AS k FROM destitute GROUP BY household_id
),
outcome AS (
    SELECT hf.*,
        COALESCE(dc.k, 0) > 0 AS some_destitute,
        hf.n > 0 AND COALESCE(dc.k, 0) = hf.n AS all_destitute,
        hf.n > 0 AND hf.dibao_income AND hf.assets_pass AS is_dibao
    FROM household_facts hf LEFT JOIN destitute_count dc ON dc.household_id = hf.household_id
)
SELECT o.*,
    CASE
        WHEN o.n = 0 THEN '{NONE}'
        WHEN o.all_destitute THEN 'destitute'
        WHEN o.is_dibao THEN 'dibao'
        WHEN o.some_destitute THEN 'destitute'
        WHEN o.near_dibao_income AND o.assets_pass THEN 'near_dibao'
        WHEN o.expenditure_met AND o.assets_pass THEN 'expenditure_hardship'
        WHEN o.relapse_watch <> '' THEN 'other_low_income'
        ELSE '{NONE}'
    END AS proposed
FROM outcome o
"""


HOUSEHOLDS = """
SELECT household_id, region_id, residence, recorded, relapse_watch, proposed,
    CAST(n AS INTEGER) AS members, income_cents, dibao_cents
FROM household_outcome
"""


def _members_sql() -> str:
    return f"""
SELECT mt.household_id, mt.person_id,
    CASE ho.proposed
        WHEN 'dibao' THEN CASE WHEN d.person_id IS NOT NULL THEN 'destitute' ELSE 'dibao' END
        WHEN 'destitute'
            THEN CASE WHEN d.person_id IS NOT NULL THEN 'destitute' ELSE '{NONE}' END
        WHEN 'near_dibao'
            THEN CASE WHEN mt.individual_dibao THEN 'individual_dibao' ELSE 'near_dibao' END
        ELSE ho.proposed
    END AS category
FROM member_tests mt
JOIN household_outcome ho ON ho.household_id = mt.household_id
LEFT JOIN destitute d ON d.household_id = mt.household_id AND d.person_id = mt.person_id
"""


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
            # The destitute members, round after round from nobody (ADR 0005): a supporter found
            # destitute can no longer support (办法 art. 9(1)). Households are independent, so
            # one global loop until nothing changes gives each household's own rounds.
            for _ in range(MAX_ROUNDS):
                for statement in sql.round:
                    con.execute(statement)
                row = con.execute(sql.changed).fetchone()
                if not row or not row[0]:
                    break
                con.execute(sql.finish[0])
            for statement in sql.finish:
                con.execute(statement)
            households = con.sql(sql.households).to_arrow_table()
            members = con.sql(sql.members).to_arrow_table()
        return BulkOutputs(households=households, members=members)
