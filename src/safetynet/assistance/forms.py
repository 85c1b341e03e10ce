from __future__ import annotations

from typing import Any

from django import forms

from safetynet.assistance import catalogue
from safetynet.core.dates import parse_date
from safetynet.core.uploads import UploadField

MAX_FEEDBACK_BYTES = 20 * 1024 * 1024


class IsoDateField(forms.CharField):
    """A date typed or picked (ISO), read by the one date parser."""

    widget = forms.DateInput(attrs={"type": "date"})

    def to_python(self, value: Any) -> Any:
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_date(text)
        except (ValueError, TypeError) as exc:
            raise forms.ValidationError("日期格式应为 年-月-日") from exc


class AnswerForm(forms.Form):
    given = forms.TypedChoiceField(
        label="办理结果",
        choices=[("1", "已给予救助帮扶"), ("0", "未予救助(说明理由)")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
        initial="1",
    )
    kind = forms.CharField(label="帮扶内容", max_length=200, required=False)
    amount = forms.DecimalField(
        label="金额(元)", max_digits=12, decimal_places=2, required=False, min_value=0
    )
    given_on = IsoDateField(label="实施日期", required=False)
    period_from = IsoDateField(label="期间起", required=False)
    period_to = IsoDateField(label="期间止", required=False)
    note = forms.CharField(label="说明或未予救助的理由", max_length=500, required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("given"):
            if not data.get("kind"):
                self.add_error("kind", "请填写帮扶内容")
            if not data.get("given_on"):
                self.add_error("given_on", "请填写实施日期")
        elif not data.get("note"):
            self.add_error("note", "请说明未予救助的理由")
        return data


class ProposeForm(forms.Form):
    circumstances = forms.MultipleChoiceField(
        label="困难情形",
        choices=catalogue.Circumstance.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )


class ReportForm(forms.Form):
    id_number = forms.CharField(label="受助人身份证号", max_length=20)
    item = forms.ChoiceField(label="帮扶项目", choices=())
    kind = forms.CharField(label="帮扶内容", max_length=200)
    amount = forms.DecimalField(
        label="金额(元)", max_digits=12, decimal_places=2, required=False, min_value=0
    )
    given_on = IsoDateField(label="实施日期")
    period_from = IsoDateField(label="期间起", required=False)
    period_to = IsoDateField(label="期间止", required=False)
    note = forms.CharField(label="说明", max_length=500, required=False)

    def __init__(self, *args: Any, department: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["item"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(i.code, i.name) for i in catalogue.items() if i.department == department]


class FeedbackImportForm(forms.Form):
    file = UploadField(
        label="反馈文件",
        max_bytes=MAX_FEEDBACK_BYTES,
        advice="请拆分为多个文件分别导入",
    )
