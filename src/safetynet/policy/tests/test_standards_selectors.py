"""Resolving the standards in force: field by field county → city → province, each level's latest
version in force on the date, the example flag and the provenance of every figure."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.http import Http404

from safetynet.policy.common import ExpenditureRule
from safetynet.policy.models import StandardVersion
from safetynet.policy.standards.selectors import (
    StandardsMissing,
    standards_effective_table,
    standards_for,
    standards_history,
    standards_resolve,
)
from safetynet.regions.models import Level, Region

pytestmark = pytest.mark.django_db

PROVINCE = "410000000000"
KAIFENG = "410200000000"  # 开封市
LANKAO = "410225000000"  # 兰考县
QIXIAN = "410221000000"  # 杞县

FULL: dict[str, Any] = {
    "dibao_urban_monthly": Decimal("600.00"),
    "dibao_rural_monthly": Decimal("400.00"),
    "destitute_multiplier": Decimal("1.300"),
    "care_self_monthly": Decimal("100.00"),
    "care_partial_monthly": Decimal("300.00"),
    "care_full_monthly": Decimal("900.00"),
    "near_dibao_multiplier": Decimal("1.500"),
    "disposable_income_urban_annual": Decimal("40000.00"),
    "disposable_income_rural_annual": Decimal("20000.00"),
    "rigid_expenditure_share": Decimal("1.000"),
    "expenditure_rule": "share_of_income",
    "financial_assets_months": Decimal("24.000"),
    "vehicle_value_limit": Decimal("50000.00"),
    "max_dwellings": 1,
    "business_capital_limit": Decimal("100000.00"),
}


def version(code: str, effective_from: str, **fields: Any) -> StandardVersion:
    fields.setdefault("source", f"测试文件 {code[:6]} {effective_from}")
    return StandardVersion.objects.create(
        region_id=code, effective_from=dt.date.fromisoformat(effective_from), **fields
    )


def province(effective_from: str = "2027-01-01", **overrides: Any) -> StandardVersion:
    return version(PROVINCE, effective_from, **{**FULL, **overrides})


@pytest.fixture(autouse=True)
def no_shipped_versions(db: Any) -> None:
    """These tests build their own versions; the shipped ones are tested in test_standards_data."""
    StandardVersion.objects.all().delete()


def test_county_figure_overrides_the_province() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")
    assert standards.dibao_monthly == Decimal("450.00")


def test_figures_the_county_leaves_empty_come_from_the_province() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")
    assert standards.near_dibao_multiplier == Decimal("1.500")
    assert standards.disposable_income_annual == Decimal("20000.00")


def test_city_figure_applies_where_the_county_sets_none() -> None:
    province()
    version(KAIFENG, "2027-01-01", near_dibao_multiplier=Decimal("2.000"))
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")
    assert (standards.near_dibao_multiplier, standards.dibao_monthly) == (
        Decimal("2.000"),
        Decimal("450.00"),
    )


def test_county_figure_wins_over_the_city_figure() -> None:
    province()
    version(KAIFENG, "2027-01-01", dibao_rural_monthly=Decimal("420.00"))
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")
    assert standards.dibao_monthly == Decimal("450.00")


def test_the_latest_version_in_force_on_the_date_applies() -> None:
    province("2027-01-01", dibao_urban_monthly=Decimal("600.00"))
    province("2028-01-01", dibao_urban_monthly=Decimal("650.00"))
    on_2027 = standards_for(region_code=LANKAO, on=dt.date(2027, 12, 31), residence="urban")
    on_2028 = standards_for(region_code=LANKAO, on=dt.date(2028, 1, 1), residence="urban")
    assert (on_2027.dibao_monthly, on_2028.dibao_monthly) == (Decimal("600.00"), Decimal("650.00"))


def test_a_county_version_not_yet_in_force_is_not_used() -> None:
    province()
    version(LANKAO, "2027-07-01", dibao_rural_monthly=Decimal("450.00"))
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 6, 30), residence="rural")
    assert standards.dibao_monthly == Decimal("400.00")


def test_a_later_county_version_that_leaves_a_figure_empty_inherits_it_again() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    version(LANKAO, "2027-07-01", near_dibao_multiplier=Decimal("1.800"))
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 8, 1), residence="rural")
    assert (standards.dibao_monthly, standards.near_dibao_multiplier) == (
        Decimal("400.00"),
        Decimal("1.800"),
    )


def test_another_county_of_the_same_city_is_not_affected() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    standards = standards_for(region_code=QIXIAN, on=dt.date(2027, 3, 1), residence="rural")
    assert standards.dibao_monthly == Decimal("400.00")


def test_a_village_resolves_through_its_county() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    village = Region.objects.filter(code__startswith="410225", level=Level.VILLAGE).first()
    assert village is not None
    standards = standards_for(region_code=village.code, on=dt.date(2027, 3, 1), residence="rural")
    assert standards.dibao_monthly == Decimal("450.00")


def test_a_short_township_code_resolves_through_its_county() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_urban_monthly=Decimal("700.00"))
    township = Region.objects.filter(code__startswith="410225", level=Level.TOWNSHIP).first()
    assert township is not None
    standards = standards_for(
        region_code=township.code[:9], on=dt.date(2027, 3, 1), residence="urban"
    )
    assert standards.dibao_monthly == Decimal("700.00")


def test_residence_picks_the_urban_or_rural_figures() -> None:
    province()
    urban = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="urban")
    rural = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")
    assert (urban.dibao_monthly, urban.disposable_income_annual) == (
        Decimal("600.00"),
        Decimal("40000.00"),
    )
    assert (rural.dibao_monthly, rural.disposable_income_annual) == (
        Decimal("400.00"),
        Decimal("20000.00"),
    )


def test_values_have_the_standards_types() -> None:
    province()
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="urban")
    assert standards.expenditure_rule is ExpenditureRule.SHARE_OF_INCOME
    assert isinstance(standards.max_dwellings, int)
    assert standards.destitute_monthly == Decimal("780.00000")


def test_a_cited_province_is_not_an_example() -> None:
    province()
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="urban")
    assert standards.is_example is False


def test_an_example_county_figure_in_use_makes_the_standards_an_example() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"), is_example=True)
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")
    assert standards.is_example is True


def test_an_example_figure_of_the_other_residence_does_not_count() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"), is_example=True)
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="urban")
    assert standards.is_example is False


def test_example_figures_of_a_cited_version_are_marked_one_by_one() -> None:
    province(example_figures=["care_full_monthly"])
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="urban")
    assert standards.is_example is True
    assert standards.provenance["care_full_monthly"].endswith(" 示例")
    assert not standards.provenance["dibao_monthly"].endswith(" 示例")


def test_provenance_names_code_region_date_and_source() -> None:
    province(source="豫民文〔2026〕1号")
    version(LANKAO, "2027-02-01", dibao_rural_monthly=Decimal("450.00"), source="兰民〔2027〕2号")
    standards = standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")
    assert standards.provenance["dibao_monthly"] == "410225 兰考县 2027-02-01 兰民〔2027〕2号"
    assert standards.provenance["near_dibao_multiplier"] == (
        "410000 河南省 2027-01-01 豫民文〔2026〕1号"
    )


def test_no_province_version_in_force_raises_standards_missing_naming_region_and_date() -> None:
    province("2027-01-01")
    with pytest.raises(StandardsMissing, match=r"兰考县.*2026-12-31"):
        standards_for(region_code=LANKAO, on=dt.date(2026, 12, 31), residence="rural")


def test_a_county_version_alone_is_not_enough() -> None:
    version(LANKAO, "2027-01-01", **FULL)
    with pytest.raises(StandardsMissing, match="省级标准"):
        standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")


def test_a_province_version_without_a_figure_raises_standards_missing_naming_it() -> None:
    province(care_full_monthly=None)
    with pytest.raises(StandardsMissing, match="全护理"):
        standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")


def test_an_unknown_region_is_404() -> None:
    province()
    with pytest.raises(Http404):
        standards_for(region_code="419999", on=dt.date(2027, 3, 1), residence="rural")


def test_resolving_takes_two_queries(django_assert_num_queries: Any) -> None:
    province()
    version(KAIFENG, "2027-01-01", near_dibao_multiplier=Decimal("2.000"))
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    with django_assert_num_queries(2):
        standards_for(region_code=LANKAO, on=dt.date(2027, 3, 1), residence="rural")


def test_the_effective_table_resolves_every_county_in_two_queries(
    django_assert_num_queries: Any,
) -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    counties = list(Region.objects.filter(level=Level.COUNTY).order_by("code"))
    with django_assert_num_queries(2):
        table = standards_effective_table(regions=counties, on=dt.date(2027, 3, 1))
    by_code = {r.code: t for r, t in zip(counties, table, strict=True)}
    assert by_code[LANKAO].figures["dibao_rural_monthly"].value == Decimal("450.00")
    assert by_code[QIXIAN].figures["dibao_rural_monthly"].value == Decimal("400.00")
    assert len(table) == len(counties) > 150


def test_the_effective_table_reports_a_missing_province_in_place() -> None:
    county = Region.objects.get(code=LANKAO)
    [entry] = standards_effective_table(regions=[county], on=dt.date(2027, 3, 1))
    assert isinstance(entry, StandardsMissing)


def test_resolved_figures_tell_own_from_inherited() -> None:
    province()
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    resolved = standards_resolve(region_code=LANKAO, on=dt.date(2027, 3, 1))
    assert not resolved.inherited(resolved.figures["dibao_rural_monthly"])
    assert resolved.inherited(resolved.figures["dibao_urban_monthly"])


def test_history_lists_the_chain_top_level_first_newest_first() -> None:
    province("2027-01-01")
    province("2028-01-01")
    version(LANKAO, "2027-01-01", dibao_rural_monthly=Decimal("450.00"))
    version(QIXIAN, "2027-01-01", dibao_rural_monthly=Decimal("460.00"))
    history = standards_history(region_code=LANKAO)
    assert [(v.region_id, v.effective_from.year) for v in history] == [
        (PROVINCE, 2028),
        (PROVINCE, 2027),
        (LANKAO, 2027),
    ]
