"""The import file format: columns and their Chinese headers (with the aliases users write),
reading .xlsx (python-calamine) and CSV (UTF-8, GBK or GB18030), and the normalisers that turn
one cell into a value or a Chinese reason: ID numbers, amounts, choices. No database access."""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from python_calamine import CalamineError, CalamineWorkbook, PasswordError

from safetynet import zipcheck
from safetynet.registry import identity
from safetynet.registry.choices import (
    DisabilityType,
    HealthStatus,
    IncomeKind,
    LabourCapacity,
    Residence,
    SchoolStage,
)

Cell = object
HEADER_SEARCH_ROWS = 30
# Sheets of our own template that never hold data.
NON_DATA_SHEETS = frozenset({"填写说明", "填写示例", "关系代码"})


# --- columns -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    aliases: tuple[str, ...] = ()
    required: str = ""  # how the value is required, as the instructions sheet says it
    note: str = ""
    text: bool = False  # formatted as text in the template so Excel keeps every digit


def _labels(choices: Any) -> list[str]:
    return [str(label) for label in choices.labels]


COLUMNS: list[Column] = [
    Column(
        "head_id",
        "户主身份证号",
        ("户主身份证号码", "户主公民身份号码", "户主证件号码", "户主身份证"),
        "必填",
        "同一户的每一行都填写户主的身份证号，据此把各行归为一户",
        text=True,
    ),
    Column(
        "region_code",
        "区划代码",
        ("行政区划代码", "村(居)区划代码", "村居区划代码", "所属村(居)区划代码", "村区划代码"),
        "户主所在行必填",
        "所属村(居)委会的 12 位统计用区划代码，须在您的管辖范围内；其他成员行可不填",
        text=True,
    ),
    Column(
        "residence",
        "城乡类别",
        ("城乡分类", "城乡属性"),
        "选填",
        "不填则按村(居)委会的城乡分类",
    ),
    Column("address", "家庭住址", ("家庭地址", "住址", "居住地址", "现住址"), "选填"),
    Column(
        "phone",
        "联系电话",
        ("电话", "手机号", "手机号码", "联系方式"),
        "选填",
        "本人联系电话；户主的电话同时作为家庭联系电话",
        text=True,
    ),
    Column("name", "姓名", ("成员姓名",), "必填"),
    Column(
        "id_number",
        "身份证号",
        ("身份证号码", "公民身份号码", "证件号码", "身份证", "成员身份证号", "成员身份证号码"),
        "必填",
        "18 位居民身份证号，末位 x 大小写均可；请保持该列为文本格式",
        text=True,
    ),
    Column(
        "relation",
        "与户主关系",
        ("与户主的关系", "家庭关系", "关系"),
        "必填",
        "GB/T 4761 家庭关系代码或名称，户主本人填“户主”；完整列表见“关系代码”表",
    ),
    Column("co_resident", "是否共同生活", ("共同生活", "是否共同生活成员"), "选填", "默认为是"),
    Column("disability_type", "残疾类别", ("残疾类型",), "选填"),
    Column(
        "disability_grade",
        "残疾等级",
        ("残疾级别",),
        "填写残疾类别时必填",
        "一级至四级，也可填 1–4",
    ),
    Column("health_status", "健康状况", ("健康状态",), "选填", "默认为健康"),
    Column("illness_name", "所患疾病", ("疾病名称", "患病名称"), "选填"),
    Column("labour_capacity", "劳动能力", ("劳动能力状况",), "选填", "默认为有劳动能力"),
    Column(
        "school_stage", "在学情况", ("就学情况", "在校情况", "在学状况"), "选填", "默认为未在学"
    ),
    Column(
        "income_wages",
        "工资性收入",
        ("工资收入",),
        "选填",
        "月收入，单位元；可带千分位逗号或“元”，不填为 0",
    ),
    Column(
        "income_business",
        "经营净收入",
        ("经营性收入", "经营收入", "经营性净收入"),
        "选填",
        "月收入，单位元",
    ),
    Column(
        "income_property",
        "财产净收入",
        ("财产性收入", "财产收入", "财产性净收入"),
        "选填",
        "月收入，单位元",
    ),
    Column(
        "income_transfer",
        "转移净收入",
        ("转移性收入", "转移收入", "转移性净收入"),
        "选填",
        "月收入，单位元",
    ),
    Column(
        "income_excluded",
        "不计入收入",
        ("不计入家庭收入", "不计入家庭收入的收入"),
        "选填",
        "按政策不计入家庭收入的款项（月额，单位元），登记备查",
    ),
]
COLUMN_BY_KEY = {column.key: column for column in COLUMNS}
COLUMN_ORDER = {column.key: index for index, column in enumerate(COLUMNS)}
REQUIRED_COLUMNS = ("head_id", "region_code", "name", "id_number", "relation")
INCOME_COLUMNS = {
    "income_wages": IncomeKind.WAGES,
    "income_business": IncomeKind.BUSINESS,
    "income_property": IncomeKind.PROPERTY,
    "income_transfer": IncomeKind.TRANSFER,
    "income_excluded": IncomeKind.EXCLUDED,
}
HOUSEHOLD_COLUMNS = ("region_code", "residence", "address")
ID_KEYS = frozenset({"head_id", "id_number"})


