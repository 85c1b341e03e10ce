"""The department batches' part of a key rotation (``registry.rotation``, ADR 0017).

A stored batch holds blind indexes, not ID numbers, so it is re-keyed through the rotation's map
(old → new hash of every registered person): each ``*_hash`` column is rewritten, the file
replaced atomically, its metadata naming the new key. A row of someone outside the registry keeps
its hash under the previous key (nothing can make the new one without the number); the metadata
names that key too, and lookups by number hash under every configured key
(``identity.blind_indexes``) as long as it is listed in ``BLIND_INDEX_PREVIOUS_KEYS``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq

from safetynet.feeds.models import FeedBatch
from safetynet.feeds.storage import KID_METADATA, _write, feeds_dir
from safetynet.registry import keyring

KEPT_METADATA = b"safetynet.blind_index_kept_kids"


def rekey_batches(
    rotation: Any,
    lookup: Callable[[Iterable[str]], dict[str, str]],
    batch: int,
    progress: Callable[[str], None],
) -> int:
    kid = keyring.current_index_key().kid
    changed = 0
    batches = (
        FeedBatch.objects.filter(pk__gt=rotation.cursor)
        .exclude(parquet_path="")
        .order_by("pk")
        .values_list("pk", "parquet_path")
    )
    for pk, relative in batches.iterator():
        path = feeds_dir() / relative
        if path.exists() and _rekey_file(path, kid, lookup):
            changed += 1
        rotation.cursor = pk
        rotation.save(update_fields=["cursor"])
        progress(f"batches: {pk} done, {changed} rewritten")
    return changed


def _rekey_file(path: Any, kid: str, lookup: Callable[[Iterable[str]], dict[str, str]]) -> bool:
    table = pq.read_table(path)
    metadata = dict(table.schema.metadata or {})
    old_kid = metadata.get(KID_METADATA, b"").decode()
    if old_kid == kid:
        return False
    kept = False
    for index, name in enumerate(table.column_names):
        if not name.endswith("_hash"):
            continue
        values = table.column(name).to_pylist()
        mapping = lookup(v for v in values if v)
        kept = kept or any(v and v not in mapping for v in values)
        renewed = pa.array([mapping.get(v, v) if v else v for v in values], pa.string())
        table = table.set_column(index, table.schema.field(index), renewed)
    kept_kids = {k for k in metadata.get(KEPT_METADATA, b"").decode().split(",") if k}
    if kept:
        kept_kids.add(old_kid or "legacy")
    metadata[KID_METADATA] = kid.encode()
    metadata[KEPT_METADATA] = ",".join(sorted(kept_kids)).encode()
    _write(table.replace_schema_metadata(metadata), path)
    return True
