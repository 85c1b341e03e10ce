"""The registry of dashboard figures: one ``Figure`` row per figure (ADR 0014).

A figure counts something for a region (the region itself or, by ``by="region"``, each region one
level below it), a month and optional filters (category, residence, indicator, status), and
names its drill-down: the scoped list of households or records whose count (or, for ``persons``,
whose members) make the figure. Figures of the roll-ups read ``MonthlyRollup`` rows only; the
others count their own indexed tables of monitoring and determination for the region's code
range. A figure whose data belongs to an app not installed is simply not listed; adding one (an
app's figure as it arrives: amounts paid, referrals, recoveries) is one more row in ``FIGURES``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Any

from django.apps import apps
from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet, Sum
from django.db.models.functions import Substr

from safetynet.accounts.scope import scope_queryset
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import LEVEL_ORDER, SIGNIFICANT_DIGITS, Region
from safetynet.registry.models import CategoryStatus, Household
from safetynet.reports.models import MonthlyRollup
from safetynet.reports.rollups import month_end, previous_month, snapshot_day

Number = int | Decimal


def child_level(level: str) -> str | None:
    index = LEVEL_ORDER.index(level)
    return LEVEL_ORDER[index + 1] if index + 1 < len(LEVEL_ORDER) else None


@dataclass(frozen=True)
class Query:
    """What a figure is asked for. ``region`` is already checked against the user's scope."""

    user: Any
    region: Region
    month: dt.date
    category: str = ""
    residence: str = ""
    indicator: str = ""
    status: str = ""

    @property
    def bounds(self) -> tuple[str, str]:
        return prefix_bounds(self.region.prefix)

    def params(self) -> dict[str, str]:
        found = {
            "region": self.region.code,
            "month": f"{self.month:%Y-%m}",
            "category": self.category,
            "residence": self.residence,
            "indicator": self.indicator,
            "status": self.status,
        }
        return {key: value for key, value in found.items() if value}


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    unit: str
    group: str
    # The figure's value for the query's region, or for each region below it (by code).
    value: Callable[[Query], Number]
    by_region: Callable[[Query], dict[str, Number]]
    # The households or records behind the figure (scoped), and what of them makes the figure.
    drill: Callable[[Query], QuerySet[Any]]
    # "count", "member_count" (the members of the listed households) or "amount" (the sum of
    # the listed records' ``amount``)
    drill_measure: str = "count"
    # Filters the figure understands (the others are ignored).
    filters: tuple[str, ...] = ()
    # The app whose data it counts: the figure is listed only where that app is installed.
    app: str = ""
    note: str = ""

    @property
    def paid(self) -> bool:
        """A figure of the issued payment rolls: the pages say where a county has none."""
        return self.key in PAID_FIGURES

    @property
    def available(self) -> bool:
        return not self.app or apps.is_installed(self.app)


# ---- figures of the roll-ups ----------------------------------------------------------------


def _rollups(q: Query) -> QuerySet[MonthlyRollup]:
    rows = scope_queryset(MonthlyRollup.objects.filter(month=q.month), user=q.user)
    if q.category:
        rows = rows.filter(category=q.category)
    if q.residence:
        rows = rows.filter(residence=q.residence)
    return rows


def _rollup_value(column: str) -> Callable[[Query], Number]:
    def value(q: Query) -> Number:
        rows = _rollups(q).filter(level=q.region.level, region_code=q.region.code)
        total = rows.aggregate(total=Sum(column))["total"]
        return total or 0

    return value


def _rollup_by_region(column: str) -> Callable[[Query], dict[str, Number]]:
    def by_region(q: Query) -> dict[str, Number]:
        below = child_level(q.region.level)
        if below is None:
            return {}
        lo, hi = q.bounds
        rows = (
            _rollups(q)
            .filter(level=below, region_code__gte=lo, region_code__lte=hi)
            .values("region_code")
            .annotate(total=Sum(column))
            .order_by()
        )
        return {row["region_code"]: row["total"] or 0 for row in rows}

    return by_region


