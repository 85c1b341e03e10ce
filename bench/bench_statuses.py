"""The daily run that applies statuses recorded ahead of their date (ADR 0011).

Province-wide, decisions confirmed in one month start on the first of the next: on that morning
the run changes every such household at once. This benchmark makes ``HOUSEHOLDS`` households
(bare rows: the run reads only households and their statuses), each near-dibao with a dibao
status starting on the day, and times ``registry.services.statuses_apply_due`` changing them
all, then the same run again with nothing left to change (the cost of an ordinary day). The
naive baseline is what a per-household loop would do (read the status in force, save the
household), timed on a sample and scaled.

Our target: 200,000 households (a month of changes for a province of 2 million households, far
more than any month brings) in <= 60 s; an ordinary day in <= 5 s.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from typing import Any

HOUSEHOLDS = int(os.environ.get("BENCH_STATUSES_HOUSEHOLDS", "200000"))
SAMPLE = int(os.environ.get("BENCH_STATUSES_SAMPLE", "2000"))
TARGET_SECONDS = 60.0 * HOUSEHOLDS / 200_000
ORDINARY_DAY_TARGET = 5.0
ON = dt.date(2026, 4, 1)
BATCH = 5000


def _households(village: str) -> list[int]:
    from safetynet.registry.models import CategoryStatus, Household

    first = Household.objects.order_by("-id").values_list("id", flat=True).first() or 0
    for start in range(0, HOUSEHOLDS, BATCH):
        size = min(BATCH, HOUSEHOLDS - start)
        Household.objects.bulk_create(
            Household(region_id=village, residence="rural", category="near_dibao")
            for _ in range(size)
        )
    ids = list(Household.objects.filter(id__gt=first).order_by("id").values_list("id", flat=True))
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        CategoryStatus.objects.bulk_create(
            [
                *(
                    CategoryStatus(
                        household_id=pk,
                        category="near_dibao",
                        effective_from=dt.date(2025, 1, 1),
                        effective_to=ON - dt.timedelta(days=1),
                        reason="基准测试",
                    )
                    for pk in chunk
                ),
                *(
                    CategoryStatus(
                        household_id=pk, category="dibao", effective_from=ON, reason="基准测试"
                    )
                    for pk in chunk
                ),
            ]
        )
    return ids


def _naive(ids: list[int]) -> float:
    """Per household: the status in force on the day, then save the household."""
    from django.db import transaction

    from safetynet.registry.models import CategoryStatus, Household

    sample = ids[:SAMPLE]
    started = time.perf_counter()
    with transaction.atomic():
        for pk in sample:
            household = Household.objects.get(pk=pk)
            status = (
                CategoryStatus.objects.filter(
                    household_id=pk, person__isnull=True, effective_from__lte=ON
                )
                .order_by("-effective_from", "-id")
                .first()
            )
            if status is not None and household.category != status.category:
                household.category = status.category
                household.save(update_fields=["category", "updated_at"])
        transaction.set_rollback(True)
    return (time.perf_counter() - started) * len(ids) / len(sample)


def main() -> Any:
    from safetynet.regions.models import Level, Region
    from safetynet.registry.models import Household
    from safetynet.registry.services import statuses_apply_due

    village = (
        Region.objects.filter(code__startswith="410105", level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
        .first()
    )
    assert village is not None
    started = time.perf_counter()
    ids = _households(village)
    made = time.perf_counter() - started
    print(f"made {len(ids):,} households with a status from {ON}: {made:.1f} s")

    naive = _naive(ids)
    started = time.perf_counter()
    applied = statuses_apply_due(on=ON)
    elapsed = time.perf_counter() - started
    assert applied.category == len(ids), applied
    assert not Household.objects.filter(id__in=ids[:1000]).exclude(category="dibao").exists()
    started = time.perf_counter()
    again = statuses_apply_due(on=ON + dt.timedelta(days=1))
    ordinary = time.perf_counter() - started
    assert again.category == 0, again
    print(
        f"apply {len(ids):,} changed households: {elapsed:.2f} s "
        f"(target <= {TARGET_SECONDS:.0f} s, {elapsed / TARGET_SECONDS:.2f} of target); "
        f"naive per-household loop {naive:.1f} s "
        f"est. from {SAMPLE:,} (ratio {elapsed / naive:.3f}x)",
        flush=True,
    )
    print(
        f"an ordinary day after it (nothing to change, {len(ids):,} statuses in the month looked "
        f"at): {ordinary:.2f} s (target <= {ORDINARY_DAY_TARGET:.0f} s)",
        flush=True,
    )
