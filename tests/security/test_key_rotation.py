"""Issue 12, beyond the findings: ``safetynet keys rotate`` (ADR 0017) on a seeded county, with
both algorithm sets. Every person and supporter decrypts to the same number afterwards, under the
new key id; lookups by ID number find the same people; the stored department batch and the
alerts follow; an interrupted rotation goes on where it stopped and loses nothing."""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest
from django.core.management import call_command
from django.test import Client

from safetynet.accounts.services import system_user
from safetynet.core import maintenance
from safetynet.feeds.models import FeedBatch
from safetynet.feeds.services import batch_import
from safetynet.feeds.storage import KID_METADATA, feeds_dir
from safetynet.monitoring.models import Alert, Indicator, Scan
from safetynet.registry import identity, keyring, rotation
from safetynet.registry.models import KeyRotation, KeyRotationMap, LegalSupporter, Person
from safetynet.registry.synthetic import households_seed

pytestmark = pytest.mark.django_db

LANKAO = "410225"
OLD_ENC = base64.urlsafe_b64encode(b"o" * 32).decode()
NEW_ENC = base64.urlsafe_b64encode(b"n" * 32).decode()
OUTSIDER = identity.build_id_number(
    address_code="410225", birth_date=__import__("datetime").date(1970, 1, 1), sequence=7, male=True
)


@pytest.fixture(params=keyring.ALGORITHM_SETS)
def algorithms(request: Any, settings: Any) -> str:
    settings.ID_ALGORITHMS = request.param
    settings.FIELD_ENCRYPTION_KEYS = [OLD_ENC]
    settings.BLIND_INDEX_KEY = "old-index-key"
    settings.BLIND_INDEX_PREVIOUS_KEYS = []
    return str(request.param)


@pytest.fixture(autouse=True)
def _maintenance_flag(settings: Any, tmp_path: Path) -> None:
    settings.MAINTENANCE_FILE = str(tmp_path / "maintenance")


def _numbers() -> dict[tuple[str, int], str]:
    found = {
        ("person", pk): identity.decrypt_id_number(token)
        for pk, token in Person.objects.values_list("pk", "id_number_encrypted")
    }
    for pk, token in LegalSupporter.objects.exclude(id_number_encrypted="").values_list(
        "pk", "id_number_encrypted"
    ):
        found[("supporter", pk)] = identity.decrypt_id_number(token)
    return found


def _seed(tmp_path: Path) -> tuple[str, FeedBatch, Alert]:
    households_seed(actor=system_user(), county_code=LANKAO, count=25, seed=3)
    person = Person.objects.order_by("pk")[3]
    number = identity.decrypt_id_number(person.id_number_encrypted)
    path = tmp_path / "vehicles.csv"
    path.write_text(
        "身份证号,号牌号码,车辆类型,初次登记日期,车辆价值\n"
        f"{number},豫A1,轿车,2026-05-05,80000\n"
        f"{OUTSIDER},豫A2,轿车,2026-05-06,90000\n",
        encoding="utf-8",
    )
    batch = batch_import(
        source="vehicles", path=path, period="2026-10", actor=None, channel="cli"
    ).batch
    indicator = Indicator.objects.filter(code="vehicle").first()
    scan = Scan.objects.create(region_code=person.region_id, on="2026-11-16")
    alert = Alert.objects.create(
        subject_hash=person.id_number_hash,
        person=person,
        region_code=person.region_id,
        indicator_code="vehicle",
        indicator=indicator,
        period="2026-10",
        severity="high",
        hardship_type="other",
        first_scan=scan,
        last_scan=scan,
        raised_on="2026-11-16",
    )
    return number, batch, alert


def _new_keys(settings: Any) -> None:
    settings.FIELD_ENCRYPTION_KEYS = [NEW_ENC, OLD_ENC]
    settings.BLIND_INDEX_KEY = "new-index-key"
    settings.BLIND_INDEX_PREVIOUS_KEYS = ["old-index-key"]


