"""Pressing 导出 Excel on the household list and downloading the finished job's file (jobs run
inline in tests)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.test import Client


def export_job(client: Client, params: dict[str, Any] | str | None = None) -> int:
    query = params if isinstance(params, str) else urlencode(params or {})
    response = client.post(f"/households/export/?{query}")
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith("/jobs/"), location
    return int(location.strip("/").split("/")[-1])


def exported(client: Client, params: dict[str, Any] | str | None = None) -> bytes:
    """The .xlsx a user gets for the list filtered by ``params``."""
    job_id = export_job(client, params)
    download = client.get(f"/jobs/{job_id}/download/")
    assert download.status_code == 200, download.status_code
    return b"".join(download.streaming_content)
