"""The hash that links audit records; shared by writing and verifying so they cannot drift."""

from __future__ import annotations

import hashlib
import json
from typing import Any

GENESIS_HASH = "0" * 64


def record_hash(*, prev_hash: str, fields: dict[str, Any]) -> str:
    payload = json.dumps(fields, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def hashed_fields(record: Any) -> dict[str, Any]:
    """The fields a record's hash covers, in a form that survives a database round trip."""
    return {
        "at": record.at.isoformat(timespec="microseconds"),
        "actor_id": record.actor_id,
        "actor_username": record.actor_username,
        "action": record.action,
        "object_type": record.object_type,
        "object_id": record.object_id,
        "region_code": record.region_code,
        "summary": record.summary,
        "detail": record.detail,
        "ip_address": record.ip_address,
        "channel": record.channel,
    }
