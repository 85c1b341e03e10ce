"""Extraction of a region's registry facts into the engine's Arrow tables: the households' ids
into a temporary table, then seven queries, whatever the number of households.

The queries are written with the ORM (the scope filter and the SQL stay those of the rest of the
project) and compiled; their rows leave the database as text that Arrow's CSV reader parses
column by column, never as one Python object per value (``fetch_table``):

- PostgreSQL: ``COPY (query) TO STDOUT (FORMAT CSV)``; numeric arrives as exact decimal text,
  dates as days since 1970-01-01.
- SQLite: SQLite prints each row as one delimited line and joins the lines into one string. It
  keeps Django's decimals as REAL, so money is selected as integer cents, rounded from the
  double: the value Django's conversion to two decimal places gives below 10¹³ yuan.

Incomes, assets and rigid expenditure are summed here by Arrow, in exact decimals, rather than
by the database: the same arithmetic on every engine, and no sort inside SQLite.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv
from django.core.exceptions import EmptyResultSet
from django.db import DataError, connections, transaction
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

from safetynet.accounts.scope import scope_prefix, scope_queryset
from safetynet.policy.assessment.terms import expenditure_window
from safetynet.policy.bulk.tables import MONEY, SCHEMAS
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Region
from safetynet.registry.choices import (
    FINANCIAL_ASSET_KINDS,
    AssetKind,
    Category,
    HealthStatus,
    SchoolStage,
)
from safetynet.registry.models import (
    Asset,
    Household,
    Income,
    LegalSupporter,
    Membership,
    RigidExpenditure,
)
from safetynet.registry.selectors import member_statuses_in_force

if TYPE_CHECKING:
    from safetynet.accounts.models import User

# Unit separator: no code, id, date or number contains it, so SQLite's lines need no quoting.
SEPARATOR = "\x1f"
# Rows fetched per round trip from SQLite when they come a line each.
FETCH_ROWS = 50_000
CSV_BLOCK_BYTES = 8 << 20
# SQLite reads the file through a memory map while extracting: the joins probe pages all over
# the file, which through read() calls and the default 2 MB page cache costs several times more.
SQLITE_MMAP_BYTES = 1 << 31
HOUSEHOLD_IDS = "bulk_extract_household"

# How a column travels as text (and its Arrow type once parsed).
INT, STR, DATE, BOOL, AMOUNT = "int", "str", "date", "bool", "amount"
ARROW_TYPES: dict[str, pa.DataType] = {
    INT: pa.int64(),
    STR: pa.string(),
    DATE: pa.date32(),
    BOOL: pa.bool_(),
    AMOUNT: MONEY,
}


@dataclass(frozen=True)
class TableQuery:
    """A queryset whose ``values_list`` gives the named columns, of the given kinds."""

    queryset: QuerySet[Any]
    columns: tuple[tuple[str, str], ...]

    @property
    def kinds(self) -> list[str]:
        return [kind for _, kind in self.columns]

    @property
    def schema(self) -> pa.Schema:
        return pa.schema([(name, ARROW_TYPES[kind]) for name, kind in self.columns])


def region_bounds(*, user: User, region: Region) -> tuple[str, str] | None:
    """The range of village codes both in the region and in the user's scope (None: nothing).

    The households, and through their ids every other table, are filtered by this range: no
    row outside the user's scope can be extracted even if a caller skipped the region check."""
    prefix = scope_prefix(user)
    if prefix is None:
        return None
    scope_lo, scope_hi = prefix_bounds(prefix)
    region_lo, region_hi = prefix_bounds(region.prefix)
    lo, hi = max(scope_lo, region_lo), min(scope_hi, region_hi)
    return (lo, hi) if lo <= hi else None


def scoped_households(*, user: User, region: Region) -> QuerySet[Household]:
    """The region's households the user may see, through the scope filter."""
    bounds = region_bounds(user=user, region=region)
    if bounds is None:
        return Household.objects.none()
    lo, hi = bounds
    return scope_queryset(Household.objects.filter(region_id__gte=lo, region_id__lte=hi), user=user)


