"""The set-based scan in DuckDB: the registry snapshot and the source batches as tables, one SQL
statement per indicator (``scan.rules``), every result in one Arrow table.

The monitoring group (三(一)) is computed here once per person: assisted (dibao, 单人保,
destitute — the household's or the member's own category), focus (near-dibao, expenditure
hardship, other low-income), anti-relapse (脱贫不稳定户、边缘易致贫户、突发严重困难户), else
registered. A household's group is its strongest member's.
"""

from __future__ import annotations

import datetime as dt
import os
from dataclasses import dataclass
from typing import Any

import duckdb
import pyarrow as pa

from safetynet.monitoring.common import ASSISTED_CATEGORIES, FOCUS_CATEGORIES
from safetynet.monitoring.scan.rules import (
    GROUP_CODES,
    OUTPUT,
    PERSON_COLUMNS,
    PERSON_EXTRA,
    RAW_SOURCES,
    RULES,
    SOURCE_COLUMNS,
    Context,
    _text,
    watch_sql,
)
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
        (
            "evidence",
            pa.list_(
                pa.struct(
                    [
                        ("source", pa.string()),
                        ("batch", pa.int64()),
                        ("period", pa.string()),
                        ("row", pa.int64()),
                        ("date", pa.string()),
                        ("amount", pa.string()),
                        ("detail", pa.string()),
                    ]
                )
            ),
        ),
    ]
)


def _in(values: frozenset[str]) -> str:
    return ", ".join(f"'{v}'" for v in sorted(values))


def _group_sql(hh: str, own: str, watch: str) -> str:
    """A member's monitoring group as its code (``rules.GROUP_CODES``; 1 is the strongest)."""
    return (
        f"CAST(CASE WHEN {own} IN ({_in(ASSISTED_CATEGORIES)}) "
        f"OR {hh} IN ({_in(ASSISTED_CATEGORIES)}) THEN {GROUP_CODES['assisted']} "
        f"WHEN {hh} IN ({_in(FOCUS_CATEGORIES)}) THEN {GROUP_CODES['focus']} "
        f"WHEN coalesce({watch}, '') <> '' THEN {GROUP_CODES['anti_relapse']} "
        f"ELSE {GROUP_CODES['registered']} END AS UTINYINT)"
    )


def load(
    con: duckdb.DuckDBPyConnection,
    snapshot: Snapshot,
    batches: Batches,
    groups: dict[str, frozenset[str] | None] | None = None,
) -> None:
    """The snapshot as the tables ``persons`` and ``households``, and each source as the table
    ``src_<code>``: its stored batches read once, each row matched once to its registry person by
    ID hash (``groups``: the source is read only for people of these monitoring groups).

    Groups are small integer codes, so that the 5 M-entry hash table every source is matched
    against holds integers besides the ID hash, not strings."""
    con.register("snap_persons", snapshot.persons)
    con.register("snap_households", snapshot.households)
    con.register("snap_person_categories", snapshot.person_categories)
    con.execute(
        """
        CREATE OR REPLACE TEMP TABLE person_cat AS
        SELECT person_id, min(category) AS category FROM snap_person_categories
        GROUP BY person_id
        """
    )
    # A household's group is its strongest member's: assisted when its own category is, or
    # when one of its members is assisted in their own right (the few in ``person_cat``); else
    # what its category and watch list say, the same for every member. A household without
    # members is "registered". Counted and flagged from the snapshot directly: no 5 M-row table
    # of members with their groups is built for it.
    assisted = _in(ASSISTED_CATEGORIES)
    registered, strongest = GROUP_CODES["registered"], GROUP_CODES["assisted"]
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE households AS
        SELECT h.household_id, h.region_id, h.category, h.relapse_watch, h.head_id,
               h.dibao_monthly, hp.id_hash AS head_hash, coalesce(m.members, 0) AS members,
               CASE WHEN m.members IS NULL THEN CAST({registered} AS UTINYINT)
                    WHEN oa.household_id IS NOT NULL THEN CAST({strongest} AS UTINYINT)
                    ELSE {_group_sql("h.category", "''", "h.relapse_watch")} END AS hh_grp
        FROM snap_households h
        LEFT JOIN snap_persons hp ON hp.person_id = h.head_id
        LEFT JOIN (SELECT household_id, count(*) AS members FROM snap_persons
                   GROUP BY household_id) m ON m.household_id = h.household_id
        LEFT JOIN (SELECT DISTINCT p.household_id FROM snap_persons p
                   JOIN person_cat pc ON pc.person_id = p.person_id
                   WHERE pc.category IN ({assisted})) oa ON oa.household_id = h.household_id
        """
    )
    group = _group_sql("h.category", "coalesce(pc.category, '')", "h.relapse_watch")
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE persons AS
        SELECT p.person_id, p.id_hash, p.region_id, p.household_id, p.birth_date,
               p.disability_grade, {group} AS grp, coalesce(h.hh_grp, {group}) AS hh_grp
        FROM snap_persons p
        LEFT JOIN households h ON h.household_id = p.household_id
        LEFT JOIN person_cat pc ON pc.person_id = p.person_id
        """
    )
    _batch_periods(con, batches)
    for source, files in batches.files.items():
        _source_view(con, source, files)
        if groups is not None and source in groups:
            match_source(con, source, groups[source])


