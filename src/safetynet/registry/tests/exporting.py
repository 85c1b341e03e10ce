"""Pressing 导出 Excel on the household list and downloading the finished job's file (jobs run
inline in tests); the generic helper for every export is ``jobs.tests.exporting``."""

from __future__ import annotations

from typing import Any

from django.test import Client

from safetynet.jobs.tests import exporting

URL = "/households/export/"


def export_job(client: Client, params: dict[str, Any] | str | None = None) -> int:
    return exporting.export_job(client, URL, params)


def exported(client: Client, params: dict[str, Any] | str | None = None) -> bytes:
    """The .xlsx a user gets for the list filtered by ``params``."""
    return exporting.exported_file(client, URL, params)
