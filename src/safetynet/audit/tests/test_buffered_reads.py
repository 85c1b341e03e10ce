"""Audited reads do not queue on the chain head (ADR 0016): a read is stored as pending and
chained at once when the chain is free, otherwise by the next holder of its lock; the chain
stays complete and verifiable either way."""

from __future__ import annotations

import datetime as dt
import threading
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.utils import timezone

from safetynet.audit import services
from safetynet.audit.models import Action, AuditRecord, ChainHead, PendingAuditRecord
from safetynet.audit.selectors import audit_chain_verify
from safetynet.audit.services import audit_flush, audit_record


def _read(actor: Any, n: int) -> AuditRecord:
    return audit_record(actor=actor, action=Action.VIEW, object_type="household", object_id=n)


@pytest.fixture
def busy_chain(monkeypatch: pytest.MonkeyPatch) -> None:
    """As if another transaction held the chain head: a read's own flush gets nothing."""
    real = services._locked_head
    monkeypatch.setattr(services, "_locked_head", lambda *, wait: real(wait=True) if wait else None)


def test_a_read_on_a_free_chain_is_chained_at_once(jinshui_officer: Any) -> None:
    record = _read(jinshui_officer, 1)
    assert record.pk is not None and record.hash
    assert not PendingAuditRecord.objects.exists()
    assert audit_chain_verify().ok


def test_reads_on_a_busy_chain_wait_and_the_next_write_chains_them_first(
    jinshui_officer: Any, busy_chain: None
) -> None:
    first = _read(jinshui_officer, 1)
    _read(jinshui_officer, 2)
    assert first.pk is None
    assert PendingAuditRecord.objects.count() == 2 and not AuditRecord.objects.exists()

    audit_record(actor=jinshui_officer, action=Action.UPDATE, object_type="household", object_id=3)

    assert not PendingAuditRecord.objects.exists()
    chained = list(AuditRecord.objects.order_by("id").values_list("action", "object_id"))
    assert chained == [("view", "1"), ("view", "2"), ("update", "3")]
    assert audit_chain_verify().ok


def test_verify_chains_what_is_pending_before_checking(
    jinshui_officer: Any, busy_chain: None, capsys: pytest.CaptureFixture[str]
) -> None:
    for n in range(3):
        _read(jinshui_officer, n)
    call_command("audit", "verify")
    assert "audit chain OK: 3 records" in capsys.readouterr().out
    head = ChainHead.objects.get()
    assert head.last_record_id == AuditRecord.objects.order_by("id").last().pk


def test_a_pending_read_keeps_its_own_time_and_fields(
    jinshui_officer: Any, busy_chain: None
) -> None:
    _read(jinshui_officer, 7)
    pending = PendingAuditRecord.objects.get()
    audit_flush()
    record = AuditRecord.objects.get()
    assert (record.at, record.actor_id, record.object_id, record.action) == (
        pending.at,
        jinshui_officer.pk,
        "7",
        "view",
    )


def test_the_worker_chains_pending_reads(jinshui_officer: Any) -> None:
    from safetynet.jobs.runner import work

    # A read whose own flush found the chain busy, left pending.
    PendingAuditRecord.objects.create(
        at=timezone.now(), actor=jinshui_officer, action=Action.VIEW, object_type="household"
    )
    work(stop=threading.Event(), poll_seconds=0, stale_after=dt.timedelta(hours=1), once=True)
    assert not PendingAuditRecord.objects.exists()
    assert AuditRecord.objects.count() == 1
    assert audit_chain_verify().ok


@pytest.mark.skipif(connection.vendor != "postgresql", reason="row locks need PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_a_read_does_not_wait_for_a_transaction_holding_the_chain(jinshui_officer: Any) -> None:
    audit_record(actor=jinshui_officer, action=Action.CREATE, object_type="household")
    locked, release = threading.Event(), threading.Event()

    def hold() -> None:
        try:
            with transaction.atomic():
                ChainHead.objects.select_for_update().get(id=1)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold)
    holder.start()
    try:
        assert locked.wait(10)
        record = _read(jinshui_officer, 1)  # would block for 10 s if it took the lock
        assert record.pk is None
        assert PendingAuditRecord.objects.count() == 1
    finally:
        release.set()
        holder.join()
    audit_flush()
    assert not PendingAuditRecord.objects.exists()
    result = audit_chain_verify()
    assert (result.ok, result.checked) == (True, 2)
