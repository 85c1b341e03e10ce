"""The monthly statistical report in the civil-affairs layout (统计月报): for a month and a
region, one table per category with a row per region one level below and the total: households,
persons, monthly amounts, new and ended households, by urban and rural. Read from the roll-ups.

Amounts are the monthly amounts decided (determination's decisions and review changes in force
on the snapshot day); the amounts actually paid come with the assistance app (its column stays
empty until then, the sheet says so).
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Sum

from safetynet.accounts.scope import scope_queryset
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Region
from safetynet.registry.choices import Category, Residence
from safetynet.reports.figures import child_level
from safetynet.reports.models import MonthlyRollup
from safetynet.reports.rollups import snapshot_day
from safetynet.spreadsheets import Workbook

COLUMNS = ("households", "persons", "amount", "inflow", "outflow")
HEADINGS = ("户数", "人数", "月救助金额(元)", "本月新增户数", "本月退出户数")
PAID_NOTE = "实际发放金额由救助帮扶模块提供，接入前本表不含发放数。"


@dataclass
class Line:
    code: str
    name: str
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)  # residence → column → n

    def total(self, column: str) -> Any:
        return sum((values.get(column, 0) for values in self.figures.values()), 0)

    @property
    def totals(self) -> dict[str, Any]:
        return {column: self.total(column) for column in COLUMNS}


@dataclass
class Table:
    category: str
    label: str
    lines: list[Line]
    total: Line


@dataclass
class Report:
    region: Region
    month: dt.date
    snapshot_on: dt.date
    tables: list[Table]


def _empty() -> dict[str, Any]:
    return {"households": 0, "persons": 0, "amount": Decimal("0"), "inflow": 0, "outflow": 0}


def build(*, user: Any, region: Region, month: dt.date) -> Report:
    from safetynet.reports.selectors import display_name

    below = child_level(region.level)
    rows = scope_queryset(MonthlyRollup.objects.filter(month=month), user=user)
    own = rows.filter(level=region.level, region_code=region.code)
    if below is not None:
        lo, hi = prefix_bounds(region.prefix)
        parts = rows.filter(level=below, region_code__gte=lo, region_code__lte=hi)
        children = list(Region.objects.filter(parent=region).order_by("code"))
    else:
        parts = own
        children = [region]
    sums: dict[tuple[str, str, str], dict[str, Any]] = {
        (row["region_code"], row["category"], row["residence"]): dict(row)
        for row in parts.values("region_code", "category", "residence").annotate(
            **{column: Sum(column) for column in COLUMNS}
        )
    }
    totals: dict[tuple[str, str], dict[str, Any]] = {
        (row["category"], row["residence"]): dict(row)
        for row in own.values("category", "residence").annotate(
            **{column: Sum(column) for column in COLUMNS}
        )
    }
    tables = []
    for category, label in Category.choices:
        lines = []
        for child in children:
            line = Line(child.code, display_name(child.code, child.name))
            for residence in Residence.values:
                found = sums.get((child.code, category, residence))
                line.figures[residence] = {c: found[c] for c in COLUMNS} if found else _empty()
            lines.append(line)
        total = Line(region.code, "合计")
        for residence in Residence.values:
            found = totals.get((category, residence))
            total.figures[residence] = {c: found[c] for c in COLUMNS} if found else _empty()
        tables.append(Table(category, str(label), lines, total))
    return Report(region=region, month=month, snapshot_on=snapshot_day(month), tables=tables)


def workbook(report: Report) -> bytes:
    from safetynet.reports.selectors import display_name

    book = Workbook()
    book.remove(book.active)
    residences = Residence.choices
    for table in report.tables:
        sheet = book.create_sheet(table.label)
        sheet.append(
            [
                f"{display_name(report.region.code, report.region.name)}"
                f"{table.label}统计月报（{report.month:%Y年%m月}）"
            ]
        )
        sheet.append([f"统计截止日：{report.snapshot_on.isoformat()}", "", PAID_NOTE])
        header = ["区划代码", "地区"]
        for _value, residence_label in residences:
            header += [f"{residence_label}{heading}" for heading in HEADINGS]
        header += [f"合计{heading}" for heading in HEADINGS]
        sheet.append(header)
        for line in [*table.lines, table.total]:
            row: list[Any] = [line.code, line.name]
            for residence, _label in residences:
                row += [line.figures[residence][column] for column in COLUMNS]
            row += [line.total(column) for column in COLUMNS]
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
