"""The auditors' filter and the trail name every object type the platform writes."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safetynet.audit.object_types import OBJECT_TYPES, object_label
from safetynet.audit.services import audit_record

SRC = Path(__file__).resolve().parents[2]
WRITTEN = re.compile(r"""object_type\s*=\s*["']([a-z_]+)["']""")


def _types_written() -> set[str]:
    found: set[str] = set()
    for path in SRC.rglob("*.py"):
        if "tests" in path.parts or "migrations" in path.parts:
            continue
        found.update(WRITTEN.findall(path.read_text(encoding="utf-8")))
    return found


def test_every_object_type_written_has_a_chinese_name() -> None:
    written = _types_written()

    assert "household" in written  # the scan itself works
    assert written - set(OBJECT_TYPES) == set()


def test_objects_read_in_chinese() -> None:
    assert object_label("application", "4") == "认定申请 第 4 号"
    assert object_label("household_list", "") == "家庭清单"


@pytest.mark.django_db
def test_the_trail_shows_names_not_codes(client: Client, auditor: Any) -> None:
    auditor.real_name = "刘芳"
    auditor.post = "审计员"
    auditor.save()
    audit_record(
        actor=auditor, action="export", object_type="feed_batch", object_id=1, summary="导出"
    )
    client.force_login(auditor)

    html = client.get("/audit/").content.decode()

    assert "部门数据批次 第 1 号" in html
    assert "feed_batch" not in html.replace('value="feed_batch"', "")
    assert "刘芳（审计员）" in html
