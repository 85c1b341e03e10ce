from __future__ import annotations

import hashlib
import io
import json
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.http import Http404

from safetynet.audit.models import Action, AuditRecord
from safetynet.determination.documents import archive
from safetynet.determination.tests.notice_cases import AUTHORISATION, decided_case
from safetynet.documents.tests.pdf_text import pdf_flat_text

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def case(make_household: Any, jinshui_officer: Any, county_officer: Any) -> Any:
    household = make_household(jinshui_officer, head_name="张建国", wages=Decimal("500.00"))
    return decided_case(officer=jinshui_officer, county=county_officer, household=household)


@pytest.fixture
def payload(jinshui_officer: Any, case: Any) -> bytes:
    return archive.case_archive(user=jinshui_officer, application=case)


def _entries(payload: bytes) -> dict[str, bytes]:
    with zipfile.ZipFile(io.BytesIO(payload)) as zipped:
        return {name: zipped.read(name) for name in zipped.namelist()}


def _rezip(entries: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as zipped:
        for name, data in entries.items():
            zipped.writestr(name, data)
    return buffer.getvalue()


def _manifest(payload: bytes) -> dict[str, Any]:
    return json.loads(_entries(payload)[archive.MANIFEST])


def _attachment_path(entries: dict[str, bytes]) -> str:
    return next(name for name in entries if name.startswith("attachments/"))


def test_archive_holds_index_notices_attachments_timeline_and_signed_manifest(
    payload: bytes,
) -> None:
    names = set(_entries(payload))
    assert {"index.pdf", "timeline.json", "manifest.json", "manifest.sig"} <= names
    assert {"notices/01-社会救助申请受理回执.pdf", "notices/02-认定决定通知书.pdf"} <= names
    assert "attachments/01-核对授权书-核对授权书.pdf" in names


def test_attachment_is_packed_byte_for_byte_with_its_recorded_sha256(
    payload: bytes, case: Any
) -> None:
    entries = _entries(payload)
    recorded = case.attachments.get().sha256
    assert entries[_attachment_path(entries)] == AUTHORISATION
    listed = {f["path"]: f["sha256"] for f in _manifest(payload)["files"]}
    assert listed[_attachment_path(entries)] == recorded


def test_manifest_lists_every_file_but_itself_with_size_and_sha256(payload: bytes) -> None:
    entries = _entries(payload)
    files = _manifest(payload)["files"]
    assert {f["path"] for f in files} == set(entries) - {"manifest.json", "manifest.sig"}
    for f in files:
        assert f["size"] == len(entries[f["path"]])
        assert f["sha256"] == hashlib.sha256(entries[f["path"]]).hexdigest()


def test_index_pdf_lists_every_other_file_with_its_sha256(payload: bytes, case: Any) -> None:
    entries = _entries(payload)
    text = pdf_flat_text(entries["index.pdf"])
    assert "案件电子档案目录" in text
    assert case.number in text
    for f in _manifest(payload)["files"]:
        if f["path"] != "index.pdf":
            assert f["sha256"] in text


def test_index_pdf_shows_the_timeline(payload: bytes) -> None:
    text = pdf_flat_text(_entries(payload)["index.pdf"])
    assert "办理记录" in text
    assert "受理" in text
    assert "审核确认" in text


def test_fresh_archive_verifies_without_problems(payload: bytes) -> None:
    assert archive.archive_verify(payload) == []


def test_changed_file_is_reported_by_name(payload: bytes) -> None:
    entries = _entries(payload)
    path = _attachment_path(entries)
    entries[path] = entries[path].replace(b"signed", b"forged")
    problems = archive.archive_verify(_rezip(entries))
    assert [p.path for p in problems] == [path]
    assert "SHA-256" in problems[0].message


def test_missing_file_is_reported(payload: bytes) -> None:
    entries = _entries(payload)
    del entries["notices/02-认定决定通知书.pdf"]
    problems = archive.archive_verify(_rezip(entries))
    assert [(p.path, p.message) for p in problems] == [
        ("notices/02-认定决定通知书.pdf", "清单中列出的文件缺失")
    ]


def test_added_file_is_reported(payload: bytes) -> None:
    entries = _entries(payload)
    entries["attachments/99-补充.pdf"] = b"%PDF-1.4"
    problems = archive.archive_verify(_rezip(entries))
    assert [p.path for p in problems] == ["attachments/99-补充.pdf"]


def test_manifest_rewritten_to_match_a_changed_file_fails_the_signature(payload: bytes) -> None:
    entries = _entries(payload)
    path = _attachment_path(entries)
    entries[path] = b"%PDF-1.4 another document"
    manifest = json.loads(entries["manifest.json"])
    for f in manifest["files"]:
        if f["path"] == path:
            f["sha256"] = hashlib.sha256(entries[path]).hexdigest()
            f["size"] = len(entries[path])
    entries["manifest.json"] = json.dumps(manifest, ensure_ascii=False).encode()
    problems = archive.archive_verify(_rezip(entries))
    assert [p.path for p in problems] == ["manifest.sig"]


def test_archive_signed_by_another_installation_fails_the_signature(
    payload: bytes, settings: Any
) -> None:
    settings.SECRET_KEY = "another-installation-" + "x" * 40
    assert [p.path for p in archive.archive_verify(payload)] == ["manifest.sig"]


def test_archive_signed_before_a_key_rotation_still_verifies(payload: bytes, settings: Any) -> None:
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "rotated-" + "y" * 50
    assert archive.archive_verify(payload) == []


def test_file_that_is_not_a_zip_is_reported() -> None:
    problems = archive.archive_verify(b"%PDF-1.4 not an archive")
    assert [p.message for p in problems] == ["不是有效的 ZIP 文件，或文件已损坏"]


def test_zip_without_manifest_is_reported() -> None:
    problems = archive.archive_verify(_rezip({"index.pdf": b"%PDF"}))
    assert [(p.path, p.message) for p in problems] == [("manifest.json", "缺少文件清单，无法核验")]


def test_export_refuses_an_attachment_changed_on_disk(jinshui_officer: Any, case: Any) -> None:
    attachment = case.attachments.get()
    Path(attachment.file.path).write_bytes(b"%PDF-1.4 swapped")
    with pytest.raises(archive.ArchiveError, match=r"核对授权书\.pdf.*SHA-256 校验值不一致"):
        archive.case_archive(user=jinshui_officer, application=case)


def test_export_refuses_a_missing_attachment_file(jinshui_officer: Any, case: Any) -> None:
    Path(case.attachments.get().file.path).unlink()
    with pytest.raises(archive.ArchiveError, match="文件缺失"):
        archive.case_archive(user=jinshui_officer, application=case)


def test_case_outside_scope_is_not_found(zhongyuan_officer: Any, case: Any) -> None:
    with pytest.raises(Http404):
        archive.case_archive(user=zhongyuan_officer, application=case)


def test_export_is_audited_with_the_manifest_hash(payload: bytes, case: Any) -> None:
    record = AuditRecord.objects.filter(action=Action.EXPORT).latest("id")
    manifest = _entries(payload)["manifest.json"]
    assert record.object_id == str(case.pk)
    assert record.detail["manifest_sha256"] == hashlib.sha256(manifest).hexdigest()
    assert "导出案件电子档案" in record.summary


# --- console ----------------------------------------------------------------------------------


def test_command_exports_the_archive_and_prints_one_line(
    jinshui_officer: Any, case: Any, tmp_path: Path, capsys: Any
) -> None:
    out = tmp_path / "档案.zip"
    call_command("case_archive", case.number, "--out", str(out), "--as", "jinshui")
    line = capsys.readouterr().out.strip()
    assert line.startswith(f"archive={out} case={case.number} files=")
    assert archive.archive_verify(out.read_bytes()) == []
    manifest = _entries(out.read_bytes())["manifest.json"]
    assert line.endswith(f"manifest_sha256={hashlib.sha256(manifest).hexdigest()}")


def test_command_outside_scope_says_not_found(
    zhongyuan_officer: Any, case: Any, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="不在您的管辖范围内"):
        call_command(
            "case_archive", str(case.pk), "--out", str(tmp_path / "a.zip"), "--as", "zhongyuan"
        )


def test_command_verifies_an_intact_archive(
    payload: bytes, case: Any, tmp_path: Path, capsys: Any
) -> None:
    path = tmp_path / "a.zip"
    path.write_bytes(payload)
    call_command("case_archive", "--verify", str(path))
    files = len(_manifest(payload)["files"])
    assert capsys.readouterr().out.strip() == f"ok case={case.number} files={files}"


def test_command_reports_each_problem_and_exits_1(
    payload: bytes, tmp_path: Path, capsys: Any
) -> None:
    entries = _entries(payload)
    size = len(entries["timeline.json"])
    entries["timeline.json"] = b"[]"
    path = tmp_path / "a.zip"
    path.write_bytes(_rezip(entries))
    with pytest.raises(SystemExit) as exit_info:
        call_command("case_archive", "--verify", str(path))
    assert exit_info.value.code == 1
    assert capsys.readouterr().out.splitlines() == [
        f"problem timeline.json: 文件大小 2 字节，与清单记载的 {size} 字节不一致",
        "problems=1",
    ]


def test_command_rejects_a_malformed_case_number(jinshui_officer: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="案件“abc”无效"):
        call_command("case_archive", "abc", "--out", str(tmp_path / "a.zip"), "--as", "jinshui")
