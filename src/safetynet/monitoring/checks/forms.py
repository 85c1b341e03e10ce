from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone

from safetynet.accounts.roles import Department
from safetynet.monitoring.checks.handoff import APPLICATION_TYPES
from safetynet.monitoring.common import Outcome


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=forms.DateInput(attrs={"type": "date"}))
    staff = forms.CharField(label="走访人员", help_text="多人以逗号或顿号分隔", max_length=200)
    findings = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 4}))
    outcome = forms.ChoiceField(label="核查结论", choices=Outcome.choices, widget=forms.RadioSelect)
    open_application = forms.BooleanField(label="家庭有意愿，发起救助申请", required=False)
    application_type = forms.ChoiceField(
        label="申请类型", choices=APPLICATION_TYPES, required=False
    )
    referral_department = forms.ChoiceField(
        label="转办部门", choices=[("", "按困难类型自动选择"), *Department.choices], required=False
    )
    termination_reason = forms.CharField(label="拟终止理由", required=False, max_length=300)
    special_summary = forms.CharField(
        label="提请一事一议的情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    data_wrong_reason = forms.CharField(label="数据错误说明", required=False, max_length=300)
    photos = forms.FileField(label="照片", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["visited_on"].initial = timezone.localdate()

    def staff_list(self) -> list[str]:
        raw = self.cleaned_data["staff"]
        for sep in ("，", "、", ";", "；"):
            raw = raw.replace(sep, ",")
        return [s.strip() for s in raw.split(",") if s.strip()]


class SurveyForm(forms.Form):
    per_township = forms.IntegerField(
        label="每乡镇抽取户数", min_value=1, max_value=1000, initial=5
    )
    seed = forms.IntegerField(label="随机种子", help_text="同一种子、同一批家庭抽出的样本相同")
    working_days = forms.IntegerField(
        label="走访时限(工作日)", min_value=1, max_value=60, initial=20
    )


class AssignForm(forms.Form):
    organisation: forms.ModelChoiceField[Any] = forms.ModelChoiceField(
        label="承接社会组织", queryset=None
    )

    def __init__(self, *args: Any, organisations: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = organisations  # type: ignore[attr-defined]