@contextmanager
def household_ids(households: QuerySet[Household]) -> Iterator[Q]:
    """The households' ids, written once into a temporary table for the extraction; yields the
    filter on it for the tables that belong to a household.

    Every table is then read for exactly the same households, and neither engine re-evaluates
    the region filter per table: SQLite probes the table's rowid b-tree directly, PostgreSQL
    hashes a plain column. Must run inside a transaction (PostgreSQL drops it at its end)."""
    using = households.db
    connection = connections[using]
    try:
        sql, params = households.order_by().values("id").query.get_compiler(using=using).as_sql()
    except EmptyResultSet:  # a user without scope: nothing to write
        yield Q(pk__in=[])
        return
    table = connection.ops.quote_name(HOUSEHOLD_IDS)
    # "integer primary key" on SQLite: the table's rowid itself.
    id_type = connection.data_types["BigAutoField"]
    postgresql = connection.vendor == "postgresql"
    with connection.cursor() as cursor:
        cursor.execute(f"DROP TABLE IF EXISTS {table}")
        cursor.execute(
            f"CREATE TEMPORARY TABLE {table} (id {id_type} PRIMARY KEY)"
            + (" ON COMMIT DROP" if postgresql else "")
        )
        cursor.execute(f"INSERT INTO {table} (id) {sql}", params)
        if postgresql:
            cursor.execute(f"ANALYZE {table}")
    try:
        yield Q(household_id__in=RawSQL(f"SELECT id FROM {table}", []))
    finally:
        if not postgresql:
            with connection.cursor() as cursor:
                cursor.execute(f"DROP TABLE {table}")


def table_queries(
    *, households: QuerySet[Household], of_household: Q, on: dt.date
) -> dict[str, TableQuery]:
    """The extraction's queries: the engine's tables, but for rows not yet summed (incomes,
    expenditures) and assets of every kind (from which ``assets`` and ``vehicles`` are made).
    ``of_household`` restricts a table to the households'."""
    first, last = expenditure_window(on)

    def query(queryset: QuerySet[Any], *fields: tuple[str, str, str]) -> TableQuery:
        """``fields``: (lookup, column name, kind) in order."""
        return TableQuery(
            queryset.order_by().values_list(*(lookup for lookup, _, _ in fields)),
            tuple((name, kind) for _, name, kind in fields),
        )

    return {
        "households": query(
            households,
            ("id", "household_id", INT),
            ("region_id", "region_id", STR),
            ("residence", "residence", STR),
            ("category", "recorded", STR),
            ("relapse_watch", "relapse_watch", STR),
            ("income_before_drop_monthly", "income_before_drop_monthly", AMOUNT),
            ("income_before_drop_on", "income_before_drop_on", DATE),
        ),
        "members": query(
            Membership.objects.filter(
                of_household, left_on__isnull=True, co_resident=True
            ).annotate(
                serious_illness=Q(person__health_status=HealthStatus.SERIOUS),
            ),
            ("household_id", "household_id", INT),
            ("person_id", "person_id", INT),
            ("person__birth_date", "birth_date", DATE),
            ("person__disability_type", "disability_type", STR),
            ("person__disability_grade", "disability_grade", INT),
            ("serious_illness", "serious_illness", BOOL),
            ("relation", "relation", STR),
            ("person__school_stage", "school_stage", STR),
            ("person__labour_capacity", "labour_capacity", STR),
            ("person__legal_status", "legal_status", STR),
            ("person__other_inability", "other_inability", STR),
        ),
        # Members' own categories in force (destitute, individual dibao), for art. 9 and the
        # destitute minors; the last by start date when several are.
        "statuses": query(
            member_statuses_in_force(on=on).filter(of_household),
            ("household_id", "household_id", INT),
            ("person_id", "person_id", INT),
            ("category", "category", STR),
            ("effective_from", "effective_from", DATE),
            ("id", "id", INT),
        ),
        "incomes": query(
            Income.objects.filter(of_household),
            ("household_id", "household_id", INT),
            ("person_id", "person_id", INT),
            ("kind", "kind", STR),
            ("monthly_amount", "amount", AMOUNT),
        ),
        "assets": query(
            Asset.objects.filter(of_household),
            ("household_id", "household_id", INT),
            ("kind", "kind", STR),
            ("value", "value", AMOUNT),
            ("for_disability", "for_disability", BOOL),
        ),
        "expenditures": query(
            RigidExpenditure.objects.filter(
                of_household, incurred_on__gte=first, incurred_on__lte=last
            ),
            ("household_id", "household_id", INT),
            ("kind", "kind", STR),
            ("amount", "amount", AMOUNT),
        ),
        "supporters": query(
            LegalSupporter.objects.filter(of_household),
            ("household_id", "household_id", INT),
            ("supported_person_id", "supported_person_id", INT),
            ("able_to_support", "able", BOOL),
        ),
    }


