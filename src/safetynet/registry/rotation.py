"""Key rotation (``safetynet keys rotate``, ADR 0017).

Every stored ID number is decrypted and encrypted again under the newest encryption key, and its
blind index (whole number and tails) is made again under the current index key, in batches of
``batch`` rows, each batch in one transaction together with the cursor: an interrupted rotation
goes on where it stopped, and a batch is either done whole or not at all. The old → new hash of
every person is kept in ``KeyRotationMap`` until the rotation ends, for the steps of other apps
(alerts, department batches), which register themselves here from their ``AppConfig.ready``:
this app knows nothing of them.

The platform is in maintenance while a rotation runs (``core.maintenance``): pages and API calls
answer 503 and the job worker waits, so no one writes a hash under one key while another is
being introduced.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from safetynet.core import maintenance
from safetynet.core.chunks import chunked
from safetynet.registry import identity, keyring
from safetynet.registry.models import KeyRotation, KeyRotationMap, LegalSupporter, Person

Progress = Callable[[str], None]
Lookup = Callable[[Iterable[str]], dict[str, str]]


@dataclass(frozen=True)
class Step:
    name: str
    run: Callable[[KeyRotation, Lookup, int, Progress], int]


_STEPS: list[Step] = []


def register_step(name: str, run: Callable[[KeyRotation, Lookup, int, Progress], int]) -> None:
    """Another app's part of the rotation, run after the persons and supporters, in the order
    registered. ``run(rotation, lookup, batch, progress)`` resumes from ``rotation.cursor``
    (its own), returns how many objects it changed, and must be safe to run twice."""
    if name not in {step.name for step in _STEPS}:
        _STEPS.append(Step(name, run))


def steps() -> list[str]:
    return ["persons", "supporters", *(step.name for step in _STEPS)]


def unfinished() -> KeyRotation | None:
    return KeyRotation.objects.filter(finished_at__isnull=True).first()


def lookup_for(rotation: KeyRotation) -> Lookup:
    def lookup(old_hashes: Iterable[str]) -> dict[str, str]:
        found: dict[str, str] = {}
        for chunk in chunked(sorted(set(old_hashes)), 1000):
            found.update(
                KeyRotationMap.objects.filter(rotation=rotation, old_hash__in=chunk).values_list(
                    "old_hash", "new_hash"
                )
            )
        return found

    return lookup


def _rotate_persons(rotation: KeyRotation, batch: int, progress: Progress) -> int:
    prefix = keyring.current_cipher_prefix()
    kid = keyring.current_index_key().kid
    changed = 0
    while True:
        with transaction.atomic():
            rows = list(
                Person.objects.select_for_update()
                .filter(pk__gt=rotation.cursor)
                .order_by("pk")
                .only("pk", "id_number_encrypted", "id_number_hash", "id_index_kid")[:batch]
            )
            if not rows:
                return changed
            updates, pairs = [], []
            for person in rows:
                number = identity.decrypt_id_number(person.id_number_encrypted)
                digest = identity.blind_index(number)
                if person.id_number_encrypted.startswith(prefix) and digest == (
                    person.id_number_hash
                ):
                    continue
                if digest != person.id_number_hash:
                    pairs.append(
                        KeyRotationMap(
                            rotation=rotation, old_hash=person.id_number_hash, new_hash=digest
                        )
                    )
                person.id_number_encrypted = identity.encrypt_id_number(number)
                person.id_number_hash = digest
                person.id_index_kid = kid
                for field, value in identity.tail_indexes(number).items():
                    setattr(person, field, value)
                updates.append(person)
            Person.objects.bulk_update(
                updates,
                [
                    "id_number_encrypted",
                    "id_number_hash",
                    "id_tail4_hash",
                    "id_tail5_hash",
                    "id_tail6_hash",
                    "id_index_kid",
                ],
            )
            KeyRotationMap.objects.bulk_create(pairs)
            changed += len(updates)
            rotation.cursor = rows[-1].pk
            rotation.save(update_fields=["cursor"])
        progress(f"persons: up to id {rotation.cursor}, {changed} changed")


def _rotate_supporters(rotation: KeyRotation, batch: int, progress: Progress) -> int:
    prefix = keyring.current_cipher_prefix()
    changed = 0
    while True:
        with transaction.atomic():
            rows = list(
                LegalSupporter.objects.select_for_update()
                .filter(pk__gt=rotation.cursor)
                .exclude(id_number_encrypted="")
                .order_by("pk")
                .only("pk", "id_number_encrypted", "id_number_hash")[:batch]
            )
            if not rows:
                return changed
            updates = []
            for supporter in rows:
                number = identity.decrypt_id_number(supporter.id_number_encrypted)
                digest = identity.blind_index(number)
                if supporter.id_number_encrypted.startswith(prefix) and digest == (
                    supporter.id_number_hash
                ):
                    continue
                supporter.id_number_encrypted = identity.encrypt_id_number(number)
                supporter.id_number_hash = digest
                updates.append(supporter)
            LegalSupporter.objects.bulk_update(updates, ["id_number_encrypted", "id_number_hash"])
            changed += len(updates)
            rotation.cursor = rows[-1].pk
            rotation.save(update_fields=["cursor"])
        progress(f"supporters: up to id {rotation.cursor}, {changed} changed")


def rotate(*, batch: int = 2000, progress: Progress = lambda _: None) -> KeyRotation:
    """Start a rotation to the configured keys, or go on with the unfinished one."""
    enc_kid = keyring.current_encryption_kid()
    index_kid = keyring.current_index_key().kid
    rotation = unfinished()
    if rotation is not None and (rotation.encryption_kid, rotation.index_kid) != (
        enc_kid,
        index_kid,
    ):
        raise keyring.KeyringError(
            f"an unfinished rotation to keys {rotation.encryption_kid}/{rotation.index_kid} "
            f"(now configured {enc_kid}/{index_kid}): configure its keys and run it again"
        )
    if rotation is None:
        rotation = KeyRotation.objects.create(
            algorithms=keyring.algorithm_set(), encryption_kid=enc_kid, index_kid=index_kid
        )
    with maintenance.on(f"key rotation {rotation.pk}"):
        names = steps()
        for name in names[names.index(rotation.step) :]:
            if rotation.step != name:
                rotation.step, rotation.cursor = name, 0
                rotation.save(update_fields=["step", "cursor"])
            progress(f"step {name}")
            if name == "persons":
                done = _rotate_persons(rotation, batch, progress)
            elif name == "supporters":
                done = _rotate_supporters(rotation, batch, progress)
            else:
                step = next(s for s in _STEPS if s.name == name)
                done = step.run(rotation, lookup_for(rotation), batch, progress)
            rotation.counts = {**rotation.counts, name: rotation.counts.get(name, 0) + done}
            rotation.save(update_fields=["counts"])
        with transaction.atomic():
            KeyRotationMap.objects.filter(rotation=rotation).delete()
            rotation.finished_at = timezone.now()
            rotation.step = "done"
            rotation.save(update_fields=["finished_at", "step"])
    return rotation


def status() -> dict[str, int]:
    """Persons by the index key of their hashes ('' when unknown)."""
    from django.db.models import Count

    rows = Person.objects.values_list("id_index_kid").annotate(n=Count("pk")).order_by()
    return {kid: n for kid, n in rows}
