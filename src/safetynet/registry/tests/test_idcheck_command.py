from __future__ import annotations

import subprocess
import sys

VALID = "11010519491231002X"


def run(*ids: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "safetynet.cli", "idcheck", *ids],
        capture_output=True,
        text=True,
        check=False,
    )


def test_valid_id_prints_valid_and_exits_zero() -> None:
    result = run(VALID)
    assert (result.stdout, result.returncode) == (f"{VALID}\tvalid\n", 0)


def test_any_invalid_id_prints_reason_and_exits_one() -> None:
    result = run(VALID, "110105194912310021")
    lines = result.stdout.splitlines()
    assert lines[0] == f"{VALID}\tvalid"
    assert lines[1].startswith("110105194912310021\tinvalid\t身份证号校验码错误")
    assert result.returncode == 1
