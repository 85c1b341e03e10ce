"""Sample files of the upload page (issue 11): for each source a workbook with its columns in
the order departments send them, one example row (marked 示例, no real person's number) and a
sheet explaining each column. Downloading one is on the audit trail like every download."""

from __future__ import annotations

import io
from typing import Any

from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.feeds.catalogue import ColumnKind, ColumnSpec, SourceSpec
from safetynet.spreadsheets import Workbook

ID_PLACEHOLDER = "（填写18位身份证号）"


def _example(column: ColumnSpec, region_code: str) -> Any:
    kind = column.kind
    if kind == ColumnKind.ID_NUMBER:
        return ID_PLACEHOLDER
    if kind == ColumnKind.DATE:
        return "2026-01-15"
    if kind == ColumnKind.MONTH:
        return "2026-01"
    if kind == ColumnKind.DECIMAL:
        return "85.50" if column.unit else "1200.00"
    if kind == ColumnKind.INTEGER:
        return column.min_value if column.min_value is not None else 1
    if kind == ColumnKind.CHOICE:
        first = next(iter(column.choices), "")
        return column.choice_label(first) if first else ""
    if kind == ColumnKind.REGION_CODE:
        return region_code
    return "示例"


def sample_workbook(spec: SourceSpec, *, region_code: str = "410000000000") -> bytes:
    workbook = Workbook()
    sheet = workbook.worksheets[0]
    sheet.title = "数据"
    sheet.append([column.label for column in spec.columns])
    sheet.append([_example(column, region_code) for column in spec.columns])
    notes = workbook.create_sheet("填写说明")
    notes.append(["列名", "类型", "是否必填", "部门文件中可用的其他列名", "可选值"])
    for column in spec.columns:
        notes.append(
            [
                column.label,
                column.kind_label,
                "必填" if column.required else "选填",
                "、".join(column.aliases),
                "、".join(column.choice_label(value) for value in column.choices),
            ]
        )
    notes.append([])
    notes.append(
        [
            f"“数据”表第 2 行为示例，上传前请删除并按此格式填写。身份证号请设置为文本格式，"
            f"以免 Excel 转成科学计数法。{spec.description}"
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def sample_downloaded(*, actor: Any, spec: SourceSpec, client: Client | None) -> None:
    audit_record(
        actor=actor,
        action=Action.EXPORT,
        object_type="source_definition",
        object_id=spec.code,
        region_code=getattr(actor, "scope_region_id", "") or "",
        summary=f"下载{spec.name}示例文件",
        client=client,
    )
