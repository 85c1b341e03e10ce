"""Sources an administrator adds by describing their columns (``SourceDefinition``), one column
per line of text:

    字段名 | 中文列名 | 类型 | 必填/选填 | 其他列名（逗号分隔） | 可选值（值=别名,别名; …）

for example ``status | 登记状态 | choice | 必填 | 状态,经营状态 | active=存续,在营; closed=注销``.
The description is checked whole, and every problem names its line, before anything is saved.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.http import HttpRequest

from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.feeds.catalogue import (
    BUILTIN_SOURCES,
    DEPARTMENT_LABELS,
    ColumnKind,
    FeedImportError,
    spec_from_definition,
)
from safetynet.feeds.models import SourceDefinition

NAME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
CODE = re.compile(r"^[a-z][a-z0-9_]{1,39}$")
REQUIRED_WORDS = {
    "必填": True,
    "是": True,
    "required": True,
    "选填": False,
    "否": False,
    "optional": False,
}
# Written as the ID's keyed hash: the join key with the registry, so every source needs it.
ID_COLUMN = "id_number"
LINE_EXAMPLE = "字段名 | 中文列名 | 类型 | 必填/选填 | 其他列名 | 可选值"


class SourceDefinitionInvalid(Exception):
    def __init__(self, problems: list[str]) -> None:
        super().__init__("；".join(problems))
        self.problems = problems


@dataclass(frozen=True)
class SourceInput:
    code: str
    name: str
    department: str
    description: str
    keeps_name: bool
    columns_text: str


def _split(text: str, separators: str) -> list[str]:
    parts = re.split(f"[{re.escape(separators)}]", text)
    return [part.strip() for part in parts if part.strip()]


def _choices(text: str, line: int, problems: list[str]) -> dict[str, list[str]]:
    choices: dict[str, list[str]] = {}
    for item in _split(text, ";；"):
        value, _, aliases = item.partition("=")
        value = value.strip()
        if not NAME.match(value):
            problems.append(f"第 {line} 行：可选值“{value}”应由小写英文字母、数字和下划线组成")
            continue
        choices[value] = _split(aliases, ",，、") or [value]
    return choices


def columns_parse(text: str) -> tuple[list[dict[str, Any]], list[str]]:
    """The column lines as ``SourceDefinition.columns`` and the problems found, each naming its
    line (1-based, blank lines counted so that the number matches the text box)."""
    columns: list[dict[str, Any]] = []
    problems: list[str] = []
    headers: dict[str, str] = {}
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        cells = [cell.strip() for cell in raw.replace("｜", "|").split("|")]
        cells += [""] * (6 - len(cells))
        if len(cells) > 6:
            problems.append(f"第 {line} 行：最多 6 项（{LINE_EXAMPLE}），多了 {len(cells) - 6} 项")
            continue
        name, label, kind, required_word, aliases_text, choices_text = cells
        if not NAME.match(name):
            problems.append(
                f"第 {line} 行：字段名“{name}”应由小写英文字母开头，只含字母、数字和下划线"
            )
            continue
        if any(column["name"] == name for column in columns):
            problems.append(f"第 {line} 行：字段名 {name} 重复")
            continue
        kind = kind or ColumnKind.TEXT
        if kind not in ColumnKind.ALL:
            problems.append(f"第 {line} 行：类型“{kind}”不存在，应为：{'、'.join(ColumnKind.ALL)}")
            continue
        if required_word and required_word.lower() not in REQUIRED_WORDS:
            problems.append(f"第 {line} 行：第 4 项应为“必填”或“选填”，而不是“{required_word}”")
            continue
        choices = _choices(choices_text, line, problems)
        if kind == ColumnKind.CHOICE and not choices:
            problems.append(
                f"第 {line} 行：选项类型的字段须列出可选值，如 valid=有效,正常; revoked=注销"
            )
            continue
        if kind != ColumnKind.CHOICE and choices_text:
            problems.append(f"第 {line} 行：只有选项(choice)类型的字段可以列出可选值")
            continue
        label = label or name
        aliases = [alias for alias in _split(aliases_text, ",，、") if alias != label]
        for header in (label, *aliases, name):
            other = headers.setdefault(header, name)
            if other != name:
                problems.append(f"第 {line} 行：列名“{header}”已用于字段 {other}，会无法区分")
        columns.append(
            {
                "name": name,
                "label": label,
                "kind": kind,
                "required": REQUIRED_WORDS.get(required_word.lower(), True),
                "aliases": aliases,
                "choices": choices,
            }
        )
    if not columns and not problems:
        problems.append("请至少描述一个字段，每行一个")
    if columns and not any(
        c["name"] == ID_COLUMN and c["kind"] == ColumnKind.ID_NUMBER for c in columns
    ):
        problems.append(
            "须有一个字段名为 id_number、类型为 id_number 的身份证号字段（用于与家庭档案比对）"
        )
    return columns, problems


def columns_text(columns: list[dict[str, Any]]) -> str:
    """``SourceDefinition.columns`` back as the lines an administrator writes."""
    lines = []
    for column in columns:
        choices = "; ".join(
            f"{value}={','.join(aliases)}"
            for value, aliases in (column.get("choices") or {}).items()
        )
        cells = [
            column["name"],
            column.get("label", ""),
            column.get("kind", ColumnKind.TEXT),
            "必填" if column.get("required", True) else "选填",
            ",".join(column.get("aliases") or []),
            choices,
        ]
        lines.append(" | ".join(cells).rstrip(" |"))
    return "\n".join(lines)


def source_definition_create(
    *, actor: Any, data: SourceInput, request: HttpRequest | None = None
) -> SourceDefinition:
    """Add a source to the catalogue. Only an administrator may; the whole description is
    checked first and every problem reported."""
    if not allowed(actor, Capability.MANAGE_SOURCES):
        raise SourceDefinitionInvalid(["只有系统管理员可以新增数据源"])
    problems: list[str] = []
    code = data.code.strip()
    if not CODE.match(code):
        problems.append("数据源代码应由小写英文字母开头，只含字母、数字和下划线（2–40 位）")
    elif code in {spec.code for spec in BUILTIN_SOURCES}:
        problems.append(f"数据源代码 {code} 已被内置数据源使用")
    elif SourceDefinition.objects.filter(code=code).exists():
        problems.append(f"数据源代码 {code} 已存在")
    if not data.name.strip():
        problems.append("请填写数据源名称")
    if data.department not in DEPARTMENT_LABELS:
        problems.append("请选择提供部门")
    columns, column_problems = columns_parse(data.columns_text)
    problems += column_problems
    if problems:
        raise SourceDefinitionInvalid(problems)
    definition = SourceDefinition(
        code=code,
        name=data.name.strip(),
        department=data.department,
        description=data.description.strip(),
        columns=columns,
        keeps_name=data.keeps_name,
        created_by=actor,
    )
    try:
        spec_from_definition(definition)
    except FeedImportError as exc:
        raise SourceDefinitionInvalid([exc.message]) from exc
    with transaction.atomic():
        definition.save()
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="source_definition",
            object_id=definition.pk,
            summary=f"新增数据源 {definition.name}（{definition.code}），{len(columns)} 个字段",
            detail={"code": code, "columns": [c["name"] for c in columns]},
            request=request,
        )
    return definition
