"""The statistics pages: scoped by the one scope filter, in Chinese, with drill-downs and Excel."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safetynet.audit.models import AuditRecord
from safetynet.jobs.tests.exporting import exported_file

pytestmark = pytest.mark.django_db

PAGES = [
    "reports:dashboard",
    "reports:data",
    "reports:drill",
    "reports:drill_export",
    "reports:monthly",
    "reports:monthly_export",
    "reports:assessment",
    "reports:assessment_export",
]


def test_the_county_dashboard_shows_its_figures_and_drills_down(
    client: Client, world: Any, county_officer: Any
) -> None:
    client.force_login(county_officer)
    month = f"{world.month:%Y-%m}"
    page = client.get(reverse("reports:dashboard"), {"month": month})
    assert page.status_code == 200
    text = page.content.decode()
    assert "金水区统计概览" in text and "按类别和城乡" in text
    # the townships below, each linked to its own dashboard
    assert f"region={world.townships[0].code}" in text
    drill = client.get(
        reverse("reports:drill"), {"figure": "inflow", "month": month, "category": "dibao"}
    )
    assert drill.status_code == 200
    assert world.households["new"].head.name in drill.content.decode()
    export = exported_file(
        client, reverse("reports:drill_export"), {"figure": "households", "month": month}
    )
    assert export.startswith(b"PK")
    assert world.households["new"].head.name in _cells(export)
    data = client.get(reverse("reports:data"), {"month": month}).json()
    assert {row["label"]: row["households"] for row in data["categories"]}["低保"] == 2


def test_a_township_user_cannot_see_another_townships_figures(
    client: Client, world: Any, jinshui_officer: Any
) -> None:
    client.force_login(jinshui_officer)
    own = jinshui_officer.scope_region
    other = next(t for t in world.townships if t.code != own.code)
    month = f"{world.month:%Y-%m}"
    for name in PAGES:
        for region in (other.code, "410105000000", "410102000000", "410000000000"):
            response = client.get(
                reverse(name), {"region": region, "month": month, "figure": "households"}
            )
            assert response.status_code == 404, (name, region)
    assert client.get(reverse("reports:dashboard"), {"month": month}).status_code == 200


def test_a_user_without_the_capability_is_refused(
    client: Client, world: Any, village_assistant: Any
) -> None:
    client.force_login(village_assistant)
    assert client.get(reverse("reports:dashboard")).status_code == 403


def test_the_province_page_has_the_map_and_the_cities(
    client: Client, world: Any, supervisor: Any
) -> None:
    client.force_login(supervisor)
    month = f"{world.month:%Y-%m}"
    text = client.get(reverse("reports:dashboard"), {"month": month}).content.decode()
    assert 'id="map"' in text and "济源市" in text and "郑州市" in text
    data = client.get(reverse("reports:data"), {"month": month}).json()
    assert data["region"]["map"] == "410000"
    assert data["region"]["map_file"]["name"] == "河南"
    assert data["region"]["map_file"]["url"].endswith("henan/410000.js")
    ids = {row["map_id"] for row in data["children"]}
    assert "419001" in ids and "410100" in ids
    zhengzhou = next(row for row in data["children"] if row["map_id"] == "410100")
    # 金水区: kept, new, edge, moved, member at the month's end; 中原区: other
    assert zhengzhou["value"] == 6
    city = client.get(reverse("reports:data"), {"month": month, "region": "410100000000"}).json()
    assert city["region"]["map"] == "410100"


def test_the_monthly_report_and_the_assessment_export_are_audited(
    client: Client, world: Any, county_officer: Any
) -> None:
    client.force_login(county_officer)
    month = f"{world.month:%Y-%m}"
    page = client.get(reverse("reports:monthly"), {"month": month})
    assert page.status_code == 200 and "统计月报" in page.content.decode()
    assert client.get(reverse("reports:monthly_export"), {"month": month}).status_code == 200
    ranking = client.get(reverse("reports:assessment"), {"month": month})
    assert ranking.status_code == 200 and world.townships[0].name in ranking.content.decode()
    assert client.get(reverse("reports:assessment_export"), {"month": month}).status_code == 200
    kinds = set(
        AuditRecord.objects.filter(actor=county_officer).values_list("object_type", flat=True)
    )
    assert {"reports.MonthlyReport", "reports.Assessment"} <= kinds


def test_the_api_gives_the_figures_of_a_region_in_scope_only(
    client: Client, world: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    month = f"{world.month:%Y-%m}"
    client.force_login(county_officer)
    body = client.get("/api/reports/figures", {"month": month, "category": "dibao"}).json()
    values = {f["key"]: f for f in body["figures"]}
    assert values["households"]["value"] == 2
    assert values["inflow"]["value"] == 1 and values["outflow"]["value"] == 2
    assert sum(values["households"]["below"].values()) == 2
    # the world's roll of the month: dibao 500 + 300 paid; none the month before, and it says so
    assert values["paid_amount"]["value"] == 800 and values["paid_amount"]["note"] == ""
    before = client.get("/api/reports/figures", {"month": f"{world.before:%Y-%m}"}).json()
    paid_before = next(f for f in before["figures"] if f["key"] == "paid_amount")
    assert paid_before["value"] == 0 and "未定稿" in paid_before["note"]
    client.force_login(jinshui_officer)
    other = next(t for t in world.townships if t.code != jinshui_officer.scope_region_id)
    refused = client.get("/api/reports/figures", {"month": month, "region": other.code})
    assert refused.status_code == 404


def test_the_shipped_map_shows_every_city_and_every_county_but_the_zones() -> None:
    """Each city of the region tree (济源 included) has its map, and each county its shape (under
    its code, or for one renamed since 2017 its former code); development zones have none."""
    import re
    from pathlib import Path

    from django.contrib.staticfiles import finders

    from safetynet.regions.models import Level, Region
    from safetynet.reports import maps
    from safetynet.reports.selectors import map_id

    names = maps.names()
    assert names["410000"] == "河南"
    for city in Region.objects.filter(level=Level.CITY):
        file = map_id(city.code)
        assert file in names, city
        assert maps.map_for(file) is not None
    shapes: set[str] = set()
    for file in names:
        if file != "410000":
            text = Path(str(finders.find(f"{maps.FOLDER}/{file}.js"))).read_text(encoding="utf-8")
            shapes |= set(re.findall(r'id:"(\d{6})"', text))
    missing = [
        county.code
        for county in Region.objects.filter(level=Level.COUNTY)
        if not set(maps.feature_ids(county.code[:6])) & shapes and county.code[4] != "7"
    ]
    assert missing == []


def _cells(content: bytes) -> str:
    import io

    from openpyxl import load_workbook

    return str(list(load_workbook(io.BytesIO(content)).active.values))
