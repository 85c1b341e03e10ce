"""The time-limits page: the figures in force and where they come from, and a new version."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import Client
from django.urls import reverse

from conftest import JINSHUI, ZHONGYUAN, make_user
from safetynet.accounts.roles import Role
from safetynet.audit.models import AuditRecord
from safetynet.determination.models import TimeLimits
from safetynet.regions.models import Region

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
URL = "/determination/limits/"


@pytest.fixture(autouse=True)
def _frozen() -> Iterator[None]:
    moment = dt.datetime(2026, 3, 2, 10, tzinfo=ZoneInfo("Asia/Shanghai"))
    with time_machine.travel(moment, tick=False):
        yield


def _text(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def _page(client: Client, user: Any, **query: str) -> str:
    client.force_login(user)
    response = client.get(URL, query)
    assert response.status_code == 200
    return str(response.content.decode())


def _row(page: str, name: str) -> list[str]:
    """The cells of a limit's row in the table of limits in force."""
    row = re.search(rf'<tr data-limit="{name}">(.*?)</tr>', page, re.S)
    assert row is not None, name
    return [_text(cell) for cell in re.findall(r"<td[^>]*>(.*?)</td>", row[1], re.S)]


def _section(page: str, section_id: str) -> str:
    found = re.search(rf'<section[^>]*id="{section_id}"[^>]*>(.*?)</section>', page, re.S)
    assert found is not None, section_id
    return _text(found[1])


def _error(page: str, field: str) -> str:
    found = re.search(rf'data-error="{field}">(.*?)</p>', page, re.S)
    assert found is not None, field
    return _text(found[1])


def _set_jinshui(client: Client, officer: Any, **values: str) -> Any:
    client.force_login(officer)
    return client.post(
        URL,
        {
            "region": JINSHUI,
            "effective_from": f"{TODAY:%Y-%m-%d}",
            "source": "金民〔2026〕1号",
            **values,
        },
    )


def test_url_is_named_in_the_determination_namespace() -> None:
    assert reverse("determination:limits") == URL


def test_page_shows_the_national_figures_inherited_from_the_province(
    client: Client, county_officer: Any
) -> None:
    page = _page(client, county_officer)

    label, value, unit, origin, _ = _row(page, "procedure_days")
    assert (label, value, unit) == ("全流程", "30", "工作日")
    assert origin.startswith("继承自河南省")
    assert _row(page, "publicity_days")[1:3] == ["7", "日"]
    assert _row(page, "death_recheck_months")[1:3] == ["3", "月"]
    assert _row(page, "spot_check_share")[1:3] == ["30", "%"]


def test_county_officer_sets_limits_shown_as_own_while_another_county_keeps_national(
    client: Client, county_officer: Any
) -> None:
    response = _set_jinshui(
        client, county_officer, procedure_days="25", procedure_extended_days="40"
    )
    assert response.status_code == 302

    jinshui = _page(client, county_officer)
    assert _row(jinshui, "procedure_days")[1] == "25"
    assert _row(jinshui, "procedure_days")[3].startswith("本级")
    assert _row(jinshui, "procedure_extended_days")[1] == "40"
    assert _row(jinshui, "procedure_extended_days")[3].startswith("本级")
    assert _row(jinshui, "publicity_days")[3].startswith("继承自")

    admin = make_user("admin", Role.ADMINISTRATOR, Region.objects.get(code="410000000000"))
    zhongyuan = _page(client, admin, region=ZHONGYUAN)
    assert _row(zhongyuan, "procedure_days")[1] == "30"
    assert _row(zhongyuan, "procedure_extended_days")[1] == "45"


def test_new_version_leaves_blank_fields_inherited_and_is_audited(
    client: Client, county_officer: Any
) -> None:
    _set_jinshui(client, county_officer, procedure_days="25")

    version = TimeLimits.objects.get(region_id=JINSHUI)
    assert version.procedure_days == 25
    assert version.procedure_extended_days is None
    assert version.source == "金民〔2026〕1号"
    assert AuditRecord.objects.filter(object_type="time_limits", object_id=str(version.pk)).exists()


def test_history_lists_the_new_version_as_pending_before_it_takes_effect(
    client: Client, county_officer: Any
) -> None:
    client.force_login(county_officer)
    client.post(URL, {"region": JINSHUI, "effective_from": "2026-04-01", "procedure_days": "25"})

    page = _page(client, county_officer)
    history = _section(page, "limits-history")
    assert "2026-04-01 待生效" in history
    assert "全流程：25 工作日" in history
    assert _row(page, "procedure_days")[1] == "30"


def test_township_officer_may_not_post_limits(client: Client, jinshui_officer: Any) -> None:
    response = _set_jinshui(client, jinshui_officer, procedure_days="25")

    assert response.status_code == 403
    assert not TimeLimits.objects.filter(region_id=JINSHUI).exists()


def test_township_officer_sees_the_limits_without_the_form(
    client: Client, jinshui_officer: Any
) -> None:
    page = _page(client, jinshui_officer)

    assert 'id="limits-form"' not in page
    assert _row(page, "procedure_days")[1] == "30"


