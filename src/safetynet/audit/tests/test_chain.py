from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, transaction

from safetynet.audit.models import Action, AuditRecord
from safetynet.audit.selectors import audit_chain_verify
from safetynet.audit.services import audit_record


def _three(actor: object) -> list[AuditRecord]:
    return [
        audit_record(actor=actor, action=Action.VIEW, object_type="household", object_id=i)
        for i in range(3)
    ]


def test_each_record_carries_the_previous_hash(jinshui_officer: object) -> None:
    first, second, _ = _three(jinshui_officer)
    assert second.prev_hash == first.hash


def test_untouched_chain_verifies(jinshui_officer: object) -> None:
    _three(jinshui_officer)
    assert audit_chain_verify().ok


def test_database_refuses_updates(jinshui_officer: object) -> None:
    record = _three(jinshui_officer)[1]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).update(summary="改过")


@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite blocks UPDATE only")
def test_postgresql_refuses_deletes(jinshui_officer: object) -> None:
    record = _three(jinshui_officer)[1]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditRecord.objects.filter(pk=record.pk).delete()


def _tamper(sql: str, params: list[object]) -> None:
    """Bypass the triggers the way an attacker with DDL rights would."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Deferred FK checks of this test's inserts would block the ALTER TABLE.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute("ALTER TABLE audit_auditrecord DISABLE TRIGGER audit_record_no_update")
            cursor.execute(sql, params)
            cursor.execute("ALTER TABLE audit_auditrecord ENABLE TRIGGER audit_record_no_update")
        else:
            cursor.execute("DROP TRIGGER audit_record_no_update")
            cursor.execute(sql, params)


def test_modified_record_is_detected(jinshui_officer: object) -> None:
    record = _three(jinshui_officer)[1]
    _tamper("UPDATE audit_auditrecord SET summary = %s WHERE id = %s", ["改过", record.pk])
    result = audit_chain_verify()
    assert (result.ok, result.broken_at) == (False, record.pk)


def test_deleted_record_is_detected(jinshui_officer: object) -> None:
    record = _three(jinshui_officer)[1]
    _tamper("DELETE FROM audit_auditrecord WHERE id = %s", [record.pk])
    assert not audit_chain_verify().ok


def test_deleted_last_record_is_detected(jinshui_officer: object) -> None:
    record = _three(jinshui_officer)[2]
    _tamper("DELETE FROM audit_auditrecord WHERE id = %s", [record.pk])
    assert not audit_chain_verify().ok


def test_verify_command_exits_one_on_tampering(jinshui_officer: object, capsys: object) -> None:
    record = _three(jinshui_officer)[0]
    _tamper("UPDATE audit_auditrecord SET object_id = %s WHERE id = %s", ["99", record.pk])
    with pytest.raises(SystemExit) as exit_info:
        call_command("audit", "verify")
    assert exit_info.value.code == 1


def test_verify_command_reports_count(
    jinshui_officer: object, capsys: pytest.CaptureFixture[str]
) -> None:
    _three(jinshui_officer)
    call_command("audit", "verify")
    assert "audit chain OK: 3 records" in capsys.readouterr().out