def _source_view(con: duckdb.DuckDBPyConnection, source: str, files: list[Any]) -> None:
    """``raw_<source>``: the batches as stored (a view over their Parquet files)."""
    raw = f"raw_{source}"
    if not files:
        empty = empty_source(source).empty_table()
        empty = empty.append_column("batch_id", pa.array([], pa.int64()))
        empty = empty.append_column("batch_period", pa.array([], pa.string()))
        con.register(f"{raw}_empty", empty)
        con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS SELECT * FROM {raw}_empty")
    else:
        parts = [
            f"SELECT *, {f.batch_id}::BIGINT AS batch_id, '{f.period}' AS batch_period "
            f"FROM read_parquet('{_path(f.path)}')"
            for f in files
        ]
        con.execute(f"CREATE OR REPLACE TEMP VIEW {raw} AS " + " UNION ALL BY NAME ".join(parts))


def match_source(
    con: duckdb.DuckDBPyConnection, source: str, groups: frozenset[str] | None = None
) -> None:
    """``src_<source>``: the source's rows about registry people, each with the person's
    integer key and groups (``rules.PERSON_COLUMNS``); ``groups``: only people of these
    monitoring groups (None: everyone).

    This is the scan's one join on the ID hash per source row (a string of 64 hex digits): the
    rules then filter and group on integers. Only the columns the rules read are kept."""
    raw, name = f"raw_{source}", f"src_{source}"
    if source in RAW_SOURCES or source not in SOURCE_COLUMNS:
        con.execute(f"CREATE OR REPLACE TEMP VIEW {name} AS SELECT * FROM {raw}")
        return
    person = {**PERSON_COLUMNS, **PERSON_EXTRA.get(source, {})}
    carried = ", ".join(f"p.{column} AS {alias}" for alias, column in person.items())
    kept = ", ".join(f"s.{c}" for c in (*SOURCE_COLUMNS[source], *BATCH_COLUMNS))
    listed = ", ".join(str(GROUP_CODES.get(g, 0)) for g in sorted(groups or ())) or "0"
    where = "" if groups is None else f"WHERE p.hh_grp IN ({listed})"
    con.execute(
        f"""
        CREATE OR REPLACE TEMP TABLE {name} AS
        SELECT {carried}, {kept}
        FROM {raw} s JOIN persons p ON p.id_hash = s.id_hash
        {where}
        """
    )


BATCH_COLUMNS = ("batch_id", "row_number")


