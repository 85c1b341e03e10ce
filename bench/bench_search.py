"""Search and list latency, and the county export (issue 15, ADR 0016).

Measures what the household list page does (``selectors.household_page``: the page's rows with
the count or its capped lower bound, and the rows' members' categories) as a county officer and
a township officer:

- search within the county by a common surname in 汉字, full pinyin of a common name, and two
  initials (``zh``) with its "next page" link (keyset) — target p95 <= 150 ms;
- the township list, page 1 and its last page — target p95 <= 200 ms;
- the county list, page 1 and a deep page — target p95 <= 400 ms;
- the export of the whole county as the job writes it (``exports.household_list_write``) —
  target 100,000 households <= 30 s (scaled to the county's size).

The naive baseline, measured in the same run: the ordered query paged by OFFSET with a full
count and the search without the county-scoped indexes (what the list did before), and for the
export openpyxl's write-only workbook on a sample, scaled.

Data: with ``BENCH_SEARCH_KEEP_DATABASE=1`` the database of DATABASE_URL as it is (seed it first,
e.g. ``safetynet seed --county 410225 --households 100000``); otherwise (``make bench``) a county
of ``BENCH_SEARCH_HOUSEHOLDS`` households (3,000; 100,000 with ``BENCH_SCALE=full``) seeded into
the fresh benchmark database. ``BENCH_SEARCH_EXPORT=0`` skips the export (its last figures
are kept). Writes its figures to ``bench/results/latest.json``.
"""

from __future__ import annotations

import io
import json
import os
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

FULL = os.environ.get("BENCH_SCALE") == "full"
HOUSEHOLDS = int(os.environ.get("BENCH_SEARCH_HOUSEHOLDS", "100000" if FULL else "3000"))
COUNTY = os.environ.get("BENCH_SEARCH_COUNTY", "410225")
REPEAT = int(os.environ.get("BENCH_SEARCH_REPEAT", "20" if FULL else "8"))
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
IN_COUNTY = {"region_id__gte": COUNTY[:6] + "000000", "region_id__lte": COUNTY[:6] + "999999"}
TARGETS = {"search": 0.150, "township": 0.200, "county": 0.400}
EXPORT_TARGET_PER_100K = 30.0


def _p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def _timed(run: Callable[[], Any], repeat: int) -> tuple[float, float]:
    run()  # warm the caches as a working day would
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        samples.append(time.perf_counter() - started)
    return statistics.median(samples), _p95(samples)


def _page(user: Any, filters: Any, number: Any, *, naive: bool) -> tuple[int, bool]:
    """The page as the list shows it; returns its count and whether that is a lower bound."""
    from django.core.paginator import Paginator
    from django.utils import timezone

    from safetynet.registry import selectors

    if naive:
        if isinstance(number, tuple):  # the naive list has no keyset: the same page by number
            number = number[0]
        page: Any = Paginator(selectors.household_list(user=user, filters=filters), 50).get_page(
            number
        )
        count, more = page.paginator.count, False
    else:
        after = None
        if isinstance(number, tuple):  # (page number, id the previous page ended at)
            number, after = number
        page = selectors.household_page(
            user=user,
            filters=filters,
            number=10**9 if number == "last" else int(number),
            after=after,
        )
        count, more = page.count, page.count_more
    rows = list(page)
    selectors.member_categories(rows, on=timezone.localdate())
    return count, more


def _last_id(user: Any, filters: Any) -> int:
    """The id page 1 of a list ends at: where its "next page" link continues (keyset)."""
    from safetynet.registry import selectors

    return selectors.household_page(user=user, filters=filters).last_id or 0


def _naive_search(monkeypatch: dict[str, Any]) -> Callable[[], None]:
    """The search without the county-scoped indexes: as before issue 15."""
    from safetynet.registry import selectors

    real = selectors._one_county
    selectors._one_county = lambda user, prefix: None  # type: ignore[assignment]

    def restore() -> None:
        selectors._one_county = real  # type: ignore[assignment]

    return restore


