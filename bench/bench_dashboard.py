"""The statistics dashboard at Henan scale (issue 16, ADR 0014).

Makes ``HOUSEHOLDS`` households (bare rows spread over every village of the province, 1–5
members each: 2,000,000 households ≈ 5,000,000 persons at ``BENCH_SCALE=1``; the default 0.05 is
a short run; the current category is left to the daily run, the roll-ups read only the history)
with a category history over the last 13 months (a third of them in a category, a tenth of those
ended, a fifth moved between categories), refreshes the roll-ups of the 12 months
the dashboard shows, and times:

- the province dashboard page (figures, category × residence table, 12 months of flows, the
  cities for the map) and its JSON for the charts, as a logged-in province supervisor through
  the whole Django stack (median of 5);
- the naive baseline in the same run: the same numbers counted from the registry's category
  history per view (what a dashboard without roll-ups does);
- the refresh of one month (the daily run refreshes two), with every county's payment roll of
  each month issued (PostgreSQL: a line per dibao household in force on the month's first day,
  so that the amounts paid go through the refresh's paid-lines branch too).

Target: the dashboard answers in <= 500 ms at 5,000,000 persons.
"""

from __future__ import annotations

import datetime as dt
import os
import random
import statistics
import time
from typing import Any

SCALE = float(os.environ.get("BENCH_SCALE", "0.05"))
HOUSEHOLDS = int(2_000_000 * SCALE)
TARGET_MS = 500.0
BATCH = 5000
CATEGORIES = ["dibao", "near_dibao", "expenditure_hardship", "other_low_income"]


def _make_postgresql(today: dt.date) -> int:
    """The same data set-based in PostgreSQL (generate_series), minutes faster at full scale."""
    from django.db import connection

    start = today - dt.timedelta(days=395)
    categories = "(ARRAY['dibao','near_dibao','expenditure_hardship','other_low_income'])"
    with connection.cursor() as cursor:
        cursor.execute("SELECT setseed(0.16)")
        cursor.execute(
            """
            WITH v AS (
                SELECT code, urban_rural, row_number() OVER (ORDER BY code) AS k
                FROM regions_region WHERE level = 'village'
            ),
            picks AS (
                SELECT 1 + floor(random() * (SELECT count(*) FROM v))::int AS k
                FROM generate_series(1, %s) g
            )
            INSERT INTO registry_household (region_id, residence, address, phone, category,
                                            relapse_watch, member_count, created_at, updated_at)
            SELECT v.code, COALESCE(NULLIF(v.urban_rural, ''), 'rural'), '', '', '', '',
                   CASE WHEN random() < 0.8 THEN 1 + floor(random() * 4)::int ELSE 5 END,
                   now(), now()
            FROM picks p JOIN v ON v.k = p.k
            """,
            [HOUSEHOLDS],
        )
        cursor.execute(
            f"""
            CREATE TEMP TABLE bench_s AS
            SELECT id AS hid, {categories}[1 + floor(random() * 4)::int] AS cat,
                   %s::date + floor(random() * 380)::int AS since, random() AS roll,
                   1 + floor(random() * 199)::int AS gap,
                   {categories}[1 + floor(random() * 4)::int] AS cat2
            FROM registry_household WHERE random() < 1.0 / 3
            """,
            [start],
        )
        cursor.execute(
            """
            INSERT INTO registry_categorystatus (household_id, effective_from, effective_to,
                                                 reason, created_at, category)
            SELECT hid, since,
                   CASE WHEN roll < 0.3 AND since + gap < %s THEN since + gap - 1 END,
                   '基准测试', now(), cat
            FROM bench_s
            """,
            [today],
        )
        cursor.execute(
            """
            INSERT INTO registry_categorystatus (household_id, effective_from, effective_to,
                                                 reason, created_at, category)
            SELECT hid, since + gap, NULL, '基准测试', now(),
                   CASE WHEN roll < 0.1 THEN '' ELSE cat2 END
            FROM bench_s WHERE roll < 0.3 AND since + gap < %s
            """,
            [today],
        )
        cursor.execute("DROP TABLE bench_s")
    return HOUSEHOLDS


def _issue_rolls(months: list[dt.date]) -> int:
    """Every county's payment roll of each month as issued (PostgreSQL, set-based): a line per
    household in dibao on the month's first day, 600 yuan. Returns the number of lines."""
    from django.db import connection

    from safetynet.accounts.models import User
    from safetynet.accounts.roles import Role

    if connection.vendor != "postgresql":
        return 0
    issuer = User.objects.create_user(
        username="bench_county", password="x", role=Role.ADMINISTRATOR
    )
    lines = 0
    with connection.cursor() as cursor:
        for month in months:
            cursor.execute(
                """
                INSERT INTO assistance_paidroll (county_code, month, households, total,
                    previous_total, new, ended, changed, counts, issued_by_id, issued_at)
                SELECT DISTINCT SUBSTR(h.region_id, 1, 6) || '000000', %s::date, 0, 0, 0, 0, 0, 0,
                       '{}'::jsonb, %s, now()
                FROM registry_categorystatus cs JOIN registry_household h ON h.id = cs.household_id
                WHERE cs.category = 'dibao' AND cs.effective_from <= %s
                  AND (cs.effective_to IS NULL OR cs.effective_to >= %s)
                """,
                [month, issuer.pk, month, month],
            )
            cursor.execute(
                """
                INSERT INTO assistance_paidline (roll_id, month, household_id, region_code,
                                                 category, amount)
                SELECT r.id, %s::date, h.id, h.region_id, 'dibao', 600
                FROM registry_categorystatus cs JOIN registry_household h ON h.id = cs.household_id
                JOIN assistance_paidroll r
                  ON r.month = %s AND r.county_code = SUBSTR(h.region_id, 1, 6) || '000000'
                WHERE cs.category = 'dibao' AND cs.effective_from <= %s
                  AND (cs.effective_to IS NULL OR cs.effective_to >= %s)
                """,
                [month, month, month, month],
            )
            lines += cursor.rowcount
    return lines


