"""Settling a data flag: the department corrected the row in a new batch, or checked it and
found it right. Either way the flag is closed with a note, by an officer who may hand in that
source's batches, and audited."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.feeds.catalogue import FeedImportError
from safetynet.feeds.common import source_importable
from safetynet.monitoring.models import DataFlag


class FlagError(Exception):
    """A refusal with a Chinese message."""


def flag_resolve(
    *, actor: Any, flag: DataFlag, resolution: str, client: Client | None = None
) -> DataFlag:
    require(actor, Capability.IMPORT_FEEDS)
    try:
        source_importable(user=actor, code=flag.source)
    except FeedImportError as exc:
        raise FlagError(str(exc)) from exc
    note = resolution.strip()
    if not note:
        raise FlagError("请填写处理情况，如“已在 2026-12 批次更正”或“经核实数据无误”")
    if len(note) > 300:
        raise FlagError("处理情况最多 300 字")
    with transaction.atomic():
        locked = DataFlag.objects.select_for_update().get(pk=flag.pk)
        if locked.resolved:
            raise FlagError("该纠错已处理")
        locked.resolved = True
        locked.resolved_on = timezone.localdate()
        locked.resolved_by = actor
        locked.resolution = note
        locked.save(update_fields=["resolved", "resolved_on", "resolved_by", "resolution"])
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="data_flag",
            object_id=locked.pk,
            region_code=locked.region_code,
            summary=f"处理数据纠错：批次 {locked.batch_id} 第 {locked.row_number} 行：{note}",
            detail={"source": locked.source, "batch": locked.batch_id, "row": locked.row_number},
            client=client,
        )
    return locked
