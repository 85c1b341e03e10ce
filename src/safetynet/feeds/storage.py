"""Writing a validated batch to Parquet under ``settings.FEEDS_DIR``.

Layout (the verification report reads it): ``<source>/<period>/<batch_id>.parquet`` holds the
accepted rows, typed (date32, decimal128(18, 2), int64, strings), each ID-number column ``x``
replaced by ``x_hash`` (``id_number`` by ``id_hash``): the registry's blind index. ``name`` is
kept only where the source needs it. ``<batch_id>.quarantine.parquet`` holds the rejected rows'
cell texts as written, ID numbers masked, with ``row_number`` and ``reasons``.

The blind index is computed inside DuckDB as HMAC-SHA256 spelled out with its two SHA-256
passes, so a million numbers hash on both cores without a Python call per number (HMAC-SM3 of the
national algorithm set is computed in Python on the selected column); the first hash of every batch
is checked against ``registry.identity.blind_index``. The file's metadata names the key.
"""

from __future__ import annotations

import os
from collections import defaultdict
from pathlib import Path

import duckdb
import pyarrow as pa
import pyarrow.parquet as pq
from django.conf import settings

from safetynet.feeds.catalogue import ColumnKind, ColumnSpec
from safetynet.feeds.common import COUNTY_COLUMN
from safetynet.feeds.importing.validation import Validation
from safetynet.feeds.normalise import arrow_type, id_masked, ident, stored_sql
from safetynet.registry import keyring
from safetynet.registry.identity import blind_index

HMAC_BLOCK = 64


def feeds_dir() -> Path:
    return Path(settings.FEEDS_DIR)


def batch_paths(source: str, period: str, batch_id: int) -> tuple[str, str, str]:
    """Data, quarantine and error-report paths, relative to FEEDS_DIR."""
    base = f"{source}/{period}/{batch_id}"
    return f"{base}.parquet", f"{base}.quarantine.parquet", f"{base}.errors.xlsx"


def stored_name(column: ColumnSpec) -> str:
    if column.kind != ColumnKind.ID_NUMBER:
        return column.name
    return "id_hash" if column.name == "id_number" else f"{column.name}_hash"


def accepted_schema(columns: tuple[ColumnSpec, ...]) -> pa.Schema:
    fields = []
    for column in columns:
        kind_type = arrow_type(column)
        fields.append(pa.field(stored_name(column), kind_type))
    fields.append(pa.field("row_number", pa.int64()))
    return pa.schema(fields)


# Parquet metadata naming the blind-index key of a batch's ``*_hash`` columns (ADR 0017).
KID_METADATA = b"safetynet.blind_index_kid"


def hashed_in_sql() -> bool:
    """HMAC-SHA256 is computed inside DuckDB; HMAC-SM3 (the national set: DuckDB has no SM3,
    and its Python functions need numpy, not a dependency) in Python on the selected column."""
    return keyring.current_index_key().algorithm == "sha256"


def blind_index_prepare(con: duckdb.DuckDBPyConnection) -> None:
    """Put the HMAC key pads into the connection's variables, bound as parameters, so that the
    key never appears in SQL text (query logs, profiles, error messages)."""
    inner, outer = keyring.hmac_pads(keyring.current_index_key(), HMAC_BLOCK)
    con.execute("SET VARIABLE blind_index_inner = unhex($1)", [inner.hex()])
    con.execute("SET VARIABLE blind_index_outer = unhex($1)", [outer.hex()])


def blind_index_sql(expression: str) -> str:
    """HMAC-SHA256(current index key, expression) as lower-case hex, in DuckDB SQL, on a
    connection prepared with ``blind_index_prepare`` (only when ``hashed_in_sql()``)."""
    return (
        "sha256(getvariable('blind_index_outer') || "
        f"unhex(sha256(getvariable('blind_index_inner') || encode({expression}))))"
    )


def with_kid(table: pa.Table, kid: str) -> pa.Table:
    metadata = dict(table.schema.metadata or {})
    metadata[KID_METADATA] = kid.encode()
    return table.replace_schema_metadata(metadata)


