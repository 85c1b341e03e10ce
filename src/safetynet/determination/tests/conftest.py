"""Fixtures of the determination tests: a clock frozen in Asia/Shanghai that a test moves day by
day, attachments stored under the test's own folder, and a household with a low income."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine

from safetynet.determination import services
from safetynet.determination.models import Application, AttachmentKind

SHANGHAI = ZoneInfo("Asia/Shanghai")
PDF = b"%PDF-1.4\n% authorisation scan\n"


class Clock:
    """Frozen time; ``on(date)`` moves it to 10:00 that day."""

    def __init__(self, traveller: Any) -> None:
        self._traveller = traveller

    def on(self, day: dt.date) -> dt.date:
        self._traveller.move_to(dt.datetime.combine(day, dt.time(10), tzinfo=SHANGHAI))
        return day


@pytest.fixture
def clock() -> Iterator[Clock]:
    with time_machine.travel(dt.datetime(2026, 1, 5, 10, tzinfo=SHANGHAI), tick=False) as t:
        yield Clock(t)


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def household(make_household: Any, jinshui_officer: Any) -> Any:
    """Two members, 300 yuan of wages a month: well under any Henan dibao standard."""
    return make_household(jinshui_officer, wages=Decimal("300.00"))


def authorise(actor: Any, application: Application) -> None:
    services.attachment_add(
        actor=actor,
        application=application,
        kind=AttachmentKind.AUTHORISATION,
        content=PDF,
        filename="核对授权书.pdf",
        content_type="application/pdf",
    )


def submit_and_accept(
    actor: Any, household: Any, type: str, clock: Clock, applied: dt.date, accepted: dt.date
) -> Application:
    clock.on(applied)
    application = services.application_submit(actor=actor, household=household, type=type)
    authorise(actor, application)
    clock.on(accepted)
    return services.application_accept(actor=actor, application=application)


def investigate(
    actor: Any,
    county: Any,
    application: Application,
    clock: Clock,
    visited: dt.date,
    answered: dt.date,
) -> None:
    clock.on(visited)
    services.home_visit_record(
        actor=actor,
        application=application,
        visited_on=visited,
        staff=["王五", "赵六"],
        findings="家中无劳动力，收入微薄。",
    )
    check = services.data_check_request(actor=actor, application=application)
    clock.on(answered)
    services.data_check_answer(actor=county, data_check=check, answer="未发现不符合条件的财产。")
    application.refresh_from_db()


JINSHUI_COUNTY = "410105000000"


@pytest.fixture
def standards(db: Any) -> Any:
    """Known local standards for 金水区 from 2026-01-01 (the shipped figures may change)."""
    from safetynet.policy.models import StandardVersion

    return StandardVersion.objects.create(
        region_id=JINSHUI_COUNTY,
        effective_from=dt.date(2026, 1, 1),
        dibao_urban_monthly=Decimal("700.33"),
        dibao_rural_monthly=Decimal("700.33"),
        destitute_multiplier=Decimal("1.3"),
        near_dibao_multiplier=Decimal("1.5"),
        care_self_monthly=Decimal("100.00"),
        care_partial_monthly=Decimal("300.00"),
        care_full_monthly=Decimal("600.00"),
    )


@pytest.fixture
def destitute_household(make_household: Any, jinshui_officer: Any) -> Any:
    """One 75-year-old unable to work, without income or supporters."""
    from conftest import new_id_number
    from safetynet.registry.inputs import MemberInput

    return make_household(
        jinshui_officer,
        members=[
            MemberInput(
                id_number=new_id_number("410105", born=dt.date(1951, 3, 1)),
                name="孤老甲",
                relation="02",
                labour_capacity="none",
            )
        ],
    )


def time_limits(region_code: str, **values: Any) -> Any:
    from safetynet.determination.models import TimeLimits

    return TimeLimits.objects.create(
        region_id=region_code, effective_from=dt.date(2026, 1, 1), **values
    )


def publicise(actor: Any, application: Application, clock: Clock, start: dt.date) -> None:
    clock.on(start)
    services.township_review(actor=actor, application=application, opinion="经审核，符合条件。")
    services.publicity_start(actor=actor, application=application)
