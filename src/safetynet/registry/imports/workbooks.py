"""Workbooks: the row-by-row error report and the template, and error reports kept for download."""

from __future__ import annotations

import datetime as dt
import io
import re
import secrets
import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.conf import settings
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.registry import identity
from safetynet.registry.import_format import (
    ALLOWED_VALUES,
    COLUMNS,
    INCOME_COLUMNS,
)
from safetynet.registry.imports.common import (
    RowProblem,
)
from safetynet.registry.relations import RELATIONS
from safetynet.spreadsheets import Workbook

if TYPE_CHECKING:
    from safetynet.accounts.models import User


# --- workbooks: error report and template --------------------------------------------------------

_BOLD = Font(bold=True)


_HEAD_FILL = PatternFill("solid", fgColor="DDE6F0")


def error_report_workbook(*, file_name: str, problems: list[RowProblem]) -> bytes:
    """The full error report: the file name, then one line per problem (行号, 列, 值, 原因)."""
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "错误报告"
    sheet.append([f"导入文件：{file_name}", f"共 {len(problems)} 处错误，未导入任何数据"])
    sheet.append(["行号", "列", "值", "原因"])
    for cell in sheet[2]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    for problem in problems:
        sheet.append([problem.row, problem.column, problem.value, problem.reason])
        # Values are text: an ID number must not be turned into a number again.
        sheet.cell(row=sheet.max_row, column=3).number_format = "@"
    for letter, width in zip("ABCD", (8, 16, 24, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = "A3"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


TEMPLATE_ROWS = 1000


_AMOUNT_VALUES = "非负数，如 1,200.50 或 1200元"


_FREE_VALUES = {
    "head_id": "18 位身份证号",
    "id_number": "18 位身份证号",
    "region_code": "12 位数字",
    "relation": "户主、配偶、子、女、父亲、母亲、孙子、孙女、儿媳、女婿等，或其代码（如 02、10）",
    **{key: _AMOUNT_VALUES for key in INCOME_COLUMNS},
}


def _example_rows(village_code: str) -> list[list[str]]:
    county = village_code[:6]

    def number(born: dt.date, sequence: int, male: bool) -> str:
        return identity.build_id_number(
            address_code=county, birth_date=born, sequence=sequence, male=male
        )

    head = number(dt.date(1968, 3, 12), 31, True)
    household = {"head_id": head, "region_code": village_code, "address": "幸福路 12 号"}
    people: list[dict[str, str]] = [
        {
            "phone": "13800000000",
            "name": "张建国",
            "id_number": head,
            "relation": "户主",
            "health_status": "慢性病",
            "illness_name": "高血压",
            "labour_capacity": "部分丧失劳动能力",
            "income_wages": "1,200",
            "income_transfer": "300",
        },
        {
            "name": "李秀英",
            "id_number": number(dt.date(1970, 7, 5), 42, False),
            "relation": "配偶",
            "disability_type": "肢体残疾",
            "disability_grade": "二级",
            "labour_capacity": "无劳动能力",
            "income_transfer": "200",
        },
        {
            "name": "张小明",
            "id_number": number(dt.date(2008, 9, 1), 57, True),
            "relation": "子",
            "school_stage": "普通高中",
        },
    ]
    defaults = {"co_resident": "是", "health_status": "健康"}
    return [
        [{**defaults, **household, **person}.get(column.key, "") for column in COLUMNS]
        for person in people
    ]


def _header_sheet(sheet: Any) -> None:
    sheet.append([column.header for column in COLUMNS])
    for index, column in enumerate(COLUMNS, start=1):
        cell = sheet.cell(row=1, column=index)
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
        letter = cell.column_letter
        sheet.column_dimensions[letter].width = 22 if column.text else 14
    sheet.freeze_panes = "A2"


def template_downloaded(*, actor: Any, client: Client | None) -> None:
    """Even an empty template is a download: on the trail like every export (issue 11)."""
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="household_import",
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary="下载家庭批量导入空白模板",
        client=client,
    )


def template_workbook(*, example_village_code: str = "410105001003") -> bytes:
    """The import template: the data sheet with Chinese headers (ID and code columns formatted
    as text so Excel keeps every digit, drop-down lists for choice columns), the instructions,
    an example household on its own sheet, and the GB/T 4761 relation codes."""
    workbook = Workbook(watermark=False)  # filled in and uploaded again
    sheet = workbook.worksheets[0]
    sheet.title = "家庭成员"
    _header_sheet(sheet)
    for index, column in enumerate(COLUMNS, start=1):
        if column.text:
            for row in range(2, TEMPLATE_ROWS + 2):
                sheet.cell(row=row, column=index).number_format = "@"
        allowed = ALLOWED_VALUES.get(column.key)
        if allowed:
            letter = sheet.cell(row=1, column=index).column_letter
            validation = DataValidation(
                type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True
            )
            validation.error = f"请从下拉列表中选择{column.header}"
            validation.add(f"{letter}2:{letter}{TEMPLATE_ROWS + 1}")
            sheet.add_data_validation(validation)

    notes = workbook.create_sheet("填写说明")
    notes.append(["每人一行；同一户的各行填写相同的户主身份证号。整个文件校验通过后才会导入。"])
    notes.append(
        ["身份证号、区划代码、联系电话列已设为文本格式，请勿改为数值，以免 Excel 截断号码。"]
    )
    notes.append(["已登记的家庭再次导入时不会重复建档；如需修改已登记的家庭，请在系统中编辑。"])
    notes.append([])
    notes.append(["列名", "是否必填", "说明", "可填写的值"])
    for cell in notes[5]:
        cell.font = _BOLD
        cell.fill = _HEAD_FILL
    for column in COLUMNS:
        values = "、".join(ALLOWED_VALUES.get(column.key, [])) or _FREE_VALUES.get(column.key, "")
        notes.append([column.header, column.required, column.note, values])
    for letter, width in zip("ABCD", (16, 18, 60, 70), strict=True):
        notes.column_dimensions[letter].width = width

    example = workbook.create_sheet("填写示例")
    _header_sheet(example)
    for example_row in _example_rows(example_village_code):
        example.append(example_row)
    example.append([])
    example.append(["以上为示例数据，仅供参考，请在“家庭成员”表中填写实际数据。"])

    relations = workbook.create_sheet("关系代码")
    relations.append(["代码", "名称"])
    for cell in relations[1]:
        cell.font = _BOLD
    for code, name in RELATIONS:
        relations.append([code, name])
    relations.column_dimensions["B"].width = 36
    for line in range(2, len(RELATIONS) + 2):
        relations.cell(row=line, column=1).number_format = "@"

    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


# --- error reports kept for download -------------------------------------------------------------

REPORT_MAX_AGE = dt.timedelta(days=1)


_TOKEN = re.compile(r"[0-9a-f]{32}")


def _report_dir(user: User) -> Path:
    return Path(settings.MEDIA_ROOT) / "import-reports" / str(int(user.pk))


def report_save(*, user: User, content: bytes) -> str:
    """Keep an error report for its user under a random name; reports older than a day go.

    The folder is the user's own, so another user cannot fetch it even with the name."""
    folder = _report_dir(user)
    folder.mkdir(parents=True, exist_ok=True)
    cutoff = time.time() - REPORT_MAX_AGE.total_seconds()
    for old in folder.glob("*.xlsx"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.xlsx").write_bytes(content)
    return token


def report_path(*, user: User, token: str) -> Path | None:
    if not _TOKEN.fullmatch(token):
        return None
    path = _report_dir(user) / f"{token}.xlsx"
    return path if path.is_file() else None


def report_file_name(file_name: str) -> str:
    return f"{Path(file_name).name}.errors.xlsx"
