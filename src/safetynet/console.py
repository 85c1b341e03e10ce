"""Argument parsing shared by the console commands, so that every command words a bad argument
the same way."""

from __future__ import annotations

import datetime as dt

from django.core.management.base import CommandError

from safetynet.core.dates import parse_date


def command_date(raw: str) -> dt.date:
    """A YYYY-MM-DD argument; a ``CommandError`` naming the value otherwise."""
    try:
        return parse_date(raw)
    except ValueError:
        raise CommandError(f"日期格式错误：{raw}（应为 YYYY-MM-DD，如 2026-09-30）") from None