def in_category_on(day: dt.date, category: str = "") -> QuerySet[CategoryStatus]:
    """Category statuses (a household's or a member's) in force on ``day``."""
    statuses = CategoryStatus.objects.filter(effective_from__lte=day).filter(
        Q(effective_to__isnull=True) | Q(effective_to__gte=day)
    )
    if category:
        return statuses.filter(category=category)
    return statuses.exclude(category="")


def _households(q: Query) -> QuerySet[Household]:
    lo, hi = q.bounds
    households = scope_queryset(
        Household.objects.select_related("head", "region"), user=q.user
    ).filter(region_id__gte=lo, region_id__lte=hi)
    if q.residence:
        households = households.filter(residence=q.residence)
    return households


def _stock_drill(q: Query) -> QuerySet[Household]:
    day = snapshot_day(q.month)
    ids = in_category_on(day, q.category).values("household_id")
    return _households(q).filter(pk__in=ids).order_by("region_id", "id")


def _flow(q: Query, *, entering: bool) -> QuerySet[Household]:
    """Households that came into (or went out of) a category during the month: in it on one
    day and not the other. Without a category, those that did so for any category."""
    day = snapshot_day(q.month)
    before = month_end(previous_month(q.month))
    first, second = (day, before) if entering else (before, day)
    other = in_category_on(second).filter(
        household_id=OuterRef("household_id"), category=OuterRef("category")
    )
    pairs = in_category_on(first, q.category).annotate(held=Exists(other)).filter(held=False)
    return _households(q).filter(pk__in=pairs.values("household_id")).order_by("region_id", "id")


def _inflow_drill(q: Query) -> QuerySet[Household]:
    return _flow(q, entering=True)


def _outflow_drill(q: Query) -> QuerySet[Household]:
    return _flow(q, entering=False)


# ---- figures counted on their own tables ------------------------------------------------------


def _within(q: Query, queryset: QuerySet[Any], field_name: str) -> QuerySet[Any]:
    lo, hi = q.bounds
    scoped = scope_queryset(queryset, user=q.user)
    return scoped.filter(**{f"{field_name}__gte": lo, f"{field_name}__lte": hi})


def _month_range(q: Query) -> tuple[dt.date, dt.date]:
    return q.month, month_end(q.month)


def _counted(
    records: Callable[[Query], QuerySet[Any]], code_field: str
) -> tuple[Callable[[Query], Number], Callable[[Query], dict[str, Number]]]:
    def value(q: Query) -> Number:
        return records(q).count()

    def by_region(q: Query) -> dict[str, Number]:
        below = child_level(q.region.level)
        if below is None:
            return {}
        digits = SIGNIFICANT_DIGITS[below]
        rows = (
            records(q)
            .order_by()
            .annotate(part=Substr(code_field, 1, digits))
            .values("part")
            .annotate(total=Count("pk"))
        )
        return {row["part"].ljust(12, "0"): row["total"] for row in rows}

    return value, by_region


def _model(label: str) -> Any:
    """A model of an app that may be absent (the figure is then not listed)."""
    return apps.get_model(label)


def _alerts(q: Query) -> QuerySet[Any]:
    first, last = _month_range(q)
    alerts = _within(q, _model("monitoring.Alert").objects.all(), "region_code").filter(
        raised_on__gte=first, raised_on__lte=last
    )
    if q.indicator:
        alerts = alerts.filter(indicator_code=q.indicator)
    if q.status:
        alerts = alerts.filter(status=q.status)
    return alerts.select_related("household__head").order_by("region_code", "id")


def _checks_due(q: Query) -> QuerySet[Any]:
    first, last = _month_range(q)
    return (
        _within(q, _model("monitoring.HomeCheck").objects.all(), "region_code")
        .filter(due_on__gte=first, due_on__lte=last)
        .exclude(status="cancelled")
        .select_related("household__head")
        .order_by("region_code", "id")
    )


def _checks_on_time(q: Query) -> QuerySet[Any]:
    return _checks_due(q).filter(visit__visited_on__lte=F("due_on"))


