"""Appending to the audit chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import transaction
from django.http import HttpRequest

from safetynet.audit.chain import GENESIS_HASH, hashed_fields, record_hash
from safetynet.audit.models import Action, AuditRecord, ChainHead, PendingAuditRecord

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


# Reads change nothing and make up most of the trail: they are buffered and chained in batches
# (ADR 0016) instead of each taking the chain head's lock.
READ_ACTIONS = frozenset({Action.VIEW, Action.SEARCH, Action.REVEAL, Action.EXPORT})
FIELDS = (
    "at",
    "actor_id",
    "actor_username",
    "action",
    "object_type",
    "object_id",
    "region_code",
    "summary",
    "detail",
    "ip_address",
    "channel",
)


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
    describes commit or roll back together.

    A read (``READ_ACTIONS``) never waits for the chain's lock: it is chained at once if the
    lock is free, otherwise stored as pending and chained by the lock's next holder. The record
    is returned chained when that happened at once, else unsaved (``pk`` None)."""
    if channel is None:
        channel = "cli" if client is None else client.channel
    values = {
        # Truncated to microseconds explicitly: both databases store that precision.
        "at": dt.datetime.now(dt.UTC),
        "actor_id": getattr(actor, "pk", None),
        "actor_username": getattr(actor, "username", "") or "",
        "action": action,
        "object_type": object_type,
        "object_id": str(object_id),
        "region_code": region_code,
        "summary": summary[:300],
        "detail": detail or {},
        "ip_address": client.ip if client is not None else "",
        "channel": channel,
    }
    with transaction.atomic():
        if action in READ_ACTIONS and settings.AUDIT_BUFFER_READS:
            # The lock free (the usual case): chained at once, as a write, without a round
            # trip through the pending table; taken: left pending for the holder.
            head = _locked_head(wait=False)
            if head is None:
                PendingAuditRecord.objects.create(**values)
                return AuditRecord(**values)
            _chain_pending(head)
            return _append(head, values)
        head = _locked_head(wait=True)
        assert head is not None
        _chain_pending(head)
        return _append(head, values)


def _locked_head(*, wait: bool) -> ChainHead | None:
    """The chain head, locked until the transaction ends; None if another holds it and
    ``wait`` is False."""
    head = ChainHead.objects.select_for_update(skip_locked=not wait).filter(id=1).first()
    if head is None and not ChainHead.objects.filter(id=1).exists():
        head, _ = ChainHead.objects.select_for_update().get_or_create(
            id=1, defaults={"last_hash": GENESIS_HASH}
        )
    return head


def _append(head: ChainHead, values: dict[str, Any]) -> AuditRecord:
    record = AuditRecord(**values, prev_hash=head.last_hash)
    record.hash = record_hash(prev_hash=head.last_hash, fields=hashed_fields(record))
    record.save(force_insert=True)
    head.last_hash = record.hash
    head.last_record_id = record.pk
    head.save(update_fields=["last_hash", "last_record_id"])
    return record


def _chain_pending(head: ChainHead, *, batch: int = 2000) -> dict[int, AuditRecord]:
    """Move every pending read into the chain (the caller holds the head's lock)."""
    chained: dict[int, AuditRecord] = {}
    while True:
        pending = list(PendingAuditRecord.objects.order_by("id")[:batch])
        if not pending:
            return chained
        records = []
        prev = head.last_hash
        for row in pending:
            record = AuditRecord(**{f: getattr(row, f) for f in FIELDS}, prev_hash=prev)
            record.hash = prev = record_hash(prev_hash=prev, fields=hashed_fields(record))
            records.append(record)
        created = AuditRecord.objects.bulk_create(records)
        PendingAuditRecord.objects.filter(id__in=[row.pk for row in pending]).delete()
        head.last_hash = prev
        head.last_record_id = created[-1].pk
        head.save(update_fields=["last_hash", "last_record_id"])
        chained.update(zip((row.pk for row in pending), created, strict=True))


def audit_flush(*, wait: bool = True) -> dict[int, AuditRecord]:
    """Chain the pending reads now: pending id → its record. With ``wait`` False, returns
    nothing at once when another transaction holds the chain (it or the next holder chains
    them)."""
    with transaction.atomic():
        head = _locked_head(wait=wait)
        if head is None:
            return {}
        return _chain_pending(head)
