"""Shared fixtures of the verification tests (imported by their conftest-less modules)."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest

from conftest import make_user, new_id_number
from safetynet.accounts.roles import Role
from safetynet.feeds.tests.verification_batches import store_batch
from safetynet.regions.models import Region
from safetynet.registry.inputs import IncomeInput, MemberInput
from safetynet.registry.models import Household


@pytest.fixture
def verified_family(make_household: Any, county_officer: Any) -> tuple[Household, str, str]:
    """A 金水区 household (head 张建国 with a vehicle he did not declare, spouse 李秀英) and the
    plain ID numbers of both."""
    head, spouse = new_id_number("410105"), new_id_number("410105", male=False)
    household = make_household(
        county_officer,
        members=[
            MemberInput(
                id_number=head,
                name="张建国",
                relation="02",
                incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("900"))],
            ),
            MemberInput(id_number=spouse, name="李秀英", relation="10"),
        ],
    )
    store_batch(
        "vehicles",
        "2026-04",
        [
            {
                "id_number": head,
                "plate": "豫A12345",
                "vehicle_type": "小型轿车",
                "register_date": "2024-03-01",
                "value": "85000",
            }
        ],
    )
    return household, head, spouse


@pytest.fixture
def other_verifier(db: Any, zhongyuan_township: Region) -> Any:
    """An officer who may issue reports, but whose scope is a township of 中原区."""
    return make_user("zy_verifier", Role.COUNTY_OFFICER, zhongyuan_township)
