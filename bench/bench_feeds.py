"""Importing department batches: a 1,000,000-row CSV at ≥ 100,000 rows/s, a 100,000-row XLSX in
≤ 10 s, validated and stored as Parquet through ``feeds.services.batch_import``.

The files are medical-claims settlements (7 columns: ID number, name, date, visit type, three
amounts), written the way departments send them (GBK for the CSV, a title row above the XLSX
header) with a sprinkling of refused rows and duplicates, imported with --accept-valid.

The naive baseline reads the same files row by row (the ``csv`` module; openpyxl for the
workbook), validates each row in Python (``identity.parse_id_number``, date and Decimal parsing,
the blind index) and inserts it with one INSERT per row in autocommit into a scratch table; it
runs on the first rows and its time per row is extrapolated to the full count.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import os
import random
import tempfile
import time
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

CSV_ROWS = int(os.environ.get("BENCH_FEEDS_CSV_ROWS", "1000000"))
XLSX_ROWS = int(os.environ.get("BENCH_FEEDS_XLSX_ROWS", "100000"))
NAIVE_ROWS = int(os.environ.get("BENCH_FEEDS_NAIVE_ROWS", "20000"))
CSV_TARGET_ROWS_PER_SECOND = 100_000
XLSX_TARGET_SECONDS = 10.0
HEADER = ["身份证号", "姓名", "结算日期", "医疗类别", "医疗费用总额", "统筹支付", "个人自付"]
DISTINCT_PEOPLE = 200_000


def _people(count: int, seed: int) -> list[str]:
    from safetynet.registry.identity import build_id_number

    rng = random.Random(seed)
    counties = ["410105", "410102", "410225", "410221", "411502"]
    start = dt.date(1940, 1, 1)
    return [
        build_id_number(
            address_code=rng.choice(counties),
            birth_date=start + dt.timedelta(days=rng.randrange(25000)),
            sequence=rng.randrange(500),
            male=rng.random() < 0.5,
        )
        for _ in range(count)
    ]


def _rows(count: int, seed: int) -> list[list[object]]:
    rng = random.Random(seed)
    people = _people(min(DISTINCT_PEOPLE, count), seed)
    names = ["张伟", "王芳", "李娜", "刘洋", "陈静", "杨磊", "赵敏", "黄勇"]
    kinds = ["住院", "门诊慢特病", "普通门诊"]
    rows: list[list[object]] = []
    for index in range(count):
        number = people[index % len(people)]
        total = rng.randrange(10_000, 5_000_000) / 100
        paid = round(total * 0.7, 2)
        date = dt.date(2026, 1, 1) + dt.timedelta(days=rng.randrange(28))
        rows.append(
            [
                number,
                rng.choice(names),
                date.isoformat(),
                rng.choice(kinds),
                f"{total:,.2f}",
                f"{paid:.2f}",
                f"{total - paid:.2f}",
            ]
        )
        if index % 1000 == 7:
            rows[-1][0] = number[:17] + ("1" if number[17] != "1" else "2")  # a wrong check digit
        elif index % 1000 == 11:
            rows[-1][2] = "2026-02-30"
        elif index % 1000 == 13 and index:
            rows[-1] = list(rows[-2])  # an exact duplicate
    return rows


def _write_csv(path: Path, rows: list[list[object]]) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    path.write_bytes(buffer.getvalue().encode("gbk"))


def _write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("医保结算")
    sheet.append(["2026年1月医保结算明细"])
    sheet.append(HEADER)
    for row in rows:
        sheet.append(row)
    workbook.save(path)


def _import(path: Path, actor: object, period: str) -> tuple[float, object]:
    from safetynet.feeds.services import batch_import

    started = time.perf_counter()
    outcome = batch_import(
        source="medical_claims",
        path=path,
        period=period,
        actor=actor,
        accept_valid=True,
        channel="cli",
    )
    return time.perf_counter() - started, outcome


def _counts(outcome: Any) -> str:
    return f"accepted={outcome.accepted} rejected={outcome.rejected} duplicate={outcome.duplicate}"


def _naive_parse_date(text: str) -> dt.date:
    for pattern in ("%Y-%m-%d", "%Y/%m/%d", "%Y年%m月%d日", "%Y%m%d"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    raise ValueError(text)


def _naive_csv_rows(path: Path) -> Iterator[list[str]]:
    with path.open(encoding="gbk", newline="") as handle:
        reader = csv.reader(handle)
        next(reader)
        yield from reader


def _naive_xlsx_rows(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    workbook = load_workbook(path, read_only=True)
    rows = workbook.worksheets[0].iter_rows(min_row=3, values_only=True)
    for row in rows:
        yield ["" if cell is None else str(cell) for cell in row]


def naive_import(rows: Iterator[list[str]], limit: int) -> float:
    """Seconds per row of the row-by-row import of the first ``limit`` rows."""
    from django.db import connection

    from safetynet.registry.identity import InvalidIdNumber, blind_index, parse_id_number

    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_feed_rows (id_hash varchar(64), name varchar(50), settle_date date,"
            " visit_type varchar(20), total_cost numeric(18,2), insurance_paid numeric(18,2),"
            " out_of_pocket numeric(18,2), row_number bigint)"
        )
    try:
        kinds = {"住院": "inpatient", "门诊慢特病": "outpatient_chronic", "普通门诊": "outpatient"}
        seen: set[tuple[object, ...]] = set()
        started = time.perf_counter()
        for number, row in enumerate(itertools.islice(rows, limit), start=2):
            try:
                facts = parse_id_number(row[0])
                values = (
                    blind_index(facts.number),
                    row[1],
                    _naive_parse_date(row[2]),
                    kinds[row[3]],
                    Decimal(row[4].replace(",", "")),
                    Decimal(row[5]),
                    Decimal(row[6]),
                )
            except (InvalidIdNumber, ValueError, KeyError, ArithmeticError):
                continue
            if values in seen:
                continue
            seen.add(values)
            with connection.cursor() as cursor:
                cursor.execute(
                    "INSERT INTO bench_feed_rows VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                    [*values, number],
                )
        return (time.perf_counter() - started) / limit
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE bench_feed_rows")


def main() -> None:
    from django.conf import settings

    from safetynet.accounts.services import system_user

    actor = system_user()
    with tempfile.TemporaryDirectory(prefix="safetynet-bench-feeds-") as folder:
        work = Path(folder)
        settings.FEEDS_DIR = str(work / "feeds")
        started = time.perf_counter()
        csv_path = work / "medical_claims.csv"
        _write_csv(csv_path, _rows(CSV_ROWS, seed=1))
        xlsx_path = work / "medical_claims.xlsx"
        _write_xlsx(xlsx_path, _rows(XLSX_ROWS, seed=2))
        print(
            f"files: {CSV_ROWS} CSV rows ({csv_path.stat().st_size / 1e6:.0f} MB, GBK), "
            f"{XLSX_ROWS} XLSX rows ({xlsx_path.stat().st_size / 1e6:.1f} MB) written in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )

        seconds, outcome = _import(csv_path, actor, "2026-01")
        rate = CSV_ROWS / seconds
        per_row = naive_import(_naive_csv_rows(csv_path), min(NAIVE_ROWS, CSV_ROWS))
        naive = per_row * CSV_ROWS
        verdict = "ok" if rate >= CSV_TARGET_ROWS_PER_SECOND else "TOO SLOW"
        print(
            f"feeds csv: {CSV_ROWS} rows in {seconds:.1f} s = {rate:,.0f} rows/s "
            f"(target ≥ {CSV_TARGET_ROWS_PER_SECOND:,} rows/s, {verdict}); "
            f"{_counts(outcome)}; "
            f"naive row-by-row: {per_row * 1e6:.0f} µs/row → {naive:.1f} s est; "
            f"ratio {seconds / naive:.3f}×",
            flush=True,
        )

        seconds, outcome = _import(xlsx_path, actor, "2026-02")
        verdict = "ok" if seconds <= XLSX_TARGET_SECONDS else "TOO SLOW"
        # The generator opens the workbook on the first row, inside the timed loop.
        per_row = naive_import(_naive_xlsx_rows(xlsx_path), min(NAIVE_ROWS, XLSX_ROWS))
        naive = per_row * XLSX_ROWS
        print(
            f"feeds xlsx: {XLSX_ROWS} rows in {seconds:.1f} s "
            f"(target ≤ {XLSX_TARGET_SECONDS:.0f} s, {verdict}); {_counts(outcome)}; "
            f"naive row-by-row (openpyxl): "
            f"{per_row * 1e6:.0f} µs/row → {naive:.1f} s est; ratio {seconds / naive:.3f}×",
            flush=True,
        )
