"""Form of a new version of a region's time limits (办理时限).

It only parses the input: whether a number is allowed (positive, share within 0–1, the province
filling in everything) is the service's to say, so the web page and any other caller get the
same Chinese messages.
"""

from __future__ import annotations

import re
from typing import Any

from django import forms

from safetynet.determination.limits.selectors import Limits
from safetynet.determination.models import TimeLimits

_UNIT = re.compile(r"^(?P<label>.*?)\((?P<unit>[^()]*)\)$")
YES, NO = "yes", "no"


def limit_label(name: str) -> tuple[str, str]:
    """(label, unit) of a time-limit field, the unit taken from its verbose name's brackets."""
    verbose = str(getattr(TimeLimits._meta.get_field(name), "verbose_name", name))
    if name == "spot_check_share":
        return verbose, "%"
    match = _UNIT.match(verbose)
    if match is None:
        return verbose, ""
    unit = match["unit"]
    return match["label"], "日" if unit == "自然日" else unit


def limit_display(name: str, value: Any) -> str:
    """A value as the page shows it: the share as a percentage, the delegation as 是/否."""
    if value is None:
        return "—"
    if name == "spot_check_share":
        return f"{(value * 100).normalize():f}"
    if name == "confirmation_delegated":
        return "是" if value else "否"
    return str(value)


def _with_unit(name: str, value: Any) -> str:
    unit = limit_label(name)[1]
    shown = limit_display(name, value)
    if not unit:
        return shown
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}"


class TimeLimitsForm(forms.Form):
    effective_from = forms.DateField(
        label="生效日期",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "请填写生效日期", "invalid": "日期格式应为 YYYY-MM-DD"},
    )
    source = forms.CharField(
        label="依据(文件名称、文号)",
        required=False,
        max_length=300,
        error_messages={"max_length": "依据不能超过 300 个字"},
    )
    note = forms.CharField(
        label="说明",
        required=False,
        max_length=300,
        error_messages={"max_length": "说明不能超过 300 个字"},
    )

    def __init__(self, *args: Any, parent: Limits | None, **kwargs: Any) -> None:
        """``parent``: what a field left blank would inherit today (None for the province,
        which inherits nothing and must fill in every field)."""
        super().__init__(*args, **kwargs)
        for name in TimeLimits.FIELDS:
            label, unit = limit_label(name)
            field: forms.Field
            if name == "confirmation_delegated":
                above = (
                    f"继承上级（{limit_display(name, parent.confirmation_delegated)}）"
                    if parent
                    else "（请选择）"
                )
                field = forms.ChoiceField(
                    label=label,
                    required=False,
                    choices=[("", above), (YES, "是"), (NO, "否")],
                    error_messages={"invalid_choice": "请选择“是”或“否”"},
                )
            elif name == "spot_check_share":
                field = forms.DecimalField(
                    label=f"{label}(%)",
                    required=False,
                    max_digits=4,
                    decimal_places=1,
                    error_messages={
                        "invalid": "请填写百分数，如 30",
                        "max_digits": "请填写 0 到 100 之间的百分数，最多一位小数",
                        "max_decimal_places": "百分数最多一位小数",
                        "max_whole_digits": "请填写 0 到 100 之间的百分数",
                    },
                )
            else:
                field = forms.IntegerField(
                    label=f"{label}({unit})",
                    required=False,
                    error_messages={"invalid": f"{label}须为整数"},
                )
            if parent is not None and name != "confirmation_delegated":
                inherited = _with_unit(name, getattr(parent, name))
                field.widget.attrs["placeholder"] = f"继承 {inherited}"
            self.fields[name] = field

    def clean_spot_check_share(self) -> Any:
        # The service bounds the fraction; entered as a percentage, the bound is said so here.
        value = self.cleaned_data.get("spot_check_share")
        if value is not None and not 0 <= value <= 100:
            raise forms.ValidationError("请填写 0 到 100 之间的百分数")
        return value

    def limit_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in TimeLimits.FIELDS]

    def other_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in ("effective_from", "source", "note")]

    def values(self) -> dict[str, Any]:
        """The fields as the service takes them: None where left blank (inherited), the share
        as a fraction."""
        values: dict[str, Any] = {}
        for name in TimeLimits.FIELDS:
            value = self.cleaned_data.get(name)
            if value in (None, ""):
                values[name] = None
            elif name == "confirmation_delegated":
                values[name] = value == YES
            elif name == "spot_check_share":
                values[name] = value / 100
            else:
                values[name] = value
        return values


def initial_values(version: TimeLimits | None) -> dict[str, Any]:
    """The form's starting values: what the region's own version in force sets, so that a field
    it leaves to the levels above stays blank and keeps following them."""
    initial: dict[str, Any] = {}
    if version is None:
        return initial
    for name in TimeLimits.FIELDS:
        value = getattr(version, name)
        if value is None:
            continue
        if name == "confirmation_delegated":
            initial[name] = YES if value else NO
        elif name == "spot_check_share":
            initial[name] = (value * 100).normalize()
        else:
            initial[name] = value
    return initial
