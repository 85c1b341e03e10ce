from __future__ import annotations

from typing import Any

from django import forms

from safetynet.monitoring.common import Severity
from safetynet.monitoring.indicators.labels import PARAM_LABELS, STAGE_LABELS, param_label

PREFIX = "param_"


class IndicatorVersionForm(forms.Form):
    """A new version of one indicator for the user's region from a date: one field per
    threshold of the indicator's rule, labelled in Chinese (学段 as check boxes)."""

    effective_from = forms.DateField(
        label="生效日期", widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    severity = forms.ChoiceField(label="预警等级", choices=Severity.choices)
    check_working_days = forms.IntegerField(label="核查时限(工作日)", min_value=1, max_value=120)
    active = forms.BooleanField(label="启用", required=False)

    def __init__(self, *args: Any, params: dict[str, Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.param_keys = list(params)
        for key, value in params.items():
            name = PREFIX + key
            if key == "stages":
                self.fields[name] = forms.MultipleChoiceField(
                    label=param_label(key),
                    choices=list(STAGE_LABELS.items()),
                    widget=forms.CheckboxSelectMultiple,
                    required=False,
                    initial=list(value or []),
                )
                continue
            unit = PARAM_LABELS.get(key, ("", ""))[1]
            label = param_label(key) + (f"（{unit}）" if unit else "")
            required = {"required": f"请填写{param_label(key)}"}
            if isinstance(value, int):
                self.fields[name] = forms.IntegerField(
                    label=label,
                    min_value=0,
                    initial=value,
                    error_messages={**required, "invalid": f"{param_label(key)}应为整数"},
                )
            else:
                self.fields[name] = forms.CharField(
                    label=label,
                    max_length=20,
                    initial=value,
                    help_text="填写比例，如 0.3 表示 30%" if key == "share" else "",
                    error_messages=required,
                )

    def params(self) -> dict[str, Any]:
        """The thresholds as the rule reads them (the service checks them)."""
        found: dict[str, Any] = {}
        for key in self.param_keys:
            value = self.cleaned_data.get(PREFIX + key)
            if key == "stages":
                found[key] = list(value or [])
            elif isinstance(value, int):
                found[key] = value
            else:
                found[key] = str(value).strip()
        return found
