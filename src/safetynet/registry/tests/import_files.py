"""Real import files for the import tests: rows keyed by the template's Chinese headers, written
as .xlsx with openpyxl or as CSV in a chosen encoding."""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook

from conftest import new_id_number
from safetynet.registry.identity import build_id_number
from safetynet.registry.import_format import COLUMNS

HEADERS = [column.header for column in COLUMNS]
Row = dict[str, object]


def family(
    village_code: str,
    *,
    head_name: str = "张三",
    spouse_name: str = "李四",
    wages: object = "1,200",
) -> list[Row]:
    """A head and a spouse in one village, with valid IDs born in that county."""
    county = village_code[:6]
    head = new_id_number(county)
    return [
        {
            "户主身份证号": head,
            "区划代码": village_code,
            "家庭住址": "幸福路 1 号",
            "联系电话": "13800000000",
            "姓名": head_name,
            "身份证号": head,
            "与户主关系": "户主",
            "健康状况": "慢性病",
            "所患疾病": "高血压",
            "工资性收入": wages,
            "转移净收入": "300",
        },
        {
            "户主身份证号": head,
            "姓名": spouse_name,
            "身份证号": new_id_number(county, male=False),
            "与户主关系": "配偶",
            "残疾类别": "肢体残疾",
            "残疾等级": "二级",
            "劳动能力": "无劳动能力",
        },
    ]


def many_id_numbers(county: str, count: int) -> list[str]:
    """``count`` distinct valid ID numbers born in ``county``."""
    start = dt.date(1940, 1, 1)
    return [
        build_id_number(
            address_code=county,
            birth_date=start + dt.timedelta(days=index // 500),
            sequence=index % 500,
            male=True,
        )
        for index in range(count)
    ]


def table(people: Iterable[Row], headers: Sequence[str] = HEADERS) -> list[list[object]]:
    return [list(headers), *[[person.get(h, "") for h in headers] for person in people]]


def xlsx_bytes(rows: list[list[object]], *, above: Sequence[Sequence[object]] = ()) -> bytes:
    """``above``: title lines written before the header row, as in many office spreadsheets."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "家庭成员"
    for line in [*above, *rows]:
        sheet.append(list(line))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(rows: list[list[object]], *, encoding: str = "utf-8-sig") -> bytes:
    buffer = io.StringIO(newline="")
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue().encode(encoding)
