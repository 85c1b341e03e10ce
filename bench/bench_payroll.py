"""The monthly payment roll (发放名册) of a county (issue 14, ADR 0013).

Makes ``HOUSEHOLDS`` assisted households in one county (bare rows: a head, an application and a
confirmed decision with a monthly amount, 5 % with a review changing the amount this month, 2 %
terminated this month, a payment account for each), then times
``assistance.payments.roll.payment_roll`` for the month (every household's amount this month and
last, the change, the reconciliation) and the Excel roll of it. The naive baseline computes each
household's amount with its own queries (latest decision, latest review change, termination, for
both months), timed on a sample and scaled.

Target: 100,000 assisted households (a large county) in <= 10 s.
"""

from __future__ import annotations

import datetime as dt
import os
import time
from decimal import Decimal
from typing import Any

HOUSEHOLDS = int(os.environ.get("BENCH_PAYROLL_HOUSEHOLDS", "100000"))
SAMPLE = int(os.environ.get("BENCH_PAYROLL_SAMPLE", "1000"))
TARGET_SECONDS = 10.0 * HOUSEHOLDS / 100_000
MONTH = dt.date(2026, 6, 1)
START = dt.date(2026, 1, 1)
BATCH = 5000


def _make(villages: list[str]) -> list[int]:
    from safetynet.assistance.models import PaymentAccount
    from safetynet.determination.models import (
        Application,
        Decision,
        ReviewSchedule,
        Termination,
        TerminationStatus,
    )
    from safetynet.registry import keyring
    from safetynet.registry.models import Household, Person

    token = keyring.encrypt("6228480012345678901")
    ids: list[int] = []
    for start in range(0, HOUSEHOLDS, BATCH):
        size = min(BATCH, HOUSEHOLDS - start)
        regions = [villages[(start + i) % len(villages)] for i in range(size)]
        persons = Person.objects.bulk_create(
            Person(
                region_id=regions[i],
                id_number_encrypted="x",
                id_number_hash=f"bench-payroll-{start + i}",
                id_number_masked="410***********0000",
                name=f"户主{start + i}",
                name_pinyin="huzhu",
                name_initials="hz",
                sex="male",
                birth_date=dt.date(1960, 1, 1),
            )
            for i in range(size)
        )
        households = Household.objects.bulk_create(
            Household(region_id=regions[i], residence="rural", category="dibao", head=persons[i])
            for i in range(size)
        )
        applications = Application.objects.bulk_create(
            Application(
                type="dibao",
                household=h,
                region_id=h.region_id,
                applicant=persons[i],
                applied_on=START,
                status="confirmed",
            )
            for i, h in enumerate(households)
        )
        Decision.objects.bulk_create(
            Decision(
                application=a,
                outcome="confirmed",
                level="county",
                category="dibao",
                monthly_amount=Decimal(300 + (i % 300)),
                start_month=START,
                decided_on=START,
            )
            for i, a in enumerate(applications)
        )
        ReviewSchedule.objects.bulk_create(
            ReviewSchedule(
                household=h,
                region_id=h.region_id,
                kind="annual_review",
                category="dibao",
                due_on=MONTH,
                done_on=MONTH - dt.timedelta(days=10),
                outcome="change",
                monthly_amount=Decimal(500),
                changes_from=MONTH,
            )
            for i, h in enumerate(households)
            if i % 20 == 0
        )
        Termination.objects.bulk_create(
            Termination(
                household=h,
                region_id=h.region_id,
                category="dibao",
                reason="基准测试",
                started_on=MONTH - dt.timedelta(days=20),
                status=TerminationStatus.DONE,
                effective_from=MONTH,
            )
            for i, h in enumerate(households)
            if i % 50 == 7
        )
        PaymentAccount.objects.bulk_create(
            PaymentAccount(
                household=h,
                region_code=h.region_id,
                payee_name=f"户主{start + i}",
                bank="农村信用社",
                account_encrypted=token,
                account_masked="6228***********8901",
            )
            for i, h in enumerate(households)
        )
        ids.extend(h.pk for h in households)
    return ids


def _naive(ids: list[int]) -> float:
    """Per household and month: its latest decision, latest amount-changing review, and any
    termination in force, each a query."""
    from safetynet.determination.models import Decision, ReviewSchedule, Termination

    sample = ids[:SAMPLE]
    started = time.perf_counter()
    for pk in sample:
        for month in (MONTH, (MONTH - dt.timedelta(days=1)).replace(day=1)):
            decision = (
                Decision.objects.filter(
                    application__household_id=pk, outcome="confirmed", start_month__lte=month
                )
                .order_by("-start_month", "-id")
                .first()
            )
            review = (
                ReviewSchedule.objects.filter(
                    household_id=pk, monthly_amount__isnull=False, changes_from__lte=month
                )
                .order_by("-changes_from", "-id")
                .first()
            )
            ended = Termination.objects.filter(
                household_id=pk, status="done", effective_from__lte=month
            ).exists()
            _amount = None if ended else (review or decision)
    return (time.perf_counter() - started) * len(ids) / len(sample)


def main() -> Any:
    from safetynet.accounts.services import system_user
    from safetynet.assistance.payments.roll import payment_roll, roll_xlsx
    from safetynet.regions.models import Level, Region

    county = Region.objects.get(code="410105000000")
    villages = list(
        Region.objects.filter(code__startswith="410105", level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    started = time.perf_counter()
    ids = _make(villages)
    print(f"made {len(ids):,} assisted households: {time.perf_counter() - started:.1f} s")
    actor = system_user()

    naive = _naive(ids)
    started = time.perf_counter()
    roll = payment_roll(actor=actor, county=county, month=MONTH)
    elapsed = time.perf_counter() - started
    assert roll.reconciles and len(roll.rows) == len(ids), (len(roll.rows), roll.counts)
    started = time.perf_counter()
    workbook = roll_xlsx(actor=actor, roll=roll)
    excel = time.perf_counter() - started
    print(
        f"payment roll of {len(ids):,} households ({roll.counts}): {elapsed:.2f} s "
        f"(target <= {TARGET_SECONDS:.0f} s, {elapsed / TARGET_SECONDS:.2f} of target); "
        f"naive per-household queries {naive:.1f} s est. from {SAMPLE:,} "
        f"(ratio {elapsed / naive:.3f}x)",
        flush=True,
    )
    print(
        f"the Excel roll of it: {excel:.2f} s ({len(workbook) / 1e6:.1f} MB); roll and Excel "
        f"together {elapsed + excel:.2f} s",
        flush=True,
    )
