"""Keeping the monthly roll-ups current (ADR 0014).

A month's rows are rebuilt set-based from the registry's dated category history: one INSERT …
SELECT for the villages, then one per level above, each summing the level below by the code
prefix. Nothing here reads a household row by row, and no page reads the registry to count.

What is counted, for a month M with snapshot day S (M's last day, or today in the current
month) and the previous month's last day P:

- a household is in category C on a day when a status of C (the household's own, or for
  destitute and individual dibao a member's) is in force that day;
- ``households``: in C on S; ``persons``: its members (``member_count``), or for a member's
  category the members in C;
- ``inflow``: in C on S but not on P; ``outflow``: in C on P but not on S;
- ``amount``: the monthly amounts in force on S for the household and C, from determination's
  confirmed decisions (from their start month) and review changes (from their date), the latest;
- ``paid_households``, ``paid_amount``: the lines of the county's payment roll of month M as
  issued for payment (assistance's ``PaidLine``), by the line's village and category; nothing
  where the county has issued no roll for M (the pages say so, ``paid_coverage``);
- region and residence are the household's current ones (for the amounts paid, the village of
  the line).
"""

from __future__ import annotations

import calendar
import datetime as dt
import time
from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import connection, transaction
from django.utils import timezone

from safetynet.determination.models import Application, Decision, ReviewSchedule
from safetynet.regions.models import SIGNIFICANT_DIGITS, Level
from safetynet.registry.models import CategoryStatus, Household
from safetynet.reports.models import MonthlyRollup, RefreshRun

# The levels summed from the one below, in order, with the digits that identify them.
UPPER_LEVELS = [Level.TOWNSHIP, Level.COUNTY, Level.CITY, Level.PROVINCE]


def month_start(day: dt.date) -> dt.date:
    return day.replace(day=1)


def month_end(month: dt.date) -> dt.date:
    return month.replace(day=calendar.monthrange(month.year, month.month)[1])


def previous_month(month: dt.date) -> dt.date:
    return month_start(month_start(month) - dt.timedelta(days=1))


def snapshot_day(month: dt.date, *, today: dt.date | None = None) -> dt.date:
    """The day a month is counted on: its last day, or today while it runs."""
    today = today or timezone.localdate()
    return min(month_end(month), today)


def parse_month(raw: str) -> dt.date:
    """``YYYY-MM`` → the month's first day; ValueError otherwise."""
    try:
        year, month = raw.strip().split("-")
        return dt.date(int(year), int(month), 1)
    except (ValueError, TypeError):
        raise ValueError(f"月份格式错误：{raw}（应为 YYYY-MM，如 2026-11）") from None


PAID_APP = "safetynet.assistance"


def _paid_table() -> str | None:
    """The issued payment rolls' lines, where the assistance app is installed."""
    if not apps.is_installed(PAID_APP):
        return None
    return str(apps.get_model("assistance", "PaidLine")._meta.db_table)


