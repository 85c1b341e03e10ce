"""The county household export as the job writes it (issue 15, ADR 0016).

Times ``registry.exports.household_export_write`` — the writer the export job runs: the list's
ids, the rows per chunk of households, the streamed workbook on disk — for the whole county as
its county officer, then the job itself end to end (``export_submit`` run inline: the writer, the
audit record, the job's bookkeeping). Target: 100,000 households (~300,000 rows) <= 30 s, scaled
to the county's size.

The naive baseline, measured in the same run: the rows as the export built them before this
change (``naive_rows``: Django's ``get_FOO_display`` per cell and per-chunk lookups of the
extra column done household by household) written with openpyxl's write-only workbook, on a
sample of households, scaled to the county.

Data: with ``BENCH_EXPORT_KEEP_DATABASE=1`` the database of DATABASE_URL as it is (seed it first,
e.g. ``safetynet seed --county 410225 --households 100000 --no-demo-work``); otherwise
(``make bench``) a county of ``BENCH_EXPORT_HOUSEHOLDS`` households (2,000; 100,000 with
``BENCH_SCALE=full``) seeded into the fresh benchmark database. ``BENCH_EXPORT_PROFILE=1`` prints
the top of a cProfile of the writer. Writes ``export`` into ``bench/results/latest.json``.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

FULL = os.environ.get("BENCH_SCALE") == "full"
HOUSEHOLDS = int(os.environ.get("BENCH_EXPORT_HOUSEHOLDS", "100000" if FULL else "2000"))
COUNTY = os.environ.get("BENCH_EXPORT_COUNTY", "410225")
SAMPLE = int(os.environ.get("BENCH_EXPORT_SAMPLE", "5000"))
TARGET_PER_100K = 30.0
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def _seed() -> None:
    from safetynet.accounts.services import system_user
    from safetynet.registry.models import Household
    from safetynet.registry.synthetic import households_seed

    if os.environ.get("BENCH_EXPORT_KEEP_DATABASE") or Household.objects.exists():
        return
    started = time.perf_counter()
    households_seed(actor=system_user(), county_code=COUNTY, count=HOUSEHOLDS, seed=1)
    print(f"seeded {HOUSEHOLDS:,} households in {time.perf_counter() - started:.1f} s", flush=True)


def _county_officer() -> Any:
    from safetynet.accounts.models import User
    from safetynet.accounts.roles import Role
    from safetynet.regions.models import Region

    user, _ = User.objects.update_or_create(
        username="bench_export_county",
        defaults={
            "role": Role.COUNTY_OFFICER,
            "scope_region": Region.objects.get(code=COUNTY[:6].ljust(12, "0")),
            "real_name": "导出基准",
        },
    )
    return user


def naive_rows(ids: list[int]) -> list[list[Any]]:
    """The rows as the export made them before: model instances from prefetches and Django's
    ``get_FOO_display`` per cell (what the first export did, ADR 0016's 307 s)."""
    from django.db.models import Prefetch
    from django.utils import timezone

    from safetynet.registry.exports import EXTRA_COLUMNS
    from safetynet.registry.models import Household, Membership
    from safetynet.registry.relations import RELATION_NAMES
    from safetynet.registry.selectors import member_statuses_in_force

    rows: list[list[Any]] = []
    households = list(
        Household.objects.filter(pk__in=ids)
        .select_related("region", "head")
        .prefetch_related(
            Prefetch(
                "memberships",
                queryset=Membership.objects.filter(left_on__isnull=True).select_related("person"),
                to_attr="current",
            ),
            "incomes",
        )
    )
    extra = [column.values(households) for column in EXTRA_COLUMNS]
    own: dict[int, list[str]] = {}
    for status in member_statuses_in_force(on=timezone.localdate()).filter(household_id__in=ids):
        own.setdefault(status.person_id, []).append(status.get_category_display())
    for household in households:
        for membership in household.current:
            person = membership.person
            rows.append(
                [
                    household.pk,
                    household.region.full_name,
                    household.region_id,
                    household.get_residence_display(),
                    household.head.name if household.head else "",
                    household.member_count,
                    sum(i.monthly_amount for i in household.incomes.all()),
                    household.get_category_display(),
                    household.get_relapse_watch_display(),
                    household.address,
                    person.name,
                    RELATION_NAMES.get(membership.relation, membership.relation),
                    person.id_number_masked,
                    person.get_sex_display(),
                    person.birth_date.isoformat(),
                    person.get_disability_type_display(),
                    person.get_health_status_display(),
                    person.get_labour_capacity_display(),
                    "、".join(own.get(person.pk, [])),
                    *[values.get(household.pk) for values in extra],
                ]
            )
    return rows


def _naive(user: Any, households: int) -> float:
    from safetynet.registry import selectors
    from safetynet.registry.exports import headers
    from safetynet.spreadsheets import Workbook

    ids = list(
        selectors.household_list(user=user, filters=selectors.HouseholdFilters()).values_list(
            "id", flat=True
        )[:SAMPLE]
    )
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("家庭清单")
    sheet.append(headers())
    for start in range(0, len(ids), 1000):
        for row in naive_rows(ids[start : start + 1000]):
            sheet.append(row)
    book.save(io.BytesIO())
    return (time.perf_counter() - started) * households / max(len(ids), 1)


def main() -> None:
    from django.db import connection

    from safetynet.jobs.exports import export_submit
    from safetynet.registry.exports import household_export_write
    from safetynet.registry.models import Household

    _seed()
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    user = _county_officer()
    prefix = COUNTY[:6]
    households = Household.objects.filter(
        region_id__gte=prefix + "000000", region_id__lte=prefix + "999999"
    ).count()
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / "x.xlsx"
        if os.environ.get("BENCH_EXPORT_PROFILE"):
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.enable()
        started, cpu_started = time.perf_counter(), time.process_time()
        written = household_export_write(user=user, params={}, out=out)
        seconds, cpu = time.perf_counter() - started, time.process_time() - cpu_started
        if os.environ.get("BENCH_EXPORT_PROFILE"):
            profile.disable()
            pstats.Stats(profile).sort_stats("cumulative").print_stats(25)
        size = out.stat().st_size
    from django.test import override_settings

    with (
        tempfile.TemporaryDirectory() as folder,
        override_settings(JOBS_INLINE=True, JOBS_FILES_DIR=folder),
    ):
        started = time.perf_counter()
        job = export_submit(write=household_export_write, user=user, params={}, client=None)
        job_seconds = time.perf_counter() - started
    job.refresh_from_db()
    assert job.status == "succeeded", job.error
    naive = _naive(user, households)
    load = os.getloadavg()[0]
    target = TARGET_PER_100K * max(households, 1) / 100_000
    print(
        f"county export: {households:,} households, {written.rows:,} rows, {size / 1e6:.1f} MB: "
        f"writer {seconds:.1f} s ({cpu:.1f} s of this process's CPU; the rest is the database "
        f"and waiting for a core), the job end to end {job_seconds:.1f} s "
        f"(target {target:.1f} s = 30 s per 100,000 households, {job_seconds / target:.2f} of "
        f"target); before (model rows + openpyxl write-only) {naive:.1f} s est. from "
        f"{min(SAMPLE, households):,} households ({naive / job_seconds:.1f}x); "
        f"load average {load_before:.1f} -> {load:.1f}",
        flush=True,
    )
    _write(
        {
            "households": households,
            "rows": written.rows,
            "writer_seconds": round(seconds, 2),
            "writer_cpu_seconds": round(cpu, 2),
            "job_seconds": round(job_seconds, 2),
            "target_seconds": round(target, 2),
            "naive_seconds": round(naive, 2),
            "load_average_before": round(load_before, 1),
        }
    )


def _write(figures: dict[str, Any]) -> None:
    import platform

    from django.db import connection

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results["export"] = {
        **figures,
        "database": connection.vendor,
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "load_average": round(os.getloadavg()[0], 1),
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


if __name__ == "__main__":
    import sys

    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.dev")
    os.environ.setdefault("DEBUG", "false")
    os.environ.setdefault("LOG_LEVEL", "WARNING")
    os.environ.setdefault("BENCH_EXPORT_KEEP_DATABASE", "1")
    import django

    django.setup()
    main()
