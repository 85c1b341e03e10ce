"""Appending to the audit chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from safetynet.audit.chain import GENESIS_HASH, hashed_fields, record_hash
from safetynet.audit.models import AuditRecord, ChainHead

if TYPE_CHECKING:
    from safetynet.accounts.models import User


@dataclass(frozen=True)
class Client:
    """What only the request knows, as plain values a service can take: the address the audit
    records and the channel (web, api) it came through. Services never see the request."""

    ip: str = ""
    channel: str = "web"


def client_of(request: HttpRequest | None) -> Client | None:
    """The ``Client`` of a view's request (None outside a request: the console, a job)."""
    if request is None:
        return None
    return Client(ip=client_ip(request), channel=getattr(request, "audit_channel", "web"))


def client_ip(request: HttpRequest | None) -> str:
    if request is None:
        return ""
    header = settings.CLIENT_IP_HEADER
    if header:
        forwarded = request.META.get(header, "")
        if forwarded:
            return str(forwarded).split(",")[0].strip()[:45]
    return str(request.META.get("REMOTE_ADDR", ""))[:45]


def audit_record(
    *,
    actor: User | None,
    action: str,
    object_type: str,
    object_id: Any = "",
    region_code: str = "",
    summary: str = "",
    detail: dict[str, Any] | None = None,
    client: Client | None = None,
    channel: str | None = None,
) -> AuditRecord:
    """Append one record. Runs in the caller's transaction so the record and the change it
    describes commit or roll back together."""
    if channel is None:
        channel = "cli" if client is None else client.channel
    with transaction.atomic():
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS_HASH}
        )
        record = AuditRecord(
            # Truncated to microseconds explicitly: both databases store that precision.
            at=dt.datetime.now(dt.UTC),
            actor=actor if getattr(actor, "pk", None) else None,
            actor_username=getattr(actor, "username", "") or "",
            action=action,
            object_type=object_type,
            object_id=str(object_id),
            region_code=region_code,
            summary=summary[:300],
            detail=detail or {},
            ip_address=client.ip if client is not None else "",
            channel=channel,
            prev_hash=head.last_hash,
        )
        record.hash = record_hash(prev_hash=head.last_hash, fields=hashed_fields(record))
        record.save(force_insert=True)
        head.last_hash = record.hash
        head.last_record_id = record.pk
        head.save(update_fields=["last_hash", "last_record_id"])
    return record