def test_county_officer_of_another_county_gets_404_for_this_county(
    client: Client, county_officer: Any
) -> None:
    zhongyuan = Region.objects.get(code=ZHONGYUAN)
    outsider = make_user("zhongyuan_county", Role.COUNTY_OFFICER, zhongyuan)
    client.force_login(outsider)

    assert client.get(URL, {"region": JINSHUI}).status_code == 404
    assert _set_jinshui(client, outsider, procedure_days="25").status_code == 404
    assert not TimeLimits.objects.filter(region_id=JINSHUI).exists()


def test_county_officer_may_not_set_the_province_limits(
    client: Client, county_officer: Any
) -> None:
    client.force_login(county_officer)
    response = client.post(
        URL, {"region": "410000000000", "effective_from": "2026-03-02", "procedure_days": "25"}
    )

    assert response.status_code == 403


def test_service_error_is_shown_beside_its_field(client: Client, county_officer: Any) -> None:
    response = _set_jinshui(client, county_officer, procedure_days="0")

    assert response.status_code == 400
    assert "全流程(工作日)须为正整数" in _error(response.content.decode(), "procedure_days")
    assert not TimeLimits.objects.filter(region_id=JINSHUI).exists()


def test_past_effective_date_is_refused_beside_the_date(
    client: Client, county_officer: Any
) -> None:
    client.force_login(county_officer)
    response = client.post(
        URL, {"region": JINSHUI, "effective_from": "2026-03-01", "procedure_days": "25"}
    )

    assert response.status_code == 400
    assert "生效日期不能早于今天" in _error(response.content.decode(), "effective_from")


def test_share_is_entered_as_a_percentage(client: Client, county_officer: Any) -> None:
    _set_jinshui(client, county_officer, spot_check_share="50", confirmation_delegated="yes")

    version = TimeLimits.objects.get(region_id=JINSHUI)
    assert str(version.spot_check_share) == "0.500"
    assert version.confirmation_delegated is True
    page = _page(client, county_officer)
    assert _row(page, "spot_check_share")[1] == "50"
    assert _row(page, "confirmation_delegated")[1] == "是"


def test_unreadable_date_falls_back_to_today_with_a_message(
    client: Client, county_officer: Any
) -> None:
    page = _page(client, county_officer, on="2026-13-01")

    assert "日期“2026-13-01”格式不正确" in page
    assert _row(page, "procedure_days")[1] == "30"


# --- withdrawing a version not yet in force, and the Excel export ----------------------------


def _version(county_officer: Any, on: dt.date, **values: Any) -> TimeLimits:
    return TimeLimits.objects.create(
        region_id=JINSHUI, effective_from=on, created_by=county_officer, **values
    )


def test_county_officer_deletes_a_version_not_yet_in_force_and_it_is_audited(
    client: Client, county_officer: Any
) -> None:
    version = _version(county_officer, dt.date(2026, 4, 1), procedure_days=25)
    page = _page(client, county_officer, region=JINSHUI)
    assert f'action="/determination/limits/{version.pk}/delete/"' in page

    response = client.post(f"{URL}{version.pk}/delete/")

    assert response.status_code == 302
    assert not TimeLimits.objects.filter(pk=version.pk).exists()
    record = AuditRecord.objects.latest("id")
    assert (record.action, record.object_type) == ("delete", "time_limits")
    assert record.detail["procedure_days"] == "25"


def test_a_version_in_force_cannot_be_deleted(client: Client, county_officer: Any) -> None:
    version = _version(county_officer, TODAY, procedure_days=25)
    page = _page(client, county_officer, region=JINSHUI)
    assert f"/determination/limits/{version.pk}/delete/" not in page

    response = client.post(f"{URL}{version.pk}/delete/", follow=True)

    assert TimeLimits.objects.filter(pk=version.pk).exists()
    assert "已生效，不能删除" in response.content.decode()


def test_another_countys_officer_cannot_delete_and_a_township_officer_is_refused(
    client: Client, county_officer: Any, jinshui_officer: Any
) -> None:
    version = _version(county_officer, dt.date(2026, 4, 1), procedure_days=25)
    other = make_user("zy_county", Role.COUNTY_OFFICER, Region.objects.get(code=ZHONGYUAN))
    client.force_login(other)
    assert client.post(f"{URL}{version.pk}/delete/").status_code == 404
    client.force_login(jinshui_officer)
    assert client.post(f"{URL}{version.pk}/delete/").status_code == 403
    assert client.get(f"{URL}{version.pk}/delete/").status_code == 405
    assert TimeLimits.objects.filter(pk=version.pk).exists()


def test_export_lists_each_county_with_its_own_and_inherited_limits(
    client: Client, county_officer: Any
) -> None:
    from io import BytesIO

    from openpyxl import load_workbook

    _version(county_officer, TODAY, procedure_days=25, confirmation_dibao_days=8, source="金民1号")
    city = make_user("zz_city", Role.SUPERVISOR, Region.objects.get(code="410100000000"))
    client.force_login(city)

    response = client.get(f"{URL}export.xlsx", {"on": "2026-03-02"})

    assert response.status_code == 200
    sheet = load_workbook(BytesIO(response.content)).active
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[1]
    by_code = {row[0]: dict(zip(header, row, strict=True)) for row in rows[2:]}
    assert "410105" in by_code and "410102" in by_code
    procedure = "全流程（工作日）"
    assert by_code["410105"][procedure] == "25"
    assert by_code["410102"][procedure] == "30"
    assert "金民1号" in by_code["410105"]["依据"]
    assert by_code["410102"]["本县自定项"] == "—"
