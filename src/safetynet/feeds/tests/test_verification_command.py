"""`safetynet verify ID_NUMBER --out report.pdf`: run through call_command so that it stays in the
test transaction; a failure raises CommandError, which the console turns into exit status 1."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.core.management import CommandError, call_command

from conftest import new_id_number
from safetynet.audit.models import AuditRecord
from safetynet.documents.tests.pdf_text import pdf_flat_text
from safetynet.feeds.models import VerificationReport
from safetynet.feeds.tests.verification_fixtures import other_verifier, verified_family

__all__ = ["other_verifier", "verified_family"]

ISSUED = dt.datetime(2026, 5, 6, 2, 0, tzinfo=dt.UTC)


def run(*args: str) -> list[str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("verify", *args, stdout=out, stderr=err)
    return out.getvalue().splitlines()


@time_machine.travel(ISSUED, tick=False)
def test_prints_report_number_differences_and_file(
    verified_family: Any, county_officer: Any, tmp_path: Path
) -> None:
    out = tmp_path / "report.pdf"
    lines = run(verified_family[1], "--out", str(out), "--as", "county", "--authorisation", "A-1")
    assert lines == [f"report=HC410105-20260506-0001 differences=1 out={out}"]


def test_writes_the_pdf_that_was_recorded(
    verified_family: Any, county_officer: Any, tmp_path: Path
) -> None:
    out = tmp_path / "reports" / "report.pdf"
    run(verified_family[2], "--out", str(out), "--as", "county", "--authorisation", "A-1")
    report = VerificationReport.objects.get()
    assert hashlib.sha256(out.read_bytes()).hexdigest() == report.pdf_sha256
    assert report.household == verified_family[0]


def test_acting_user_defaults_to_safetynet_user(
    verified_family: Any, county_officer: Any, tmp_path: Path, monkeypatch: Any
) -> None:
    monkeypatch.setenv("SAFETYNET_USER", "county")
    run(verified_family[1], "--out", str(tmp_path / "r.pdf"), "--authorisation", "A-1")
    assert VerificationReport.objects.get().created_by == county_officer


def test_issue_is_audited_as_a_console_action(
    verified_family: Any, county_officer: Any, tmp_path: Path
) -> None:
    run(
        verified_family[1],
        "--out",
        str(tmp_path / "r.pdf"),
        "--as",
        "county",
        "--authorisation",
        "A",
    )
    record = AuditRecord.objects.get(object_type="verification_report")
    assert (record.action, record.channel, record.actor) == ("create", "cli", county_officer)


def test_without_authorisation_the_report_says_none_was_given(
    verified_family: Any, county_officer: Any, tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    run(verified_family[1], "--out", str(out), "--as", "county")
    assert VerificationReport.objects.get().authorisation_reference == "未提供（控制台核对）"
    assert "未提供（控制台核对）" in pdf_flat_text(out.read_bytes())


def test_legal_aid_names_the_person_as_applicant(
    verified_family: Any, county_officer: Any, tmp_path: Path
) -> None:
    args = ["--out", str(tmp_path / "r.pdf"), "--as", "county", "--authorisation", "法援-7"]
    run(verified_family[2], "--purpose", "legal_aid", *args)
    report = VerificationReport.objects.get()
    assert (report.purpose, report.person.name) == ("legal_aid", "李秀英")


def test_invalid_id_number_is_refused_with_the_reason(tmp_path: Path) -> None:
    number = new_id_number("410105")
    wrong = number[:17] + ("0" if number[17] != "0" else "1")
    with pytest.raises(CommandError, match="身份证号无效：身份证号校验码错误"):
        run(wrong, "--out", str(tmp_path / "r.pdf"), "--as", "county")


def test_unknown_id_number_is_refused(county_officer: Any, tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="未找到该身份证号的人员"):
        run(new_id_number("410105"), "--out", str(tmp_path / "r.pdf"), "--as", "county")


def test_person_outside_the_users_scope_is_not_found(
    verified_family: Any, other_verifier: Any, tmp_path: Path
) -> None:
    out = tmp_path / "r.pdf"
    with pytest.raises(CommandError, match="未找到该身份证号的人员，或不在您的管辖范围内"):
        run(verified_family[1], "--out", str(out), "--as", "zy_verifier", "--authorisation", "A")
    assert not out.exists()
    assert not VerificationReport.objects.exists()


def test_user_without_the_capability_is_refused(
    verified_family: Any, jinshui_officer: Any, tmp_path: Path
) -> None:
    with pytest.raises(CommandError, match="没有出具家庭经济状况核对报告的权限"):
        run(verified_family[1], "--out", str(tmp_path / "r.pdf"), "--as", "jinshui")


def test_console_script_exits_one_on_an_invalid_id_number(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "safetynet.cli", "verify", "41010519700101001", "--out", "x.pdf"],
        capture_output=True,
        text=True,
        check=False,
        cwd=tmp_path,
    )
    assert result.returncode == 1
    assert "身份证号无效：身份证号应为 18 位，实际为 17 位" in result.stderr
