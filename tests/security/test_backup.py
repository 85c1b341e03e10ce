"""Issue 12, beyond the findings: ``safetynet backup`` / ``safetynet restore`` (ADR 0017). A seeded
county with a stored batch and an attachment is backed up, the database emptied, and the backup
restored: the same record counts, the audit chain verifies, every ID number decrypts as before,
the files are back byte for byte; a damaged backup or a database in use is refused."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from safetynet import backup
from safetynet.accounts.services import system_user
from safetynet.audit.models import AuditRecord
from safetynet.feeds.models import FeedBatch
from safetynet.feeds.services import batch_import
from safetynet.registry import identity
from safetynet.registry.models import Household, Person
from safetynet.registry.synthetic import households_seed

pytestmark = pytest.mark.django_db

LANKAO = "410225"


@pytest.fixture
def seeded(settings: Any, tmp_path: Path) -> dict[str, Any]:
    settings.MEDIA_ROOT = str(tmp_path / "media")
    settings.MAINTENANCE_FILE = str(tmp_path / "maintenance")
    households_seed(actor=system_user(), county_code=LANKAO, count=12, seed=5)
    number = identity.decrypt_id_number(Person.objects.first().id_number_encrypted)
    batch_file = tmp_path / "vehicles.csv"
    batch_file.write_text(
        f"身份证号,号牌号码,车辆类型,初次登记日期,车辆价值\n{number},豫A1,轿车,2026-05-05,80000\n",
        encoding="utf-8",
    )
    batch_import(source="vehicles", path=batch_file, period="2026-10", actor=None, channel="cli")
    attachment = Path(settings.MEDIA_ROOT) / "attachments" / "scan.pdf"
    attachment.parent.mkdir(parents=True)
    attachment.write_bytes(b"%PDF-1.4 test")
    return {"number": number, "attachment": attachment}


def _flush() -> None:
    """Empty every table the backup holds, in reverse dependency order (a DELETE per table: on
    PostgreSQL, flush's TRUNCATE is refused inside the test's transaction)."""
    models = list(reversed(backup._models()))
    guarded = [m._meta.db_table for m in models if m._meta.app_label == "audit"]
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":  # the append-only trigger refuses DELETE
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            for table in guarded:
                cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER USER')
        for model in models:
            model._default_manager.all()._raw_delete(connection.alias)
        if connection.vendor == "postgresql":
            for table in guarded:
                cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER USER')


def _state() -> dict[str, Any]:
    return {
        "persons": {
            pk: identity.decrypt_id_number(token)
            for pk, token in Person.objects.values_list("pk", "id_number_encrypted")
        },
        "households": Household.objects.count(),
        "audit": list(AuditRecord.objects.order_by("pk").values_list("pk", "hash")),
        "batches": list(FeedBatch.objects.values_list("pk", "parquet_path")),
    }


def test_backup_then_restore_into_an_empty_database(
    seeded: dict[str, Any], settings: Any, tmp_path: Path
) -> None:
    before = _state()
    parquet = Path(settings.FEEDS_DIR) / before["batches"][0][1]
    parquet_bytes = parquet.read_bytes()
    out = tmp_path / "backup"
    stdout = io.StringIO()
    call_command("backup", "--out", str(out), stdout=stdout)
    assert stdout.getvalue().startswith(f"backup={out} files=")
    manifest = json.loads((out / "manifest.json").read_text("utf-8"))
    assert manifest["counts"]["registry.person"] == len(before["persons"])
    assert "media/attachments/scan.pdf" in manifest["files"]
    assert settings.FIELD_ENCRYPTION_KEYS[0] not in (out / "manifest.json").read_text("utf-8")

    # A database in use is not overwritten.
    with pytest.raises(CommandError, match="已有数据"):
        call_command("restore", str(out), stdout=io.StringIO())

    # The platform lost: database emptied, files gone.
    _flush()
    assert not Person.objects.exists() and not AuditRecord.objects.exists()
    parquet.unlink()
    seeded["attachment"].unlink()

    stdout = io.StringIO()
    call_command("restore", str(out), stdout=stdout)
    assert stdout.getvalue().startswith(f"restored={out}")
    assert _state() == before
    assert parquet.read_bytes() == parquet_bytes
    assert seeded["attachment"].read_bytes() == b"%PDF-1.4 test"
    verified = io.StringIO()
    call_command("audit", "verify", stdout=verified)
    assert verified.getvalue().startswith(f"audit chain OK: {len(before['audit'])} records")
    assert Person.objects.filter(id_number_hash=identity.blind_index(seeded["number"])).exists()


def test_a_damaged_backup_is_refused_before_anything_is_touched(
    seeded: dict[str, Any], tmp_path: Path
) -> None:
    out = tmp_path / "backup"
    backup.backup(out)
    table = next((out / "database").glob("*registry.person.jsonl.gz"))
    table.write_bytes(table.read_bytes()[:-3] + b"xyz")
    assert any("SHA-256" in problem for problem in backup.verify(out))
    verify_out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("restore", str(out), "--verify", stdout=verify_out)
    assert verify_out.getvalue().splitlines()[-1] == "problems=1"
    count = Person.objects.count()
    _flush()
    with pytest.raises(CommandError, match="已损坏"):
        call_command("restore", str(out), stdout=io.StringIO())
    assert count and not Person.objects.exists()


def test_backup_wants_an_empty_folder(seeded: dict[str, Any], tmp_path: Path) -> None:
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "x").write_text("x")
    with pytest.raises(CommandError, match="不是空目录"):
        call_command("backup", "--out", str(tmp_path / "full"), stdout=io.StringIO())
