"""``classify_region``: the region check, extraction, standards, the engine's pass, and the
result with its differences and cross table."""

from __future__ import annotations

import datetime as dt
import logging
import time
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from functools import cached_property
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc
from django.http import Http404

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_prefix
from safetynet.policy.assessment.terms import NONE
from safetynet.policy.bulk.engine import BulkInputs, ClassificationEngine, DuckDBEngine
from safetynet.policy.bulk.extract import extract
from safetynet.policy.bulk.tables import BulkError, standards_table
from safetynet.policy.common import Standards
from safetynet.regions.models import Region
from safetynet.regions.selectors import region_get
from safetynet.registry.choices import Category

if TYPE_CHECKING:
    from safetynet.accounts.models import User

logger = logging.getLogger(__name__)

CATEGORY_LABELS: dict[str, str] = {NONE: "无", **{c.value: str(c.label) for c in Category}}
# Order of rows and columns in the cross table: the poorest first, "none" last.
CATEGORY_ORDER = [
    Category.DIBAO.value,
    Category.DESTITUTE.value,
    Category.NEAR_DIBAO.value,
    Category.EXPENDITURE_HARDSHIP.value,
    Category.OTHER_LOW_INCOME.value,
    NONE,
]


class BulkPermissionDenied(BulkError):
    pass


def per_head(income_cents: int, members: int) -> Decimal:
    """Monthly income per head, rounded half-up to 0.01 yuan (display only)."""
    if not members:
        return Decimal("0.00")
    return (Decimal(income_cents) / 100 / members).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


@dataclass(frozen=True)
class CrossTab:
    """Households counted by recorded (rows) and proposed (columns) category."""

    counts: dict[tuple[str, str], int]

    @property
    def categories(self) -> list[str]:
        return CATEGORY_ORDER

    def rows(self) -> list[tuple[str, list[int], int]]:
        """(recorded category, counts per proposed category, row total) in display order."""
        out = []
        for recorded in CATEGORY_ORDER:
            cells = [self.counts.get((recorded, proposed), 0) for proposed in CATEGORY_ORDER]
            out.append((recorded, cells, sum(cells)))
        return out

    def column_totals(self) -> list[int]:
        return [
            sum(self.counts.get((recorded, proposed), 0) for recorded in CATEGORY_ORDER)
            for proposed in CATEGORY_ORDER
        ]


@dataclass(frozen=True)
class BulkResult:
    region: Region
    on: dt.date
    # household_id, region_id, residence, recorded ("none" when blank), relapse_watch,
    # proposed, members, income_cents, dibao_cents; ordered by household_id
    households: pa.Table
    # household_id, person_id, category
    members: pa.Table
    standards: dict[tuple[str, str], Standards] = field(default_factory=dict)
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def count(self) -> int:
        return self.households.num_rows

    @cached_property
    def differences(self) -> pa.Table:
        """Households whose proposed category differs from the recorded one, by village."""
        table = self.households
        differ = table.filter(pc.not_equal(table["proposed"], table["recorded"]))
        return differ.sort_by([("region_id", "ascending"), ("household_id", "ascending")])

    def crosstab(self) -> CrossTab:
        grouped = self.households.group_by(["recorded", "proposed"]).aggregate(
            [("household_id", "count")]
        )
        return CrossTab(
            counts={
                (row["recorded"], row["proposed"]): row["household_id_count"]
                for row in grouped.to_pylist()
            }
        )

    @property
    def uses_example_standards(self) -> bool:
        return any(s.is_example for s in self.standards.values())


def _recorded_as_none(table: pa.Table) -> pa.Table:
    index = table.schema.get_field_index("recorded")
    recorded = pc.if_else(pc.equal(table["recorded"], ""), NONE, table["recorded"])
    return table.set_column(index, "recorded", recorded)


def classification_region(*, user: User, region_code: str) -> Region:
    """The region a user may classify: inside their scope, at or below their own level.

    Outside the scope is a 404 like a missing region (ADR 0002): "not yours" and "does not
    exist" look the same."""
    if user is None or not user.has_capability(Capability.ASSESS_HOUSEHOLDS):
        raise BulkPermissionDenied("您没有救助类别评估的权限")
    prefix = scope_prefix(user)
    region = region_get(code=region_code)
    if prefix is None or not region.prefix.startswith(prefix):
        raise Http404("未找到该区划，或不在您的管辖范围内。")
    return region


def resolve_standards(
    *, pairs: set[tuple[str, str]], on: dt.date
) -> dict[tuple[str, str], Standards]:
    """The standards of each (county, residence) pair, in two queries; the first county
    without standards in force stops the pass with the resolver's message."""
    from safetynet.policy.standards.selectors import StandardsMissing, standards_effective_table

    counties = Region.objects.filter(code__in={county.ljust(12, "0") for county, _ in pairs})
    resolved = {
        region.code[:6]: entry
        for region, entry in zip(
            counties, standards_effective_table(regions=counties, on=on), strict=True
        )
    }
    standards = {}
    for county, residence in sorted(pairs):
        entry = resolved.get(county)
        if entry is None:
            raise BulkError(f"区划代码不存在：{county}")
        if isinstance(entry, StandardsMissing):
            raise BulkError(str(entry))
        standards[(county, residence)] = entry.standards(residence)
    return standards


def classify_region(
    *, user: User, region_code: str, on: dt.date, engine: ClassificationEngine | None = None
) -> BulkResult:
    """Classify every household of a region in the user's scope on ``on`` in one pass."""
    region = classification_region(user=user, region_code=region_code)
    started = time.perf_counter()
    tables, pairs = extract(user=user, region=region, on=on)
    standards = resolve_standards(pairs=pairs, on=on)
    tables["households"] = _recorded_as_none(tables["households"])
    tables["standards"] = standards_table(standards)
    extracted = time.perf_counter()
    outputs = (engine or DuckDBEngine()).run(BulkInputs(on=on, tables=tables))
    finished = time.perf_counter()
    timings = {"extract": extracted - started, "classify": finished - extracted}
    logger.info(
        "bulk classification",
        extra={
            "region": region.code,
            "on": on.isoformat(),
            "households": outputs.households.num_rows,
            **timings,
        },
    )
    return BulkResult(
        region=region,
        on=on,
        households=outputs.households,
        members=outputs.members,
        standards=standards,
        timings=timings,
    )
