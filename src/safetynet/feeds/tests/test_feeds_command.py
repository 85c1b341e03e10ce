"""`safetynet feeds import SOURCE FILE --period YYYY-MM [--accept-valid] [--report PATH]
[--as USER]` and `safetynet feeds sources`, run through call_command so that they stay inside
the test transaction: output lines and exit statuses exactly."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.core import management
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from safetynet.audit.models import AuditRecord
from safetynet.cli import main
from safetynet.feeds.models import BatchStatus, FeedBatch
from safetynet.feeds.tests.files import id_number, write_csv, wrong_check_digit

pytestmark = pytest.mark.django_db

HEADER = ["身份证号", "姓名", "死亡日期"]


@pytest.fixture(autouse=True)
def _march_2026() -> Any:
    with time_machine.travel(dt.datetime(2026, 3, 10, 9, tzinfo=dt.UTC), tick=False):
        yield


@pytest.fixture
def good_file(tmp_path: Path) -> Path:
    rows = [HEADER, [id_number(), "张三", "2026-02-01"], [id_number(), "李四", "2026-02-02"]]
    return write_csv(tmp_path / "火化名单.csv", [*rows, rows[1]])


@pytest.fixture
def bad_file(tmp_path: Path) -> Path:
    rows = [
        HEADER,
        [id_number(), "张三", "2026-02-01"],
        [wrong_check_digit(id_number()), "李四", "2026-02-02"],
        [id_number(), "王五", "2026-02-30"],
    ]
    return write_csv(tmp_path / "火化名单.csv", rows)


def run(*args: str) -> tuple[int, list[str], list[str]]:
    """Exit status, stdout lines and stderr lines of `feeds ARGS`."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("feeds", *args, stdout=out, stderr=err)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue().splitlines(), err.getvalue().splitlines()


def test_console_script_maps_feeds_to_the_command(monkeypatch: Any) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(management, "execute_from_command_line", seen.append)

    main(["feeds", "import", "deaths", "f.csv", "--period", "2026-02"])

    assert seen == [["safetynet", "feeds", "import", "deaths", "f.csv", "--period", "2026-02"]]


def test_a_clean_file_is_stored_and_the_last_line_counts_it(good_file: Path) -> None:
    status, out, _ = run("import", "deaths", str(good_file), "--period", "2026-02")

    batch = FeedBatch.objects.get()
    assert status == 0
    assert out[-1] == "accepted=2 rejected=0 duplicate=1"
    assert out[-2] == f"批次 #{batch.pk} 已入库：deaths/2026-02/{batch.pk}.parquet"
    assert not (good_file.parent / "火化名单.errors.xlsx").exists()


def test_progress_goes_to_stderr_a_line_per_stage(good_file: Path) -> None:
    _, out, err = run("import", "deaths", str(good_file), "--period", "2026-02")

    assert err == [
        "读取文件",
        "读取文件 3/3 行",
        "校验 0/3 行",
        "校验 3/3 行",
        "写入 0/3 行",
        "写入 3/3 行",
    ]
    assert not any(line.startswith(("读取", "校验", "写入")) for line in out)


def test_errors_without_accept_valid_store_nothing_and_exit_one(bad_file: Path) -> None:
    status, out, _ = run("import", "deaths", str(bad_file), "--period", "2026-02")

    report = bad_file.parent / "火化名单.errors.xlsx"
    batch = FeedBatch.objects.get()
    assert status == 1
    assert out[-1] == "accepted=1 rejected=2 duplicate=0"
    assert out[-2] == f"错误报告：{report}"
    assert out[-3] == (
        f"有 2 行错误，批次 #{batch.pk} 未入库；请修改后重新导入，或加 --accept-valid 只接收有效行"
    )
    assert batch.status == BatchStatus.REJECTED
    assert report.is_file()
    assert not list(Path(settings.FEEDS_DIR).rglob("*.parquet"))


