"""The plain per-person reference of every rule: a loop over the snapshot's people in Python,
reading the same batches row by row. Slow by design; the tests prove the set-based engine gives
the same alerts and evidence on a synthetic county, and the benchmark measures the ratio."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

import pyarrow.parquet as pq

from safetynet.monitoring.common import group_of
from safetynet.monitoring.scan.engine import IndicatorSpec
from safetynet.monitoring.scan.rules import month_shift, months_back
from safetynet.monitoring.scan.snapshot import Batches, Snapshot

RANK = {"assisted": 1, "focus": 2, "anti_relapse": 3, "registered": 4}
Row = dict[str, Any]


def _s(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _ev(
    source: str,
    row: Row,
    date: str | None = None,
    amount: str | None = None,
    detail: str | None = None,
) -> Row:
    return {
        "source": source,
        "batch": row["batch_id"],
        "period": row["batch_period"],
        "row": row["row_number"],
        "date": _s(row.get(date)) if date else None,
        "amount": _s(row.get(amount)) if amount else None,
        "detail": _s(row.get(detail)) if detail else None,
    }


def _age(birth: dt.date, on: dt.date) -> int:
    return on.year - birth.year - ((birth.month, birth.day) > (on.month, on.day))


class World:
    """The snapshot and batches as Python objects, indexed by ID hash."""

    def __init__(self, snapshot: Snapshot, batches: Batches) -> None:
        own: dict[int, str] = {}
        for row in snapshot.person_categories.to_pylist():
            current = own.get(row["person_id"])
            own[row["person_id"]] = (
                row["category"] if current is None else min(current, row["category"])
            )
        self.households = {h["household_id"]: h for h in snapshot.households.to_pylist()}
        self.persons = snapshot.persons.to_pylist()
        for p in self.persons:
            h = self.households.get(p["household_id"]) or {}
            p["grp"] = group_of(
                household_category=h.get("category") or "",
                person_category=own.get(p["person_id"], ""),
                relapse_watch=h.get("relapse_watch") or "",
            )
        members: dict[int, list[Row]] = defaultdict(list)
        for p in self.persons:
            members[p["household_id"]].append(p)
        by_id = {p["person_id"]: p for p in self.persons}
        for hid, h in self.households.items():
            people = members.get(hid, [])
            h["members"] = len(people)
            h["hh_grp"] = min(
                (p["grp"] for p in people), key=RANK.__getitem__, default="registered"
            )
            head = by_id.get(h["head_id"])
            h["head_hash"] = head["id_hash"] if head else None
        for p in self.persons:
            h = self.households.get(p["household_id"])
            p["hh_grp"] = h["hh_grp"] if h else p["grp"]
        self.hashes = {p["id_hash"] for p in self.persons}
        self.rows: dict[str, dict[str, list[Row]]] = {}
        self.all_rows: dict[str, list[Row]] = {}
        for source, files in batches.files.items():
            rows: list[Row] = []
            for f in files:
                for row in pq.read_table(f.path).to_pylist():
                    rows.append({**row, "batch_id": f.batch_id, "batch_period": f.period})
            self.all_rows[source] = rows
            index: dict[str, list[Row]] = defaultdict(list)
            for row in rows:
                index[str(row.get("id_hash"))].append(row)
            self.rows[source] = index

    def of(self, source: str, person: Row) -> list[Row]:
        return self.rows.get(source, {}).get(person["id_hash"], [])

    def income_month(self, on: dt.date) -> str | None:
        months = [
            r["month"]
            for s in ("pensions", "wages")
            for r in self.all_rows.get(s, [])
            if r["month"] and r["month"] <= f"{on:%Y-%m}"
        ]
        return max(months) if months else None


def _watched(spec: IndicatorSpec, person: Row) -> bool:
    return spec.watches == "all" or person["hh_grp"] == spec.watches


def _person_alert(p: Row, period: str, evidence: list[Row]) -> Row:
    return {
        "subject_hash": p["id_hash"],
        "person_id": p["person_id"],
        "household_id": p["household_id"],
        "region_code": p["region_id"],
        "subject_name": "",
        "period": period,
        "evidence": evidence,
    }


def _head_alert(h: Row, period: str, evidence: list[Row]) -> Row:
    return {
        "subject_hash": h["head_hash"],
        "person_id": h["head_id"],
        "household_id": h["household_id"],
        "region_code": h["region_id"],
        "subject_name": "",
        "period": period,
        "evidence": evidence,
    }


def _person_rule(world: World, spec: IndicatorSpec, on: dt.date) -> list[Row]:
    params, found = spec.params, []
    for p in world.persons:
        if not _watched(spec, p):
            continue
        found.extend(_one_person(world, spec.rule, params, p, on))
    return found


def _one_person(world: World, rule: str, params: dict[str, Any], p: Row, on: dt.date) -> list[Row]:
    start = months_back(on, int(params.get("months", 12)))
    if rule == "medical_burden":
        claims = [c for c in world.of("medical_claims", p) if start < c["settle_date"] <= on]
        total = sum((c["out_of_pocket"] for c in claims), Decimal(0))
        inpatient = [c["out_of_pocket"] for c in claims if c["visit_type"] == "inpatient"]
        fires = claims and (
            total > Decimal(str(params["out_of_pocket_12m"]))
            or (
                p["grp"] == "assisted"
                and inpatient
                and max(inpatient) > Decimal(str(params["assisted_inpatient_once"]))
            )
        )
        ev = [
            _ev("medical_claims", c, "settle_date", "out_of_pocket", "visit_type") for c in claims
        ]
        return [_person_alert(p, str(on.year), ev)] if fires else []
    if rule in ("member_death", "deceased_still_assisted"):
        deaths = [d for d in world.of("deaths", p) if d["death_date"] <= on]
        if not deaths or (rule == "deceased_still_assisted" and p["grp"] != "assisted"):
            return []
        return [_person_alert(p, "death", [_ev("deaths", d, "death_date") for d in deaths])]
    if rule == "new_disability":
        by_period: dict[str, list[Row]] = defaultdict(list)
        for d in world.of("disability_certificates", p):
            grade = d["grade"]
            if (d["status"] or "valid") != "valid" or d["issue_date"] > on:
                continue
            severe = grade <= int(params["max_grade"]) or (
                grade <= int(params["intellectual_mental_max_grade"])
                and d["disability_type"] in ("intellectual", "mental")
            )
            if severe and (p["disability_grade"] is None or p["disability_grade"] > grade):
                by_period[f"{d['issue_date']:%Y-%m}"].append(
                    _ev("disability_certificates", d, "issue_date", "grade", "disability_type")
                )
        return [_person_alert(p, k, v) for k, v in by_period.items()]
    if rule == "unemployed":
        age = _age(p["birth_date"], on)
        if not int(params["min_age"]) <= age <= int(params["max_age"]):
            return []
        by_period = defaultdict(list)
        for u in world.of("unemployment", p):
            if u["status"] == "registered" and start < u["registered_date"] <= on:
                by_period[f"{u['registered_date']:%Y-%m}"].append(
                    _ev("unemployment", u, "registered_date", None, "status")
                )
        return [_person_alert(p, k, v) for k, v in by_period.items()]
    if rule == "disaster":
        by_period = defaultdict(list)
        for x in world.of("disasters", p):
            hit = x["house_damage"] in ("damaged", "collapsed") or x["loss_amount"] > Decimal(
                str(params["loss_over"])
            )
            if start < x["event_date"] <= on and hit:
                by_period[f"{x['event_date']:%Y-%m}"].append(
                    _ev("disasters", x, "event_date", "loss_amount", "house_damage")
                )
        return [_person_alert(p, k, v) for k, v in by_period.items()]
    if rule == "schooling":
        by_period = defaultdict(list)
        for s in world.of("students", p):
            if s["stage"] in params["stages"] and start < s["enrolled_date"] <= on:
                by_period[f"{s['enrolled_date']:%Y}"].append(
                    _ev("students", s, "enrolled_date", None, "stage")
                )
        return [_person_alert(p, k, v) for k, v in by_period.items()]
    if rule == "vehicle":
        cars = [
            v
            for v in world.of("vehicles", p)
            if v["value"] is not None and v["value"] > Decimal(str(params["value_over"]))
        ]
        if not cars:
            return []
        period = f"{max(v['register_date'] for v in cars):%Y-%m}"
        return [
            _person_alert(
                p,
                period,
                [_ev("vehicles", v, "register_date", "value", "vehicle_type") for v in cars],
            )
        ]
    if rule == "business":
        firms = [
            b
            for b in world.of("businesses", p)
            if b["status"] == "active"
            and (b["registered_capital"] or Decimal(0)) >= Decimal(str(params["capital_from"]))
        ]
        if not firms:
            return []
        period = f"{max(b['established_date'] for b in firms):%Y-%m}"
        return [
            _person_alert(
                p,
                period,
                [
                    _ev("businesses", b, "established_date", "registered_capital", "status")
                    for b in firms
                ],
            )
        ]
    if rule == "payroll":
        rows = world.of("payroll", p)
        return (
            [
                _person_alert(
                    p, str(on.year), [_ev("payroll", w, None, None, "employer") for w in rows]
                )
            ]
            if rows
            else []
        )
    if rule == "medical_aid_missing":
        if p["grp"] != "assisted":
            return []
        stays = [
            c
            for c in world.of("medical_claims", p)
            if c["visit_type"] == "inpatient" and start < c["settle_date"] <= on
        ]
        aid = [m for m in world.of("medical_assistance", p) if start < m["paid_date"] <= on]
        if not stays or aid:
            return []
        period = f"{max(c['settle_date'] for c in stays):%Y-%m}"
        return [
            _person_alert(
                p,
                period,
                [
                    _ev("medical_claims", c, "settle_date", "out_of_pocket", "visit_type")
                    for c in stays
                ],
            )
        ]
    raise KeyError(rule)


def _household_rule(world: World, spec: IndicatorSpec, on: dt.date) -> list[Row]:
    params, found = spec.params, []
    latest = world.income_month(on)
    by_household: dict[int, list[Row]] = defaultdict(list)
    for p in world.persons:
        if _watched(spec, p) and p["household_id"] is not None:
            by_household[p["household_id"]].append(p)
    for hid, people in by_household.items():
        h = world.households[hid]
        if h["head_hash"] is None:
            continue
        if spec.rule == "real_estate":
            homes = [
                r
                for p in people
                for r in world.of("real_estate", p)
                if r["use_type"] == "residential"
            ]
            if len(homes) > int(params["max_dwellings"]):
                period = f"{max(r['register_date'] for r in homes):%Y-%m}"
                found.append(
                    _head_alert(
                        h,
                        period,
                        [
                            _ev("real_estate", r, "register_date", "area_m2", "use_type")
                            for r in homes
                        ],
                    )
                )
            continue
        if latest is None:
            continue
        if spec.rule == "income_drop":
            n = int(params["baseline_months"])
            first = month_shift(latest, -n)
            rows = [
                (s, r)
                for p in people
                for s in ("pensions", "wages")
                for r in world.of(s, p)
                if first <= r["month"] <= latest
            ]
            if not rows:
                continue
            current = sum((r["amount"] for _, r in rows if r["month"] == latest), Decimal(0))
            baseline = sum((r["amount"] for _, r in rows if r["month"] < latest), Decimal(0)) / n
            if baseline > 0 and current < baseline * (1 - Decimal(str(params["share"]))):
                found.append(_head_alert(h, latest, [_income_ev(s, r) for s, r in rows]))
        elif spec.rule == "high_income":
            rows = [
                (s, r)
                for p in people
                for s in ("pensions", "wages")
                for r in world.of(s, p)
                if r["month"] == latest
            ]
            total = sum((r["amount"] for _, r in rows), Decimal(0))
            if (
                rows
                and h["dibao_monthly"] is not None
                and h["members"] > 0
                and total > h["dibao_monthly"] * h["members"] * Decimal(str(params["multiplier"]))
            ):
                found.append(_head_alert(h, latest, [_income_ev(s, r) for s, r in rows]))
    return found


def _income_ev(source: str, row: Row) -> Row:
    return {**_ev(source, row, None, "amount"), "date": row["month"]}


def _relapse_new(world: World, on: dt.date, lo: str, hi: str) -> list[Row]:
    by_hash: dict[str, list[Row]] = defaultdict(list)
    for r in world.all_rows.get("relapse_watch", []):
        if (
            r["status"] == "monitoring"
            and lo <= r["region_code"] <= hi
            and r["id_hash"] not in world.hashes
        ):
            by_hash[r["id_hash"]].append(r)
    found = []
    for id_hash, rows in by_hash.items():
        rows.sort(key=lambda r: (r["batch_id"], r["row_number"]))
        found.append(
            {
                "subject_hash": id_hash,
                "person_id": None,
                "household_id": None,
                "region_code": rows[0]["region_code"],
                "subject_name": rows[0]["name"] or "",
                "period": "list",
                "evidence": [_ev("relapse_watch", r, None, None, "watch_type") for r in rows],
            }
        )
    return found


HOUSEHOLD_RULES = frozenset({"income_drop", "high_income", "real_estate"})


def evaluate(
    *,
    snapshot: Snapshot,
    batches: Batches,
    indicators: list[IndicatorSpec],
    on: dt.date,
    bounds: tuple[str, str],
) -> list[Row]:
    world = World(snapshot, batches)
    found: list[Row] = []
    for spec in indicators:
        if spec.rule == "relapse_new":
            rows = _relapse_new(world, on, *bounds)
        elif spec.rule in HOUSEHOLD_RULES:
            rows = _household_rule(world, spec, on)
        else:
            rows = _person_rule(world, spec, on)
        if spec.counties is not None:
            rows = [r for r in rows if r["region_code"][:6] in spec.counties]
        found.extend({"indicator_code": spec.code, **row} for row in rows)
    return found
