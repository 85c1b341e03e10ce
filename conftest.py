"""Fixtures shared by every app's tests: real regions (loaded by migration), named users and a
household factory that goes through the registry services like a user would."""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.regions.models import Level, Region
from safetynet.registry import services
from safetynet.registry.identity import build_id_number
from safetynet.registry.inputs import HouseholdInput, IncomeInput, MemberInput

JINSHUI = "410105000000"  # 郑州市金水区
ZHONGYUAN = "410102000000"  # 郑州市中原区
PASSWORD = "Test-pass-2026"

_sequence = itertools.count(1)


def first_below(code: str, level: str) -> Region:
    region = Region.objects.get(code=code)
    return (
        Region.objects.filter(code__startswith=region.prefix, level=level).order_by("code").first()
    )


def make_user(username: str, role: str, scope: Region | None, **extra: Any) -> User:
    user = User.objects.create_user(
        username=username, password=PASSWORD, role=role, scope_region=scope, **extra
    )
    return user


def new_id_number(
    county_code: str = "410105", *, born: dt.date | None = None, male: bool = True
) -> str:
    return build_id_number(
        address_code=county_code[:6],
        # Working-age adults (born 1967–2005) unless a test says otherwise: a default member who
        # turned out a minor or over 60 would make the classifier's answer depend on test order.
        birth_date=born or dt.date(1967, 1, 1) + dt.timedelta(days=next(_sequence) * 37 % 14000),
        sequence=next(_sequence),
        male=male,
    )


@pytest.fixture
def jinshui_township() -> Region:
    return first_below(JINSHUI, Level.TOWNSHIP)


@pytest.fixture
def zhongyuan_township() -> Region:
    return first_below(ZHONGYUAN, Level.TOWNSHIP)


@pytest.fixture
def jinshui_officer(db: Any, jinshui_township: Region) -> User:
    return make_user("jinshui", Role.TOWNSHIP_OFFICER, jinshui_township)


@pytest.fixture
def zhongyuan_officer(db: Any, zhongyuan_township: Region) -> User:
    return make_user("zhongyuan", Role.TOWNSHIP_OFFICER, zhongyuan_township)


@pytest.fixture
def county_officer(db: Any) -> User:
    return make_user("county", Role.COUNTY_OFFICER, Region.objects.get(code=JINSHUI))


@pytest.fixture
def village_assistant(db: Any, jinshui_township: Region) -> User:
    return make_user(
        "village", Role.VILLAGE_ASSISTANT, first_below(jinshui_township.code, Level.VILLAGE)
    )


@pytest.fixture
def auditor(db: Any) -> User:
    return make_user("auditor", Role.AUDITOR, Region.objects.get(code="410000000000"))


@pytest.fixture
def supervisor(db: Any) -> User:
    return make_user("supervisor", Role.SUPERVISOR, Region.objects.get(code="410000000000"))


@pytest.fixture
def make_household(db: Any) -> Any:
    """Create a household through the service; returns the Household."""

    def make(
        actor: User,
        *,
        village: Region | None = None,
        head_name: str = "张三",
        members: list[MemberInput] | None = None,
        wages: Decimal = Decimal("500.00"),
        **fields: Any,
    ) -> Any:
        village = village or first_below(actor.scope_region.code, Level.VILLAGE)
        county = village.code[:6]
        members = members or [
            MemberInput(
                id_number=new_id_number(county),
                name=head_name,
                relation="02",
                incomes=[IncomeInput(kind="wages", monthly_amount=wages)],
            ),
            MemberInput(id_number=new_id_number(county, male=False), name="李四", relation="10"),
        ]
        result = services.households_create(
            actor=actor,
            households=[HouseholdInput(region_code=village.code, members=members, **fields)],
        )
        return result.households[0]

    return make


@pytest.fixture(autouse=True)
def _feeds_dir(settings: Any, tmp_path: Any) -> None:
    """Each test stores department batches in its own folder, never in the checkout's var/."""
    settings.FEEDS_DIR = str(tmp_path / "feeds")
    settings.JINMIN_DIR = str(tmp_path / "jinmin-reports")
    settings.JOBS_FILES_DIR = str(tmp_path / "job-files")


@pytest.fixture(autouse=True)
def _fresh_calendar() -> Any:
    """The compiled working-day calendar is cached per process; rows a test writes roll back."""
    from safetynet.policy.calendar import workdays

    workdays.cache_clear()
    yield
    workdays.cache_clear()


@pytest.fixture(params=["standard", "national"])
def algorithm_set(request: Any, settings: Any) -> str:
    """Run a key or crypto test under both algorithm sets (ADR 0017): international (Fernet,
    HMAC-SHA256) and national (SM4-GCM, HMAC-SM3). The whole suite runs on the default."""
    settings.ID_ALGORITHMS = request.param
    return str(request.param)


def _flushes_the_database(item: pytest.Item) -> bool:
    """A browser test, or any test on a transactional database, ends with a flush."""
    if item.get_closest_marker("browser") is not None:
        return True
    marker = item.get_closest_marker("django_db")
    if marker is not None and (marker.kwargs.get("transaction") or marker.args[:1] == (True,)):
        return True
    return "transactional_db" in getattr(item, "fixturenames", ())


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item: pytest.Item, nextitem: pytest.Item | None) -> Iterator[None]:
    """Load the migrated data again after the flush that ends a transactional test (browser
    tests, the audit chain's row-lock test): the tests that run next in this worker (any app's,
    with ``--dist loadfile``) expect the migrated regions and standards."""
    yield
    # After the worker's last test the test database is already gone.
    if nextitem is None or not _flushes_the_database(item):
        return
    from pytest_django.plugin import blocking_manager_key
    from tests.browser.conftest import _load_migrated_data

    with item.config.stash[blocking_manager_key].unblock():
        _load_migrated_data()
