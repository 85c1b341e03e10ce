"""Running a scan and recording what it found (idempotent).

- The same subject, indicator and period never give a second alert (a unique constraint); a
  re-scan refreshes the evidence of the alert already there, and reopens one it had closed.
- An alert still untouched (nobody has visited) whose condition no longer holds in this scan's
  region and indicators is closed as such (``AlertStatus.GONE``), its home check cancelled.
- Each new alert becomes a home check for its village's township, due in the indicator's working
  days (policy calendar).
"""

from __future__ import annotations

import datetime as dt
import json
import time
from collections import defaultdict
from dataclasses import dataclass
from typing import Any

import pyarrow as pa
from django.db import transaction
from django.http import Http404
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.core.chunks import chunked
from safetynet.monitoring.common import UNTOUCHED, AlertStatus, CheckKind, CheckStatus
from safetynet.monitoring.indicators.selectors import indicators_for_counties
from safetynet.monitoring.models import Alert, HomeCheck, Indicator, Scan
from safetynet.monitoring.scan import engine
from safetynet.monitoring.scan.rules import RULES
from safetynet.monitoring.scan.snapshot import Batches, Snapshot, batches_for, registry_snapshot
from safetynet.policy.bulk.extract import region_bounds
from safetynet.policy.calendar.workdays import add_working_days
from safetynet.regions.codes import normalise_code
from safetynet.regions.models import Level, Region
from safetynet.registry.models import Person

CHUNK = 5000


class ScanError(Exception):
    """A scan that cannot run, with a Chinese message."""


@dataclass(frozen=True)
class ScanResult:
    scan: Scan
    alerts: int
    new: int
    closed: int


@dataclass(frozen=True)
class Plan:
    """What a scan evaluates: the region, its counties' indicator versions as engine specs."""

    region: Region
    bounds: tuple[str, str]
    specs: list[engine.IndicatorSpec]
    # code → the versions used, each with the counties it applies to (None: all of the region)
    versions: dict[str, list[tuple[Indicator, frozenset[str] | None]]]

    def version_for(self, code: str, region_code: str) -> Indicator:
        for version, counties in self.versions[code]:
            if counties is None or region_code[:6] in counties:
                return version
        return self.versions[code][0][0]


def region_for_scan(*, actor: User, region_code: str | None) -> Region:
    code = region_code or actor.scope_region_id or ""
    if not code:
        raise ScanError("请指定扫描区划")
    try:
        full = normalise_code(code)
    except ValueError as exc:
        raise ScanError(str(exc)) from exc
    region = Region.objects.filter(code=full).first()
    if region is None:
        raise ScanError(f"区划代码不存在：{code}")
    require(actor, Capability.RUN_MONITORING_SCAN, region)
    return region


def scan_plan(*, actor: User, region: Region, on: dt.date, indicator_code: str | None) -> Plan:
    bounds = region_bounds(user=actor, region=region)
    if bounds is None:
        raise Http404("不在您的管辖范围内")
    lo, hi = bounds
    counties = list(
        Region.objects.filter(
            level=Level.COUNTY, code__gte=lo[:6].ljust(12, "0"), code__lte=hi
        ).values_list("code", flat=True)
    )
    if region.level in (Level.COUNTY, Level.TOWNSHIP, Level.VILLAGE):
        counties = [region.code[:6].ljust(12, "0")]
    by_county = indicators_for_counties(county_codes=counties, on=on)
    grouped: dict[tuple[str, int], list[str]] = defaultdict(list)
    versions: dict[int, Indicator] = {}
    for county, indicators in by_county.items():
        for code, version in indicators.items():
            if indicator_code and code != indicator_code:
                continue
            if version.active and version.rule in RULES:
                grouped[(code, version.pk)].append(county[:6])
                versions[version.pk] = version
    if indicator_code and not grouped:
        raise ScanError(f"指标不存在或未启用：{indicator_code}")
    codes_versions: dict[str, list[tuple[Indicator, frozenset[str] | None]]] = defaultdict(list)
    specs = []
    for (code, pk), county_list in sorted(grouped.items()):
        version = versions[pk]
        several = sum(1 for c, _ in grouped if c == code) > 1
        limited = tuple(sorted(county_list)) if several else None
        codes_versions[code].append((version, frozenset(limited) if limited else None))
        specs.append(
            engine.IndicatorSpec(
                code=code,
                rule=version.rule,
                watches=version.watches,
                params=version.params,
                counties=limited,
            )
        )
    return Plan(region=region, bounds=bounds, specs=specs, versions=dict(codes_versions))