def _write(table: pa.Table, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(path.name + ".partial")
    # Dictionary encoding pays off for names and categories, not for hashes (all distinct).
    dictionary = [name for name in table.column_names if not name.endswith("_hash")]
    pq.write_table(table, partial, compression="zstd", use_dictionary=dictionary)
    os.replace(partial, path)


def accepted_table(validation: Validation) -> pa.Table:
    """The distinct valid rows (the first row number of each), ID numbers hashed."""
    spec = validation.spec
    slots = {column.name: slot for slot, column in validation.present}
    selected = []
    in_sql, in_python = hashed_in_sql(), []
    for column in spec.stored_columns:
        slot = slots.get(column.name)
        name = ident(stored_name(column))
        if slot is None:
            selected.append(f"NULL AS {name}")
        elif column.kind == ColumnKind.ID_NUMBER and not in_sql:
            selected.append(f"v{slot} AS {name}")
            in_python.append(stored_name(column))
        elif column.kind == ColumnKind.ID_NUMBER:
            selected.append(
                f"CASE WHEN v{slot} IS NOT NULL THEN {blind_index_sql(f'v{slot}')} END AS {name}"
            )
        else:
            selected.append(f"{stored_sql(column, f'v{slot}')} AS {name}")
    if in_sql:
        blind_index_prepare(validation.con)
    table = validation.con.sql(
        f"SELECT {', '.join(selected)}, row_number FROM accepted ORDER BY row_number"
    ).to_arrow_table()
    for name in in_python:
        index = table.column_names.index(name)
        numbers = table.column(index).to_pylist()
        hashed = pa.array([blind_index(n) if n is not None else None for n in numbers], pa.string())
        table = table.set_column(index, name, hashed)
    table = with_kid(
        table.cast(accepted_schema(spec.stored_columns)), keyring.current_index_key().kid
    )
    if in_sql and "id_number" in slots and table.num_rows:
        _check_blind_index(validation, slots["id_number"])
    return table


def _check_blind_index(validation: Validation, slot: int) -> None:
    [(number, hashed)] = validation.con.sql(
        f"SELECT v{slot}, {blind_index_sql(f'v{slot}')} FROM accepted LIMIT 1"
    ).fetchall()
    if hashed != blind_index(number):
        raise RuntimeError("the SQL blind index differs from registry.identity.blind_index")


def quarantine_table(validation: Validation) -> pa.Table:
    """The rejected rows as written (ID numbers masked), with their row numbers and reasons."""
    selected = []
    county = "''"
    for slot, column in validation.present:
        value = id_masked(f"t{slot}") if column.kind == ColumnKind.ID_NUMBER else f"r{slot}"
        selected.append(f"{value} AS {ident(column.name)}")
        if column.kind == ColumnKind.ID_NUMBER and county == "''":
            # The address code of the (first) ID number: which county may read the row.
            county = (
                f"CASE WHEN regexp_matches(t{slot}, '^\\d{{6}}') "
                f"THEN substr(t{slot}, 1, 6) ELSE '' END"
            )
    table = validation.con.sql(
        f"SELECT {', '.join(selected)}, row_number, {county} AS {COUNTY_COLUMN} "
        "FROM checked WHERE bad ORDER BY row_number"
    ).to_arrow_table()
    by_row: dict[int, list[str]] = defaultdict(list)
    for error in validation.errors:
        by_row[error.row].append(f"{error.column}：{error.reason}")
    reasons = ["；".join(by_row[row]) for row in table.column("row_number").to_pylist()]
    table = table.append_column("reasons", pa.array(reasons, pa.string()))
    schema = pa.schema(
        [pa.field(column.name, pa.string()) for _, column in validation.present]
        + [
            pa.field("row_number", pa.int64()),
            pa.field(COUNTY_COLUMN, pa.string()),
            pa.field("reasons", pa.string()),
        ]
    )
    return table.cast(schema)


def write_batch(
    validation: Validation, *, data_path: str, quarantine_path: str | None
) -> list[Path]:
    """Write the accepted rows (and the quarantine when given); returns the files written."""
    root = feeds_dir()
    written = []
    target = root / data_path
    _write(accepted_table(validation), target)
    written.append(target)
    if quarantine_path and validation.rejected:
        target = root / quarantine_path
        _write(quarantine_table(validation), target)
        written.append(target)
    return written
