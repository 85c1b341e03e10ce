from __future__ import annotations

from typing import Any

import pytest

from conftest import make_user
from safetynet.accounts.roles import Role
from safetynet.jobs.tests import sample_tasks
from safetynet.regions.models import Region


@pytest.fixture(autouse=True)
def _forget_calls() -> None:
    sample_tasks.CALLS.clear()


@pytest.fixture
def administrator(db: Any) -> Any:
    return make_user("admin", Role.ADMINISTRATOR, Region.objects.get(code="410000000000"))
