"""Sessions end after 30 idle minutes without their row being rewritten on every request."""

from __future__ import annotations

import datetime as dt
from typing import Any

import time_machine
from django.contrib.sessions.models import Session
from django.test import Client

START = dt.datetime(2026, 12, 7, 2, 0, tzinfo=dt.UTC)


def _expiry(client: Client) -> dt.datetime:
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_session_is_saved_at_most_once_per_touch_interval(
    client: Client, jinshui_officer: Any, settings: Any
) -> None:
    settings.SESSION_TOUCH_SECONDS = 300
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(jinshui_officer)
        assert client.get("/").status_code == 200
        first = _expiry(client)
        clock.shift(dt.timedelta(minutes=4))
        assert client.get("/").status_code == 200
        assert _expiry(client) == first  # not rewritten within the interval
        clock.shift(dt.timedelta(minutes=2))
        assert client.get("/").status_code == 200
        assert _expiry(client) == first + dt.timedelta(minutes=6)


def test_an_active_officer_stays_signed_in_and_an_idle_one_is_signed_out(
    client: Client, jinshui_officer: Any, settings: Any
) -> None:
    settings.SESSION_TOUCH_SECONDS = 300
    with time_machine.travel(START, tick=False) as clock:
        client.force_login(jinshui_officer)
        for _ in range(12):  # an hour of work, a page every five minutes
            clock.shift(dt.timedelta(minutes=5))
            assert client.get("/").status_code == 200
        clock.shift(dt.timedelta(minutes=31))
        response = client.get("/")
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]
