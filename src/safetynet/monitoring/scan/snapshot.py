"""What the scan reads: a snapshot of the registry (hashed IDs only, no names or numbers) and the
stored Parquet batches of the sources the indicators need.

The registry tables leave the database through the policy engine's extraction (the region scope
filter, one query per table, rows parsed by Arrow as text: no Python object per value). The same
tables are what the benchmark generates directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
from django.db import transaction
from django.db.models import Q

from safetynet.feeds.catalogue import source_get
from safetynet.feeds.models import BatchStatus, FeedBatch
from safetynet.feeds.normalise import arrow_type
from safetynet.feeds.storage import feeds_dir, stored_name
from safetynet.monitoring.scan.rules import month_shift
from safetynet.policy.bulk.extract import (
    DATE,
    INT,
    STR,
    TableQuery,
    fetch_table,
    household_ids,
    scoped_households,
)
from safetynet.policy.standards.selectors import StandardsMissing, standards_for
from safetynet.regions.models import Region
from safetynet.registry.models import CategoryStatus, Membership

# Sources whose every stored period counts (each batch holds that period's events); of the
# others only the latest batch is the current state (a register handed in whole each time).
EVENT_SOURCES = frozenset(
    {
        "medical_claims",
        "medical_assistance",
        "pensions",
        "wages",
        "unemployment",
        "students",
        "disasters",
        "deaths",
        "disability_certificates",
    }
)
# Event sources read only this many months back (by batch period): the rules look 12 back.
EVENT_MONTHS = 14
FOREVER = frozenset({"deaths", "disability_certificates"})

PERSON_SCHEMA = pa.schema(
    [
        ("person_id", pa.int64()),
        ("id_hash", pa.string()),
        ("region_id", pa.string()),
        ("household_id", pa.int64()),
        ("birth_date", pa.date32()),
        ("disability_type", pa.string()),
        ("disability_grade", pa.int64()),
    ]
)
HOUSEHOLD_SCHEMA = pa.schema(
    [
        ("household_id", pa.int64()),
        ("region_id", pa.string()),
        ("residence", pa.string()),
        ("category", pa.string()),
        ("relapse_watch", pa.string()),
        ("head_id", pa.int64()),
        ("dibao_monthly", pa.decimal128(18, 2)),
    ]
)
PERSON_CATEGORY_SCHEMA = pa.schema([("person_id", pa.int64()), ("category", pa.string())])


@dataclass
class Snapshot:
    """The registry as the scan sees it: members (current households), households, and the
    members' own categories (destitute, individual dibao)."""

    persons: pa.Table
    households: pa.Table
    person_categories: pa.Table


@dataclass(frozen=True)
class BatchFile:
    batch_id: int
    period: str
    path: Path


@dataclass
class Batches:
    files: dict[str, list[BatchFile]] = field(default_factory=dict)

    def describe(self) -> dict[str, list[int]]:
        return {source: [f.batch_id for f in files] for source, files in self.files.items()}


def _dibao_by_household(households: pa.Table, on: dt.date) -> pa.Array:
    """The dibao standard in force for each household's county and residence (None where the
    region has none configured): one resolution per county and residence, mapped by Arrow."""
    keys = pc.binary_join_element_wise(
        pc.utf8_slice_codeunits(households["region_id"], 0, 6), households["residence"], ":"
    )
    distinct = pc.unique(keys).to_pylist()
    values: list[Any] = []
    for key in distinct:
        county, residence = key.split(":")
        try:
            values.append(
                standards_for(region_code=county, on=on, residence=residence).dibao_monthly
            )
        except StandardsMissing:
            values.append(None)
    positions = pc.index_in(keys, value_set=pa.array(distinct, pa.string()))
    return pc.take(pa.array(values, pa.decimal128(18, 2)), positions).combine_chunks()


def registry_snapshot(*, user: Any, region: Region, on: dt.date) -> Snapshot:
    """The region's households the user may see, their current members and categories."""
    households = scoped_households(user=user, region=region)
    with transaction.atomic(using=households.db), household_ids(households) as of_household:
        tables = {
            "households": TableQuery(
                households.order_by().values_list(
                    "id", "region_id", "residence", "category", "relapse_watch", "head_id"
                ),
                (
                    ("household_id", INT),
                    ("region_id", STR),
                    ("residence", STR),
                    ("category", STR),
                    ("relapse_watch", STR),
                    ("head_id", INT),
                ),
            ),
            "persons": TableQuery(
                Membership.objects.filter(of_household, left_on__isnull=True)
                .order_by()
                .values_list(
                    "person_id",
                    "person__id_number_hash",
                    "household__region_id",
                    "household_id",
                    "person__birth_date",
                    "person__disability_type",
                    "person__disability_grade",
                ),
                (
                    ("person_id", INT),
                    ("id_hash", STR),
                    ("region_id", STR),
                    ("household_id", INT),
                    ("birth_date", DATE),
                    ("disability_type", STR),
                    ("disability_grade", INT),
                ),
            ),
            "person_categories": TableQuery(
                CategoryStatus.objects.filter(
                    of_household,
                    Q(effective_to__isnull=True) | Q(effective_to__gte=on),
                    person__isnull=False,
                    effective_from__lte=on,
                )
                .exclude(category="")
                .order_by()
                .values_list("person_id", "category"),
                (("person_id", INT), ("category", STR)),
            ),
        }
        fetched = {name: fetch_table(query) for name, query in tables.items()}
    hh = fetched["households"]
    hh = hh.append_column("dibao_monthly", _dibao_by_household(hh, on))
    return Snapshot(
        persons=fetched["persons"].cast(PERSON_SCHEMA),
        households=hh.cast(HOUSEHOLD_SCHEMA),
        person_categories=fetched["person_categories"].cast(PERSON_CATEGORY_SCHEMA),
    )


def batches_for(sources: Iterable[str], *, on: dt.date) -> Batches:
    """The stored batches each source contributes (see ``EVENT_SOURCES``); a re-import of a
    period replaces the earlier batch of that period."""
    wanted = sorted(set(sources))
    last = f"{on:%Y-%m}"
    first = month_shift(last, -EVENT_MONTHS)
    rows = (
        FeedBatch.objects.filter(source__in=wanted, status=BatchStatus.STORED, period__lte=last)
        .order_by("source", "-period", "-imported_at", "-id")
        .values_list("id", "source", "period", "parquet_path")
    )
    root = feeds_dir()
    batches = Batches({source: [] for source in wanted})
    seen: set[tuple[str, str]] = set()
    for batch_id, source, period, path in rows:
        files = batches.files[source]
        if (source, period) in seen or not path:
            continue
        if source not in EVENT_SOURCES and files:
            continue  # a register: only its latest batch
        if source in EVENT_SOURCES and source not in FOREVER and period < first:
            continue
        seen.add((source, period))
        files.append(BatchFile(batch_id, period, root / path))
    return batches


def empty_source(code: str) -> pa.Schema:
    """The stored schema of a source (for a source with no batch yet)."""
    spec = source_get(code)
    fields = [pa.field(stored_name(c), arrow_type(c)) for c in spec.stored_columns]
    return pa.schema([*fields, pa.field("row_number", pa.int64())])