def _decided(q: Query) -> QuerySet[Any]:
    first, last = _month_range(q)
    return (
        _within(q, _model("determination.Application").objects.all(), "region_id")
        .filter(status__in=("confirmed", "closed_refused"), closed_on__gte=first)
        .filter(closed_on__lte=last)
        .select_related("household__head")
        .order_by("region_id", "id")
    )


def _decided_in_time(q: Query) -> QuerySet[Any]:
    return _decided(q).filter(procedure_due_on__isnull=False, closed_on__lte=F("procedure_due_on"))


def _reviews_due(q: Query) -> QuerySet[Any]:
    first, last = _month_range(q)
    return (
        _within(q, _model("determination.ReviewSchedule").objects.all(), "region_id")
        .filter(due_on__gte=first, due_on__lte=last)
        .select_related("household__head")
        .order_by("region_id", "id")
    )


def _reviews_on_time(q: Query) -> QuerySet[Any]:
    return _reviews_due(q).filter(done_on__isnull=False, done_on__lte=F("due_on"))


def _dated(label: str, date_field: str) -> Callable[[Query], QuerySet[Any]]:
    """The records of an app's model dated in the month (its ``region_code`` in the region)."""

    def records(q: Query) -> QuerySet[Any]:
        first, last = _month_range(q)
        model = _model(label)
        found = _within(q, model.objects.all(), "region_code").filter(
            **{f"{date_field}__gte": first, f"{date_field}__lte": last}
        )
        if any(f.name == "household" for f in model._meta.get_fields()):
            found = found.select_related("household__head")
        return found.order_by("region_code", "id")

    return records


def _paid_lines(q: Query) -> QuerySet[Any]:
    """The households paid in the month: the lines of the counties' issued payment rolls."""
    lines = _within(
        q, _model("assistance.PaidLine").objects.filter(month=q.month), "region_code"
    ).select_related("household__head", "household__region")
    if q.category:
        lines = lines.filter(category=q.category)
    if q.residence:
        lines = lines.filter(household__residence=q.residence)
    return lines.order_by("region_code", "id")


def _live(
    key: str,
    label: str,
    group: str,
    records: Callable[[Query], QuerySet[Any]],
    code_field: str,
    *,
    app: str,
    filters: tuple[str, ...] = (),
    note: str = "",
) -> Figure:
    value, by_region = _counted(records, code_field)
    return Figure(
        key=key,
        label=label,
        unit="件",
        group=group,
        value=value,
        by_region=by_region,
        drill=records,
        filters=filters,
        app=app,
        note=note,
    )


_STOCK_FILTERS = ("category", "residence")
PAID_FIGURES = ("paid_households", "paid_amount")

