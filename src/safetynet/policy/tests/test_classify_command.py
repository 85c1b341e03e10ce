"""`safetynet classify FILE.json`: JSON on stdout, every input problem on stderr, exit 1."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from safetynet.policy.tests.assessment_fixtures import jinshui_standards

pytestmark = pytest.mark.django_db
__all__ = ["jinshui_standards"]  # the fixture, imported to be found by pytest
HEAD_ID = "410225195001010014"  # born 1950-01-01
CHILD_ID = "410225201501010027"  # born 2015-01-01


def household(**changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "region": "410105",
        "date": "2026-06-30",
        "residence": "urban",
        "members": [
            {"id_number": HEAD_ID, "relation": "02", "income": {"wages": 700}},
            {"id_number": CHILD_ID, "relation": "20", "income": {"excluded": 200}},
        ],
        "supporters": [{"able_to_support": True}],
    }
    data.update(changes)
    return data


def run(tmp_path: Path, data: Any, *, raw: str | None = None) -> tuple[int, str, str]:
    path = tmp_path / "household.json"
    path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
    out, err = io.StringIO(), io.StringIO()
    code = 0
    try:
        call_command("classify", str(path), stdout=out, stderr=err)
    except SystemExit as exc:
        code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()


def test_prints_the_classification_as_indented_json(tmp_path: Path, jinshui_standards: Any) -> None:
    code, out, err = run(tmp_path, household())
    result = json.loads(out)
    assert (code, err) == (0, "")
    assert result["category"] == "dibao"
    assert result["members"] == [
        {"id_number": HEAD_ID, "category": "dibao"},
        {"id_number": CHILD_ID, "category": "dibao"},
    ]
    dibao = next(r for r in result["reasons"] if r["code"] == "dibao_income")
    assert dibao == {
        "code": "dibao_income",
        "met": True,
        "text": "家庭月人均收入 350.00 元 < 城市低保标准 560.00 元",
        "clause": "二(一)1",
        "figures": {
            "income_total": "700.00",
            "members": "2",
            "income_per_head": "350.00",
            "standard": "560.00",
            "limit_total": "1120.00",
        },
        "member": "",
    }
    # Chinese as itself, two-space indentation.
    assert "家庭月人均收入" in out
    assert out.startswith('{\n  "category": "dibao",\n  "members": [\n    {\n')


def test_configured_standards_carry_their_provenance(
    tmp_path: Path, jinshui_standards: Any
) -> None:
    _, out, _ = run(tmp_path, household())
    provenance = json.loads(out)["standards"]["provenance"]["dibao_monthly"]
    assert provenance.startswith("410105") and "金水区测试文件" in provenance


def test_overrides_replace_the_configured_standards(tmp_path: Path, jinshui_standards: Any) -> None:
    _, out, _ = run(tmp_path, household(standards={"dibao_monthly": "300.00"}))
    result = json.loads(out)
    assert result["category"] == "near_dibao"
    assert result["standards"]["dibao_monthly"] == "300.00"
    assert result["standards"]["provenance"]["dibao_monthly"] == "输入文件指定"


def test_reads_stdin_with_a_dash(jinshui_standards: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(json.dumps(household())))
    out = io.StringIO()
    call_command("classify", "-", stdout=out, stderr=io.StringIO())
    assert json.loads(out.getvalue())["category"] == "dibao"


def test_invalid_json_exits_1_with_the_position(tmp_path: Path) -> None:
    code, out, err = run(tmp_path, None, raw='{"region": "410105",\n "date": }')
    assert (code, out) == (1, "")
    assert err.startswith("输入不是有效的 JSON：第 2 行第 10 列")


def test_every_field_problem_goes_to_stderr(tmp_path: Path, jinshui_standards: Any) -> None:
    data = household(residence="city")
    data["members"][1]["id_number"] = "410225201501010023"
    code, out, err = run(tmp_path, data)
    assert (code, out) == (1, "")
    assert err.splitlines() == [
        "输入有 2 处错误：",
        "residence: “city”不是可选值（可选：urban、rural）",
        "members[1].id_number: 身份证号校验码错误：末位应为 7，实际为 3",
    ]


def test_missing_file_exits_1(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as caught:
        call_command("classify", str(tmp_path / "none.json"), stdout=out, stderr=err)
    assert caught.value.code == 1
    assert "无法读取文件" in err.getvalue()


def test_no_standards_configured_exits_1(tmp_path: Path) -> None:
    # No provincial standards are in force before the first shipped version (2018).
    code, out, err = run(tmp_path, household(date="2017-06-30"))
    assert (code, out) == (1, "")
    assert "standards.dibao_monthly" in err


def test_no_standards_configured_but_given_in_the_file(tmp_path: Path) -> None:
    code, out, _ = run(
        tmp_path, household(date="2017-06-30", standards={"dibao_monthly": "400.00"})
    )
    result = json.loads(out)
    assert code == 0
    assert result["standards"]["dibao_monthly"] == "400.00"
    assert result["category"] == "dibao"


def test_unknown_region_exits_1(tmp_path: Path) -> None:
    code, _, err = run(tmp_path, household(region="419999"))
    assert code == 1
    assert err.startswith("region: ")
