"""The alerts' part of a key rotation (``registry.rotation``, ADR 0017): ``subject_hash`` of an
alert about a registered person follows the person's new blind index; an alert about someone
outside the registry keeps the previous key's hash, as the department rows it came from do."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.db import transaction

from safetynet.monitoring.models import Alert


def rekey_alerts(
    rotation: Any,
    lookup: Callable[[Iterable[str]], dict[str, str]],
    batch: int,
    progress: Callable[[str], None],
) -> int:
    changed = 0
    while True:
        with transaction.atomic():
            rows = list(
                Alert.objects.select_for_update()
                .filter(pk__gt=rotation.cursor)
                .order_by("pk")
                .only("pk", "subject_hash")[:batch]
            )
            if not rows:
                return changed
            mapping = lookup(row.subject_hash for row in rows)
            updates = [row for row in rows if row.subject_hash in mapping]
            for row in updates:
                row.subject_hash = mapping[row.subject_hash]
            Alert.objects.bulk_update(updates, ["subject_hash"])
            changed += len(updates)
            rotation.cursor = rows[-1].pk
            rotation.save(update_fields=["cursor"])
        progress(f"alerts: up to id {rotation.cursor}, {changed} changed")