def _users() -> tuple[Any, Any]:
    from safetynet.accounts.models import User
    from safetynet.accounts.services import demo_accounts_reset

    if User.objects.filter(username__in=["demo_county", "demo_township"]).count() != 2:
        demo_accounts_reset(county_code=COUNTY)
    county = User.objects.get(username="demo_county")
    # The township officer of the county's largest township: the heaviest township list.
    from django.db.models import Count
    from django.db.models.functions import Left

    from safetynet.accounts.roles import Role
    from safetynet.regions.models import Region
    from safetynet.registry.models import Household

    biggest = (
        Household.objects.filter(**IN_COUNTY)
        .annotate(t=Left("region_id", 9))
        .values("t")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    township_region = Region.objects.get(code=(biggest or {"t": COUNTY[:9]})["t"] + "000")
    township, _ = User.objects.update_or_create(
        username="bench_township",
        defaults={"role": Role.TOWNSHIP_OFFICER, "scope_region": township_region},
    )
    return county, township


def _seed() -> None:
    from safetynet.accounts.services import system_user
    from safetynet.registry.models import Household
    from safetynet.registry.synthetic import households_seed

    if os.environ.get("BENCH_SEARCH_KEEP_DATABASE") or Household.objects.exists():
        return
    started = time.perf_counter()
    households_seed(actor=system_user(), county_code=COUNTY, count=HOUSEHOLDS, seed=1)
    print(f"seeded {HOUSEHOLDS:,} households in {time.perf_counter() - started:.1f} s", flush=True)


def main() -> None:
    from django.db import connection

    from safetynet.registry.models import Household, Person
    from safetynet.registry.selectors import HouseholdFilters

    _seed()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    county, township = _users()
    households = Household.objects.filter(**IN_COUNTY).count()
    persons = Person.objects.count()
    print(f"data: {households:,} households in the county, {persons:,} persons in all")
    common = (
        Person.objects.filter(**IN_COUNTY).values_list("name", "name_pinyin").order_by("id")[:2000]
    )
    surnames: dict[str, int] = {}
    pinyins: dict[str, int] = {}
    for name, pinyin in common:
        surnames[name[:1]] = surnames.get(name[:1], 0) + 1
        pinyins[pinyin] = pinyins.get(pinyin, 0) + 1
    surname = max(surnames, key=surnames.__getitem__)
    pinyin = max(pinyins, key=pinyins.__getitem__)
    cases: list[tuple[str, str, Any, HouseholdFilters, Any]] = [
        ("search", f"county: surname {surname}", county, HouseholdFilters(q=surname), 1),
        ("search", f"county: pinyin {pinyin}", county, HouseholdFilters(q=pinyin), 1),
        ("search", "county: initials zh", county, HouseholdFilters(q="zh"), 1),
        (
            "search",
            "county: initials zh, next page",
            county,
            HouseholdFilters(q="zh"),
            (2, _last_id(county, HouseholdFilters(q="zh"))),
        ),
        ("township", "township list page 1", township, HouseholdFilters(), 1),
        ("township", "township list last page", township, HouseholdFilters(), "last"),
        ("county", "county list page 1", county, HouseholdFilters(), 1),
        ("county", "county list deep page", county, HouseholdFilters(), max(1, households // 60)),
    ]
    figures: list[dict[str, Any]] = []
    print(f"{'case':34} {'count':>8} {'p50':>8} {'p95':>8} {'target':>7} {'naive p95':>10} ratio")
    for kind, label, user, filters, number in cases:
        count, more = _page(user, filters, number, naive=False)
        p50, p95 = _timed(lambda u=user, f=filters, n=number: _page(u, f, n, naive=False), REPEAT)
        restore = _naive_search({}) if kind == "search" else (lambda: None)
        try:
            _n50, naive95 = _timed(
                lambda u=user, f=filters, n=number: _page(u, f, n, naive=True),
                max(3, REPEAT // 2),
            )
        finally:
            restore()
        target = TARGETS[kind]
        print(
            f"{label:34} {count:>7,}{'+' if more else ' '} {p50 * 1000:>6.0f}ms "
            f"{p95 * 1000:>6.0f}ms {target * 1000:>5.0f}ms {naive95 * 1000:>8.0f}ms "
            f"{naive95 / p95:5.1f}×",
            flush=True,
        )
        figures.append(
            {
                "case": label,
                "matches": count,
                "matches_lower_bound": more,
                "p50_ms": round(p50 * 1000, 1),
                "p95_ms": round(p95 * 1000, 1),
                "target_ms": target * 1000,
                "naive_p95_ms": round(naive95 * 1000, 1),
            }
        )
    export = _export(county) if os.environ.get("BENCH_SEARCH_EXPORT", "1") != "0" else None
    _write(
        {"search_list": figures, "households_in_county": households, "persons_in_all": persons},
        export,
    )


def _export(county: Any) -> dict[str, Any]:
    from safetynet.registry import exports
    from safetynet.registry.selectors import HouseholdFilters
    from safetynet.spreadsheets import Workbook

    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        done, rows = exports.household_list_write(
            user=county, filters=HouseholdFilters(), fileobj=str(Path(folder) / "x.xlsx")
        )
        seconds = time.perf_counter() - started
    # Naive: openpyxl's write-only sheet for the same rows, on a sample of 20,000 rows, scaled.
    sample = min(rows, 20_000)
    row = ["x" * 8, "河南省开封市兰考县城关镇王庄村", "410225100001", 3, 523.5, *["文本"] * 14]
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("家庭清单")
    for _ in range(sample):
        sheet.append(row)
    book.save(io.BytesIO())
    naive_sheet = (time.perf_counter() - started) * rows / max(sample, 1)
    target = EXPORT_TARGET_PER_100K * max(done, 1) / 100_000
    print(
        f"export of the county: {done:,} households, {rows:,} rows in {seconds:.1f} s "
        f"(target {target:.1f} s = 30 s per 100,000 households); openpyxl write-only sheet alone "
        f"would take {naive_sheet:.1f} s ({naive_sheet / seconds:.1f}×)",
        flush=True,
    )
    return {
        "households": done,
        "rows": rows,
        "seconds": round(seconds, 2),
        "target_seconds": round(target, 2),
        "naive_sheet_seconds": round(naive_sheet, 2),
    }


def _write(figures: dict[str, Any], export: dict[str, Any] | None) -> None:
    import platform

    from django.db import connection

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    # Without the export (BENCH_SEARCH_EXPORT=0) the figures of its last run are kept.
    kept = results.get("search", {}).get("export")
    results["search"] = {
        **figures,
        "export": export if export is not None else kept,
        "database": connection.vendor,
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "load_average": os.getloadavg()[0],
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("BENCH_SEARCH_KEEP_DATABASE", "1")
    import django

    django.setup()
    main()
