"""Issue 12, beyond the findings: a TOTP second factor for accounts with the second_factor
capability (administrators, county officers) when SECOND_FACTOR_REQUIRED is on, enrolled on the
first sign-in with a QR code; recovery codes; password expiry (ADR 0017)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pyotp
import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from safetynet.accounts.models import Credential
from safetynet.accounts.services import api_token_create

pytestmark = pytest.mark.django_db
PASSWORD = "Zz-测试-2026-password"
T0 = dt.datetime(2026, 12, 7, 8, 0, tzinfo=dt.UTC)


@pytest.fixture
def on(settings: Any) -> None:
    settings.SECOND_FACTOR_REQUIRED = True


def _signed_in(user: Any) -> Client:
    user.set_password(PASSWORD)
    user.save()
    client = Client()
    assert client.post("/accounts/login/", {"username": user.username, "password": PASSWORD})[
        "Location"
    ]
    return client


def _enrol(client: Client, user: Any) -> list[str]:
    page = client.get("/accounts/enrol/?next=/households/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    secret = Credential.objects.get(user=user).totp_secret
    shown = client.post(
        "/accounts/enrol/", {"code": pyotp.TOTP(secret).now(), "next": "/households/"}
    )
    codes = re.findall(r"<code>([0-9a-f]{4}-[0-9a-f]{4})</code>", shown.content.decode())
    assert len(codes) == 10
    return codes


def test_off_by_default_demo_accounts_sign_in_with_a_password(county_officer: Any) -> None:
    client = _signed_in(county_officer)
    assert client.get("/").status_code == 200


def test_a_county_officer_enrols_on_first_sign_in_then_gives_a_code_each_time(
    on: None, county_officer: Any
) -> None:
    with time_machine.travel(T0, tick=False):
        client = _signed_in(county_officer)
        first = client.get("/households/")
        assert first.status_code == 302
        assert first["Location"].startswith("/accounts/enrol/?next=/households/")
        codes = _enrol(client, county_officer)
        assert client.get("/households/").status_code == 200
    secret = Credential.objects.get(user=county_officer).totp_secret

    with time_machine.travel(T0 + dt.timedelta(minutes=5), tick=False):
        again = _signed_in(county_officer)
        assert again.get("/").status_code == 302
        assert again.get("/")["Location"].startswith("/accounts/second-factor/")
        wrong = again.post("/accounts/second-factor/", {"code": "000000", "next": "/"})
        assert "动态口令或恢复码不正确" in wrong.content.decode()
        right = again.post(
            "/accounts/second-factor/", {"code": pyotp.TOTP(secret).now(), "next": "/"}
        )
        assert right.status_code == 302 and right["Location"] == "/"
        assert again.get("/").status_code == 200
        # The same code is not accepted twice.
        replay = _signed_in(county_officer)
        used = replay.post("/accounts/second-factor/", {"code": pyotp.TOTP(secret).now()})
        assert used.status_code == 200

    with time_machine.travel(T0 + dt.timedelta(minutes=10), tick=False):
        lost_phone = _signed_in(county_officer)
        ok = lost_phone.post("/accounts/second-factor/", {"code": codes[0], "next": "/"})
        assert ok.status_code == 302
        twice = _signed_in(county_officer)
        assert twice.post("/accounts/second-factor/", {"code": codes[0]}).status_code == 200


def test_accounts_without_the_capability_are_not_asked(
    on: None, village_assistant: Any, jinshui_officer: Any
) -> None:
    assert _signed_in(village_assistant).get("/").status_code == 200
    assert _signed_in(jinshui_officer).get("/").status_code == 200


def test_the_api_by_session_waits_for_the_second_factor_a_token_does_not(
    on: None, county_officer: Any
) -> None:
    client = _signed_in(county_officer)
    answer = client.get("/api/households")
    assert answer.status_code == 403 and "登录验证" in answer.json()["detail"]
    token = api_token_create(user=county_officer, name="部门系统", actor=county_officer)
    assert Client().get("/api/households", HTTP_AUTHORIZATION=f"Bearer {token}").status_code == 200


def test_an_expired_password_must_be_changed_first(settings: Any, jinshui_officer: Any) -> None:
    settings.PASSWORD_MAX_AGE_DAYS = 90
    jinshui_officer.date_joined = timezone.now() - dt.timedelta(days=91)
    jinshui_officer.save()
    client = _signed_in(jinshui_officer)
    held = client.get("/households/")
    assert held.status_code == 302 and held["Location"].startswith("/accounts/password/")
    page = client.get(held["Location"])
    assert "超过规定的使用期限" in page.content.decode()
    changed = client.post(
        "/accounts/password/",
        {
            "old_password": PASSWORD,
            "new_password1": "Yy-新密码-2027-long",
            "new_password2": "Yy-新密码-2027-long",
        },
    )
    assert changed.status_code == 302
    assert client.get("/households/").status_code == 200
