from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from safetynet.determination import services
from safetynet.determination.amounts import AmountError, destitute_amount, dibao_amount
from safetynet.determination.limits.selectors import TimeLimitsMissing, limits_for, limits_for_many
from safetynet.determination.models import TimeLimits
from safetynet.determination.tests.conftest import time_limits
from safetynet.policy.common import Standards

D = dt.date
VILLAGE = "410105001001"

pytestmark = pytest.mark.django_db


def test_national_limits_are_shipped_for_the_province() -> None:
    limits = limits_for(region_code=VILLAGE, on=D(2026, 3, 1))
    assert (limits.investigation_start_days, limits.procedure_days) == (3, 30)
    assert (limits.confirmation_dibao_days, limits.confirmation_destitute_days) == (10, 15)
    assert limits.spot_check_share == Decimal("0.300")
    assert limits.confirmation_delegated is False
    assert limits.provenance["procedure_days"].startswith("410000 2021-07-01")


def test_county_figure_overrides_and_the_rest_is_inherited() -> None:
    time_limits("410105000000", procedure_days=25, procedure_extended_days=40)
    limits = limits_for(region_code=VILLAGE, on=D(2026, 3, 1))
    assert (limits.procedure_days, limits.procedure_extended_days) == (25, 40)
    assert limits.data_check_days == 3
    assert limits.provenance["procedure_days"].startswith("410105")


def test_city_figure_applies_to_its_counties_below_a_county_figure() -> None:
    time_limits("410100000000", procedure_days=28, data_check_days=2)
    time_limits("410105000000", procedure_days=25)
    limits = limits_for(region_code=VILLAGE, on=D(2026, 3, 1))
    assert (limits.procedure_days, limits.data_check_days) == (25, 2)
    other = limits_for(region_code="410102000000", on=D(2026, 3, 1))
    assert (other.procedure_days, other.data_check_days) == (28, 2)


def test_a_version_applies_only_from_its_effective_date() -> None:
    time_limits("410105000000", procedure_days=25)
    assert limits_for(region_code=VILLAGE, on=D(2025, 12, 31)).procedure_days == 30
    assert limits_for(region_code=VILLAGE, on=D(2026, 1, 1)).procedure_days == 25


def test_limits_for_many_resolves_each_region() -> None:
    time_limits("410105000000", procedure_days=25)
    many = limits_for_many(region_codes=[VILLAGE, "410102000000"], on=D(2026, 3, 1))
    assert (many[VILLAGE].procedure_days, many["410102000000"].procedure_days) == (25, 30)


def test_no_provincial_version_before_the_national_rules() -> None:
    with pytest.raises(TimeLimitsMissing):
        limits_for(region_code=VILLAGE, on=D(2021, 6, 30))


def test_county_officer_records_their_own_county_limits(county_officer: Any, clock: Any) -> None:
    version = services.time_limits_create(
        actor=county_officer,
        region=county_officer.scope_region,
        effective_from=D(2026, 2, 1),
        values={"procedure_days": 25, "confirmation_delegated": True},
        source="县民政局文件",
    )
    assert TimeLimits.objects.get(pk=version.pk).procedure_days == 25


def test_county_officer_cannot_record_another_county(county_officer: Any, clock: Any) -> None:
    from safetynet.regions.models import Region

    with pytest.raises(services.PermissionDenied):
        services.time_limits_create(
            actor=county_officer,
            region=Region.objects.get(code="410102000000"),
            effective_from=D(2026, 2, 1),
            values={"procedure_days": 25},
        )


def test_township_officer_cannot_record_limits(jinshui_officer: Any, clock: Any) -> None:
    with pytest.raises(services.PermissionDenied):
        services.time_limits_create(
            actor=jinshui_officer,
            region=jinshui_officer.scope_region,
            effective_from=D(2026, 2, 1),
            values={"procedure_days": 25},
        )


def test_limits_cannot_be_backdated(county_officer: Any, clock: Any) -> None:
    with pytest.raises(services.DeterminationError, match="不能早于今天"):
        services.time_limits_create(
            actor=county_officer,
            region=county_officer.scope_region,
            effective_from=D(2025, 12, 1),
            values={"procedure_days": 25},
        )


def test_dibao_amount_is_the_gap_times_members_rounded_up_to_the_yuan() -> None:
    amount = dibao_amount(standard=Decimal("700.33"), income_total=Decimal("300.00"), members=2)
    assert amount.monthly == Decimal("1101.00")
    assert amount.basis["income_per_head"] == "150.00"


def test_dibao_amount_whole_yuan_is_not_rounded_further() -> None:
    amount = dibao_amount(standard=Decimal("650.00"), income_total=Decimal("300.00"), members=3)
    assert amount.monthly == Decimal("1650.00")


def test_dibao_amount_refused_when_income_reaches_the_standard() -> None:
    with pytest.raises(AmountError, match="不低于低保标准"):
        dibao_amount(standard=Decimal("650.00"), income_total=Decimal("1300.00"), members=2)


def test_destitute_amount_adds_the_care_tier() -> None:
    standards = Standards(
        dibao_monthly=Decimal("700.00"),
        destitute_multiplier=Decimal("1.3"),
        care_partial_monthly=Decimal("300.00"),
    )
    amount = destitute_amount(standards=standards, care_tier="partial")
    assert amount.monthly == Decimal("1210.00")


def test_destitute_amount_needs_a_care_tier() -> None:
    with pytest.raises(AmountError):
        destitute_amount(standards=Standards(dibao_monthly=Decimal("700")), care_tier="")
