# ruff: noqa: E501  (generated SQL reads better unbroken)
"""The monitoring scan at Henan scale: 5,000,000 persons in 2,000,000 households and 20,000,000
department rows must scan in ≤ 15 s with ≤ 4 GB of memory on this 2-core machine (issue 13).

DuckDB generates the registry snapshot (hashed IDs only, the shape ``scan.snapshot`` extracts)
and the Parquet batches of every source the shipped indicators read, from a hash of the row
number (deterministic, no database, no ORM). ID hashes are 64 hex digits (SHA-256), as the
platform's blind index (HMAC-SHA256) stores them, and batches are zstd Parquet as
``feeds.storage`` writes them.

What is measured:
- the figure: the set-based pass ``scan.engine.evaluate`` (load the snapshot tables, read and
  match every source once, every shipped indicator), in a fresh child process so that its peak
  memory (``ru_maxrss``) is the pass's own, not the generator's; with its CPU time (both cores)
  beside the wall time, since the machine is shared;
- the naive baseline: the per-person reference (``scan.reference``) on a sample of households
  with their rows, extrapolated to the full count; on the sample both must find the same alerts;
- the database write of a real scan (``scan.services._record``): BENCH_SCAN_WRITE of the alerts
  found (default 100,000; subjects by hash only, since the bench registry is not in the
  database) written as new alerts with their home checks, then the same rows again (a re-scan:
  nothing new, nothing changed). Not included: the registry snapshot's extraction from the
  database (``scan.snapshot.registry_snapshot``, measured by the policy engine's bench).

BENCH_SCAN_PERSONS (default 5,000,000) scales everything: households are 2/5 of it, feed rows 4×.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

PERSONS = int(os.environ.get("BENCH_SCAN_PERSONS", "5000000"))
HOUSEHOLDS = PERSONS * 2 // 5
SAMPLE_HOUSEHOLDS = int(os.environ.get("BENCH_SCAN_SAMPLE", "4000"))
WRITE_ALERTS = int(os.environ.get("BENCH_SCAN_WRITE", "100000"))
RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"
TARGET_SECONDS = 15.0
TARGET_GB = 4.0
ON = dt.date(2026, 11, 16)

# Rows per source as a share of the 20 M rows at full scale (per-month sources spread over
# four monthly batches).
SHARES = {
    "medical_claims": 0.40,
    "pensions": 0.16,
    "wages": 0.10,
    "real_estate": 0.07,
    "vehicles": 0.05,
    "students": 0.04,
    "businesses": 0.03,
    "medical_assistance": 0.03,
    "disability_certificates": 0.02,
    "unemployment": 0.02,
    "payroll": 0.02,
    "disasters": 0.02,
    "relapse_watch": 0.02,
    "deaths": 0.02,
}
MONTHS = ["2026-07", "2026-08", "2026-09", "2026-10"]

SNAPSHOT = f"""
CREATE MACRO r(x, k) AS (hash(x * 7919 + k) % 1000000) / 1000000.0;
CREATE MACRO region(h) AS '4101' || lpad(CAST(1 + h % 9 AS VARCHAR), 2, '0')
    || lpad(CAST(1 + (h // 9) % 12 AS VARCHAR), 3, '0') || lpad(CAST(1 + (h // 108) % 20 AS VARCHAR), 3, '0');
CREATE TABLE households AS
SELECT h AS household_id, region(h) AS region_id,
    CASE WHEN r(h, 1) < 0.4 THEN 'urban' ELSE 'rural' END AS residence,
    CASE WHEN r(h, 2) < 0.10 THEN 'dibao' WHEN r(h, 2) < 0.13 THEN 'near_dibao'
         WHEN r(h, 2) < 0.15 THEN 'expenditure_hardship' WHEN r(h, 2) < 0.17 THEN 'other_low_income'
         ELSE '' END AS category,
    CASE WHEN r(h, 3) < 0.03 THEN 'at_risk' ELSE '' END AS relapse_watch,
    CAST(ceil(h * {PERSONS} / {HOUSEHOLDS}) AS BIGINT) AS head_id,
    CAST(550 AS DECIMAL(18,2)) AS dibao_monthly
FROM range({HOUSEHOLDS}) t(h);
CREATE TABLE persons AS
SELECT i AS person_id, sha256(CAST(i AS VARCHAR)) AS id_hash,
    region(i * {HOUSEHOLDS} // {PERSONS}) AS region_id,
    CAST(i * {HOUSEHOLDS} // {PERSONS} AS BIGINT) AS household_id,
    DATE '1940-01-01' + CAST(r(i, 4) * 29000 AS INTEGER) AS birth_date,
    CASE WHEN r(i, 5) < 0.03 THEN 'physical' ELSE NULL END AS disability_type,
    CASE WHEN r(i, 5) < 0.03 THEN CAST(1 + r(i, 6) * 4 AS BIGINT) ELSE NULL END AS disability_grade
FROM range({PERSONS}) t(i);
CREATE TABLE person_categories AS
SELECT person_id, 'destitute' AS category FROM persons WHERE r(person_id, 7) < 0.01;
"""


def _rows(source: str) -> int:
    return max(int(PERSONS * 4 * SHARES[source]), 100)


def _person(k: int) -> str:
    """A person drawn by hash (uniformly over all of them: ``r`` has only a million steps, too
    coarse for 5 M people); 3 % of draws are people not in the registry."""
    return f"sha256(CAST(CASE WHEN r(i, {k}) < 0.03 THEN {PERSONS} + i ELSE hash(i * 7919 + {k} + 1) % {PERSONS} END AS VARCHAR))"


def _day(k: int, span: int = 400) -> str:
    return f"DATE '2026-11-15' - CAST(r(i, {k}) * {span} AS INTEGER)"


def _money(k: int, scale: int) -> str:
    return f"CAST(round(r(i, {k}) * {scale}, 2) AS DECIMAL(18,2))"


SELECTS = {
    "medical_claims": f"{_person(11)} AS id_hash, '' AS name, {_day(13)} AS settle_date, "
    f"CASE WHEN r(i, 14) < 0.2 THEN 'inpatient' ELSE 'outpatient' END AS visit_type, "
    f"{_money(15, 20000)} AS total_cost, {_money(16, 5000)} AS insurance_paid, "
    f"{_money(17, 4000)} AS out_of_pocket",
    "pensions": f"{_person(21)} AS id_hash, '{{month}}' AS month, {_money(23, 3000)} AS amount",
    "wages": f"{_person(31)} AS id_hash, '{{month}}' AS month, {_money(33, 6000)} AS amount",
    "real_estate": f"{_person(41)} AS id_hash, 'x' AS location, {_money(43, 150)} AS area_m2, "
    f"CASE WHEN r(i, 44) < 0.8 THEN 'residential' ELSE 'commercial' END AS use_type, "
    f"{_day(45, 5000)} AS register_date",
    "vehicles": f"{_person(51)} AS id_hash, 'p' AS plate, '轿车' AS vehicle_type, "
    f"{_day(53, 3000)} AS register_date, {_money(54, 120000)} AS value",
    "students": f"{_person(61)} AS id_hash, '' AS name, 's' AS school, "
    f"['primary', 'junior', 'senior', 'university'][1 + CAST(r(i, 63) * 4 AS INTEGER) % 4] AS stage, "
    f"{_day(64, 1200)} AS enrolled_date",
    "businesses": f"{_person(71)} AS id_hash, 'c' AS company_name, {_money(73, 100000)} AS registered_capital, "
    f"CASE WHEN r(i, 74) < 0.7 THEN 'active' ELSE 'closed' END AS status, {_day(75, 4000)} AS established_date",
    "medical_assistance": f"{_person(81)} AS id_hash, '' AS name, {_day(83)} AS paid_date, "
    f"{_money(84, 3000)} AS amount",
    "disability_certificates": f"{_person(91)} AS id_hash, '' AS name, "
    f"CASE WHEN r(i, 93) < 0.2 THEN 'mental' ELSE 'physical' END AS disability_type, "
    f"CAST(1 + r(i, 94) * 4 AS BIGINT) AS grade, {_day(95, 2000)} AS issue_date, 'valid' AS status",
    "unemployment": f"{_person(101)} AS id_hash, '' AS name, {_day(103)} AS registered_date, "
    f"CASE WHEN r(i, 104) < 0.7 THEN 'registered' ELSE 'ended' END AS status",
    "payroll": f"{_person(111)} AS id_hash, '' AS name, 'e' AS employer",
    "disasters": f"{_person(121)} AS id_hash, '洪涝' AS disaster_type, {_day(123)} AS event_date, "
    f"{_money(124, 10000)} AS loss_amount, "
    f"CASE WHEN r(i, 125) < 0.8 THEN 'none' ELSE 'damaged' END AS house_damage",
    "relapse_watch": f"{_person(131)} AS id_hash, '' AS name, NULL::VARCHAR AS household_head_id_hash, "
    f"'at_risk' AS watch_type, CASE WHEN r(i, 133) < 0.8 THEN 'monitoring' ELSE 'removed' END AS status, "
    f"region(hash(i * 7919 + 134) % {HOUSEHOLDS}) AS region_code",
    "deaths": f"{_person(141)} AS id_hash, '' AS name, {_day(143, 3000)} AS death_date",
}
MONTHLY = {"pensions", "wages"}


def generate(root: Path) -> dict[str, list[tuple[int, str, str]]]:
    """The snapshot tables and every source's Parquet batches under ``root``."""
    import duckdb

    con = duckdb.connect(config={"threads": 2})
    con.execute(SNAPSHOT)
    for table in ("persons", "households", "person_categories"):
        con.execute(f"COPY {table} TO '{root / table}.parquet' (FORMAT parquet)")
    files: dict[str, list[tuple[int, str, str]]] = {}
    batch_id = 0
    for source, select in SELECTS.items():
        periods = MONTHS if source in MONTHLY else ["2026-10"]
        rows = _rows(source) // len(periods)
        for month in periods:
            batch_id += 1
            path = root / f"{source}-{month}.parquet"
            sql = select.replace("{month}", month)
            con.execute(
                f"COPY (SELECT {sql}, i + 2 AS row_number FROM range({rows}) t(i)) "
                f"TO '{path}' (FORMAT parquet, COMPRESSION zstd)"
            )
            files.setdefault(source, []).append((batch_id, month, str(path)))
    con.close()
    return files


def _specs() -> list[Any]:
    from safetynet.monitoring.indicators.services import shipped_indicators
    from safetynet.monitoring.scan.engine import IndicatorSpec

    return [
        IndicatorSpec(code=i["code"], rule=i["rule"], watches=i["watches"], params=i["params"])
        for i in shipped_indicators()
    ]


def _inputs(root: Path, files: dict[str, list[Any]]) -> tuple[Any, Any]:
    import pyarrow.parquet as pq

    from safetynet.monitoring.scan.snapshot import (
        HOUSEHOLD_SCHEMA,
        PERSON_CATEGORY_SCHEMA,
        PERSON_SCHEMA,
        Batches,
        BatchFile,
        Snapshot,
    )

    snapshot = Snapshot(
        persons=pq.read_table(root / "persons.parquet").cast(PERSON_SCHEMA),
        households=pq.read_table(root / "households.parquet").cast(HOUSEHOLD_SCHEMA),
        person_categories=pq.read_table(root / "person_categories.parquet").cast(
            PERSON_CATEGORY_SCHEMA
        ),
    )
    batches = Batches(
        {s: [BatchFile(b, p, Path(path)) for b, p, path in items] for s, items in files.items()}
    )
    return snapshot, batches


BOUNDS = ("410000000000", "419999999999")


def child(root: str) -> None:
    """The measured pass, alone in this process: load the snapshot, evaluate, print JSON."""
    import django

    django.setup()
    import pyarrow.parquet as pq

    from safetynet.monitoring.scan import engine

    files = json.loads((Path(root) / "files.json").read_text())
    started = time.perf_counter()
    snapshot, batches = _inputs(Path(root), files)
    loaded = time.perf_counter() - started
    specs = _specs()
    cpu = _cpu()
    started = time.perf_counter()
    result = engine.evaluate(
        snapshot=snapshot, batches=batches, indicators=specs, on=ON, bounds=BOUNDS
    )
    elapsed = time.perf_counter() - started
    cpu = _cpu() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    counts: dict[str, int] = {}
    for code in result.column("indicator_code").to_pylist():
        counts[code] = counts.get(code, 0) + 1
    pq.write_table(result.slice(0, WRITE_ALERTS), Path(root) / "result.parquet")
    print(json.dumps({"load": loaded, "scan": elapsed, "cpu": cpu, "peak": peak, "alerts": counts}))


def _cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def _sample(root: Path, files: dict[str, list[Any]], out: Path) -> dict[str, list[Any]]:
    """The first SAMPLE_HOUSEHOLDS households, their members and the rows about them."""
    import duckdb

    out.mkdir()
    con = duckdb.connect(config={"threads": 2})
    con.execute(
        f"CREATE TABLE households AS SELECT * FROM '{root}/households.parquet' "
        f"WHERE household_id < {SAMPLE_HOUSEHOLDS}"
    )
    con.execute(
        f"CREATE TABLE persons AS SELECT * FROM '{root}/persons.parquet' "
        f"WHERE household_id < {SAMPLE_HOUSEHOLDS}"
    )
    con.execute(
        f"CREATE TABLE person_categories AS SELECT * FROM '{root}/person_categories.parquet' "
        "WHERE person_id IN (SELECT person_id FROM persons)"
    )
    for table in ("persons", "households", "person_categories"):
        con.execute(f"COPY {table} TO '{out / table}.parquet' (FORMAT parquet)")
    sampled: dict[str, list[Any]] = {}
    for source, items in files.items():
        for batch_id, period, path in items:
            target = out / Path(path).name
            # relapse rows are kept in the sample's regions only (not-yet-registered people)
            keep = (
                "region_code IN (SELECT region_id FROM households)"
                if source == "relapse_watch"
                else "id_hash IN (SELECT id_hash FROM persons)"
            )
            con.execute(
                f"COPY (SELECT * FROM '{path}' WHERE {keep}) TO '{target}' (FORMAT parquet)"
            )
            sampled.setdefault(source, []).append((batch_id, period, str(target)))
    con.close()
    return sampled


def _naive(root: Path, files: dict[str, list[Any]]) -> tuple[float, int, bool]:
    """The per-person reference on the sample, and whether the engine agrees with it."""
    from safetynet.monitoring.scan import engine, reference

    sample_files = _sample(root, files, root / "sample")
    snapshot, batches = _inputs(root / "sample", sample_files)
    args = dict(snapshot=snapshot, batches=batches, indicators=_specs(), on=ON, bounds=BOUNDS)
    started = time.perf_counter()
    slow = reference.evaluate(**args)
    elapsed = time.perf_counter() - started
    fast = engine.evaluate(**args).to_pylist()
    key = lambda r: (r["indicator_code"], r["subject_hash"], r["period"])  # noqa: E731
    return elapsed, snapshot.persons.num_rows, sorted(map(key, fast)) == sorted(map(key, slow))


def _write(root: Path) -> dict[str, Any]:
    """The database side of a scan: the first WRITE_ALERTS alerts found, recorded as new (bulk
    insert of alerts and home checks), then recorded again (a re-scan finding the same)."""
    import pyarrow.parquet as pq
    from django.db import transaction

    from safetynet.monitoring.models import Alert, HomeCheck, Indicator, Scan
    from safetynet.monitoring.scan.services import Plan, _record

    rows = pq.read_table(root / "result.parquet").to_pylist()
    for row in rows:  # the bench registry is not in the database: subjects by hash only
        row["person_id"] = row["household_id"] = None
    specs = _specs()
    versions = {}
    for spec in specs:
        version = Indicator.objects.filter(code=spec.code).order_by("-effective_from", "-id")[0]
        versions[spec.code] = [(version, None)]
    plan = Plan(region=None, bounds=BOUNDS, specs=specs, versions=versions)  # type: ignore[arg-type]
    figures: dict[str, Any] = {"alerts": len(rows)}
    for label in ("new", "again"):
        started = time.perf_counter()
        with transaction.atomic():
            scan = Scan.objects.create(region_code=BOUNDS[0], on=ON, trigger="bench")
            new, _closed = _record(plan, rows, scan=scan, on=ON)
        figures[f"{label}_s"] = round(time.perf_counter() - started, 2)
        figures[f"{label}_created"] = new
    HomeCheck.objects.filter(alert__first_scan__trigger="bench").delete()
    Alert.objects.filter(first_scan__trigger="bench").delete()
    Scan.objects.filter(trigger="bench").delete()
    return figures


def _save(figures: dict[str, Any]) -> None:
    from django.db import connection

    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    try:
        results = json.loads(RESULTS.read_text())
    except (OSError, ValueError):
        results = {}
    results["scan"] = {
        **figures,
        "database": connection.vendor,
        "machine": f"{platform.node()} {os.cpu_count()} cores",
        "measured_at": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
    }
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n")


def main() -> None:
    root = Path(tempfile.mkdtemp(prefix="safetynet-bench-scan-"))
    try:
        started = time.perf_counter()
        files = generate(root)
        (root / "files.json").write_text(json.dumps(files))
        rows = sum(
            _rows(s) // (len(MONTHS) if s in MONTHLY else 1) * (len(MONTHS) if s in MONTHLY else 1)
            for s in SHARES
        )
        print(
            f"generated {PERSONS:,} persons, {HOUSEHOLDS:,} households, {rows:,} feed rows in "
            f"{time.perf_counter() - started:.1f} s",
            flush=True,
        )
        code = f"import sys; sys.path.insert(0, {str(Path(__file__).parent)!r}); import bench_scan; bench_scan.child({str(root)!r})"
        load_before = os.getloadavg()[0]
        done = subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True, env=os.environ
        )
        load_after = os.getloadavg()[0]
        figures = json.loads(done.stdout.strip().splitlines()[-1])
        naive, sample_persons, agree = _naive(root, files)
        naive_full = naive * PERSONS / max(sample_persons, 1)
        peak_gb = figures["peak"] / 1e9
        print(f"alerts by indicator: {figures['alerts']}")
        print(
            f"scan {PERSONS:,} persons × {rows:,} rows: {figures['scan']:.2f} s "
            f"(target <= {TARGET_SECONDS:.0f} s; ratio {figures['scan'] / TARGET_SECONDS:.2f}× "
            f"the target; CPU {figures['cpu']:.1f} s on {os.cpu_count()} cores), peak memory "
            f"{peak_gb:.2f} GB (target <= {TARGET_GB:.0f} GB; snapshot load {figures['load']:.2f} s); "
            f"load average {load_before:.1f} → {load_after:.1f}"
        )
        print(
            f"per-person reference {naive:.2f} s on {sample_persons:,} persons → "
            f"{naive_full:.0f} s est. for all; set-based / per-person "
            f"{figures['scan'] / naive_full:.4f}× ({naive_full / figures['scan']:.0f}× faster); "
            f"sample results identical: {agree}"
        )
        write = _write(root)
        print(
            f"database write ({write['alerts']:,} alerts): new alerts + home checks "
            f"{write['new_s']:.1f} s ({write['new_created']:,} created); the same again "
            f"(re-scan) {write['again_s']:.1f} s ({write['again_created']} created)"
        )
        _save(
            {
                "persons": PERSONS,
                "households": HOUSEHOLDS,
                "feed_rows": rows,
                "scan_s": round(figures["scan"], 2),
                "scan_cpu_s": round(figures["cpu"], 1),
                "target_s": TARGET_SECONDS,
                "peak_gb": round(peak_gb, 2),
                "target_gb": TARGET_GB,
                "snapshot_load_s": round(figures["load"], 2),
                "alerts": sum(figures["alerts"].values()),
                "naive_sample_persons": sample_persons,
                "naive_sample_s": round(naive, 2),
                "naive_estimated_s": round(naive_full),
                "ratio_vs_naive": round(figures["scan"] / naive_full, 5),
                "sample_identical": agree,
                "write": write,
                "load_average": [round(load_before, 2), round(load_after, 2)],
            }
        )
    finally:
        shutil.rmtree(root, ignore_errors=True)
