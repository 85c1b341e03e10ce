"""The scan finds exactly the planted cases, is idempotent, follows changed batches, and the
set-based engine equals the per-person reference."""

from __future__ import annotations

import json
from typing import Any

import pytest

from safetynet.monitoring.common import AlertStatus, CheckStatus
from safetynet.monitoring.models import Alert, HomeCheck
from safetynet.monitoring.scan import engine, reference
from safetynet.monitoring.scan.rules import RULES
from safetynet.monitoring.scan.services import region_for_scan, scan_plan, scan_run
from safetynet.monitoring.scan.snapshot import batches_for, registry_snapshot
from safetynet.monitoring.tests.planted import ON, County, plant

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(county_officer: Any, tmp_path: Any) -> County:
    return plant(county_officer, tmp_path)


def _found() -> set[tuple[str, str]]:
    return set(
        Alert.objects.exclude(status=AlertStatus.GONE).values_list("indicator_code", "subject_hash")
    )


def test_the_scan_finds_exactly_the_planted_cases(county: County) -> None:
    result = scan_run(actor=county.officer, on=ON)

    assert _found() == county.expected_hashes()
    assert result.alerts == result.new == len(county.expected)
    assert result.closed == 0
    # every indicator shipped has its planted case
    assert {code for code, _ in county.expected} == set(RULES)


def test_each_alert_carries_its_evidence_and_a_home_check(county: County) -> None:
    scan_run(actor=county.officer, on=ON)

    alert = Alert.objects.get(indicator_code="medical_burden", subject_hash=county.hash("med"))
    assert alert.period == "2026"
    assert sorted(e["amount"] for e in alert.evidence) == ["4500.00", "6000.00"]
    assert {e["source"] for e in alert.evidence} == {"medical_claims"}
    assert all(e["batch"] and e["row"] for e in alert.evidence)
    assert alert.household_id == county.households["med"].pk
    check = HomeCheck.objects.get(alert=alert)
    assert check.township_code == county.village.code[:9] + "000"
    assert check.due_on > ON
    unregistered = Alert.objects.get(indicator_code="relapse_new")
    assert unregistered.household_id is None and unregistered.subject_name == "新监测"


def test_a_second_scan_adds_nothing(county: County) -> None:
    scan_run(actor=county.officer, on=ON)
    before = list(Alert.objects.order_by("pk").values_list("pk", "status"))

    again = scan_run(actor=county.officer, on=ON)

    assert (again.new, again.closed, again.alerts) == (0, 0, len(county.expected))
    assert list(Alert.objects.order_by("pk").values_list("pk", "status")) == before
    assert HomeCheck.objects.count() == len(before)


def test_a_changed_batch_updates_evidence_and_a_vanished_condition_closes(county: County) -> None:
    scan_run(actor=county.officer, on=ON)
    # The medical batch of the period again, with another amount; the vehicle register anew
    # without the expensive car.
    write_batches_changed(county)

    result = scan_run(actor=county.officer, on=ON)

    alert = Alert.objects.get(indicator_code="medical_burden", subject_hash=county.hash("med"))
    assert sorted(e["amount"] for e in alert.evidence) == ["6000.00", "8800.00"]
    car = Alert.objects.get(indicator_code="vehicle", subject_hash=county.hash("car"))
    assert car.status == AlertStatus.GONE and car.closed_on == ON
    assert HomeCheck.objects.get(alert=car).status == CheckStatus.CANCELLED
    assert result.closed == 1 and result.new == 0


def write_batches_changed(county: County) -> None:
    i = county.ids
    county.write(
        "medical_claims",
        [
            [i["med"], "测", "2026-03-02", "住院", "20000", "14000", "6000.00"],
            [i["med"], "测", "2026-09-12", "普通门诊", "9000", "200", "8800.00"],
            [i["med_assisted"], "测", "2026-08-08", "住院", "9000", "2500", "6500.00"],
        ],
        name="medical_claims_again",
    )
    county.write(
        "vehicles", [[i["car_cheap"], "豫A2", "轿车", "2026-05-05", "30000"]], period="2026-11"
    )


def test_an_alert_someone_acted_on_is_not_closed(county: County) -> None:
    scan_run(actor=county.officer, on=ON)
    Alert.objects.filter(indicator_code="vehicle").update(status=AlertStatus.CHECKING)
    county.write(
        "vehicles",
        [[county.ids["car_cheap"], "豫A2", "轿车", "2026-05-05", "30000"]],
        period="2026-11",
    )

    result = scan_run(actor=county.officer, on=ON, indicator_code="vehicle")

    assert result.closed == 0
    assert Alert.objects.get(indicator_code="vehicle").status == AlertStatus.CHECKING


def test_one_indicator_only(county: County) -> None:
    result = scan_run(actor=county.officer, on=ON, indicator_code="disaster")

    assert result.alerts == result.new == 1
    assert set(Alert.objects.values_list("indicator_code", flat=True)) == {"disaster"}


def _normalised(rows: list[dict[str, Any]]) -> list[tuple[Any, ...]]:
    out = []
    for row in rows:
        evidence = row["evidence"]
        if isinstance(evidence, str):
            evidence = json.loads(evidence)
        key = lambda e: (e["source"], e["batch"], e["row"])  # noqa: E731
        out.append(
            (
                row["indicator_code"],
                row["subject_hash"],
                row["person_id"],
                row["household_id"],
                row["region_code"],
                row["subject_name"] or "",
                row["period"],
                json.dumps(sorted(evidence, key=key), sort_keys=True),
            )
        )
    return sorted(out, key=repr)


def test_set_based_equals_the_per_person_reference(county: County) -> None:
    actor = county.officer
    region = region_for_scan(actor=actor, region_code=None)
    plan = scan_plan(actor=actor, region=region, on=ON, indicator_code=None)
    snapshot = registry_snapshot(user=actor, region=region, on=ON)
    sources = {s for spec in plan.specs for s in RULES[spec.rule].sources}
    batches = batches_for(sources, on=ON)
    args = dict(
        snapshot=snapshot, batches=batches, indicators=plan.specs, on=ON, bounds=plan.bounds
    )

    fast = engine.evaluate(**args).to_pylist()
    slow = reference.evaluate(**args)

    assert len(fast) >= len(county.expected)
    assert _normalised(fast) == _normalised(slow)
