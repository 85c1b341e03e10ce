"""Seeding: a county of 10,000 synthetic households in under a minute, and (PostgreSQL) the
province's 2,000,000 households with `seed --province` in at most 10 minutes (issue 15).

The province figure is measured on ``BENCH_SEED_PROVINCE_HOUSEHOLDS`` households (default
50,000; ``BENCH_SCALE=full``: 2,000,000) and, when fewer, extrapolated linearly to 2,000,000;
its baseline is the county path (``households_seed``: generator, ``households_create``'s bulk
inserts) measured in the same run, per household, scaled to the same count. Writes the
``seed`` key of ``bench/results/latest.json`` (other keys kept).

The naive baseline of the county writes households of the same generator row by row in
autocommit, one ``Model.objects.create`` per person, household, membership, income, asset and
expenditure, with the same field preparation (ID validation, encryption, blind index, pinyin).
It runs on a different county so that its people never collide with the seed's, and its time per
household is extrapolated to the same count.
"""

from __future__ import annotations

import json
import os
import platform
import time
from pathlib import Path

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
FULL = os.environ.get("BENCH_SCALE") == "full"
PROVINCE_HOUSEHOLDS = int(
    os.environ.get("BENCH_SEED_PROVINCE_HOUSEHOLDS", "2000000" if FULL else "50000")
)
PROVINCE_TARGET_HOUSEHOLDS = 2_000_000
PROVINCE_TARGET_SECONDS = 600.0
HOUSEHOLDS = int(os.environ.get("BENCH_SEED_HOUSEHOLDS", "10000"))
NAIVE_HOUSEHOLDS = int(os.environ.get("BENCH_SEED_NAIVE_HOUSEHOLDS", "500"))
TARGET_SECONDS = 60.0
SEED_COUNTY = "410225"  # 兰考县
NAIVE_COUNTY = "410221"  # 杞县


def naive_create(*, county_code: str, count: int, actor: object) -> None:
    from django.utils import timezone

    from safetynet.registry import services
    from safetynet.registry.models import (
        Asset,
        CategoryStatus,
        Household,
        Income,
        Membership,
        RigidExpenditure,
    )
    from safetynet.registry.relations import HEAD
    from safetynet.registry.synthetic import seed_county, synthetic_households

    county = seed_county(code=county_code)
    today = timezone.localdate()
    for row in synthetic_households(county=county, count=count, seed=2):
        persons = []
        for member in row.members:
            person = services._new_person(member, row.region_code)
            person.save()
            persons.append(person)
        head = next(p for p, m in zip(persons, row.members, strict=True) if m.relation == HEAD)
        household = Household.objects.create(
            region_id=row.region_code,
            residence=row.residence,
            address=row.address,
            head=head,
            category=row.category,
            relapse_watch=row.relapse_watch,
            member_count=len(persons),
            created_by=actor,
        )
        for person, member in zip(persons, row.members, strict=True):
            Membership.objects.create(
                household=household, person=person, relation=member.relation, joined_on=today
            )
            for income in member.incomes:
                Income.objects.create(
                    household=household,
                    person=person,
                    kind=income.kind,
                    monthly_amount=income.monthly_amount,
                    description=income.description,
                )
        for asset in row.assets:
            Asset.objects.create(
                household=household,
                kind=asset.kind,
                value=asset.value,
                description=asset.description,
                for_disability=asset.for_disability,
                area_m2=asset.area_m2,
            )
        for spending in row.expenditures:
            RigidExpenditure.objects.create(
                household=household,
                kind=spending.kind,
                amount=spending.amount,
                incurred_on=spending.incurred_on,
                description=spending.description,
            )
        if row.category:
            CategoryStatus.objects.create(
                household=household,
                category=row.category,
                effective_from=today,
                reason="建档时登记",
                decided_by=actor,
            )