def test_rotation_keeps_every_number_and_lookup(
    algorithms: str, settings: Any, tmp_path: Path
) -> None:
    number, batch, alert = _seed(tmp_path)
    before = _numbers()
    assert len(before) > 50
    old_hash = identity.blind_index(number)
    old_outsider = identity.blind_index(OUTSIDER)
    old_prefix = keyring.current_cipher_prefix()

    _new_keys(settings)
    assert keyring.current_cipher_prefix() != old_prefix
    # Interrupted after the second batch of persons: the flag stays, pages answer 503.
    calls = []

    def crash(line: str) -> None:
        calls.append(line)
        if line.startswith("persons") and len(calls) > 2:
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        rotation.rotate(batch=10, progress=crash)
    assert maintenance.active()
    assert Client().get("/").status_code == 503
    assert Client().get("/api/households").status_code == 503
    interrupted = KeyRotation.objects.get()
    assert interrupted.step == "persons" and interrupted.cursor > 0
    mixed = Person.objects.exclude(id_number_encrypted__startswith=old_prefix).count()
    assert 0 < mixed < Person.objects.count()

    out = io.StringIO()
    call_command("keys", "rotate", "--batch", "10", stdout=out)
    assert out.getvalue().startswith(f"rotated algorithms={algorithms} ")
    assert not maintenance.active()

    assert _numbers() == before
    prefix = keyring.current_cipher_prefix()
    kid = keyring.current_index_key().kid
    for person in Person.objects.all():
        assert person.id_number_encrypted.startswith(prefix)
        plain = before[("person", person.pk)]
        assert person.id_number_hash == identity.blind_index(plain)
        assert person.id_tail4_hash == identity.tail_index(plain[-4:])
        assert person.id_index_kid == kid
    for supporter in LegalSupporter.objects.exclude(id_number_encrypted=""):
        assert supporter.id_number_encrypted.startswith(prefix)
        assert supporter.id_number_hash == identity.blind_index(before[("supporter", supporter.pk)])

    # Looking up by ID number finds the same person, under the new key only.
    new_hash = identity.blind_index(number)
    assert new_hash != old_hash
    assert Person.objects.filter(id_number_hash=new_hash).count() == 1
    assert not Person.objects.filter(id_number_hash=old_hash).exists()

    # The batch: the registered row re-keyed, the outsider's row kept under the previous key
    # and still found through the dual-key lookup.
    table = pq.read_table(feeds_dir() / batch.parquet_path)
    hashes = table.column("id_hash").to_pylist()
    assert new_hash in hashes and old_hash not in hashes
    assert old_outsider in hashes
    assert set(identity.blind_indexes(OUTSIDER)) & set(hashes)
    assert table.schema.metadata[KID_METADATA].decode() == kid

    alert.refresh_from_db()
    assert alert.subject_hash == new_hash
    assert not KeyRotationMap.objects.exists()
    done = KeyRotation.objects.get()
    assert done.finished_at is not None and done.step == "done"

    # A second run changes nothing.
    again = rotation.rotate(batch=10)
    assert sum(again.counts.values()) == 0


def test_switching_algorithms_is_a_rotation(settings: Any, tmp_path: Path) -> None:
    settings.ID_ALGORITHMS = "standard"
    settings.FIELD_ENCRYPTION_KEYS = [OLD_ENC]
    settings.BLIND_INDEX_KEY = "the-index-key"
    households_seed(actor=system_user(), county_code=LANKAO, count=5, seed=4)
    before = _numbers()
    settings.ID_ALGORITHMS = "national"
    settings.BLIND_INDEX_PREVIOUS_KEYS = ["sha256:the-index-key"]
    done = rotation.rotate(batch=7)
    assert done.counts["persons"] == Person.objects.count()
    assert _numbers() == before
    assert all(
        token.startswith("sm4gcm:")
        for token in Person.objects.values_list("id_number_encrypted", flat=True)
    )


def test_an_unfinished_rotation_to_other_keys_is_refused(
    algorithms: str, settings: Any, tmp_path: Path
) -> None:
    KeyRotation.objects.create(algorithms=algorithms, encryption_kid="deadbeef", index_kid="x")
    with pytest.raises(keyring.KeyringError, match="unfinished rotation"):
        rotation.rotate()
