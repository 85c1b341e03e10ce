"""Reads of the audit chain: search for auditors and the tamper check."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from django.db.models import QuerySet

from safetynet.accounts.scope import scope_queryset
from safetynet.audit.chain import GENESIS_HASH, hashed_fields, record_hash
from safetynet.audit.models import AuditRecord, ChainHead

if TYPE_CHECKING:
    from safetynet.accounts.models import User


@dataclass(frozen=True)
class ChainCheck:
    ok: bool
    checked: int
    broken_at: int | None = None
    reason: str = ""


def audit_chain_verify(*, chunk_size: int = 5000) -> ChainCheck:
    """Recompute every hash in id order; report the first record that does not match."""
    prev = GENESIS_HASH
    checked = 0
    last_id = None
    for record in AuditRecord.objects.order_by("id").iterator(chunk_size=chunk_size):
        if record.prev_hash != prev:
            return ChainCheck(
                False, checked, record.pk, "上一条记录的哈希不匹配（记录被删除或插入）"
            )
        if record_hash(prev_hash=prev, fields=hashed_fields(record)) != record.hash:
            return ChainCheck(False, checked, record.pk, "记录内容与其哈希不符（记录被修改）")
        prev = record.hash
        last_id = record.pk
        checked += 1
    head = ChainHead.objects.filter(id=1).first()
    if head is not None and (head.last_hash != prev or head.last_record_id != last_id):
        return ChainCheck(False, checked, head.last_record_id, "链尾与链头不符（末尾记录被删除）")
    return ChainCheck(True, checked)


def audit_search(
    *,
    user: User,
    actor: str = "",
    action: str = "",
    object_type: str = "",
    object_id: str = "",
    date_from: dt.date | None = None,
    date_to: dt.date | None = None,
) -> QuerySet[AuditRecord]:
    """Records of the user's region, plus records not tied to a region (logins, exports of
    lists), which only province-wide auditors see."""
    queryset: QuerySet[AuditRecord] = AuditRecord.objects.all()
    scoped = scope_queryset(queryset, user=user)
    if user.scope_region is not None and user.scope_region.level == "province":
        scoped = scoped | queryset.filter(region_code="")
    if actor:
        scoped = scoped.filter(actor_username=actor)
    if action:
        scoped = scoped.filter(action=action)
    if object_type:
        scoped = scoped.filter(object_type=object_type)
    if object_id:
        scoped = scoped.filter(object_id=object_id)
    if date_from:
        scoped = scoped.filter(at__date__gte=date_from)
    if date_to:
        scoped = scoped.filter(at__date__lte=date_to)
    return scoped.order_by("-id")