# --- text normalisation --------------------------------------------------------------------------

_HALF_WIDTH: dict[int, int | None] = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
_HALF_WIDTH.update({0x3000: 0x20, 0xA0: 0x20, 0x2002: 0x20, 0x2003: 0x20, 0x2009: 0x20})
_HALF_WIDTH.update({code: None for code in (0x200B, 0x200C, 0x200D, 0x2060, 0xFEFF)})
_CJK = "\u3400-\u9fff\uf900-\ufaff\U00020000-\U0003ffff"
_CJK_GAP = re.compile(f"(?<=[{_CJK}]) (?=[{_CJK}])")
_HEADER_NOTE = re.compile(r"(\([^()]*\)|\[[^\[\]]*\]|【[^【】]*】)$")


def clean_text(value: str) -> str:
    """Full-width ASCII to half-width, odd spaces to plain ones, runs of whitespace to one."""
    return " ".join(value.translate(_HALF_WIDTH).split())


def normalise_header(value: Cell) -> str:
    text = clean_text(str(value)).replace(" ", "").replace("*", "")
    while True:
        stripped = _HEADER_NOTE.sub("", text)
        if stripped == text or not stripped:
            return text
        text = stripped


_ALIASES: dict[str, str] = {}
for _column in COLUMNS:
    for _alias in (_column.header, *_column.aliases):
        _ALIASES[normalise_header(_alias)] = _column.key


def excel_number(value: float) -> str:
    """A number as Excel's General format shows it in a normal-width cell: 4.10102E+17."""
    if float(value).is_integer() and abs(value) < 1e11:
        return str(int(value))
    return f"{value:.6G}"


def cell_text(value: Cell) -> str:
    """A cell as the text the user typed. Whole numbers lose the ".0" a spreadsheet adds."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        if value.is_integer() and abs(value) < 1e15:
            return str(int(value))
        return format(Decimal(repr(value)), "f")
    if isinstance(value, dt.datetime | dt.date | dt.time):
        return value.isoformat()
    return clean_text(str(value))


class ImportValueError(ValueError):
    """A cell that cannot be read, with the Chinese reason."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


# --- amounts -------------------------------------------------------------------------------------

_AMOUNT = re.compile(r"(\d{1,3}(,\d{3})+|\d+)(\.\d+)?|\.\d+")
_AMOUNT_PREFIXES = ("¥", "￥", "RMB", "人民币")
_AMOUNT_SUFFIXES = ("元/月", "元每月", "元")
AMOUNT_LIMIT = Decimal("1000000000000")  # the model's 14 digits with 2 decimal places
CENT = Decimal("0.01")


