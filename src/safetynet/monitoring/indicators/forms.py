from __future__ import annotations

import json
from typing import Any

from django import forms

from safetynet.monitoring.common import Severity


class IndicatorVersionForm(forms.Form):
    """A new version of one indicator for the user's region from a date."""

    effective_from = forms.DateField(
        label="生效日期", widget=forms.DateInput(attrs={"type": "date"})
    )
    params = forms.CharField(label="条件与阈值(JSON)", widget=forms.Textarea(attrs={"rows": 3}))
    severity = forms.ChoiceField(label="预警等级", choices=Severity.choices)
    check_working_days = forms.IntegerField(label="核查时限(工作日)", min_value=1, max_value=120)
    active = forms.BooleanField(label="启用", required=False)

    def clean_params(self) -> dict[str, Any]:
        try:
            value = json.loads(self.cleaned_data["params"])
        except json.JSONDecodeError as exc:
            raise forms.ValidationError(f"JSON 格式错误：{exc.msg}") from exc
        if not isinstance(value, dict):
            raise forms.ValidationError('应为 JSON 对象，如 {"out_of_pocket_12m": "8000"}')
        return value
