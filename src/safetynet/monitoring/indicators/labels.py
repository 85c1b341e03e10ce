"""What the thresholds of an indicator are called on screen: each parameter key of
``scan.rules.RULES`` with its Chinese label and unit, and a value shown as a person reads it
(学段 by name, a share as a percentage). The page walk fails on a key shown raw."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from safetynet.registry.choices import SchoolStage

# key → (label, unit)
PARAM_LABELS: dict[str, tuple[str, str]] = {
    "months": ("统计月数", "个月"),
    "out_of_pocket_12m": ("个人自付医疗费用超过", "元"),
    "assisted_inpatient_once": ("救助对象单次住院自付超过", "元"),
    "max_grade": ("残疾等级不高于", "级"),
    "intellectual_mental_max_grade": ("智力、精神残疾等级不高于", "级"),
    "min_age": ("年龄不低于", "周岁"),
    "max_age": ("年龄不高于", "周岁"),
    "loss_over": ("经济损失超过", "元"),
    "stages": ("学段", ""),
    "share": ("收入下降比例超过", ""),
    "baseline_months": ("比较的前期月数", "个月"),
    "value_over": ("车辆价值超过", "元"),
    "capital_from": ("注册资本不低于", "元"),
    "max_dwellings": ("住房套数超过", "套"),
    "multiplier": ("月收入超过低保标准的倍数", "倍"),
}
STAGE_LABELS = dict(SchoolStage.choices)


def param_label(key: str) -> str:
    return PARAM_LABELS.get(key, (key, ""))[0]


def param_value(key: str, value: Any) -> str:
    if key == "stages":
        return "、".join(str(STAGE_LABELS.get(v, v)) for v in value or ())
    if key == "share":
        try:
            return f"{(Decimal(str(value)) * 100).normalize():f}%"
        except InvalidOperation:
            return str(value)
    unit = PARAM_LABELS.get(key, ("", ""))[1]
    return f"{value} {unit}".strip()


def params_shown(params: dict[str, Any], examples: set[str]) -> list[tuple[str, str, bool]]:
    """(label, value, is_example) of each threshold, in the order the rule lists them."""
    return [
        (param_label(key), param_value(key, value), key in examples)
        for key, value in params.items()
    ]