FIGURES: tuple[Figure, ...] = (
    Figure(
        "households",
        "在册户数",
        "户",
        "救助对象",
        _rollup_value("households"),
        _rollup_by_region("households"),
        _stock_drill,
        filters=_STOCK_FILTERS,
    ),
    Figure(
        "persons",
        "在册人数",
        "人",
        "救助对象",
        _rollup_value("persons"),
        _rollup_by_region("persons"),
        _stock_drill,
        drill_measure="member_count",
        filters=_STOCK_FILTERS,
        note="按户认定的类别计全户人口，特困、单人保计本人",
    ),
    Figure(
        "inflow",
        "本月新增户数",
        "户",
        "救助对象",
        _rollup_value("inflow"),
        _rollup_by_region("inflow"),
        _inflow_drill,
        filters=_STOCK_FILTERS,
    ),
    Figure(
        "outflow",
        "本月退出户数",
        "户",
        "救助对象",
        _rollup_value("outflow"),
        _rollup_by_region("outflow"),
        _outflow_drill,
        filters=_STOCK_FILTERS,
    ),
    Figure(
        "amount",
        "月救助金额(元)",
        "元",
        "救助对象",
        _rollup_value("amount"),
        _rollup_by_region("amount"),
        _stock_drill,
        drill_measure="households",
        filters=_STOCK_FILTERS,
        app="safetynet.determination",
        note="认定决定和复核变更确定的月救助金额，非实际发放额",
    ),
    # The amounts paid (assistance's payment rolls as issued by each county for the month).
    Figure(
        "paid_households",
        "本月实发户数",
        "户",
        "救助对象",
        _rollup_value("paid_households"),
        _rollup_by_region("paid_households"),
        _paid_lines,
        filters=_STOCK_FILTERS,
        app="safetynet.assistance",
        note="已定稿发放名册中本月发放的户数；名册未定稿的县(市、区)不计入",
    ),
    Figure(
        "paid_amount",
        "本月实发金额(元)",
        "元",
        "救助对象",
        _rollup_value("paid_amount"),
        _rollup_by_region("paid_amount"),
        _paid_lines,
        drill_measure="amount",
        filters=_STOCK_FILTERS,
        app="safetynet.assistance",
        note="已定稿发放名册的发放金额；名册未定稿的县(市、区)不计入",
    ),
    _live(
        "alerts",
        "本月预警",
        "动态监测",
        _alerts,
        "region_code",
        app="safetynet.monitoring",
        filters=("indicator", "status"),
    ),
    _live(
        "checks_due",
        "本月应走访核查",
        "动态监测",
        _checks_due,
        "region_code",
        app="safetynet.monitoring",
    ),
    _live(
        "checks_on_time",
        "按时走访核查",
        "动态监测",
        _checks_on_time,
        "region_code",
        app="safetynet.monitoring",
    ),
    _live(
        "decided",
        "本月办结认定",
        "认定办理",
        _decided,
        "region_id",
        app="safetynet.determination",
    ),
    _live(
        "decided_in_time",
        "按时限办结",
        "认定办理",
        _decided_in_time,
        "region_id",
        app="safetynet.determination",
    ),
    _live(
        "reviews_due",
        "本月应复核",
        "认定办理",
        _reviews_due,
        "region_id",
        app="safetynet.determination",
    ),
    _live(
        "reviews_on_time",
        "按时复核",
        "认定办理",
        _reviews_on_time,
        "region_id",
        app="safetynet.determination",
    ),
    # The apps that came after the dashboards: each figure one row.
    _live(
        "referrals_sent",
        "本月推送转介",
        "救助帮扶",
        _dated("assistance.Referral", "sent_on"),
        "region_code",
        app="safetynet.assistance",
    ),
    _live(
        "referrals_answered",
        "本月部门反馈",
        "救助帮扶",
        _dated("assistance.Referral", "answered_on"),
        "region_code",
        app="safetynet.assistance",
    ),
    _live(
        "tipoffs",
        "本月受理举报",
        "监督管理",
        _dated("oversight.TipOff", "received_on"),
        "region_code",
        app="safetynet.oversight",
    ),
    _live(
        "recoveries",
        "本月追回决定",
        "监督管理",
        _dated("oversight.Recovery", "decided_on"),
        "region_code",
        app="safetynet.oversight",
    ),
)

# Rates (考核): numerator, denominator, whether higher is better.
RATES: tuple[tuple[str, str, str, str], ...] = (
    ("checks_rate", "走访核查按时率", "checks_on_time", "checks_due"),
    ("decided_rate", "认定按时办结率", "decided_in_time", "decided"),
    ("reviews_rate", "复核按时率", "reviews_on_time", "reviews_due"),
    ("inflow_rate", "月新增率", "inflow", "households"),
    ("outflow_rate", "月退出率", "outflow", "households"),
)


def available() -> list[Figure]:
    return [figure for figure in FIGURES if figure.available]


def get(key: str) -> Figure | None:
    return next((figure for figure in available() if figure.key == key), None)


@dataclass
class DrillDown:
    figure: Figure
    query: Query
    rows: QuerySet[Any]
    kind: str = field(default="households")


def drill(figure: Figure, q: Query) -> DrillDown:
    rows = figure.drill(replace(q))
    kind = "households" if rows.model is Household else rows.model._meta.model_name or ""
    return DrillDown(figure=figure, query=q, rows=rows, kind=kind)
