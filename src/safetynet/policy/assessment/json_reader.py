"""The checking reader under the JSON format of `safetynet classify`: each value read by its
JSON path ("members[1].id_number"), every problem kept with a Chinese reason rather than the
first raised, so that the person who wrote the file can fix it in one pass."""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from decimal import Decimal, InvalidOperation
from typing import Any

from safetynet.policy.common import (
    ZERO,
)

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
# DECIMAL(18,2) in the set-based engine: 16 digits before the point.
_MONEY_MAX = Decimal("1e16")


@dataclasses.dataclass(frozen=True)
class Problem:
    path: str
    reason: str

    def __str__(self) -> str:
        return f"{self.path}: {self.reason}"


class FactsError(ValueError):
    """Every problem of one input, each with its JSON path and a Chinese reason."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(p) for p in problems))
        self.problems = problems


class Reader:
    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def fail(self, path: str, reason: str) -> None:
        self.problems.append(Problem(path, reason))

    def obj(self, value: Any, path: str, keys: frozenset[str] | tuple[str, ...]) -> dict[str, Any]:
        """A JSON object (null or absent reads as empty), unknown keys reported."""
        if value is None:
            return {}
        if not isinstance(value, dict):
            self.fail(path, "应为对象（{…}）")
            return {}
        for key in value:
            if key not in keys:
                self.fail(f"{path}.{key}" if path else key, "未知字段")
        return value

    def array(self, value: Any, path: str) -> list[Any]:
        if value is None:
            return []
        if not isinstance(value, list):
            self.fail(path, "应为数组（[…]）")
            return []
        return value

    def decimal(self, value: Any, path: str, *, places: int, what: str) -> Decimal | None:
        if isinstance(value, bool) or not isinstance(value, int | float | str):
            self.fail(path, f"应为{what}（数字），实际为 {json_type(value)}")
            return None
        try:
            # Through str so that 480.1 reads as 480.1, not as its binary approximation.
            amount = Decimal(str(value).strip())
        except InvalidOperation:
            self.fail(path, f"“{value}”不是数字")
            return None
        if not amount.is_finite():
            self.fail(path, f"“{value}”不是有限的数字")
            return None
        if amount < 0:
            self.fail(path, f"不能为负数（{value}）")
            return None
        if amount >= _MONEY_MAX:
            self.fail(path, f"数值过大（{value}）")
            return None
        exponent = amount.as_tuple().exponent
        if isinstance(exponent, int) and -exponent > places:
            self.fail(path, f"最多 {places} 位小数（{value}）")
            return None
        return amount

    def money(self, value: Any, path: str, *, default: Decimal = ZERO) -> Decimal:
        if value is None:
            return default
        amount = self.decimal(value, path, places=2, what="金额")
        return default if amount is None else amount

    def count(self, value: Any, path: str) -> int:
        if value is None:
            return 0
        if isinstance(value, bool) or not isinstance(value, int):
            self.fail(path, f"应为非负整数，实际为 {json_type(value)}")
            return 0
        if value < 0:
            self.fail(path, f"不能为负数（{value}）")
            return 0
        return value

    def flag(self, value: Any, path: str) -> bool:
        if value is None:
            return False
        if not isinstance(value, bool):
            self.fail(path, f"应为 true 或 false，实际为 {json_type(value)}")
            return False
        return value

    def date(self, value: Any, path: str) -> dt.date | None:
        if value is None or value == "":
            return None
        if not isinstance(value, str) or not DATE_PATTERN.match(value):
            self.fail(path, f"日期应写成 YYYY-MM-DD，实际为 {value!r}")
            return None
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            self.fail(path, f"“{value}”不是有效日期")
            return None

    def text(self, value: Any, path: str) -> str:
        if value is None:
            return ""
        if not isinstance(value, str):
            self.fail(path, "应为字符串")
            return ""
        return value.strip()

    def choice(self, value: Any, path: str, choices: Any, *, default: str = "") -> str:
        if value is None or value == "":
            return default
        allowed = [str(member.value) for member in choices]
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"“{value}”不是可选值（可选：{'、'.join(allowed)}）")
            return default
        return value


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "布尔值"
    if isinstance(value, int | float):
        return "数字"
    if isinstance(value, str):
        return "字符串"
    if isinstance(value, list):
        return "数组"
    return "对象"