# --- rows out of the database as text ---------------------------------------------------------


def _aliases(count: int) -> list[str]:
    return [f"c{i}" for i in range(count)]


def _postgresql_text(sql: str, params: Sequence[Any], kinds: Sequence[str], using: str) -> bytes:
    """The rows as CSV by COPY. Dates leave as days since 1970-01-01 (Arrow's date32): no
    DateStyle setting can change them, and formatting them would cost PostgreSQL a quarter of
    the members' query."""
    aliases = _aliases(len(kinds))
    select = ", ".join(
        f"{alias} - DATE '1970-01-01'" if kind == DATE else alias
        for alias, kind in zip(aliases, kinds, strict=True)
    )
    copy_sql = (
        f"COPY (WITH q({', '.join(aliases)}) AS ({sql}) SELECT {select} FROM q) "
        "TO STDOUT (FORMAT CSV)"
    )
    data = bytearray()
    # Django's cursor wrapper has no COPY; psycopg 3 binds the parameters client-side.
    with connections[using].cursor() as cursor, cursor.cursor.copy(copy_sql, params) as copy:
        for block in copy:
            data += block
    return bytes(data)


@contextmanager
def _sqlite_memory_map(cursor: Any) -> Iterator[None]:
    cursor.execute("PRAGMA mmap_size")
    row = cursor.fetchone()
    if row is None:  # an in-memory database: nothing to map
        yield
        return
    (previous,) = row
    cursor.execute(f"PRAGMA mmap_size = {max(previous, SQLITE_MMAP_BYTES)}")
    try:
        yield
    finally:
        cursor.execute(f"PRAGMA mmap_size = {previous}")


def _sqlite_text(sql: str, params: Sequence[Any], kinds: Sequence[str], using: str) -> bytes:
    """The rows as separator-delimited lines built by SQLite, joined by SQLite into one string;
    a line per fetched row when that string would pass SQLite's length limit (1 GB unless
    lowered), since every value crossing into Python costs more than SQLite's work on it."""
    aliases = _aliases(len(kinds))
    values = [
        f"CAST(ROUND({alias} * 100) AS INTEGER)" if kind == AMOUNT else alias
        for alias, kind in zip(aliases, kinds, strict=True)
    ]
    # printf's %s writes NULL as nothing, and costs SQLite less than concatenation. Doubled:
    # Django's cursor reads %s as a parameter and %% as a percent sign.
    form = f"replace('{'|'.join(['%%s'] * len(values))}', '|', char({ord(SEPARATOR)}))"
    line = f"printf({form}, {', '.join(values)})"
    lines_sql = f"WITH q({', '.join(aliases)}) AS ({sql}) SELECT {line} AS line FROM q"
    with connections[using].cursor() as cursor, _sqlite_memory_map(cursor):
        try:
            cursor.execute(f"SELECT group_concat(line, char(10)) FROM ({lines_sql})", params)
            (text,) = cursor.fetchone()
            return (text or "").encode()
        except DataError:  # string or blob too big
            pass
        chunks: list[str] = []
        cursor.execute(lines_sql, params)
        while rows := cursor.fetchmany(FETCH_ROWS):
            chunks.append("\n".join([row[0] for row in rows]))
        return "\n".join(chunks).encode()