def test_error_lines_give_row_column_masked_value_and_reason(bad_file: Path) -> None:
    _, out, _ = run("import", "deaths", str(bad_file), "--period", "2026-02")

    row3 = out[0].split("\t")
    assert row3[:2] == ["3", "身份证号"]
    assert "*" in row3[2]
    assert row3[3].startswith("身份证号校验码错误")
    assert out[1] == "4\t死亡日期\t2026-02-30\t日期不存在：2026-02-30"


def test_accept_valid_stores_the_valid_rows_quarantines_the_rest_and_exits_zero(
    bad_file: Path,
) -> None:
    status, out, _ = run("import", "deaths", str(bad_file), "--period", "2026-02", "--accept-valid")

    batch = FeedBatch.objects.get()
    assert status == 0
    assert out[-1] == "accepted=1 rejected=2 duplicate=0"
    assert out[-3] == (
        f"批次 #{batch.pk} 已入库：deaths/2026-02/{batch.pk}.parquet，"
        f"错误行已隔离：deaths/2026-02/{batch.pk}.quarantine.parquet"
    )
    assert (Path(settings.FEEDS_DIR) / batch.quarantine_path).is_file()


def test_the_report_goes_where_report_says(bad_file: Path, tmp_path: Path) -> None:
    report = tmp_path / "out" / "错误.xlsx"

    run("import", "deaths", str(bad_file), "--period", "2026-02", "--report", str(report))

    sheet = load_workbook(report).worksheets[0]
    assert [cell.value for cell in sheet[2]] == ["行号", "列", "值", "原因"]
    assert [sheet.cell(row=r, column=1).value for r in (3, 4)] == [3, 4]


def test_reimporting_the_same_file_changes_nothing_and_says_which_batch_holds_it(
    good_file: Path,
) -> None:
    run("import", "deaths", str(good_file), "--period", "2026-02")
    batch = FeedBatch.objects.get()

    status, out, _ = run("import", "deaths", str(good_file), "--period", "2026-02")

    assert status == 0
    assert out[-1] == "accepted=0 rejected=0 duplicate=3"
    assert (
        out[-2]
        == f"该文件已于 2026-03-10 17:00 导入为批次 #{batch.pk}（deaths 2026-02），本次未重复入库"
    )
    assert FeedBatch.objects.count() == 1


def test_the_acting_user_is_recorded(good_file: Path, county_officer: Any) -> None:
    run("import", "deaths", str(good_file), "--period", "2026-02", "--as", county_officer.username)

    batch = FeedBatch.objects.get()
    assert batch.imported_by == county_officer
    assert batch.channel == "cli"
    assert AuditRecord.objects.get(object_type="feed_batch").actor == county_officer


def test_without_as_the_system_account_imports(good_file: Path, monkeypatch: Any) -> None:
    monkeypatch.delenv("SAFETYNET_USER", raising=False)

    run("import", "deaths", str(good_file), "--period", "2026-02")

    assert FeedBatch.objects.get().imported_by.username == "system"


def test_a_user_without_the_capability_is_refused(good_file: Path, village_assistant: Any) -> None:
    with pytest.raises(CommandError, match="您没有“导入部门数据”的权限"):
        run(
            "import",
            "deaths",
            str(good_file),
            "--period",
            "2026-02",
            "--as",
            village_assistant.username,
        )


def test_a_missing_required_column_is_named(tmp_path: Path) -> None:
    path = write_csv(tmp_path / "d.csv", [["身份证号", "姓名"], [id_number(), "张三"]])

    with pytest.raises(CommandError, match="缺少必填列：死亡日期"):
        run("import", "deaths", str(path), "--period", "2026-02")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    with pytest.raises(CommandError, match="文件不存在"):
        run("import", "deaths", str(tmp_path / "none.csv"), "--period", "2026-02")


def test_sources_lists_the_catalogue() -> None:
    status, out, _ = run("sources")

    assert status == 0
    assert out[0] == "medical_claims\t医保结算"
    assert out[1].startswith(
        "  id_number\t身份证号\t身份证号\t必填\t也可写作：身份证号码、公民身份号码"
    )
    assert "deaths\t死亡/火化" in out