def parse_amount(raw: Cell) -> Decimal | None:
    """A monthly amount in yuan, rounded to the fen; None for a blank cell.

    Accepts full-width digits, thousands separators (, or ，), stray spaces, a ¥ sign and a
    trailing 元. Amounts computed in Excel (an annual sum / 12) are rounded half up to 2 places.
    """
    if raw is None or raw == "":
        return None
    if isinstance(raw, bool):
        raise ImportValueError("金额应为数字")
    if isinstance(raw, int | float):
        if not math.isfinite(raw):
            raise ImportValueError("金额应为数字")
        value = Decimal(repr(raw))
    else:
        text = clean_text(str(raw)).replace(" ", "")
        for prefix in _AMOUNT_PREFIXES:
            text = text.removeprefix(prefix)
        for suffix in _AMOUNT_SUFFIXES:
            text = text.removesuffix(suffix)
        if text in ("", "无"):
            return None
        if text.startswith("-"):
            raise ImportValueError("金额不能为负数")
        if not _AMOUNT.fullmatch(text):
            raise ImportValueError("金额格式不正确，应为数字，如 1,234.50")
        try:
            value = Decimal(text.replace(",", ""))
        except InvalidOperation as exc:  # pragma: no cover - the pattern admits only numbers
            raise ImportValueError("金额格式不正确") from exc
    if value < 0:
        raise ImportValueError("金额不能为负数")
    value = value.quantize(CENT, rounding=ROUND_HALF_UP)
    if value >= AMOUNT_LIMIT:
        raise ImportValueError("金额过大")
    return value


# --- choices -------------------------------------------------------------------------------------


def _choice_map(choices: Any, **aliases: str) -> dict[str, str]:
    mapping = {str(label): value for value, label in choices.choices}
    mapping.update({value: value for value in choices.values})
    mapping.update({alias: choices(value).value for alias, value in aliases.items()})
    return mapping


RESIDENCE_MAP = _choice_map(Residence, 城镇="urban")
DISABILITY_MAP = _choice_map(
    DisabilityType,
    **{str(label).removesuffix("残疾"): value for value, label in DisabilityType.choices},
)
HEALTH_MAP = _choice_map(HealthStatus, 重病="serious", 大病="serious")
LABOUR_MAP = _choice_map(
    LabourCapacity,
    有="full",
    部分丧失="partial",
    无="none",
    丧失劳动能力="none",
    完全丧失劳动能力="none",
)
SCHOOL_MAP = _choice_map(
    SchoolStage,
    无="none",
    否="none",
    不在学="none",
    学龄前="preschool",
    幼儿园="preschool",
    高中="senior",
    中专="vocational",
    高职="higher_vocational",
    专科="higher_vocational",
    大专="higher_vocational",
    本科="university",
    大学="university",
    研究生="university",
)
YES_NO = {"是": True, "否": False, "Y": True, "N": False, "y": True, "n": False}
YES_NO.update({"1": True, "0": False, "TRUE": True, "FALSE": False, "True": True, "False": False})
GRADES = {str(n): n for n in range(1, 5)}
GRADES.update({f"{n}级": n for n in range(1, 5)})
GRADES.update({c: n for n, c in enumerate("一二三四", start=1)})
GRADES.update({f"{c}级": n for n, c in enumerate("一二三四", start=1)})
CHOICE_COLUMNS: dict[str, tuple[dict[str, str], list[str]]] = {
    "residence": (RESIDENCE_MAP, _labels(Residence)),
    "disability_type": (DISABILITY_MAP, _labels(DisabilityType)),
    "health_status": (HEALTH_MAP, _labels(HealthStatus)),
    "labour_capacity": (LABOUR_MAP, _labels(LabourCapacity)),
    "school_stage": (SCHOOL_MAP, _labels(SchoolStage)),
}
ALLOWED_VALUES: dict[str, list[str]] = {key: labels for key, (_, labels) in CHOICE_COLUMNS.items()}
ALLOWED_VALUES["co_resident"] = ["是", "否"]
ALLOWED_VALUES["disability_grade"] = ["一级", "二级", "三级", "四级"]


# --- reading files -------------------------------------------------------------------------------


def _decode_csv(content: bytes) -> str:
    if content.startswith((b"\xff\xfe", b"\xfe\xff")):
        return content.decode("utf-16")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise ImportValueError("无法识别文件编码，请另存为 UTF-8 或 GBK 编码的 CSV 文件")