def main() -> None:
    from safetynet.accounts.services import system_user
    from safetynet.registry.synthetic import households_seed

    actor = system_user()
    started = time.perf_counter()
    result = households_seed(actor=actor, county_code=SEED_COUNTY, count=HOUSEHOLDS, seed=1)
    seconds = time.perf_counter() - started
    if result.created != HOUSEHOLDS:
        raise SystemExit(f"seed created {result.created} of {HOUSEHOLDS} households")

    started = time.perf_counter()
    naive_create(county_code=NAIVE_COUNTY, count=NAIVE_HOUSEHOLDS, actor=actor)
    per_household = (time.perf_counter() - started) / NAIVE_HOUSEHOLDS
    estimate = per_household * HOUSEHOLDS
    verdict = "ok" if seconds <= TARGET_SECONDS else "TOO SLOW"
    load = os.getloadavg()[0]
    print(
        f"seed: {HOUSEHOLDS} households in {seconds:.1f} s (target ≤ {TARGET_SECONDS:.0f} s, "
        f"{verdict}); naive row-by-row: {per_household * 1000:.1f} ms/household → "
        f"{estimate:.1f} s est; ratio {seconds / estimate:.2f}× (load average {load:.1f})",
        flush=True,
    )
    figures: dict[str, object] = {
        "county_households": HOUSEHOLDS,
        "county_seconds": round(seconds, 1),
        "county_target_seconds": TARGET_SECONDS,
        "county_naive_seconds_est": round(estimate, 1),
    }
    figures.update(province(bulk_per_household=seconds / HOUSEHOLDS))
    write_results(figures)


def province(*, bulk_per_household: float) -> dict[str, object]:
    """`seed --province` on a fresh register; against the county path per household."""
    from django.db import connection

    from safetynet.accounts.services import system_user
    from safetynet.registry.synthetic.province import province_seed

    if connection.vendor != "postgresql":
        print("seed --province: skipped (PostgreSQL only)", flush=True)
        return {}
    with connection.cursor() as cursor:  # the benchmark's throw-away database
        cursor.execute("TRUNCATE registry_household, registry_person RESTART IDENTITY CASCADE")
    load_before = os.getloadavg()[0]
    result = province_seed(
        actor=system_user(),
        province_code="410000",
        count=PROVINCE_HOUSEHOLDS,
        seed=1,
        workers=int(os.environ.get("BENCH_SEED_WORKERS", "2")),
        progress=lambda line: (
            print(f"  {line}", flush=True)
            if line.startswith(("plan", "loaded", "indexes"))
            else None
        ),
    )
    scale = PROVINCE_TARGET_HOUSEHOLDS / PROVINCE_HOUSEHOLDS
    seconds = result.seconds * scale
    baseline = bulk_per_household * PROVINCE_TARGET_HOUSEHOLDS
    load = os.getloadavg()[0]
    verdict = "ok" if seconds <= PROVINCE_TARGET_SECONDS else "NOT MET"
    measured = "" if scale == 1 else f" (measured {PROVINCE_HOUSEHOLDS}: {result.seconds:.0f} s)"
    print(
        f"seed --province: {PROVINCE_TARGET_HOUSEHOLDS} households {seconds:.0f} s"
        f"{measured}, {result.persons} persons; target ≤ {PROVINCE_TARGET_SECONDS:.0f} s "
        f"({verdict}); county path (generator + bulk_create) {baseline:.0f} s est; "
        f"ratio {seconds / baseline:.2f}× (load average {load_before:.1f} → {load:.1f})",
        flush=True,
    )
    return {
        "province_households": PROVINCE_HOUSEHOLDS,
        "province_persons": result.persons,
        "province_seconds": round(result.seconds, 1),
        "province_seconds_2m": round(seconds, 1),
        "province_target_seconds": PROVINCE_TARGET_SECONDS,
        "province_baseline_seconds_est": round(baseline, 1),
        "province_categories": result.categories,
        "province_work": result.work,
    }


def write_results(figures: dict[str, object]) -> None:
    from django.db import connection

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results["seed"] = {
        **figures,
        "database": connection.vendor,
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "load_average": os.getloadavg()[0],
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
