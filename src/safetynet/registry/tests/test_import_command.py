"""`safetynet import-households`: the console script maps the name to the `import_households`
command, which runs here through call_command so that it stays inside the test transaction
(a command run from argv closes every database connection when it ends)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core import management
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from conftest import first_below
from safetynet.cli import main
from safetynet.regions.models import Level, Region
from safetynet.registry.models import Household
from safetynet.registry.tests.import_files import (
    csv_bytes,
    family,
    many_id_numbers,
    table,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(jinshui_township: Region) -> Region:
    return first_below(jinshui_township.code, Level.VILLAGE)


@pytest.fixture
def good_file(tmp_path: Path, village: Region) -> Path:
    path = tmp_path / "households.csv"
    path.write_bytes(csv_bytes(table(family(village.code) + family(village.code))))
    return path


@pytest.fixture
def bad_file(tmp_path: Path, village: Region) -> Path:
    people = family(village.code)
    people[1]["健康状况"] = "很好"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(table(people)))
    return path


def run(*args: str) -> tuple[int, list[str]]:
    """Exit status and stdout lines of `import_households ARGS`."""
    out = io.StringIO()
    try:
        call_command("import_households", *args, stdout=out)
        status = 0
    except SystemExit as exc:
        status = int(exc.code or 0)
    return status, out.getvalue().splitlines()


def test_console_script_maps_import_households_to_the_command(monkeypatch: Any) -> None:
    seen: list[list[str]] = []
    monkeypatch.setattr(management, "execute_from_command_line", seen.append)
    main(["import-households", "f.csv", "--as", "jinshui"])
    assert seen == [["safetynet", "import_households", "f.csv", "--as", "jinshui"]]


def test_valid_file_prints_created_and_exits_zero(jinshui_officer: Any, good_file: Path) -> None:
    status, lines = run(str(good_file), "--as", "jinshui")
    assert (status, lines[-1], Household.objects.count()) == (0, "created=2 unchanged=0", 2)


def test_reimport_prints_created_zero_and_writes_nothing(
    jinshui_officer: Any, good_file: Path
) -> None:
    run(str(good_file), "--as", "jinshui")
    status, lines = run(str(good_file), "--as", "jinshui")
    assert (status, lines[-1], Household.objects.count()) == (0, "created=0 unchanged=2", 2)


def test_acting_user_defaults_to_safetynet_user(
    monkeypatch: Any, jinshui_officer: Any, good_file: Path
) -> None:
    monkeypatch.setenv("SAFETYNET_USER", "jinshui")
    status, lines = run(str(good_file))
    assert (status, lines[-1]) == (0, "created=2 unchanged=0")


def test_missing_acting_user_fails_with_a_clear_message(monkeypatch: Any, good_file: Path) -> None:
    monkeypatch.delenv("SAFETYNET_USER", raising=False)
    with pytest.raises(CommandError, match="请用 --as 用户名 指定"):
        run(str(good_file))


def test_user_without_the_import_capability_is_refused(
    village_assistant: Any, good_file: Path
) -> None:
    with pytest.raises(CommandError, match="没有批量导入家庭的权限"):
        run(str(good_file), "--as", "village")
    assert Household.objects.count() == 0


def test_errors_print_problem_lines_and_report_path_and_exit_one(
    jinshui_officer: Any, bad_file: Path
) -> None:
    status, lines = run(str(bad_file), "--as", "jinshui")
    report = bad_file.with_name("bad.csv.errors.xlsx")
    assert status == 1
    assert lines == [
        "3\t健康状况\t很好\t健康状况应为：健康、慢性病、重特大疾病",
        f"errors=1 report={report}",
    ]
    assert Household.objects.count() == 0


def test_error_report_is_written_where_report_says(
    jinshui_officer: Any, bad_file: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out" / "report.xlsx"
    target.parent.mkdir()
    _, lines = run(str(bad_file), "--as", "jinshui", "--report", str(target))
    rows = list(load_workbook(io.BytesIO(target.read_bytes())).active.iter_rows(values_only=True))
    assert lines[-1] == f"errors=1 report={target}"
    assert rows[2] == (3, "健康状况", "很好", "健康状况应为：健康、慢性病、重特大疾病")


def test_only_the_first_20_problems_are_printed(
    jinshui_officer: Any, village: Region, tmp_path: Path
) -> None:
    people = [person for _ in range(15) for person in family(village.code)]
    for person in people:
        person["健康状况"] = "很好"
    path = tmp_path / "many.csv"
    path.write_bytes(csv_bytes(table(people)))
    _, lines = run(str(path), "--as", "jinshui")
    assert len(lines) == 21
    assert lines[-1].startswith("errors=30 report=")


def test_big_file_prints_progress_every_5000_rows(
    jinshui_officer: Any, village: Region, tmp_path: Path
) -> None:
    people = [
        {"户主身份证号": number, "区划代码": village.code, "姓名": "张三", "身份证号": number}
        | {"与户主关系": "户主", "健康状况": "很好"}
        for number in many_id_numbers(village.code[:6], 5001)
    ]
    path = tmp_path / "big.csv"
    path.write_bytes(csv_bytes(table(people)))
    _, lines = run(str(path), "--as", "jinshui")
    assert lines[0] == "已读取 5000 行"


def test_console_script_without_an_acting_user_exits_one_with_the_reason(good_file: Path) -> None:
    env = {k: v for k, v in os.environ.items() if k != "SAFETYNET_USER"}
    result = subprocess.run(
        [sys.executable, "-m", "safetynet.cli", "import-households", str(good_file)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert result.returncode == 1
    assert "请用 --as 用户名 指定以哪个用户的身份导入" in result.stderr
