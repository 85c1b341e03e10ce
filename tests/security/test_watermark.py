"""Issue 12, beyond the findings: every export carries a watermark — who exported it and when —
in the file's properties and as a footer row (``safetynet.spreadsheets``), the web export, the
API through a token, a job, and the CSV alerts export alike."""

from __future__ import annotations

import io
from typing import Any

import pytest
import time_machine
from django.test import Client
from openpyxl import load_workbook

from safetynet.accounts.services import api_token_create
from safetynet.registry.tests.exporting import exported
from safetynet.spreadsheets import (
    WATERMARK_PREFIX,
    Workbook,
    current_exporter,
    exporter,
    watermark,
)

pytestmark = pytest.mark.django_db


def _rows(content: bytes) -> list[list[Any]]:
    book = load_workbook(io.BytesIO(content))
    return [list(r) for r in book.worksheets[0].iter_rows(values_only=True)]


def _content(response: Any) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_a_workbook_names_who_and_when_in_properties_and_footer() -> None:
    with time_machine.travel("2026-12-07 08:30:00+00:00", tick=False), exporter("张三（zhangsan）"):
        book = Workbook(write_only=True)
        sheet = book.create_sheet("a")
        sheet.append(["x"])
        buffer = io.BytesIO()
        book.save(buffer)
    loaded = load_workbook(io.BytesIO(buffer.getvalue()))
    assert loaded.properties.creator == "张三（zhangsan）"
    assert "2026-12-07 16:30:00" in (loaded.properties.description or "")  # Asia/Shanghai
    custom = {p.name: p.value for p in loaded.custom_doc_props.props}
    assert custom == {"导出人": "张三（zhangsan）", "导出时间": "2026-12-07 16:30:00"}
    rows = [list(r) for r in loaded.worksheets[0].iter_rows(values_only=True)]
    assert rows[-1][0].startswith(
        f"{WATERMARK_PREFIX}张三（zhangsan）；导出时间：2026-12-07 16:30:00"
    )


def test_a_template_to_fill_in_has_no_footer() -> None:
    book = Workbook(watermark=False)
    book.active.append(["表头"])
    buffer = io.BytesIO()
    book.save(buffer)
    assert _rows(buffer.getvalue()) == [["表头"]]


def test_the_household_export_names_the_signed_in_officer(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer)
    client.force_login(jinshui_officer)
    content = exported(client)  # a background job: named after the job's creator
    footer = _rows(content)[-1][0]
    assert footer.startswith(WATERMARK_PREFIX)
    assert jinshui_officer.username in footer
    assert (
        load_workbook(io.BytesIO(content)).properties.creator.endswith(
            f"{jinshui_officer.username}）"
        )
        or load_workbook(io.BytesIO(content)).properties.creator == jinshui_officer.username
    )


def test_a_token_call_names_the_token_account(county_officer: Any, rf: Any) -> None:
    from safetynet.accounts.api_auth import ApiTokenAuth

    token = api_token_create(user=county_officer, name="测试", actor=county_officer)
    with exporter(""):
        assert ApiTokenAuth().authenticate(rf.get("/api/x"), token) == county_officer
        assert county_officer.username in current_exporter()


def test_the_csv_alerts_export_ends_with_the_watermark(county_officer: Any) -> None:
    from safetynet.monitoring.alerts.services import alerts_export

    content, count = alerts_export(actor=county_officer, fmt="csv")
    last = content.decode("utf-8-sig").rstrip().splitlines()[-1]
    assert count == 0
    assert last.startswith(WATERMARK_PREFIX) and county_officer.username in last


def test_without_an_account_the_console_is_named() -> None:
    assert watermark().startswith(f"{WATERMARK_PREFIX}控制台")
