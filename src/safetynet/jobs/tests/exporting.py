"""Pressing an export button and downloading the finished job's file (jobs run inline in
tests): every list export is a POST that starts a job and answers with the job page."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.test import Client


def export_job(client: Client, url: str, params: dict[str, Any] | str | None = None) -> int:
    """POST the export ``url`` with the list's query ``params``; the id of the job it started."""
    query = params if isinstance(params, str) else urlencode(params or {})
    response = client.post(f"{url}?{query}" if query else url)
    assert response.status_code == 302, response.status_code
    location = response["Location"]
    assert location.startswith("/jobs/"), location
    return int(location.strip("/").split("/")[-1])


def export_download(client: Client, job_id: int) -> Any:
    """The finished job's download response (200, its content read by ``content_of``)."""
    download = client.get(f"/jobs/{job_id}/download/")
    assert download.status_code == 200, download.status_code
    return download


def content_of(response: Any) -> bytes:
    return b"".join(response.streaming_content)


def exported_file(client: Client, url: str, params: dict[str, Any] | str | None = None) -> bytes:
    """The file a user gets from the export ``url`` for the list filtered by ``params``."""
    return content_of(export_download(client, export_job(client, url, params)))
