"""Validating a whole batch at once in DuckDB: every cell of every mapped column normalised and
checked column-wise, blank rows dropped (their row numbers stay), the errors listed row by row.

The result keeps the connection with the ``checked`` table (raw text ``r<i>``, cleaned text
``t<i>``, parsed value ``v<i>``, reason ``e<i>`` per column, and ``bad``) for ``storage`` to write
the accepted rows and the quarantine from, without another pass over the file.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

import duckdb

from safetynet.feeds.catalogue import ColumnKind, ColumnSpec, SourceSpec
from safetynet.feeds.importing.readers import RawTable
from safetynet.feeds.normalise import ID_REASON, column_sql, fill, id_masked, id_reason, ident

# DuckDB's own threads: the machine has two cores and a web worker may import beside requests.
DUCKDB_THREADS = 2


@dataclass(frozen=True)
class RowError:
    row: int
    column: str  # the header as written in the file
    value: str  # masked for ID numbers
    reason: str


@dataclass
class Validation:
    con: duckdb.DuckDBPyConnection
    spec: SourceSpec
    present: list[tuple[int, ColumnSpec]]  # (slot in ``checked``, column) in catalogue order
    headers: dict[str, str]
    total: int  # non-blank data rows
    valid: int  # rows without errors, duplicates included
    unique: int  # distinct valid rows: what is stored
    rejected: int
    errors: list[RowError] = field(default_factory=list)

    @property
    def duplicate(self) -> int:
        return self.valid - self.unique

    def close(self) -> None:
        self.con.close()


def connect() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute(f"SET threads = {DUCKDB_THREADS}")
    con.execute("SET preserve_insertion_order = false")
    return con


def validate(raw: RawTable, spec: SourceSpec, *, today: dt.date) -> Validation:
    present = [
        (slot, column) for slot, column in enumerate(spec.columns) if column.name in raw.headers
    ]
    con = connect()
    try:
        con.register("raw", raw.table)
        cleaned, auxiliary, parsed, reasons = [], [], [], []
        for slot, column in present:
            sql = column_sql(column, today=today, scale=raw.scales.get(column.name, Decimal(1)))
            source = ident(column.name)
            cleaned.append(f"{source} AS r{slot}, {fill(sql.clean, raw=source)} AS t{slot}")
            auxiliary.append(f"{fill(sql.aux, t=f't{slot}')} AS a{slot}")
            parsed.append(f"{fill(sql.parsed, t=f't{slot}', a=f'a{slot}')} AS v{slot}")
            reasons.append(f"{fill(sql.reason, t=f't{slot}', v=f'v{slot}')} AS e{slot}")
        not_blank = " OR ".join(f"trim({ident(column.name)}) <> ''" for _, column in present)
        any_error = " OR ".join(f"e{slot} IS NOT NULL" for slot, _ in present)
        # Each stage materialised: DuckDB would otherwise inline a subquery's expressions into
        # the query above it, and a cleaned text referred to five times would be cleaned five
        # times. Materialised CTEs and an Arrow result skip the compression a table would do.
        checked = con.sql(
            f"""WITH cleaned AS MATERIALIZED (
                  SELECT row_number, {", ".join(cleaned)} FROM raw WHERE {not_blank}),
                aux AS MATERIALIZED (SELECT *, {", ".join(auxiliary)} FROM cleaned),
                parsed AS MATERIALIZED (SELECT *, {", ".join(parsed)} FROM aux),
                reasoned AS MATERIALIZED (SELECT *, {", ".join(reasons)} FROM parsed)
                SELECT *, ({any_error}) AS bad FROM reasoned"""
        ).to_arrow_table()
        con.unregister("raw")
        con.register("checked", checked)
        value_columns = ", ".join(f"v{slot}" for slot, _ in present)
        # Exact duplicates (after normalisation) are stored once, under their first row number.
        con.execute(
            f"""CREATE TEMP TABLE accepted AS SELECT {value_columns}, min(row_number) AS row_number
                FROM checked WHERE NOT bad GROUP BY ALL"""
        )
        [(total, valid)] = con.sql(
            "SELECT count(*), count(*) FILTER (NOT bad) FROM checked"
        ).fetchall()
        [(unique,)] = con.sql("SELECT count(*) FROM accepted").fetchall()
        errors = _errors(con, present, raw.headers, today=today)
    except BaseException:
        con.close()
        raise
    return Validation(
        con=con,
        spec=spec,
        present=present,
        headers=raw.headers,
        total=int(total),
        valid=int(valid),
        unique=int(unique),
        rejected=int(total) - int(valid),
        errors=errors,
    )


def _errors(
    con: duckdb.DuckDBPyConnection,
    present: list[tuple[int, ColumnSpec]],
    headers: dict[str, str],
    *,
    today: dt.date,
) -> list[RowError]:
    """Every refused cell, by row then column. The reason for a damaged ID number is worded by
    ``registry.identity``, once per distinct number."""
    parts = []
    for order, (slot, column) in enumerate(present):
        is_id = column.kind == ColumnKind.ID_NUMBER
        shown = id_masked(f"t{slot}") if is_id else f"r{slot}"
        number = f"t{slot}" if is_id else "NULL"
        parts.append(
            f"SELECT row_number, {order} AS col, {shown} AS shown, e{slot} AS reason, "
            f"CASE WHEN e{slot} = '{ID_REASON}' THEN {number} END AS number "
            f"FROM checked WHERE bad AND e{slot} IS NOT NULL"
        )
    rows = con.sql(" UNION ALL ".join(parts) + " ORDER BY row_number, col").fetchall()
    names = [headers[column.name] for _, column in present]
    id_reasons: dict[str, str] = {}
    errors = []
    for row, col, shown, reason, number in rows:
        if reason == ID_REASON:
            if number not in id_reasons:
                id_reasons[number] = id_reason(number, today=today)
            reason = id_reasons[number]
        errors.append(RowError(row=int(row), column=names[col], value=shown or "", reason=reason))
    return errors