def _village_sql(paid: str | None) -> str:
    status = CategoryStatus._meta.db_table
    household = Household._meta.db_table
    decision = Decision._meta.db_table
    application = Application._meta.db_table
    review = ReviewSchedule._meta.db_table
    rollup = MonthlyRollup._meta.db_table
    paid_part = (
        f"""UNION ALL
    SELECT pl.region_code, pl.category, h.residence, 0, 0, 0, 0, 0, 1, pl.amount
    FROM {paid} pl JOIN {household} h ON h.id = pl.household_id
    WHERE pl.month = %s"""
        if paid
        else ""
    )
    in_force = "cs.effective_from <= %s AND (cs.effective_to IS NULL OR cs.effective_to >= %s)"
    return f"""
INSERT INTO {rollup} (level, region_code, month, category, residence, households, persons,
                      inflow, outflow, amount, paid_households, paid_amount, refreshed_at)
WITH cur AS (
    SELECT cs.household_id AS hid, cs.category AS cat, MAX(h.member_count) AS persons
    FROM {status} cs JOIN {household} h ON h.id = cs.household_id
    WHERE cs.person_id IS NULL AND cs.category <> '' AND {in_force}
    GROUP BY cs.household_id, cs.category
    UNION ALL
    SELECT cs.household_id AS hid, cs.category AS cat, COUNT(DISTINCT cs.person_id) AS persons
    FROM {status} cs
    WHERE cs.person_id IS NOT NULL AND cs.category <> '' AND {in_force}
    GROUP BY cs.household_id, cs.category
),
prev AS (
    SELECT DISTINCT cs.household_id AS hid, cs.category AS cat
    FROM {status} cs WHERE cs.category <> '' AND {in_force}
),
both_days AS (
    SELECT hid, cat, persons, 1 AS in_cur, 0 AS in_prev FROM cur
    UNION ALL
    SELECT hid, cat, 0 AS persons, 0 AS in_cur, 1 AS in_prev FROM prev
),
x AS (
    SELECT hid, cat, SUM(persons) AS persons, MAX(in_cur) AS in_cur, MAX(in_prev) AS in_prev
    FROM both_days GROUP BY hid, cat
),
decided AS (
    SELECT a.household_id AS hid, d.category AS cat, d.monthly_amount AS amt,
           d.start_month AS since, 0 AS seq, d.id AS rid
    FROM {decision} d JOIN {application} a ON a.id = d.application_id
    WHERE d.outcome = 'confirmed' AND d.monthly_amount IS NOT NULL AND d.start_month <= %s
    UNION ALL
    SELECT r.household_id AS hid, COALESCE(NULLIF(r.new_category, ''), r.category) AS cat,
           r.monthly_amount AS amt, r.changes_from AS since, 1 AS seq, r.id AS rid
    FROM {review} r
    WHERE r.monthly_amount IS NOT NULL AND r.changes_from IS NOT NULL AND r.changes_from <= %s
),
amounts AS (
    SELECT hid, cat, amt FROM (
        SELECT hid, cat, amt,
               ROW_NUMBER() OVER (PARTITION BY hid, cat ORDER BY since DESC, seq DESC, rid DESC)
               AS rn
        FROM decided
    ) ranked WHERE rn = 1
),
parts AS (
    SELECT h.region_id AS region, x.cat AS cat, h.residence AS residence,
           x.in_cur AS households,
           CASE WHEN x.in_cur = 1 THEN x.persons ELSE 0 END AS persons,
           CASE WHEN x.in_cur = 1 AND x.in_prev = 0 THEN 1 ELSE 0 END AS inflow,
           CASE WHEN x.in_cur = 0 AND x.in_prev = 1 THEN 1 ELSE 0 END AS outflow,
           CASE WHEN x.in_cur = 1 THEN COALESCE(am.amt, 0) ELSE 0 END AS amount,
           0 AS paid_households, 0 AS paid_amount
    FROM x JOIN {household} h ON h.id = x.hid
    LEFT JOIN amounts am ON am.hid = x.hid AND am.cat = x.cat
    {paid_part}
)
SELECT 'village', region, %s, cat, residence, SUM(households), SUM(persons), SUM(inflow),
       SUM(outflow), SUM(amount), SUM(paid_households), SUM(paid_amount), %s
FROM parts
GROUP BY region, residence, cat
"""


def _upper_sql(level: str, below: str) -> str:
    rollup = MonthlyRollup._meta.db_table
    digits = SIGNIFICANT_DIGITS[level]
    pad = "0" * (12 - digits)
    return f"""
INSERT INTO {rollup} (level, region_code, month, category, residence, households, persons,
                      inflow, outflow, amount, paid_households, paid_amount, refreshed_at)
SELECT '{level}', SUBSTR(region_code, 1, {digits}) || '{pad}', month, category, residence,
       SUM(households), SUM(persons), SUM(inflow), SUM(outflow), SUM(amount),
       SUM(paid_households), SUM(paid_amount), %s
FROM {rollup} WHERE month = %s AND level = '{below}'
GROUP BY SUBSTR(region_code, 1, {digits}), month, category, residence
"""


@dataclass(frozen=True)
class Refreshed:
    month: dt.date
    snapshot_on: dt.date
    rows: int
    seconds: float


def refresh_month(
    month: dt.date, *, today: dt.date | None = None, trigger: str = "manual"
) -> Refreshed:
    """Rebuild one month's rows at every level. Idempotent; a month not yet begun is refused."""
    today = today or timezone.localdate()
    month = month_start(month)
    if month > today:
        raise ValueError(f"{month:%Y-%m} 尚未开始，无法统计")
    current = snapshot_day(month, today=today)
    previous = month_end(previous_month(month))
    now = timezone.now()
    started = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cursor:
        MonthlyRollup.objects.filter(month=month).delete()
        paid = _paid_table()
        params: list[Any] = [current, current, current, current, previous, previous]
        params += [current, current]
        if paid:
            params.append(month)
        params += [month, now]
        cursor.execute(_village_sql(paid), params)
        below = Level.VILLAGE
        for level in UPPER_LEVELS:
            cursor.execute(_upper_sql(level, below), [now, month])
            below = level
        rows = MonthlyRollup.objects.filter(month=month).count()
        seconds = time.perf_counter() - started
        RefreshRun.objects.create(
            month=month, snapshot_on=current, rows=rows, seconds=seconds, trigger=trigger
        )
    return Refreshed(month=month, snapshot_on=current, rows=rows, seconds=seconds)


def refresh_recent(*, today: dt.date | None = None, trigger: str = "daily") -> list[Refreshed]:
    """The daily run: the current month and the one before (a status recorded late with a past
    date changes last month's figures too)."""
    today = today or timezone.localdate()
    current = month_start(today)
    return [
        refresh_month(previous_month(current), today=today, trigger=trigger),
        refresh_month(current, today=today, trigger=trigger),
    ]


def last_refresh(month: dt.date) -> RefreshRun | None:
    return RefreshRun.objects.filter(month=month_start(month)).order_by("-created_at").first()
