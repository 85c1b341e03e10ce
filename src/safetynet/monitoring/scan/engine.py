"""The set-based scan in DuckDB: the registry snapshot and the source batches as tables, one SQL
statement per indicator (``scan.rules``), every result in one Arrow table.

The monitoring group (三(一)) is computed here once per person: assisted (dibao, 单人保,
destitute — the household's or the member's own category), focus (near-dibao, expenditure
hardship, other low-income), anti-relapse (脱贫不稳定户、边缘易致贫户、突发严重困难户), else
registered. A household's group is its strongest member's.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from safetynet.monitoring.common import ASSISTED_CATEGORIES, FOCUS_CATEGORIES
from safetynet.monitoring.scan.rules import OUTPUT, RULES, Context, _text, watch_sql
from safetynet.monitoring.scan.snapshot import Batches, Snapshot, empty_source


@dataclass(frozen=True)
class IndicatorSpec:
    code: str
    rule: str
    watches: str
    params: dict[str, Any]
    # The counties this version applies to, when another version applies elsewhere in the
    # scanned region (a county override); None: everywhere.
    counties: tuple[str, ...] | None = None


RESULT_SCHEMA = pa.schema(
    [
        ("indicator_code", pa.string()),
        ("subject_hash", pa.string()),
        ("person_id", pa.int64()),
        ("household_id", pa.int64()),
        ("region_code", pa.string()),
        ("subject_name", pa.string()),
        ("period", pa.string()),
        ("evidence", pa.string()),
    ]
)


def _in(values: frozenset[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def _group_sql(hh: str, own: str, watch: str) -> str:
    return (
        f"CASE WHEN {own} IN ({_in(ASSISTED_CATEGORIES)}) OR {hh} IN ({_in(ASSISTED_CATEGORIES)}) "
        f"THEN 'assisted' WHEN {hh} IN ({_in(FOCUS_CATEGORIES)}) THEN 'focus' "
        f"WHEN coalesce({watch}, '') <> '' THEN 'anti_relapse' ELSE 'registered' END"
    )


GROUP_RANK = (
    "CASE grp WHEN 'assisted' THEN 1 WHEN 'focus' THEN 2 WHEN 'anti_relapse' THEN 3 ELSE 4 END"
)


def load(con: duckdb.DuckDBPyConnection, snapshot: Snapshot, batches: Batches) -> None:
    con.register("snap_persons", snapshot.persons)
    con.register("snap_households", snapshot.households)
    con.register("snap_person_categories", snapshot.person_categories)
    group = _group_sql("h.category", "coalesce(pc.category, '')", "h.relapse_watch")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE persons_g AS
        SELECT p.*, {group} AS grp
        FROM snap_persons p
        LEFT JOIN snap_households h ON h.household_id = p.household_id
        LEFT JOIN (SELECT person_id, min(category) AS category FROM snap_person_categories
                   GROUP BY person_id) pc ON pc.person_id = p.person_id
        """
    )
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE households AS
        SELECT h.*, hp.id_hash AS head_hash, coalesce(m.members, 0) AS members,
               coalesce(m.hh_grp, 'registered') AS hh_grp
        FROM snap_households h
        LEFT JOIN snap_persons hp ON hp.person_id = h.head_id
        LEFT JOIN (SELECT household_id, count(*) AS members,
                          arg_min(grp, {GROUP_RANK}) AS hh_grp
                   FROM persons_g GROUP BY household_id) m ON m.household_id = h.household_id
        """
    )
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE persons AS
        SELECT p.*, coalesce(h.hh_grp, p.grp) AS hh_grp
        FROM persons_g p LEFT JOIN households h ON h.household_id = p.household_id
        """
    )
    for source, files in batches.files.items():
        _source_view(con, source, files)


def _source_view(con: duckdb.DuckDBPyConnection, source: str, files: list[Any]) -> None:
    name = f"src_{source}"
    if not files:
        empty = empty_source(source).empty_table()
        empty = empty.append_column("batch_id", pa.array([], pa.int64()))
        empty = empty.append_column("batch_period", pa.array([], pa.string()))
        con.register(f"{name}_empty", empty)
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {name}_empty")
        return
    parts = [
        f"SELECT *, {f.batch_id}::BIGINT AS batch_id, '{f.period}' AS batch_period "
        f"FROM read_parquet('{_path(f.path)}')"
        for f in files
    ]
    con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS " + " UNION ALL BY NAME ".join(parts))


def _path(path: Any) -> str:
    text = str(path)
    if "'" in text:
        raise ValueError(f"unexpected quote in a batch path: {text!r}")
    return text


def income_month(con: duckdb.DuckDBPyConnection, on: dt.date) -> str | None:
    """The latest month any income source reports, not after the scan date."""
    tables = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    parts = [
        f"SELECT max(month) AS m FROM {t}" for t in ("src_pensions", "src_wages") if t in tables
    ]
    if not parts:
        return None
    [(month,)] = con.execute(
        f"SELECT max(m) FROM ({' UNION ALL '.join(parts)}) WHERE m <= '{on:%Y-%m}'"
    ).fetchall()
    return str(month) if month else None


def evaluate(
    *,
    snapshot: Snapshot,
    batches: Batches,
    indicators: list[IndicatorSpec],
    on: dt.date,
    bounds: tuple[str, str],
    threads: int = 2,
    memory_limit: str = "3GB",
) -> pa.Table:
    """Every (indicator, subject, period) whose condition holds, with its evidence.

    DuckDB is held to ``memory_limit`` (it spills joins and aggregates to a temporary file
    beyond it) so that a province-wide scan stays within the 4 GB the platform allows it."""
    con = duckdb.connect(
        config={
            "threads": threads,
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
        }
    )
    try:
        load(con, snapshot, batches)
        ctx = Context(on=on, lo=bounds[0], hi=bounds[1], income_month=income_month(con, on))
        statements = []
        for spec in indicators:
            rule = RULES[spec.rule]
            sql = rule.sql(spec.params, ctx, watch_sql(spec.watches))
            columns = ", ".join(OUTPUT)
            where = ""
            if spec.counties is not None:
                listed = ", ".join(f"'{int(c):06d}'" for c in spec.counties) or "''"
                where = f" WHERE substr(region_code, 1, 6) IN ({listed})"
            statements.append(
                f"SELECT {_text(spec.code)} AS indicator_code, {columns} FROM ({sql}){where}"
            )
        if not statements:
            return RESULT_SCHEMA.empty_table()
        table = con.sql(" UNION ALL ".join(statements)).to_arrow_table()
        return table.cast(RESULT_SCHEMA)
    finally:
        con.close()