def _batch_periods(con: duckdb.DuckDBPyConnection, batches: Batches) -> None:
    """The macro ``batch_period_of(batch_id)``: a batch's period for the evidence, so that the
    source tables need not carry it on every row."""
    cases = " ".join(
        f"WHEN {int(f.batch_id)} THEN {_literal(str(f.period))}"
        for files in batches.files.values()
        for f in files
    )
    body = f"CASE b {cases} END" if cases else "NULL::VARCHAR"
    con.execute(f"CREATE OR REPLACE TEMP MACRO batch_period_of(b) AS {body}")


def source_groups(indicators: list[IndicatorSpec]) -> dict[str, frozenset[str] | None]:
    """For each source, the monitoring groups its indicators watch (None: everyone)."""
    groups: dict[str, frozenset[str] | None] = {}
    for spec in indicators:
        for source in RULES[spec.rule].sources:
            if source in groups and groups[source] is None:
                continue
            if spec.watches == "all":
                groups[source] = None
            else:
                groups[source] = groups.get(source, frozenset()) | {spec.watches}  # type: ignore[operator]
    return groups


def _literal(text: str) -> str:
    quote = "'"
    return quote + text.replace(quote, quote * 2) + quote


def _path(path: Any) -> str:
    text = str(path)
    if "'" in text:
        raise ValueError(f"unexpected quote in a batch path: {text!r}")
    return text


def income_month(con: duckdb.DuckDBPyConnection, on: dt.date) -> str | None:
    """The latest month any income source reports, not after the scan date."""
    tables = {r[0] for r in con.execute("SELECT view_name FROM duckdb_views()").fetchall()}
    parts = [
        f"SELECT max(month) AS m FROM {t}" for t in ("raw_pensions", "raw_wages") if t in tables
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
    threads: int | None = None,
    memory_limit: str = "3GB",
) -> pa.Table:
    """Every (indicator, subject, period) whose condition holds, with its evidence.

    DuckDB is held to ``memory_limit`` (it spills joins and aggregates to a temporary file
    beyond it) so that a province-wide scan stays within the 4 GB the platform allows it."""
    con = duckdb.connect(
        config={
            "threads": threads or os.cpu_count() or 2,
            "memory_limit": memory_limit,
            "preserve_insertion_order": False,
        }
    )
    try:
        # The snapshot tables and the raw views first; each source is matched when the first
        # indicator reading it runs and dropped after the last one: at most the matched rows of
        # one source (two for the rules reading two) are held at a time.
        load(con, snapshot, batches)
        ctx = Context(on=on, lo=bounds[0], hi=bounds[1], income_month=income_month(con, on))
        groups = source_groups(indicators)
        order = sorted(indicators, key=lambda spec: sorted(RULES[spec.rule].sources))
        pending = [source for spec in order for source in RULES[spec.rule].sources]
        matched: set[str] = set()
        tables = []
        for spec in order:
            rule = RULES[spec.rule]
            for source in rule.sources:
                if source not in matched and source in batches.files:
                    match_source(con, source, groups.get(source))
                    matched.add(source)
            sql = rule.sql(spec.params, ctx, watch_sql(spec.watches))
            columns = ", ".join(OUTPUT)
            where = ""
            if spec.counties is not None:
                listed = ", ".join(f"'{int(c):06d}'" for c in spec.counties) or "''"
                where = f" WHERE substr(region_code, 1, 6) IN ({listed})"
            code = _text(spec.code)
            statement = f"SELECT {code} AS indicator_code, {columns} FROM ({sql}){where}"
            tables.append(con.sql(statement).to_arrow_table().cast(RESULT_SCHEMA))
            for source in rule.sources:
                pending.remove(source)
                if source in matched and source not in pending:
                    kind = (
                        "VIEW" if source in RAW_SOURCES or source not in SOURCE_COLUMNS else "TABLE"
                    )
                    con.execute(f"DROP {kind} src_{source}")
                    matched.discard(source)
        if not tables:
            return RESULT_SCHEMA.empty_table()
        return pa.concat_tables(tables)
    finally:
        con.close()