def _parse(data: bytes, query: TableQuery, *, sqlite: bool) -> pa.Table:
    schema = query.schema
    if not data:
        return schema.empty_table()
    aliases = _aliases(len(query.columns))
    types = {
        alias: _text_type(kind, sqlite=sqlite)
        for alias, kind in zip(aliases, query.kinds, strict=True)
    }
    table = pacsv.read_csv(
        pa.py_buffer(data),
        read_options=pacsv.ReadOptions(column_names=aliases, block_size=CSV_BLOCK_BYTES),
        parse_options=pacsv.ParseOptions(
            delimiter=SEPARATOR if sqlite else ",", quote_char=False if sqlite else '"'
        ),
        convert_options=pacsv.ConvertOptions(
            column_types=types,
            null_values=[""],
            true_values=["1"] if sqlite else ["t"],
            false_values=["0"] if sqlite else ["f"],
            # Codes are never null: a blank one is the empty string, as in the database.
            strings_can_be_null=False,
            quoted_strings_can_be_null=False,
        ),
    )
    columns = []
    for alias, kind in zip(aliases, query.kinds, strict=True):
        column = table[alias]
        if kind == AMOUNT and sqlite:
            column = _cents_to_money(column)
        elif kind == DATE and not sqlite:
            column = column.cast(pa.date32())
        columns.append(column)
    return pa.Table.from_arrays(columns, schema=schema)


def _text_type(kind: str, *, sqlite: bool) -> pa.DataType:
    """The type a column is parsed as: SQLite's money arrives as integer cents, PostgreSQL's
    dates as integer days."""
    if kind == AMOUNT and sqlite:
        return pa.int64()
    if kind == DATE and not sqlite:
        return pa.int32()
    return ARROW_TYPES[kind]


def _cents_to_money(cents: pa.ChunkedArray) -> pa.ChunkedArray:
    """int64 cents as DECIMAL(18,2): the same 128-bit integer read with two decimal places; the
    narrowing cast fails loudly beyond 18 digits."""
    whole = cents.cast(pa.decimal128(19, 0)).cast(pa.decimal128(18, 0))
    return pa.chunked_array([chunk.view(MONEY) for chunk in whole.chunks], type=MONEY)


def fetch_table(query: TableQuery) -> pa.Table:
    """The query's rows as an Arrow table of its columns, by the engine's text path."""
    using = query.queryset.db
    vendor = connections[using].vendor
    try:
        sql, params = query.queryset.query.get_compiler(using=using).as_sql()
    except EmptyResultSet:  # a user without scope: the ORM knows there is nothing to ask
        return query.schema.empty_table()
    if vendor == "postgresql":
        data = _postgresql_text(sql, params, query.kinds, using)
    elif vendor == "sqlite":
        data = _sqlite_text(sql, params, query.kinds, using)
    else:
        raise NotImplementedError(f"bulk extraction supports PostgreSQL and SQLite, not {vendor}")
    return _parse(data, query, sqlite=vendor == "sqlite")


# --- the engine's tables ----------------------------------------------------------------------


def _money(column: pa.ChunkedArray | pa.Array) -> pa.ChunkedArray | pa.Array:
    """A sum back to DECIMAL(18,2); beyond 18 digits the cast fails rather than wraps."""
    return column.cast(MONEY)


def _summed(table: pa.Table, keys: list[str], value: str) -> pa.Table:
    grouped = table.group_by(keys, use_threads=False).aggregate([(value, "sum")])
    return pa.table({**{k: grouped[k] for k in keys}, value: _money(grouped[f"{value}_sum"])})


def _assets(assets: pa.Table) -> pa.Table:
    """Per household: financial assets and business capital summed, dwellings counted; zero,
    not null, where the household has none of a kind."""
    kind = assets["kind"]
    value = assets["value"]
    no_money = pa.scalar(None, MONEY)
    financial = pc.is_in(kind, value_set=pa.array(sorted(FINANCIAL_ASSET_KINDS), pa.string()))
    parts = pa.table(
        {
            "household_id": assets["household_id"],
            "financial": pc.if_else(financial, value, no_money),
            "dwellings": pc.equal(kind, AssetKind.REAL_ESTATE.value).cast(pa.int32()),
            "business_capital": pc.if_else(
                pc.equal(kind, AssetKind.BUSINESS.value), value, no_money
            ),
        }
    )
    grouped = parts.group_by("household_id", use_threads=False).aggregate(
        [("financial", "sum"), ("dwellings", "sum"), ("business_capital", "sum")]
    )
    zero = pa.scalar(0, MONEY)
    return pa.table(
        {
            "household_id": grouped["household_id"],
            "financial": pc.fill_null(_money(grouped["financial_sum"]), zero),
            "dwellings": grouped["dwellings_sum"].cast(pa.int32()),
            "business_capital": pc.fill_null(_money(grouped["business_capital_sum"]), zero),
        },
        schema=SCHEMAS["assets"],
    )


