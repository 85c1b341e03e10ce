"""The error bodies every API endpoint returns, and the translation of request-validation errors
into the same row/field/value/reason form the web forms and the Excel import use.

Kept apart from ``safetynet.api`` (which imports every app's router) so that the apps' routers can
import these schemas without an import cycle; it imports nothing from the apps.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from ninja import Field, Schema

from safetynet.masking import mask_ids_in_text


class ErrorOut(Schema):
    detail: str = Field(description="错误说明（中文）")


class ProblemOut(Schema):
    member: int | None = Field(
        None, description="出错的家庭成员在 members 数组中的序号（从 0 开始）；家庭级字段为空"
    )
    member_name: str = Field("", description="出错的家庭成员姓名（按提交内容）")
    field: str = Field(description="出错的字段，如 id_number、incomes.0.monthly_amount")
    value: str = Field("", description="提交的值；身份证号只显示前 3 位和后 4 位")
    reason: str = Field(description="错误原因（中文）")


class ValidationErrorOut(Schema):
    detail: str = Field(description="错误概述（中文）")
    errors: list[ProblemOut] = Field(description="逐项错误")


def mask_value(field: str, value: str) -> str:
    """Never echo a whole ID number back, not even the caller's own, whatever field it was in."""
    if field.rsplit(".", 1)[-1].endswith("id_number") and len(value) >= 8:
        return value[:3] + "*" * (len(value) - 7) + value[-4:]
    return mask_ids_in_text(value)


def _reason(error: dict[str, Any]) -> str:
    kind = str(error.get("type", ""))
    ctx = error.get("ctx") or {}
    if kind == "missing":
        return "缺少必填项"
    if kind == "extra_forbidden":
        return "不支持该字段"
    if kind in ("enum", "literal_error"):
        return f"取值无效，可选值：{ctx.get('expected', '')}"
    if kind in ("decimal_parsing", "decimal_type", "float_parsing", "float_type"):
        return "应为数字金额"
    if kind in ("decimal_max_places",):
        return f"最多 {ctx.get('decimal_places', 2)} 位小数"
    if kind in ("decimal_max_digits", "decimal_whole_digits"):
        return "数值过大"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return "应为整数"
    if kind in ("bool_parsing", "bool_type"):
        return "应为 true 或 false"
    if kind in ("string_type",):
        return "应为文本"
    if kind in ("list_type",):
        return "应为数组"
    if kind in ("dict_type", "model_type", "model_attributes_type"):
        return "应为对象"
    if kind in ("date_parsing", "date_from_datetime_parsing", "date_type"):
        return "日期格式应为 YYYY-MM-DD"
    if kind == "greater_than_equal":
        return f"不能小于 {ctx.get('ge')}"
    if kind == "greater_than":
        return f"必须大于 {ctx.get('gt')}"
    if kind == "less_than_equal":
        return f"不能大于 {ctx.get('le')}"
    if kind == "less_than":
        return f"必须小于 {ctx.get('lt')}"
    if kind == "string_too_long":
        return f"过长，最多 {ctx.get('max_length')} 个字符"
    if kind == "string_too_short":
        return "不能为空"
    if kind == "too_short":
        return f"至少需要 {ctx.get('min_length')} 项"
    if kind == "too_long":
        return f"最多 {ctx.get('max_length')} 项"
    if kind == "string_pattern_mismatch":
        return f"格式不正确，应符合 {ctx.get('pattern', '')}"
    if kind in ("value_error", "assertion_error"):
        # Our own validators raise ValueError with a Chinese message.
        return str(ctx.get("error", error.get("msg", "")))
    if kind == "json_invalid":
        return "请求体不是有效的 JSON"
    return "格式不正确"


SOURCES = ("body", "query", "path", "header", "cookie", "form")


def _at(source: Any, path: list[Any]) -> Any:
    """The value at ``path`` in parsed JSON (or a query dict); None where there is none."""
    for part in path:
        try:
            source = source[part]
        except (KeyError, IndexError, TypeError):
            return None
    return source


def problems_from_validation(
    errors: Iterable[dict[str, Any]], *, body: Any, query: dict[str, str]
) -> list[ProblemOut]:
    """ninja's validation errors (``loc`` such as ``["body", "payload", "members", 1, "name"]``)
    as problems. ``body`` is the parsed JSON request body and ``query`` the query string: ninja
    drops the offending input from its errors, so the value and the member's name are looked up
    there."""
    problems = []
    for error in errors:
        loc = list(error.get("loc", ()))
        origin = loc.pop(0) if loc and loc[0] in SOURCES else ""
        # A multipart request's form fields come as ``body`` too (see ``api._json_body``).
        source: Any = {"body": body, "form": body, "query": query}.get(origin)
        # In a body the next element names the operation's parameter (payload), not a field.
        if origin == "body" and len(loc) > 1 and isinstance(loc[0], str):
            loc = loc[1:]
        raw = _at(source, loc)
        value = "" if raw is None or isinstance(raw, dict | list) else str(raw)
        member: int | None = None
        member_name = ""
        if len(loc) >= 2 and loc[0] == "members" and isinstance(loc[1], int):
            member = loc[1]
            name = _at(source, ["members", member, "name"])
            member_name = name if isinstance(name, str) else ""
            loc = loc[2:]
        field = ".".join(str(part) for part in loc) or "members"
        problems.append(
            ProblemOut(
                member=member,
                member_name=member_name,
                field=field,
                value=mask_value(field, value[:200]),
                reason=_reason(error),
            )
        )
    return problems
