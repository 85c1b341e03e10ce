"""Bearer tokens for department systems: stored hashed, refused once revoked or when the user is
inactive, created and revoked from the console with an audit record."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import Client

from safetynet.accounts.models import ApiToken
from safetynet.accounts.services import AccountError, api_token_create, api_token_revoke
from safetynet.audit.models import Action, AuditRecord

pytestmark = pytest.mark.django_db

START = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)


def bearer(raw: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {raw}"})


@pytest.fixture
def raw_token(jinshui_officer: Any) -> str:
    return api_token_create(user=jinshui_officer, name="医保局数据交换", actor=jinshui_officer)


def test_token_is_stored_only_as_its_sha256(raw_token: str) -> None:
    token = ApiToken.objects.get()
    assert token.token_hash == hashlib.sha256(raw_token.encode()).hexdigest()
    assert raw_token not in {token.token_hash, token.name}


def test_token_authenticates_as_its_user(raw_token: str) -> None:
    assert bearer(raw_token).get("/api/households").status_code == 200


def test_unknown_token_is_refused(raw_token: str) -> None:
    response = bearer(raw_token + "x").get("/api/households")
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Bearer"


def test_revoked_token_is_refused(raw_token: str, jinshui_officer: Any) -> None:
    api_token_revoke(token_id=ApiToken.objects.get().pk, actor=jinshui_officer)
    assert bearer(raw_token).get("/api/households").status_code == 401


def test_revoked_token_write_is_refused_as_unauthenticated_not_csrf(
    raw_token: str, jinshui_officer: Any
) -> None:
    api_token_revoke(token_id=ApiToken.objects.get().pk, actor=jinshui_officer)
    response = bearer(raw_token).post("/api/households", data="{}", content_type="application/json")
    assert response.status_code == 401


def test_token_of_inactive_user_is_refused(raw_token: str, jinshui_officer: Any) -> None:
    jinshui_officer.is_active = False
    jinshui_officer.save()
    assert bearer(raw_token).get("/api/households").status_code == 401


def test_token_cannot_be_created_for_inactive_user(jinshui_officer: Any) -> None:
    jinshui_officer.is_active = False
    jinshui_officer.save()
    with pytest.raises(AccountError, match="已停用"):
        api_token_create(user=jinshui_officer, name="x", actor=jinshui_officer)


def test_token_needs_a_name(jinshui_officer: Any) -> None:
    with pytest.raises(AccountError, match="用途"):
        api_token_create(user=jinshui_officer, name="  ", actor=jinshui_officer)


def test_first_use_records_last_used_at(raw_token: str) -> None:
    with time_machine.travel(START, tick=False):
        bearer(raw_token).get("/api/households")
    assert ApiToken.objects.get().last_used_at == START


def test_last_used_at_is_not_rewritten_within_a_minute(raw_token: str) -> None:
    client = bearer(raw_token)
    with time_machine.travel(START, tick=False):
        client.get("/api/households")
    with time_machine.travel(START + dt.timedelta(seconds=59), tick=False):
        client.get("/api/households")
    assert ApiToken.objects.get().last_used_at == START


def test_last_used_at_is_rewritten_after_a_minute(raw_token: str) -> None:
    client = bearer(raw_token)
    with time_machine.travel(START, tick=False):
        client.get("/api/households")
    later = START + dt.timedelta(seconds=61)
    with time_machine.travel(later, tick=False):
        client.get("/api/households")
    assert ApiToken.objects.get().last_used_at == later


def test_token_creation_is_audited_without_the_token(raw_token: str, jinshui_officer: Any) -> None:
    record = AuditRecord.objects.get(object_type="api_token", action=Action.CREATE)
    assert (record.actor, record.object_id) == (jinshui_officer, str(ApiToken.objects.get().pk))
    assert raw_token not in f"{record.summary} {record.detail}"


def test_revocation_is_audited_once(raw_token: str, jinshui_officer: Any) -> None:
    token_id = ApiToken.objects.get().pk
    api_token_revoke(token_id=token_id, actor=jinshui_officer)
    api_token_revoke(token_id=token_id, actor=jinshui_officer)
    assert AuditRecord.objects.filter(object_type="api_token", action=Action.UPDATE).count() == 1


def test_revoking_an_unknown_token_says_so(jinshui_officer: Any) -> None:
    with pytest.raises(AccountError, match="#999 不存在"):
        api_token_revoke(token_id=999, actor=jinshui_officer)


def test_create_command_prints_a_working_token_on_its_last_line(jinshui_officer: Any) -> None:
    out = io.StringIO()
    call_command("api_token", "create", "jinshui", "--name", "民政局对接", stdout=out)
    raw = out.getvalue().strip().splitlines()[-1]
    assert bearer(raw).get("/api/households").status_code == 200
    assert ApiToken.objects.get().name == "民政局对接"


def test_create_command_for_unknown_user_fails() -> None:
    with pytest.raises(CommandError, match="账号不存在：nobody"):
        call_command("api_token", "create", "nobody", "--name", "x", stdout=io.StringIO())


def test_revoke_command_revokes_the_token(raw_token: str) -> None:
    call_command("api_token", "revoke", str(ApiToken.objects.get().pk), stdout=io.StringIO())
    assert bearer(raw_token).get("/api/households").status_code == 401


def test_revoke_command_is_audited_as_console_work(raw_token: str) -> None:
    call_command("api_token", "revoke", str(ApiToken.objects.get().pk), stdout=io.StringIO())
    record = AuditRecord.objects.get(object_type="api_token", action=Action.UPDATE)
    assert (record.channel, record.actor_username) == ("cli", "system")


def test_list_command_shows_tokens_without_the_token(raw_token: str) -> None:
    out = io.StringIO()
    call_command("api_token", "list", "jinshui", stdout=out)
    assert "医保局数据交换" in out.getvalue()
    assert raw_token not in out.getvalue()
