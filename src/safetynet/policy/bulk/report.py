"""The differing households for people: names, villages and masked ID numbers of a page of
them, the Excel export, and the audit records of viewing and exporting a pass."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import IO, TYPE_CHECKING

import pyarrow as pa
import pyarrow.compute as pc

from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.jobs.exports import Written, export
from safetynet.jobs.services import JobError
from safetynet.jobs.tasks import ProgressFn
from safetynet.policy.bulk.services import (
    CATEGORY_LABELS,
    CATEGORY_ORDER,
    BulkPermissionDenied,
    BulkResult,
    classify_region,
    per_head,
)
from safetynet.policy.bulk.tables import BulkError
from safetynet.registry.models import Household
from safetynet.spreadsheets import StreamingXlsx, exporter_label

if TYPE_CHECKING:
    from safetynet.accounts.models import User


@dataclass(frozen=True)
class DifferenceRow:
    household_id: int
    head_name: str
    head_id_masked: str
    village: str
    region_id: str
    recorded: str
    proposed: str
    members: int
    income_per_head: Decimal
    dibao_standard: Decimal
    # Proposed member categories and how many members have each, e.g. (("destitute", 1), …).
    member_categories: tuple[tuple[str, int], ...] = ()

    @property
    def member_summary(self) -> str:
        """特困 1 人、无 2 人"""
        return "、".join(
            f"{CATEGORY_LABELS.get(category, category)} {count} 人"
            for category, count in self.member_categories
        )

    @property
    def recorded_label(self) -> str:
        return CATEGORY_LABELS.get(self.recorded, self.recorded)

    @property
    def proposed_label(self) -> str:
        return CATEGORY_LABELS.get(self.proposed, self.proposed)


def _member_categories(members: pa.Table, ids: list[int]) -> dict[int, list[tuple[str, int]]]:
    chosen = members.filter(pc.is_in(members["household_id"], value_set=pa.array(ids, pa.int64())))
    counts = chosen.group_by(["household_id", "category"]).aggregate([("person_id", "count")])
    order = {category: i for i, category in enumerate(["individual_dibao", *CATEGORY_ORDER])}
    grouped: dict[int, list[tuple[str, int]]] = {}
    for row in counts.to_pylist():
        grouped.setdefault(row["household_id"], []).append(
            (row["category"], row["person_id_count"])
        )
    return {
        hid: sorted(pairs, key=lambda pair: order.get(pair[0], len(order)))
        for hid, pairs in grouped.items()
    }


def difference_rows(*, user: User, table: pa.Table, members: pa.Table) -> list[DifferenceRow]:
    """Rows of (a page of) the differences with the head's name and masked ID (one query) and
    the proposed member categories."""
    records = table.to_pylist()
    ids = [r["household_id"] for r in records]
    member_categories = _member_categories(members, ids)
    households = {
        h.pk: h
        for h in scope_queryset(Household.objects.filter(pk__in=ids), user=user).select_related(
            "head", "region"
        )
    }
    rows = []
    for r in records:
        household = households.get(r["household_id"])
        if household is None:  # deleted since the pass
            continue
        head = household.head
        rows.append(
            DifferenceRow(
                household_id=r["household_id"],
                head_name=head.name if head else "",
                head_id_masked=head.id_number_masked if head else "",
                village=household.region.name,
                region_id=r["region_id"],
                recorded=r["recorded"],
                proposed=r["proposed"],
                members=r["members"],
                income_per_head=per_head(r["income_cents"], r["members"]),
                dibao_standard=(Decimal(r["dibao_cents"]) / 100).quantize(Decimal("0.01")),
                member_categories=tuple(member_categories.get(r["household_id"], ())),
            )
        )
    return rows


def iter_difference_rows(*, user: User, result: BulkResult) -> Iterator[DifferenceRow]:
    differences = result.differences
    for start in range(0, differences.num_rows, 1000):
        yield from difference_rows(
            user=user, table=differences.slice(start, 1000), members=result.members
        )


DIFFERENCE_HEADERS = [
    "家庭编号",
    "户主",
    "户主身份证号(脱敏)",
    "所属村(居)",
    "区划代码",
    "登记类别",
    "评估类别",
    "成员评估类别",
    "家庭人口",
    "月人均收入(元)",
    "低保标准(元/人·月)",
]


def result_write(*, user: User, result: BulkResult, out: IO[bytes] | str) -> int:
    """The cross table and every differing household, with masked ID numbers, streamed into
    ``out``; the number of differing households."""
    with StreamingXlsx(out, title="类别对照", exported_by=exporter_label(user)) as book:
        book.append([f"{result.region.name}（{result.region.code}）批量评估，评估日期 {result.on}"])
        book.append(["登记类别 \\ 评估类别", *[CATEGORY_LABELS[c] for c in CATEGORY_ORDER], "合计"])
        crosstab = result.crosstab()
        for recorded, cells, total in crosstab.rows():
            book.append([CATEGORY_LABELS[recorded], *cells, total])
        book.append(["合计", *crosstab.column_totals(), result.count])
        book.add_sheet("差异家庭")
        book.append(DIFFERENCE_HEADERS)
        count = 0
        for row in iter_difference_rows(user=user, result=result):
            count += 1
            book.append(
                [
                    row.household_id,
                    row.head_name,
                    row.head_id_masked,
                    row.village,
                    row.region_id,
                    row.recorded_label,
                    row.proposed_label,
                    row.member_summary,
                    row.members,
                    row.income_per_head,
                    row.dibao_standard,
                ]
            )
    return count


def result_workbook(*, user: User, result: BulkResult) -> tuple[bytes, int]:
    """The workbook of ``result_write`` in memory (the console's ``--out``)."""
    buffer = io.BytesIO()
    count = result_write(user=user, result=result, out=buffer)
    return buffer.getvalue(), count


def result_viewed(*, user: User, result: BulkResult, client: Client | None = None) -> None:
    """Audit that a user saw the differing households of a pass (names, masked IDs)."""
    audit_record(
        actor=user,
        action=Action.VIEW,
        object_type="bulk_classification",
        region_code=result.region.code,
        summary=(
            f"批量评估 {result.region.name} {result.on}：{result.count} 户，"
            f"差异 {result.differences.num_rows} 户"
        ),
        detail={
            "region": result.region.code,
            "on": result.on.isoformat(),
            "households": result.count,
            "differences": result.differences.num_rows,
        },
        client=client,
    )


def result_export(*, user: User, result: BulkResult, client: Client | None = None) -> bytes:
    """The Excel export of a pass, audited as an export of personal data."""
    if not user.has_capability(Capability.EXPORT_HOUSEHOLDS):
        raise BulkPermissionDenied("您没有导出家庭清单的权限")
    content, count = result_workbook(user=user, result=result)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="bulk_classification",
        region_code=result.region.code,
        summary=f"导出批量评估差异清单 {result.region.name} {result.on}：{count} 户",
        detail={
            "region": result.region.code,
            "on": result.on.isoformat(),
            "households": result.count,
            "differences": count,
        },
        client=client,
    )
    return content


@export(
    kind="policy.bulk_export",
    label="批量评估差异清单",
    suffix="xlsx",
    object_type="bulk_classification",
)
def bulk_export_write(
    *, user: User, params: dict[str, str], out: Path, progress: ProgressFn | None = None
) -> Written:
    """The bulk page's 导出 Excel, as a job: the pass run again as of the job (same region and
    assessment date), written as ``result_write`` writes it."""
    if not user.has_capability(Capability.EXPORT_HOUSEHOLDS):
        raise JobError("您没有导出家庭清单的权限")
    on = dt.date.fromisoformat(params["on"])
    try:
        result = classify_region(user=user, region_code=params["region"], on=on)
        if progress is not None:
            progress(0, result.differences.num_rows, "正在写入差异家庭")
        count = result_write(user=user, result=result, out=str(out))
    except BulkError as exc:
        raise JobError(str(exc)) from exc
    return Written(
        rows=count,
        filename=f"bulk-{result.region.code}-{on:%Y%m%d}.xlsx",
        summary=f"导出批量评估差异清单 {result.region.name} {result.on}：{count} 户",
        detail={
            "region": result.region.code,
            "on": result.on.isoformat(),
            "households": result.count,
            "differences": count,
        },
        region_code=result.region.code,
    )
