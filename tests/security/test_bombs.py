"""Finding 3 of issue 12: small ZIP containers that inflate to hundreds of megabytes (an .xlsx
with one huge inline string, a case archive with a huge manifest) are refused, with a Chinese
message, before any reader inflates them. The bombs are built by streaming, so neither building
nor refusing them needs much memory."""

# The fixtures of batch_fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

import functools
import io
import tracemalloc
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from safetynet import zipcheck
from safetynet.accounts.services import api_token_create
from safetynet.feeds.models import FeedBatch
from safetynet.feeds.tests.batch_fixtures import civil_affairs_officer
from safetynet.jobs.models import Job
from safetynet.registry.tests.import_files import family, table, xlsx_bytes

pytestmark = pytest.mark.django_db

MB = 1024 * 1024
CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/'
    'package/2006/content-types"></Types>'
)


def _bomb_zip(name: str, inflated_mb: int, *, prefix: bytes = b"", suffix: bytes = b"") -> bytes:
    """A ZIP whose member ``name`` inflates to ``inflated_mb`` MB of one repeated letter."""
    buffer = io.BytesIO()
    block = b"A" * MB
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", CONTENT_TYPES)
        with archive.open(name, "w") as member:
            member.write(prefix)
            for _ in range(inflated_mb):
                member.write(block)
            member.write(suffix)
    return buffer.getvalue()


@functools.cache
def xlsx_bomb(inflated_mb: int = 200) -> bytes:
    """A sheet whose one cell is an inline string of ``inflated_mb`` MB."""
    return _bomb_zip(
        "xl/worksheets/sheet1.xml",
        inflated_mb,
        prefix=b'<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>',
        suffix=b"</t></is></c></row></sheetData></worksheet>",
    )


def test_the_check_refuses_a_bomb_without_inflating_it_into_memory() -> None:
    bomb = xlsx_bomb(200)
    assert len(bomb) < 1 * MB
    tracemalloc.start()
    try:
        with pytest.raises(zipcheck.UnsafeZip, match="已拒绝"):
            zipcheck.zip_check(bomb, zipcheck.xlsx_limits(), what="Excel 文件")
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 8 * MB


def test_a_member_over_the_limit_is_refused_even_at_a_plausible_ratio(settings: Any) -> None:
    settings.UPLOAD_XLSX_MAX_MEMBER_MB = 1
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_STORED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"x" * (2 * MB))
    with pytest.raises(zipcheck.UnsafeZip, match="超过 1 MB"):
        zipcheck.zip_check(buffer.getvalue(), zipcheck.xlsx_limits())


def test_a_lying_declared_size_does_not_hide_the_real_one() -> None:
    """The headers may claim a small size; the check counts what really inflates."""
    bomb = bytearray(xlsx_bomb(200))
    name = b"xl/worksheets/sheet1.xml"
    for signature, size_at in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        start = 0
        while (at := bomb.find(signature, start)) >= 0:
            start = at + 4
            name_at = at + (30 if signature == b"PK\x03\x04" else 46)
            if bomb[name_at : name_at + len(name)] == name:
                bomb[at + size_at : at + size_at + 4] = (1024).to_bytes(4, "little")
    assert zipfile.ZipFile(io.BytesIO(bytes(bomb))).getinfo(name.decode()).file_size == 1024
    with pytest.raises(zipcheck.UnsafeZip):
        zipcheck.zip_check(bytes(bomb), zipcheck.ZipLimits(max_member=100 * MB, max_total=10**12))


def test_real_workbooks_pass(jinshui_township: Any) -> None:
    zipcheck.zip_check(
        xlsx_bytes(table(family("410105001003"))), zipcheck.xlsx_limits(), what="Excel 文件"
    )


def test_household_import_refuses_the_bomb(client: Client, jinshui_officer: Any) -> None:
    client.force_login(jinshui_officer)
    response = client.post(
        "/households/import/", {"file": SimpleUploadedFile("名单.xlsx", xlsx_bomb())}
    )
    assert response.status_code == 200
    assert "疑似压缩炸弹，已拒绝" in response.content.decode()


def test_feeds_api_refuses_the_bomb_at_once(civil_affairs_officer: Any, settings: Any) -> None:
    raw = api_token_create(
        user=civil_affairs_officer, name="部门数据交换", actor=civil_affairs_officer
    )
    client = Client(headers={"Authorization": f"Bearer {raw}"})
    response = client.post(
        "/api/feeds/batches",
        {
            "source": "deaths",
            "period": "2026-01",
            "file": SimpleUploadedFile("死亡名单.xlsx", xlsx_bomb()),
        },
    )
    assert response.status_code == 400
    assert "疑似压缩炸弹，已拒绝" in response.json()["detail"]
    assert not Job.objects.exists() and not FeedBatch.objects.exists()
    assert list((Path(settings.FEEDS_DIR) / "incoming").iterdir()) == []


def test_archive_verification_refuses_a_huge_manifest(client: Client, jinshui_officer: Any) -> None:
    bomb = _bomb_zip("manifest.json", 120, prefix=b'{"x": "', suffix=b'"}')
    client.force_login(jinshui_officer)
    response = client.post(
        reverse("determination:archive_verify"),
        {"file": SimpleUploadedFile("档案.zip", bomb)},
    )
    assert response.status_code == 200
    assert "档案中有部件解压后超过 100 MB，已拒绝" in response.content.decode()