def _vehicles(assets: pa.Table) -> pa.Table:
    vehicles = assets.filter(pc.equal(assets["kind"], AssetKind.VEHICLE.value))
    return vehicles.select(SCHEMAS["vehicles"].names).cast(SCHEMAS["vehicles"])


def _members(members: pa.Table, statuses: pa.Table, households: pa.Table) -> pa.Table:
    """The members with what the engine reads beside the person: the school stage ("" for
    none), their recorded category for art. 9 (their own in force, else dibao when the
    household's recorded category is dibao) and the start of their own destitute status."""
    last = (
        statuses.sort_by([("effective_from", "ascending"), ("id", "ascending")])
        .group_by(["household_id", "person_id"], use_threads=False)
        .aggregate([("category", "last"), ("effective_from", "last")])
        .rename_columns(["household_id", "person_id", "own_category", "own_from"])
    )
    joined = members.join(last, ["household_id", "person_id"], join_type="left outer").join(
        households.select(["household_id", "recorded"]), "household_id", join_type="left outer"
    )
    own = pc.fill_null(joined["own_category"], "")
    recorded = pc.if_else(
        pc.not_equal(own, ""),
        own,
        pc.if_else(pc.equal(joined["recorded"], Category.DIBAO.value), Category.DIBAO.value, ""),
    )
    destitute = pc.equal(own, Category.DESTITUTE.value)
    no_date = pa.scalar(None, pa.date32())
    stage = joined["school_stage"]
    columns = {
        "household_id": joined["household_id"],
        "person_id": joined["person_id"],
        "birth_date": joined["birth_date"],
        "disability_type": joined["disability_type"],
        "disability_grade": joined["disability_grade"],
        "serious_illness": joined["serious_illness"],
        "relation": joined["relation"],
        "school_stage": pc.if_else(pc.equal(stage, SchoolStage.NONE.value), "", stage),
        "labour_capacity": joined["labour_capacity"],
        "employed": pa.nulls(joined.num_rows, pa.bool_()),
        "recorded_category": recorded,
        "destitute_since": pc.if_else(destitute, joined["own_from"], no_date),
        "legal_status": joined["legal_status"],
        "other_inability": joined["other_inability"],
    }
    return pa.table(columns).cast(SCHEMAS["members"])


def extract(
    *, user: User, region: Region, on: dt.date
) -> tuple[dict[str, pa.Table], set[tuple[str, str]]]:
    """The region's facts as Arrow tables (all but ``standards``), one query each (assets and
    vehicles share one; members' own statuses join the members), and the distinct (county,
    residence) pairs seen, for resolving standards."""
    households = scoped_households(user=user, region=region)
    with transaction.atomic(using=households.db), household_ids(households) as of_household:
        queries = table_queries(households=households, of_household=of_household, on=on)
        rows = {name: fetch_table(query) for name, query in queries.items()}
    households_rows = rows["households"]
    households_table = pa.table(
        {
            **{name: households_rows[name] for name in households_rows.column_names},
            "income_year_earlier_12m": pa.nulls(households_rows.num_rows, MONEY),
        }
    ).select(SCHEMAS["households"].names)
    tables = {
        "households": households_table.cast(SCHEMAS["households"]),
        "members": _members(rows["members"], rows["statuses"], households_rows),
        "incomes": _summed(rows["incomes"], ["household_id", "person_id", "kind"], "amount"),
        "assets": _assets(rows["assets"]),
        "vehicles": _vehicles(rows["assets"]),
        "expenditures": _summed(rows["expenditures"], ["household_id", "kind"], "amount"),
        "supporters": rows["supporters"].cast(SCHEMAS["supporters"]),
    }
    for name, table in tables.items():
        tables[name] = table.cast(SCHEMAS[name])
    # Standards are set down to county level: one resolution per county and residence.
    table = tables["households"]
    pairs_table = (
        pa.table(
            {
                "county": pc.utf8_slice_codeunits(table["region_id"], 0, 6),
                "residence": table["residence"],
            }
        )
        .group_by(["county", "residence"])
        .aggregate([])
    )
    pairs = {(row["county"], row["residence"]) for row in pairs_table.to_pylist()}
    return tables, pairs