def _make(today: dt.date) -> int:
    from django.db import connection

    from safetynet.regions.models import Level, Region

    if connection.vendor == "postgresql":
        return _make_postgresql(today)
    from safetynet.registry.models import CategoryStatus, Household

    villages = list(Region.objects.filter(level=Level.VILLAGE).values_list("code", "urban_rural"))
    rng = random.Random(16)
    start = today - dt.timedelta(days=395)
    made = 0
    while made < HOUSEHOLDS:
        size = min(BATCH, HOUSEHOLDS - made)
        rows = []
        for _ in range(size):
            code, urban_rural = villages[rng.randrange(len(villages))]
            rows.append(
                Household(
                    region_id=code,
                    residence=urban_rural or "rural",
                    member_count=rng.randint(1, 4) if rng.random() < 0.8 else 5,
                )
            )
        created = Household.objects.bulk_create(rows)
        statuses = []
        for household in created:
            if rng.random() >= 1 / 3:
                continue
            category = rng.choice(CATEGORIES)
            since = start + dt.timedelta(days=rng.randrange(380))
            roll = rng.random()
            if roll < 0.3:
                change = since + dt.timedelta(days=rng.randrange(1, 200))
                if change < today:
                    statuses.append(
                        CategoryStatus(
                            household_id=household.pk,
                            category=category,
                            effective_from=since,
                            effective_to=change - dt.timedelta(days=1),
                            reason="基准测试",
                        )
                    )
                    category = "" if roll < 0.1 else rng.choice(CATEGORIES)
                    since = change
            statuses.append(
                CategoryStatus(
                    household_id=household.pk,
                    category=category,
                    effective_from=since,
                    reason="基准测试",
                )
            )
        CategoryStatus.objects.bulk_create(statuses)
        made += size
    return made


def _naive(region_code: str, month: dt.date) -> dict[str, Any]:
    """The same figures counted from the registry per view: category × residence in force on
    the snapshot day, the cities, and 12 months of flows (in force on two days each)."""
    from django.db.models import Count
    from django.db.models.functions import Substr

    from safetynet.reports.figures import in_category_on
    from safetynet.reports.rollups import month_end, previous_month, snapshot_day

    day = snapshot_day(month)
    table = list(
        in_category_on(day)
        .filter(household__region_id__gte=region_code, household__region_id__lte="419999999999")
        .values("category", "household__residence")
        .annotate(n=Count("household_id", distinct=True))
    )
    cities = list(
        in_category_on(day)
        .annotate(city=Substr("household__region_id", 1, 4))
        .values("city")
        .annotate(n=Count("household_id", distinct=True))
    )
    flows = []
    current = month
    for _ in range(12):
        now = in_category_on(snapshot_day(current)).values("household_id", "category")
        before = in_category_on(month_end(previous_month(current))).values(
            "household_id", "category"
        )
        flows.append(
            (
                len({(r["household_id"], r["category"]) for r in now}),
                len({(r["household_id"], r["category"]) for r in before}),
            )
        )
        current = previous_month(current)
    return {"table": table, "cities": cities, "flows": flows}


def _time(fn: Any, runs: int = 5) -> float:
    timings = []
    for _ in range(runs):
        started = time.perf_counter()
        fn()
        timings.append((time.perf_counter() - started) * 1000)
    return statistics.median(timings)


def main() -> Any:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.utils import timezone

    from safetynet.accounts.models import User
    from safetynet.accounts.roles import Role
    from safetynet.regions.models import Region
    from safetynet.reports.rollups import month_start, previous_month, refresh_month

    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]
    today = timezone.localdate()
    started = time.perf_counter()
    made = _make(today)
    print(f"made {made:,} households (scale {SCALE}): {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")

    months = [month_start(today)]
    while len(months) < 12:
        months.append(previous_month(months[-1]))
    started = time.perf_counter()
    lines = _issue_rolls(months)
    print(f"issued rolls: {lines:,} paid lines in 12 months: {time.perf_counter() - started:.1f} s")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    refreshed = [refresh_month(month) for month in reversed(months)]
    current = refreshed[-1]
    print(
        f"refresh one month: {current.seconds:.2f} s ({current.rows:,} rows at every level); "
        f"12 months {sum(r.seconds for r in refreshed):.1f} s",
        flush=True,
    )

    province = Region.objects.get(code="410000000000")
    user = User.objects.create_user(
        username="bench_supervisor", password="x", role=Role.SUPERVISOR, scope_region=province
    )
    client = Client()
    client.force_login(user)
    month = f"{months[0]:%Y-%m}"

    def page() -> None:
        response = client.get("/reports/", {"month": month})
        assert response.status_code == 200, response.status_code

    def data() -> None:
        response = client.get("/reports/data/", {"month": month})
        assert response.status_code == 200, response.status_code

    page()
    page_ms = _time(page)
    data_ms = _time(data)
    naive_ms = _time(lambda: _naive(province.code, months[0]), runs=1)
    persons = int(HOUSEHOLDS * 2.5)
    print(
        f"province dashboard at ~{persons:,} persons: page {page_ms:.0f} ms, chart data "
        f"{data_ms:.0f} ms (target <= {TARGET_MS:.0f} ms, {page_ms / TARGET_MS:.2f} of target); "
        f"naive registry count per view {naive_ms:.0f} ms (ratio {page_ms / naive_ms:.3f}x)",
        flush=True,
    )