def _read_csv(content: bytes) -> list[list[Cell]]:
    text = _decode_csv(content)
    first_line = text.split("\n", 1)[0]
    delimiter = "\t" if "\t" in first_line and "," not in first_line else ","
    try:
        return [list(row) for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise ImportValueError(f"CSV 文件格式有误：{exc}") from exc


def _read_workbook(content: bytes) -> list[list[list[Cell]]]:
    """Every data sheet, each as rows from spreadsheet row 1 (leading blank rows kept)."""
    try:
        zipcheck.zip_check(content, zipcheck.xlsx_limits(), what="Excel 文件")
    except zipcheck.UnsafeZip as exc:
        raise ImportValueError(exc.message) from exc
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(content))
        sheets: list[list[list[Cell]]] = []
        for name in workbook.sheet_names:
            if name.strip() in NON_DATA_SHEETS:
                continue
            rows = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            sheets.append([list(row) for row in rows])
        return sheets
    except PasswordError as exc:
        raise ImportValueError("文件设置了密码，请取消密码后再导入") from exc
    except CalamineError as exc:
        raise ImportValueError("无法读取 Excel 文件，文件可能已损坏") from exc


def alias_key(cell: Cell) -> str | None:
    """The column key a header cell names, or None for a column we do not import."""
    return _ALIASES.get(normalise_header(cell))


def _find_header(rows: list[list[Cell]]) -> int | None:
    for index, row in enumerate(rows[:HEADER_SEARCH_ROWS]):
        keys = {_ALIASES.get(normalise_header(cell)) for cell in row if cell not in (None, "")}
        if {"id_number", "name"} <= keys:
            return index
    return None


def read_rows(content: bytes, file_name: str) -> tuple[list[list[Cell]], int]:
    """The rows of the sheet holding the data, and the index of its header row."""
    if content.startswith(b"\xd0\xcf\x11\xe0"):
        raise ImportValueError("暂不支持 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入")
    if content.startswith(b"PK\x03\x04"):
        sheets = _read_workbook(content)
    elif file_name.lower().endswith((".xlsx", ".xlsm")):
        raise ImportValueError("文件扩展名为 .xlsx，但内容不是 Excel 文件")
    else:
        sheets = [_read_csv(content)]
    for rows in sheets:
        header = _find_header(rows)
        if header is not None:
            return rows, header
    raise ImportValueError("未找到表头行：表头须包含“姓名”和“身份证号”两列，请使用导入模板")


# --- parsing rows --------------------------------------------------------------------------------

_DECIMAL_ID = re.compile(r"\d{15,18}\.\d+")
_TRUNCATED_ID = re.compile(r"\d{15}000")


def parse_id_cell(value: Cell) -> str:
    """A normalised valid ID number, or ``ImportValueError``; damaged numbers are never guessed."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        raise ImportValueError(
            f"身份证号在 Excel 中被存成了数字（显示为 {excel_number(value)}），"
            "超过 15 位的数字会丢失末尾几位，原号码无法恢复；请将该列设为文本格式后重新录入"
        )
    text = cell_text(value).lstrip("'`")
    number = identity.normalise_id_number(text)
    if _DECIMAL_ID.fullmatch(number):
        raise ImportValueError(
            f"身份证号被存成了小数（{number}），号码可能已被改动；请将该列设为文本格式后重新录入"
        )
    try:
        return identity.parse_id_number(number).number
    except identity.InvalidIdNumber as exc:
        if _TRUNCATED_ID.fullmatch(number):
            raise ImportValueError(
                "身份证号末尾为 000 且校验不通过，疑似被 Excel 当作数字截断了末尾几位，"
                "原号码无法恢复；请将该列设为文本格式后重新录入"
            ) from exc
        raise ImportValueError(exc.reason) from exc


def parse_name(text: str) -> str:
    return _CJK_GAP.sub("", text)


def parse_grade(text: str) -> int | None:
    if not text:
        return None
    grade = GRADES.get(text.replace(" ", ""))
    if grade is None:
        raise ImportValueError("残疾等级应为一级至四级（或 1–4）")
    return grade


def parse_choice(key: str, text: str, default: str) -> str:
    if not text:
        return default
    mapping, labels = CHOICE_COLUMNS[key]
    value = mapping.get(text.replace(" ", ""))
    if value is None:
        raise ImportValueError(f"{COLUMN_BY_KEY[key].header}应为：{'、'.join(labels)}")
    return value
