from __future__ import annotations

import pytest
from django.core.management import call_command

from safetynet.regions import selectors, services
from safetynet.regions.codes import normalise_code, prefix_bounds
from safetynet.regions.models import Level, Region, UrbanRural

pytestmark = pytest.mark.django_db


def test_henan_has_its_published_township_and_village_counts() -> None:
    counts = selectors.region_descendant_counts(region=Region.objects.get(code="410000000000"))
    assert (counts[Level.TOWNSHIP], counts[Level.VILLAGE]) == (2586, 52378)


def test_jiyuan_hangs_under_4190_directly_below_the_province() -> None:
    jiyuan = Region.objects.get(code="419001000000")
    assert (jiyuan.level, jiyuan.parent_id, jiyuan.parent.parent_id) == (
        Level.COUNTY,
        "419000000000",
        "410000000000",
    )


def test_development_zones_are_county_level_units() -> None:
    zone = Region.objects.get(code="410171000000")
    assert (zone.level, zone.parent_id) == (Level.COUNTY, "410100000000")


def test_development_zone_holds_townships() -> None:
    counts = selectors.region_descendant_counts(region=Region.objects.get(code="410171000000"))
    assert counts[Level.TOWNSHIP] > 0


def test_residents_committees_are_urban_and_village_committees_rural() -> None:
    villages = Region.objects.filter(level=Level.VILLAGE)
    assert set(villages.filter(name__endswith="居委会").values_list("urban_rural", flat=True)) == {
        UrbanRural.URBAN
    }
    assert set(villages.filter(name__endswith="村委会").values_list("urban_rural", flat=True)) == {
        UrbanRural.RURAL
    }


def test_ancestors_run_from_the_province_down() -> None:
    village = Region.objects.filter(level=Level.VILLAGE, code__startswith="410102").first()
    chain = [r.level for r in selectors.region_ancestors(region=village)]
    assert chain == [Level.PROVINCE, Level.CITY, Level.COUNTY, Level.TOWNSHIP]


def test_manual_urban_rural_override_survives_a_reload() -> None:
    village = Region.objects.filter(level=Level.VILLAGE, urban_rural=UrbanRural.RURAL).first()
    services.region_set_urban_rural(region=village, urban_rural=UrbanRural.URBAN)
    services.regions_load()
    village.refresh_from_db()
    assert village.urban_rural == UrbanRural.URBAN


def test_reload_of_unchanged_data_changes_nothing() -> None:
    assert services.regions_load() == services.LoadResult(created=0, updated=0)


def test_prefix_bounds_cover_exactly_the_subtree() -> None:
    assert prefix_bounds("4101") == ("410100000000", "410199999999")


def test_short_codes_are_padded() -> None:
    assert normalise_code("410102") == "410102000000"


def test_show_command_prints_parents_and_counts(capsys: pytest.CaptureFixture[str]) -> None:
    call_command("regions", "show", "410102")
    out = capsys.readouterr().out
    assert "410102000000 中原区 [县(区)]" in out
    assert "河南省(410000000000) > 郑州市(410100000000)" in out
    assert "乡镇(街道)" in out


def test_show_command_for_the_province_counts_every_level(
    capsys: pytest.CaptureFixture[str],
) -> None:
    call_command("regions", "show", "410000")
    out = capsys.readouterr().out
    assert "  乡镇(街道) 2586" in out
    assert "  村(居)委会 52378" in out


def test_children_endpoint_lists_the_next_level(client: object, jinshui_officer: object) -> None:
    client.force_login(jinshui_officer)  # type: ignore[attr-defined]
    response = client.get("/regions/children/", {"parent": "410100000000"})  # type: ignore[attr-defined]
    codes = [child["code"] for child in response.json()["children"]]
    assert "410102000000" in codes
