"""The monthly payment roll (发放名册) of a county (issue 14, ADR 0013).

Makes ``HOUSEHOLDS`` assisted households in one county (bare rows: a head, an application and a
confirmed decision with a monthly amount, 5 % with a review changing the amount this month, 2 %
terminated this month, a payment account for each), then times
``assistance.payments.roll.payment_roll`` for the month (every household's amount this month and
last, the change, the reconciliation) and the Excel roll of it. The naive baseline computes each
household's amount with its own queries (latest decision, latest review change, termination, for
both months), timed on a sample and scaled.

Target: 100,000 assisted households (a large county) in <= 10 s; the Excel roll (a background
job, streamed: ``roll_write_xlsx``) with the roll in <= 30 s, against openpyxl's write-only
workbook as the roll was written before (a sample, scaled). Also times the bank file. Writes
``payroll`` into ``bench/results/latest.json``.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import tempfile
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

HOUSEHOLDS = int(os.environ.get("BENCH_PAYROLL_HOUSEHOLDS", "100000"))
SAMPLE = int(os.environ.get("BENCH_PAYROLL_SAMPLE", "1000"))
TARGET_SECONDS = 10.0 * HOUSEHOLDS / 100_000
# The Excel roll is a job now; the roll and its file together within the export target.
EXCEL_TARGET = 30.0 * HOUSEHOLDS / 100_000
EXCEL_SAMPLE = int(os.environ.get("BENCH_PAYROLL_EXCEL_SAMPLE", "10000"))
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
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
    from safetynet.assistance.payments.roll import payment_roll, roll_write_bank, roll_write_xlsx
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
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "roll.xlsx"
        started = time.perf_counter()
        roll_write_xlsx(roll=roll, out=str(path))
        excel = time.perf_counter() - started
        size = path.stat().st_size
        started = time.perf_counter()
        bank_rows = roll_write_bank(actor=actor, roll=roll, out=Path(folder) / "bank.csv")
        bank = time.perf_counter() - started
    naive_excel = _naive_excel(roll)
    print(
        f"payment roll of {len(ids):,} households ({roll.counts}): {elapsed:.2f} s "
        f"(target <= {TARGET_SECONDS:.0f} s, {elapsed / TARGET_SECONDS:.2f} of target); "
        f"naive per-household queries {naive:.1f} s est. from {SAMPLE:,} "
        f"(ratio {elapsed / naive:.3f}x)",
        flush=True,
    )
    print(
        f"the Excel roll of it (streamed, the job's writer): {excel:.2f} s ({size / 1e6:.1f} MB); "
        f"openpyxl write-only as before {naive_excel:.1f} s est. "
        f"(ratio {excel / naive_excel:.3f}x); "
        f"roll and Excel together {elapsed + excel:.2f} s (target <= {EXCEL_TARGET:.0f} s); "
        f"bank file {bank:.2f} s ({bank_rows:,} rows); load {os.getloadavg()[0]:.1f}",
        flush=True,
    )
    _write(
        {
            "households": len(ids),
            "roll_seconds": round(elapsed, 2),
            "roll_target_seconds": TARGET_SECONDS,
            "naive_roll_seconds": round(naive, 1),
            "excel_seconds": round(excel, 2),
            "excel_target_seconds": EXCEL_TARGET,
            "naive_excel_seconds": round(naive_excel, 1),
            "bank_seconds": round(bank, 2),
        }
    )


def _naive_excel(roll: Any) -> float:
    """openpyxl's write-only workbook, as the roll was written before, on a sample, scaled."""
    from safetynet.assistance.payments.roll import HEADERS
    from safetynet.spreadsheets import Workbook

    sample = roll.rows[:EXCEL_SAMPLE]
    started = time.perf_counter()
    book = Workbook(write_only=True)
    sheet = book.create_sheet("发放名册")
    sheet.append(HEADERS)
    for row in sample:
        sheet.append(
            [
                row.household_id,
                row.region_code,
                row.payee,
                row.bank,
                row.account_masked,
                row.category_label,
                row.amount,
                row.previous,
                row.change_label,
            ]
        )
    book.save(io.BytesIO())
    return (time.perf_counter() - started) * len(roll.rows) / max(len(sample), 1)


def _write(figures: dict[str, Any]) -> None:
    import platform

    from django.db import connection

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results["payroll"] = {
        **figures,
        "database": connection.vendor,
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "load_average": os.getloadavg()[0],
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")
