"""Direct inclusion (issue 4, 二): a dibao register of 300 households, imported in one step.

Measures ``inclusion.registers_include`` end to end (read and validate the file, create the
households, include each one: case, decision, category, first periodic check, timeline events,
audit) with its query count. Every run imports the same register into an empty registry inside a
transaction that is rolled back, so runs are alike. The register's identification dates lie
between 2021-07 and 2025-12, so that the run also works on code that needs time limits in force
on the identification date.
"""

from __future__ import annotations

import datetime as dt
import os
import statistics
import time
from typing import Any

HOUSEHOLDS = int(os.environ.get("BENCH_INCLUSION_HOUSEHOLDS", "300"))
RUNS = int(os.environ.get("BENCH_INCLUSION_RUNS", "3"))


class _Rollback(Exception):
    pass


def _register(village_codes: list[str]) -> bytes:
    import io

    from openpyxl import Workbook

    from safetynet.registry.identity import build_id_number

    headers = ["户主身份证号", "区划代码", "姓名", "身份证号", "与户主关系", "劳动能力", "纳入日期"]
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.append(headers)
    for i in range(HOUSEHOLDS):
        head = build_id_number(
            address_code="410105",
            birth_date=dt.date(1950 + i % 40, 1 + i % 12, 1 + i % 28),
            sequence=2 * (i // 480) + 1,
            male=True,
        )
        spouse = build_id_number(
            address_code="410105",
            birth_date=dt.date(1951 + i % 40, 1 + i % 12, 1 + i % 28),
            sequence=2 * (i // 480) + 2,
            male=False,
        )
        day = dt.date(2021, 7, 1) + dt.timedelta(days=(i * 5) % 1600)
        village = village_codes[i % len(village_codes)]
        sheet.append([head, village, f"户主{i}", head, "户主", "无劳动能力", day.isoformat()])
        sheet.append([head, village, f"配偶{i}", spouse, "配偶", "无劳动能力", ""])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _officer() -> tuple[Any, list[str]]:
    from safetynet.accounts.models import User
    from safetynet.accounts.roles import Role
    from safetynet.regions.models import Level, Region

    township = (
        Region.objects.filter(code__startswith="410105", level=Level.TOWNSHIP)
        .order_by("code")
        .first()
    )
    assert township is not None
    villages = list(
        Region.objects.filter(code__startswith=township.prefix, level=Level.VILLAGE)
        .order_by("code")
        .values_list("code", flat=True)
    )
    officer, _ = User.objects.get_or_create(
        username="bench_inclusion_township",
        defaults={"role": Role.TOWNSHIP_OFFICER, "scope_region": township},
    )
    return officer, villages


def main() -> None:
    from django.db import connection, transaction

    from safetynet.determination import inclusion

    officer, villages = _officer()
    content = _register(villages)
    times: list[float] = []
    queries = 0
    counted = [0]

    def count(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        counted[0] += 1
        return execute(sql, params, many, context)

    for _ in range(RUNS):
        counted[0] = 0
        try:
            with transaction.atomic(), connection.execute_wrapper(count):
                started = time.perf_counter()
                result = inclusion.registers_include(
                    actor=officer, kind="dibao", content=content, file_name="低保名册.xlsx"
                )
                times.append(time.perf_counter() - started)
                if not result.ok:
                    first = result.problems[0]
                    raise SystemExit(f"register refused: {first.row} {first.column} {first.reason}")
                assert len(result.included) == HOUSEHOLDS, len(result.included)
                queries = counted[0]
                raise _Rollback
        except _Rollback:
            pass
    median = statistics.median(times)
    print(
        f"include {HOUSEHOLDS} dibao households (new, 2 members each): median {median:.2f} s "
        f"of {RUNS} runs, {queries} queries ({queries / HOUSEHOLDS:.1f} per household)",
        flush=True,
    )