def registered_anywhere(hashes: list[str]) -> set[str]:
    """Of these ID hashes, those of a registry person in any region (relapse_new fires only for
    people in no household of the low-income database)."""
    found: set[str] = set()
    for chunk in chunked(sorted(set(hashes))):
        found.update(
            Person.objects.filter(id_number_hash__in=chunk).values_list("id_number_hash", flat=True)
        )
    return found


def evaluate(plan: Plan, *, actor: User, on: dt.date) -> tuple[list[dict[str, Any]], Batches]:
    snapshot: Snapshot = registry_snapshot(user=actor, region=plan.region, on=on)
    sources = sorted({s for spec in plan.specs for s in RULES[spec.rule].sources})
    batches = batches_for(sources, on=on)
    table: pa.Table = engine.evaluate(
        snapshot=snapshot, batches=batches, indicators=plan.specs, on=on, bounds=plan.bounds
    )
    rows = table.to_pylist()
    relapse = [r["subject_hash"] for r in rows if r["indicator_code"] == "relapse_new"]
    if relapse:
        known = registered_anywhere(relapse)
        rows = [
            r
            for r in rows
            if not (r["indicator_code"] == "relapse_new" and r["subject_hash"] in known)
        ]
    return rows, batches


def _summary(version: Indicator, evidence: list[dict[str, Any]]) -> str:
    amounts = [e["amount"] for e in evidence if e.get("amount")]
    text = f"{version.name}：依据 {len(evidence)} 条部门数据"
    if amounts and version.rule in ("medical_burden", "medical_aid_missing"):
        text += f"，合计 {sum(float(a) for a in amounts):.2f} 元"
    return text[:300]


def scan_run(
    *,
    actor: User,
    region_code: str | None = None,
    indicator_code: str | None = None,
    on: dt.date | None = None,
    trigger: str = "manual",
    progress: Any = None,
) -> ScanResult:
    """Scan a region (default: the actor's scope) for every active indicator, or one."""
    on = on or timezone.localdate()
    report = progress or (lambda done, total, stage: None)
    started = time.perf_counter()
    region = region_for_scan(actor=actor, region_code=region_code)
    plan = scan_plan(actor=actor, region=region, on=on, indicator_code=indicator_code)
    report(0, 3, "读取登记库与部门数据")
    rows, batches = evaluate(plan, actor=actor, on=on)
    report(1, 3, "写入预警")
    with transaction.atomic():
        scan = Scan.objects.create(
            region_code=region.code,
            indicator_code=indicator_code or "",
            on=on,
            trigger=trigger,
            run_by=actor if getattr(actor, "pk", None) else None,
            batches=batches.describe(),
        )
        new, closed = _record(plan, rows, scan=scan, on=on)
        scan.alerts, scan.new, scan.closed = len(rows), new, closed
        scan.seconds = round(time.perf_counter() - started, 3)
        scan.save(update_fields=["alerts", "new", "closed", "seconds"])
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="monitoring.Scan",
            object_id=scan.pk,
            region_code=region.code,
            summary=f"动态监测扫描：命中 {len(rows)}，新增 {new}，自动关闭 {closed}",
            detail={"indicator": indicator_code or "", "on": on.isoformat(), "trigger": trigger},
        )
    report(3, 3, "完成")
    return ScanResult(scan=scan, alerts=len(rows), new=new, closed=closed)


def _existing(plan: Plan, rows: list[dict[str, Any]]) -> dict[tuple[str, str, str], Alert]:
    codes = [spec.code for spec in plan.specs]
    lo, hi = plan.bounds
    existing: dict[tuple[str, str, str], Alert] = {}
    in_region = Alert.objects.filter(
        indicator_code__in=codes, region_code__gte=lo, region_code__lte=hi
    )
    for alert in in_region.iterator(chunk_size=CHUNK):
        existing[(alert.subject_hash, alert.indicator_code, alert.period)] = alert
    # A subject who moved out of the region keeps their alert: found again, it is the same one.
    # Only the rows whose alert is not already among the region's are looked up by hash.
    hashes = sorted(
        {
            r["subject_hash"]
            for r in rows
            if (r["subject_hash"], r["indicator_code"], r["period"]) not in existing
        }
    )
    for chunk in chunked(hashes):
        for alert in Alert.objects.filter(indicator_code__in=codes, subject_hash__in=chunk):
            existing.setdefault((alert.subject_hash, alert.indicator_code, alert.period), alert)
    return existing


