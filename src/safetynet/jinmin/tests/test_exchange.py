"""The exchange with 金民工程: an export re-imported reports no differences; an import reports
differences and changes nothing; the manifest guards the files; only the exchange capability
may export, and the export is audited."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse

from safetynet.accounts.permissions import PermissionDenied
from safetynet.audit.models import AuditRecord
from safetynet.jinmin import format as fmt
from safetynet.jinmin.models import Exchange, ExchangeKind
from safetynet.jinmin.services import ExchangeError, exchange_export, exchange_import
from safetynet.jobs.tests.exporting import exported_file
from safetynet.registry import services as registry
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def county(county_officer: Any, jinshui_officer: Any, make_household: Any) -> Any:
    """Two households of 金水区, one of them dibao, and one of 中原区 (outside the export)."""
    first = make_household(jinshui_officer, head_name="甲户主")
    make_household(jinshui_officer, head_name="乙户主")
    registry.category_set(
        actor=county_officer,
        household=first,
        category="dibao",
        effective_from=dt.date(2026, 1, 1),
        reason="测试",
    )
    first.refresh_from_db()
    return first


def _rewrite(directory: Path, name: str, change: Any) -> None:
    """Edit one file and restate its checksum in the manifest, as a national list would be."""
    path = directory / name
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = change(rows)
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(rows)
    manifest = json.loads((directory / fmt.MANIFEST).read_text(encoding="utf-8"))
    manifest["files"][name]["sha256"] = fmt.sha256_of(path)
    fmt.manifest_write(directory, manifest)


def test_an_export_re_imported_reports_no_differences(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    exported = exchange_export(actor=county_officer, out_dir=tmp_path)

    imported = exchange_import(actor=county_officer, in_dir=tmp_path)

    assert exported.counts[fmt.HOUSEHOLDS] == 2 and exported.counts[fmt.PERSONS] == 4
    assert imported.counts == {fmt.PERSONS: 4, fmt.HOUSEHOLDS: 2}
    assert imported.differences == {}


def test_the_export_holds_the_real_id_numbers_and_the_manifest_their_checksums(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    exchange_export(actor=county_officer, out_dir=tmp_path)

    manifest = fmt.manifest_read(tmp_path)
    heads = [row["head_id_number"] for row in fmt.rows_of(tmp_path, fmt.HOUSEHOLDS)]
    assert decrypt_id_number(county.head.id_number_encrypted) in heads
    assert manifest["version"] == fmt.FORMAT_VERSION
    assert manifest["files"][fmt.PERSONS]["rows"] == 4
    assert manifest["files"][fmt.PERSONS]["sha256"] == fmt.sha256_of(tmp_path / fmt.PERSONS)


def test_an_import_reports_differences_and_changes_nothing(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    exchange_export(actor=county_officer, out_dir=tmp_path)
    head = decrypt_id_number(county.head.id_number_encrypted)

    def rename(rows: list[list[str]]) -> list[list[str]]:
        return [[*r[:1], "改名", *r[2:]] if r[0] == head else r for r in rows]

    def recategorise(rows: list[list[str]]) -> list[list[str]]:
        return [[*r[:5], "destitute", *r[6:]] if r[3] == head else r for r in rows]

    _rewrite(tmp_path, fmt.PERSONS, rename)
    _rewrite(tmp_path, fmt.HOUSEHOLDS, recategorise)

    imported = exchange_import(actor=county_officer, in_dir=tmp_path)

    assert imported.differences == {"name": 1, "category": 1}
    assert Person.objects.get(pk=county.head_id).name == "甲户主"
    county.refresh_from_db()
    assert county.category == "dibao"
    assert head not in json.dumps(imported.sample, ensure_ascii=False)
    assert head not in Path(imported.report_path).read_text(encoding="utf-8")


def test_persons_missing_on_either_side_are_reported(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    exchange_export(actor=county_officer, out_dir=tmp_path)
    head = decrypt_id_number(county.head.id_number_encrypted)
    _rewrite(tmp_path, fmt.PERSONS, lambda rows: [r for r in rows if r[0] != head])

    imported = exchange_import(actor=county_officer, in_dir=tmp_path)

    assert imported.differences == {"person_missing_there": 1}


def test_a_file_changed_after_the_manifest_is_refused(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    exchange_export(actor=county_officer, out_dir=tmp_path)
    with (tmp_path / fmt.PERSONS).open("a", encoding="utf-8") as handle:
        handle.write("x\n")

    with pytest.raises(ExchangeError, match="SHA-256"):
        exchange_import(actor=county_officer, in_dir=tmp_path)


def test_changes_since_a_date_hold_only_what_was_recorded_from_it(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    everything = exchange_export(actor=county_officer, out_dir=tmp_path / "all")
    later = exchange_export(
        actor=county_officer, out_dir=tmp_path / "later", since=dt.date(2099, 1, 1)
    )

    assert everything.counts[fmt.CHANGES] >= 1
    assert later.counts[fmt.CHANGES] == 0
    assert later.since == dt.date(2099, 1, 1)


def test_without_since_the_export_starts_from_the_last_one(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    exchange_export(actor=county_officer, out_dir=tmp_path / "first")

    second = exchange_export(actor=county_officer, out_dir=tmp_path / "second")

    assert second.since is not None


def test_only_the_exchange_capability_exports_and_the_export_is_audited(
    county: Any, county_officer: Any, jinshui_officer: Any, tmp_path: Path
) -> None:
    with pytest.raises(PermissionDenied):
        exchange_export(actor=jinshui_officer, out_dir=tmp_path / "no")

    exchange = exchange_export(actor=county_officer, out_dir=tmp_path / "yes")

    record = AuditRecord.objects.get(object_type="jinmin_exchange", object_id=str(exchange.pk))
    assert record.action == "export" and record.actor == county_officer


def test_a_region_outside_the_scope_is_refused(county_officer: Any, tmp_path: Path) -> None:
    with pytest.raises(ExchangeError, match="管辖范围"):
        exchange_export(actor=county_officer, out_dir=tmp_path, region_code="410102")


def test_the_console_round_trip_ends_with_a_summary_line(
    county: Any, county_officer: Any, tmp_path: Path
) -> None:
    out = io.StringIO()
    call_command(
        "jinmin", "export", "--out", str(tmp_path), "--as", county_officer.username, stdout=out
    )
    assert out.getvalue().splitlines()[-1] == (
        f"exported households=2 persons=4 categories=1 changes=1 out={tmp_path}"
    )

    out = io.StringIO()
    call_command("jinmin", "import", str(tmp_path), "--as", county_officer.username, stdout=out)

    assert (
        out.getvalue().splitlines()[-1].startswith("imported persons=4 households=2 differences=0")
    )
    assert Exchange.objects.filter(kind=ExchangeKind.IMPORT).count() == 1


def test_the_console_refuses_a_missing_directory(county_officer: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="目录不存在"):
        call_command("jinmin", "import", str(tmp_path / "none"), "--as", county_officer.username)


def test_the_page_exports_a_zip_and_imports_it_back_without_differences(
    client: Client, county: Any, county_officer: Any
) -> None:
    client.force_login(county_officer)

    content = exported_file(client, reverse("jinmin:export"))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        assert set(archive.namelist()) == {*fmt.FILES, fmt.MANIFEST}
    upload = io.BytesIO(content)
    upload.name = "national.zip"
    answer = client.post(reverse("jinmin:import"), {"file": upload}, follow=True)

    assert 'id="difference-total">0<' in answer.content.decode()
    assert client.get(reverse("jinmin:index")).status_code == 200


def test_supervisors_and_auditors_see_the_exchanges_and_only_the_county_exports(
    client: Client, county: Any, county_officer: Any, supervisor: Any, auditor: Any, tmp_path: Path
) -> None:
    """ADR 0015: the export with real ID numbers is the county's (``exchange_jinmin``); those
    who oversee it (province supervisor, auditor) see the record and the masked differences."""
    exchange_export(actor=county_officer, out_dir=tmp_path)
    imported = exchange_import(actor=county_officer, in_dir=tmp_path)
    for viewer in (supervisor, auditor):
        client.force_login(viewer)
        page = client.get(reverse("jinmin:index"))
        assert page.status_code == 200
        text = page.content.decode()
        assert 'id="view-only"' in text and 'id="export-form"' not in text
        assert "金民工程交换" in text  # the menu item
        assert client.get(reverse("jinmin:detail", args=[imported.pk])).status_code == 200
        refused = client.post(reverse("jinmin:export"))
        assert refused.status_code == 403
        assert "与金民工程交换数据" in refused.content.decode()
    # The full report (names beside masked IDs) is a list export: the supervisor may, the
    # auditor (no list export) may not.
    client.force_login(supervisor)
    assert client.get(reverse("jinmin:differences", args=[imported.pk])).status_code == 200
    client.force_login(auditor)
    assert client.get(reverse("jinmin:differences", args=[imported.pk])).status_code == 403


def test_staff_without_the_capability_get_the_chinese_refusal_and_no_menu_item(
    client: Client, jinshui_officer: Any, village_assistant: Any
) -> None:
    for outsider in (jinshui_officer, village_assistant):
        client.force_login(outsider)
        refused = client.get(reverse("jinmin:index"))
        assert refused.status_code == 403
        assert "您没有“查看金民工程交换记录和比对差异”的权限" in refused.content.decode()
        home = client.get("/")
        assert "金民工程交换" not in home.content.decode()


def test_an_exchange_of_another_city_is_not_found_for_a_city_supervisor(
    client: Client, county: Any, county_officer: Any, tmp_path: Path
) -> None:
    from conftest import make_user
    from safetynet.accounts.roles import Role
    from safetynet.regions.models import Region

    exchange = exchange_export(actor=county_officer, out_dir=tmp_path)
    luoyang = make_user("luoyang-sup", Role.SUPERVISOR, Region.objects.get(code="410300000000"))
    client.force_login(luoyang)
    assert client.get(reverse("jinmin:index")).status_code == 200
    assert client.get(reverse("jinmin:detail", args=[exchange.pk])).status_code == 404
