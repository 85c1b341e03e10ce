from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from safetynet.feeds.services import batch_import
from safetynet.monitoring.models import Alert
from safetynet.monitoring.scan.services import scan_run
from safetynet.registry import services as registry
from safetynet.registry.identity import decrypt_id_number

SCAN_ON = dt.date(2026, 11, 16)


def import_rows(
    actor: Any,
    tmp: Path,
    source: str,
    header: list[str],
    rows: list[list[str]],
    period: str = "2026-10",
) -> Any:
    path = tmp / f"{source}-{period}-{len(rows)}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        writer.writerows(rows)
    return batch_import(source=source, path=path, period=period, actor=actor, channel="cli").batch


@pytest.fixture
def dibao_household(make_household: Any, jinshui_officer: Any, county_officer: Any) -> Any:
    household = make_household(jinshui_officer, head_name="王预警")
    registry.category_set(
        actor=county_officer,
        household=household,
        category="dibao",
        effective_from=dt.date(2025, 1, 1),
        reason="测试",
    )
    household.refresh_from_db()
    return household


@pytest.fixture
def vehicle_alert(dibao_household: Any, county_officer: Any, tmp_path: Path) -> Alert:
    """A dibao household whose head owns an 80,000 yuan car: one vehicle alert, scanned."""
    head_id = decrypt_id_number(dibao_household.head.id_number_encrypted)
    import_rows(
        county_officer,
        tmp_path,
        "vehicles",
        ["身份证号", "号牌号码", "车辆类型", "初次登记日期", "车辆价值"],
        [[head_id, "豫A8", "轿车", "2026-05-05", "80000"]],
    )
    scan_run(actor=county_officer, on=SCAN_ON, indicator_code="vehicle")
    return Alert.objects.get(indicator_code="vehicle")


def alert_for(household: Any, *, indicator: str = "vehicle", on: dt.date = SCAN_ON) -> Alert:
    """An alert and its home check for a household's head, written directly (for page tests
    that are about the visit, not the scan)."""
    from safetynet.monitoring.common import CheckKind
    from safetynet.monitoring.models import HomeCheck, Indicator, Scan

    version = Indicator.objects.filter(code=indicator).order_by("-effective_from").first()
    assert version is not None
    scan = Scan.objects.create(region_code=household.region_id, on=on)
    alert = Alert.objects.create(
        subject_hash=household.head.id_number_hash,
        person=household.head,
        household=household,
        region_code=household.region_id,
        indicator_code=indicator,
        indicator=version,
        period=f"{on:%Y-%m}",
        severity=version.severity,
        hardship_type=version.hardship_type,
        evidence=[{"source": "vehicles", "batch": 1, "period": "2026-10", "row": 2}],
        summary=f"{version.name}：依据 1 条部门数据",
        first_scan=scan,
        last_scan=scan,
        raised_on=on,
    )
    HomeCheck.objects.create(
        kind=CheckKind.ALERT,
        alert=alert,
        household=household,
        region_code=household.region_id,
        township_code=household.region_id[:9] + "000",
        created_on=on,
        due_on=on + dt.timedelta(days=14),
    )
    return alert