UPDATED_FIELDS = (
    "evidence",
    "summary",
    "person_id",
    "household_id",
    "region_code",
    "status",
    "closed_on",
)


def _record(plan: Plan, rows: list[dict[str, Any]], *, scan: Scan, on: dt.date) -> tuple[int, int]:
    """Write what the scan found, set-based: new alerts and their home checks by bulk insert;
    alerts found again marked with this scan in one UPDATE per chunk, and rewritten (bulk
    update) only where their evidence or subject changed or they reopen; alerts no longer found
    closed in one UPDATE per chunk. No query per alert."""
    existing = _existing(plan, rows)
    found_keys = set()
    created: list[Alert] = []
    changed: list[Alert] = []
    seen: list[int] = []
    reopened: list[int] = []
    for row in rows:
        key = (row["subject_hash"], row["indicator_code"], row["period"])
        if key in found_keys:
            continue
        found_keys.add(key)
        evidence = (
            json.loads(row["evidence"]) if isinstance(row["evidence"], str) else row["evidence"]
        )
        version = plan.version_for(row["indicator_code"], row["region_code"])
        alert = existing.get(key)
        if alert is None:
            created.append(
                Alert(
                    subject_hash=row["subject_hash"],
                    subject_name=row["subject_name"] or "",
                    person_id=row["person_id"],
                    household_id=row["household_id"],
                    region_code=row["region_code"],
                    indicator_code=row["indicator_code"],
                    indicator=version,
                    period=row["period"],
                    severity=version.severity,
                    hardship_type=version.hardship_type,
                    evidence=evidence,
                    summary=_summary(version, evidence),
                    first_scan=scan,
                    last_scan=scan,
                    raised_on=on,
                )
            )
            continue
        seen.append(alert.pk)
        before = tuple(getattr(alert, f) for f in UPDATED_FIELDS)
        alert.evidence = evidence
        alert.summary = _summary(version, evidence)
        alert.person_id, alert.household_id = row["person_id"], row["household_id"]
        alert.region_code = row["region_code"]
        alert.last_scan = scan
        if alert.status == AlertStatus.GONE:
            alert.status, alert.closed_on = AlertStatus.OPEN, None
            reopened.append(alert.pk)
        if tuple(getattr(alert, f) for f in UPDATED_FIELDS) != before:
            changed.append(alert)
    for chunk in chunked(seen):
        Alert.objects.filter(pk__in=chunk).update(last_scan=scan)
    Alert.objects.bulk_update(changed, list(UPDATED_FIELDS), batch_size=1000)
    for chunk in chunked(reopened):
        HomeCheck.objects.filter(alert_id__in=chunk, status=CheckStatus.CANCELLED).update(
            status=CheckStatus.DUE
        )
    Alert.objects.bulk_create(created, batch_size=1000)
    _checks_for(created, on=on)
    gone = [
        a.pk
        for key, a in existing.items()
        if key not in found_keys
        and a.status in UNTOUCHED
        and plan.bounds[0] <= a.region_code <= plan.bounds[1]
    ]
    for chunk in chunked(gone):
        Alert.objects.filter(pk__in=chunk).update(status=AlertStatus.GONE, closed_on=on)
        HomeCheck.objects.filter(alert_id__in=chunk, status=CheckStatus.DUE).update(
            status=CheckStatus.CANCELLED
        )
    return len(created), len(gone)


def _checks_for(alerts: list[Alert], *, on: dt.date) -> None:
    due_by_days: dict[int, dt.date] = {}
    checks = []
    for alert in alerts:
        days = alert.indicator.check_working_days
        if days not in due_by_days:
            due_by_days[days] = add_working_days(on, days)
        checks.append(
            HomeCheck(
                kind=CheckKind.ALERT,
                alert=alert,
                household_id=alert.household_id,
                region_code=alert.region_code,
                township_code=alert.region_code[:9].ljust(12, "0"),
                created_on=on,
                due_on=due_by_days[days],
            )
        )
    HomeCheck.objects.bulk_create(checks, batch_size=1000)
