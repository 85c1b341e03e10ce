"""The catalogue's types (a column, a source, the import error) and the columns many sources
share (ID number, name, choices)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from safetynet.accounts.roles import Department
from safetynet.registry.choices import DisabilityType, SchoolStage


class FeedImportError(Exception):
    """A batch that cannot be imported at all (unknown source, bad period, unreadable or empty
    file, missing required columns), with a Chinese message the importer can act on."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class ColumnKind:
    ID_NUMBER = "id_number"
    TEXT = "text"
    DATE = "date"
    MONTH = "month"  # stored as "YYYY-MM"
    DECIMAL = "decimal"  # yuan, 2 decimal places
    INTEGER = "integer"
    CHOICE = "choice"  # a canonical value from a fixed list, with Chinese aliases
    REGION_CODE = "region_code"  # 12-digit NBS code

    ALL = ("id_number", "text", "date", "month", "decimal", "integer", "choice", "region_code")
    LABELS = {
        "id_number": "身份证号",
        "text": "文本",
        "date": "日期",
        "month": "年月",
        "decimal": "金额(元)",
        "integer": "整数",
        "choice": "选项",
        "region_code": "区划代码",
    }


@dataclass(frozen=True)
class ColumnSpec:
    name: str
    label: str
    kind: str
    required: bool = True
    aliases: tuple[str, ...] = ()
    # canonical value -> the Chinese (and other) spellings departments use for it; the first
    # alias is the label shown to users.
    choices: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    # Bounds for integer columns (e.g. a disability grade 1–4); None means unbounded.
    min_value: int | None = None
    max_value: int | None = None
    # A decimal column that is not money (an area): its unit, shown instead of 金额(元).
    unit: str = ""

    @property
    def kind_label(self) -> str:
        """What the catalogue page and the console show as the column's kind."""
        if self.unit:
            return f"数值({self.unit})"
        return ColumnKind.LABELS.get(self.kind, self.kind)

    @property
    def headers(self) -> tuple[str, ...]:
        """Every header that names this column: the label, the aliases and the English name."""
        return (self.label, *self.aliases, self.name)

    def choice_label(self, value: str) -> str:
        aliases = self.choices.get(value, ())
        return aliases[0] if aliases else value


@dataclass(frozen=True)
class SourceSpec:
    code: str
    name: str
    department: str
    description: str
    columns: tuple[ColumnSpec, ...]
    keeps_name: bool = False
    builtin: bool = True

    def column(self, name: str) -> ColumnSpec:
        for column in self.columns:
            if column.name == name:
                return column
        raise KeyError(name)

    @property
    def stored_columns(self) -> tuple[ColumnSpec, ...]:
        """The columns that reach Parquet: ``name`` only where the source needs it."""
        return tuple(c for c in self.columns if c.name != "name" or self.keeps_name)


# Built-in sources use ``accounts.roles.Department`` values, so that a department officer is
# matched to the sources their department hands in.
DEPARTMENT_LABELS: dict[str, str] = {str(value): str(label) for value, label in Department.choices}


# --- shared columns ------------------------------------------------------------------------------

ID_ALIASES = (
    "身份证号码",
    "公民身份号码",
    "证件号码",
    "身份证",
    "居民身份证号",
    "居民身份证号码",
    "公民身份证号",
    "公民身份证号码",
    "证件号",
    "身份证件号码",
    "社会保障号码",
    "社会保障号",
    "社保卡号",
)


def _id(
    name: str = "id_number", label: str = "身份证号", aliases: tuple[str, ...] = ID_ALIASES
) -> ColumnSpec:
    return ColumnSpec(name, label, ColumnKind.ID_NUMBER, aliases=aliases)


def _name(required: bool = True, aliases: tuple[str, ...] = ()) -> ColumnSpec:
    return ColumnSpec(
        "name",
        "姓名",
        ColumnKind.TEXT,
        required=required,
        aliases=("人员姓名", "户主姓名", "参保人姓名", "名字", *aliases),
    )


def _choices_of(text_choices: Any, **extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    mapping: dict[str, tuple[str, ...]] = {}
    for value, label in text_choices.choices:
        if value == "none":
            continue
        mapping[value] = (str(label), *extra.get(value, ()))
    return mapping


DISABILITY_CHOICES = {
    value: (*labels, labels[0].removesuffix("残疾"))
    for value, labels in _choices_of(DisabilityType).items()
}
DISABILITY_CHOICES["multiple"] = (*DISABILITY_CHOICES["multiple"], "多重")

SCHOOL_CHOICES = _choices_of(
    SchoolStage,
    preschool=("学前", "幼儿园", "学前班", "幼儿"),
    primary=("小学生",),
    junior=("初中生", "初级中学"),
    senior=("高中", "高中生", "普高"),
    vocational=("中专", "中等职业教育", "职高", "技校", "中职学校"),
    higher_vocational=("高职", "专科", "大专", "高职高专", "高等职业教育"),
    university=("本科", "大学", "研究生", "硕士", "博士", "大学本科"),
)
