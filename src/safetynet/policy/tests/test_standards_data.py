"""The provincial standards shipped in data/policy/ and loaded by the data migration: cited
figures carry their source and are not examples; everything else is marked 示例."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from safetynet.policy.models import StandardVersion
from safetynet.policy.standards.selectors import standards_for
from safetynet.policy.standards.services import shipped_versions, shipped_versions_load

pytestmark = pytest.mark.django_db

PROVINCE = "410000000000"


def test_the_migration_loaded_every_shipped_version() -> None:
    loaded = set(StandardVersion.objects.values_list("region_id", "effective_from"))
    shipped = {(v["region_id"], v["effective_from"]) for v in shipped_versions()}
    assert shipped <= loaded
    assert len(shipped) == 4


def test_the_2018_provincial_dibao_standards_are_cited() -> None:
    v = StandardVersion.objects.get(region_id=PROVINCE, effective_from=dt.date(2018, 1, 1))
    assert (v.dibao_urban_monthly, v.dibao_rural_monthly, v.destitute_multiplier) == (
        Decimal("470.00"),
        Decimal("287.50"),
        Decimal("1.300"),
    )
    assert not v.is_example_figure("dibao_urban_monthly")
    assert v.is_example_figure("care_full_monthly")
    assert "新华社" in v.source


def test_the_2022_disposable_incomes_are_cited_for_2023() -> None:
    standards = standards_for(region_code="410225", on=dt.date(2023, 6, 1), residence="urban")
    assert standards.disposable_income_annual == Decimal("38484.00")
    assert (
        "2022年河南省国民经济和社会发展统计公报" in standards.provenance["disposable_income_annual"]
    )
    assert not standards.provenance["disposable_income_annual"].endswith("示例")
    assert standards.provenance["dibao_monthly"].endswith("示例")


def test_the_2026_demo_standards_are_examples() -> None:
    standards = standards_for(region_code="410225", on=dt.date(2026, 6, 1), residence="rural")
    assert standards.is_example is True
    assert standards.dibao_monthly == Decimal("470.00")  # 兰考县's example raise


def test_every_province_version_carries_every_figure() -> None:
    for v in StandardVersion.objects.filter(region_id=PROVINCE):
        assert all(getattr(v, name) not in (None, "") for name in StandardVersion.FIGURES), v


def test_loading_again_creates_nothing(db: Any) -> None:
    assert shipped_versions_load() == 0
