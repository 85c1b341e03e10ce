"""Fixtures of the assistance tests: a near-dibao household of 金水区 with an illness alert, and
department officers of 金水区 and 中原区."""

from __future__ import annotations

import datetime as dt
import itertools
from typing import Any

import pytest
from django.utils import timezone

from conftest import JINSHUI, ZHONGYUAN, make_user
from safetynet.accounts.roles import Role
from safetynet.monitoring.checks import services as checks
from safetynet.monitoring.common import CheckKind, Outcome
from safetynet.monitoring.models import Alert, HomeCheck, Indicator, Scan
from safetynet.regions.models import Region
from safetynet.registry import services as registry


@pytest.fixture
def household(make_household: Any, jinshui_officer: Any) -> Any:
    household = make_household(jinshui_officer, head_name="王帮扶")
    registry.category_set(
        actor=jinshui_officer,
        household=household,
        category="near_dibao",
        effective_from=timezone.localdate() - dt.timedelta(days=40),
        reason="认定为低保边缘家庭",
    )
    household.refresh_from_db()
    return household


@pytest.fixture
def department(db: Any) -> Any:
    """``department("medical_security")`` → an officer of that department in 金水区."""

    def make(name: str, county: str = JINSHUI) -> Any:
        return make_user(
            f"{name}_{county[:6]}",
            Role.DEPARTMENT_OFFICER,
            Region.objects.get(code=county),
            department=name,
        )

    return make


@pytest.fixture
def zhongyuan() -> str:
    return ZHONGYUAN


_periods = itertools.count(10)


def illness_check(household: Any) -> HomeCheck:
    today = timezone.localdate()
    scan = Scan.objects.create(region_code=household.region_id, on=today)
    alert = Alert.objects.create(
        subject_hash=household.head.id_number_hash,
        person=household.head,
        household=household,
        region_code=household.region_id,
        indicator_code="medical_burden",
        indicator=Indicator.objects.get(code="medical_burden"),
        period=f"20{next(_periods):02d}-01",  # one alert per person, indicator and period
        severity="high",
        hardship_type="illness",
        evidence=[],
        summary="自付医疗费用超过家庭年收入",
        first_scan=scan,
        last_scan=scan,
        raised_on=today,
    )
    return HomeCheck.objects.create(
        kind=CheckKind.ALERT,
        alert=alert,
        household=household,
        region_code=household.region_id,
        township_code=household.region_id[:9] + "000",
        created_on=today,
        due_on=today + dt.timedelta(days=14),
    )


def refer_by_visit(
    officer: Any, household: Any, *, department: str = "", outcome: str = Outcome.REFERRED
) -> Any:
    check = illness_check(household)
    return checks.visit_record(
        actor=officer,
        check=check,
        data=checks.VisitInput(
            visited_on=timezone.localdate(),
            staff=["张丽"],
            findings="户主住院，自付费用高",
            outcome=outcome,
            referral_department=department,
            special_summary="因病致贫，需多部门协同" if outcome == Outcome.SPECIAL else "",
        ),
    )
