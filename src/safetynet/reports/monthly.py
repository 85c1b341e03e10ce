"""The monthly statistical report in the civil-affairs layout (统计月报): for a month and a
region, one table per category with a row per region one level below and the total: households,
persons, monthly amounts, new and ended households, by urban and rural. Read from the roll-ups.

Two amounts: the monthly amounts decided (determination's decisions and review changes in force
on the snapshot day) and the amounts paid — the lines of each county's payment roll of the month
as issued for payment (assistance). A county that has issued no roll for the month has no
amounts paid: its lines say 未定稿 and the sheet names it, instead of a silent zero.
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

COLUMNS = ("households", "persons", "amount", "paid_households", "paid_amount", "inflow", "outflow")
HEADINGS = (
    "户数",
    "人数",
    "月救助金额(元)",
    "实发户数",
    "实发金额(元)",
    "本月新增户数",
    "本月退出户数",
)
PAID_ABSENT = "本平台未启用救助金发放模块，本表不含实发数。"
ROLL_STATUS = {"all": "已定稿", "partial": "部分未定稿", "none": "未定稿"}


@dataclass
class Line:
    code: str
    name: str
    figures: dict[str, dict[str, Any]] = field(default_factory=dict)  # residence → column → n
    roll: str = ""  # the payment rolls of the month: 已定稿 / 部分未定稿 / 未定稿

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
    paid_note: str = ""


def _empty() -> dict[str, Any]:
    found: dict[str, Any] = dict.fromkeys(COLUMNS, 0)
    found["amount"] = found["paid_amount"] = Decimal("0")
    return found


def build(*, user: Any, region: Region, month: dt.date) -> Report:
    from safetynet.reports.selectors import display_name, paid_coverage

    coverage = paid_coverage(region, month)

    def roll(code: str) -> str:
        return ROLL_STATUS[coverage.status(code)] if coverage else ""

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
            line = Line(child.code, display_name(child.code, child.name), roll=roll(child.code))
            for residence in Residence.values:
                found = sums.get((child.code, category, residence))
                line.figures[residence] = {c: found[c] for c in COLUMNS} if found else _empty()
            lines.append(line)
        total = Line(region.code, "合计", roll=roll(region.code))
        for residence in Residence.values:
            found = totals.get((category, residence))
            total.figures[residence] = {c: found[c] for c in COLUMNS} if found else _empty()
        tables.append(Table(category, str(label), lines, total))
    if coverage is None:
        paid_note = PAID_ABSENT
    else:
        missing = coverage.note(region.code)
        paid_note = "实发数为各县(市、区)已定稿发放名册的发放数" + (
            f"；{missing}。" if missing else "，本月各县(市、区)均已定稿。"
        )
    return Report(
        region=region,
        month=month,
        snapshot_on=snapshot_day(month),
        tables=tables,
        paid_note=paid_note,
    )


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
        sheet.append([f"统计截止日：{report.snapshot_on.isoformat()}", "", report.paid_note])
        header = ["区划代码", "地区"]
        for _value, residence_label in residences:
            header += [f"{residence_label}{heading}" for heading in HEADINGS]
        header += [f"合计{heading}" for heading in HEADINGS]
        header.append("发放名册")
        sheet.append(header)
        for line in [*table.lines, table.total]:
            row: list[Any] = [line.code, line.name]
            for residence, _label in residences:
                row += [line.figures[residence][column] for column in COLUMNS]
            row += [line.total(column) for column in COLUMNS]
            row.append(line.roll)
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
