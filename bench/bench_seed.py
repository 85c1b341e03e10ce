"""Seeding a county: 10,000 synthetic households must be written in under a minute.

The naive baseline writes households of the same generator row by row in autocommit, one
``Model.objects.create`` per person, household, membership, income, asset and expenditure,
with the same field preparation (ID validation, encryption, blind index, pinyin). It runs on
a different county so that its people never collide with the seed's, and its time per
household is extrapolated to the same count.
"""

from __future__ import annotations

import os
import time

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
    print(
        f"seed: {HOUSEHOLDS} households in {seconds:.1f} s (target ≤ {TARGET_SECONDS:.0f} s, "
        f"{verdict}); naive row-by-row: {per_household * 1000:.1f} ms/household → "
        f"{estimate:.1f} s est; ratio {seconds / estimate:.2f}×",
        flush=True,
    )
