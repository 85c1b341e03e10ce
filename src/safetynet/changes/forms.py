from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from safetynet.changes.models import ChangeKind
from safetynet.changes.services import ChangeFacts
from safetynet.registry.choices import DisabilityType, IncomeKind, SchoolStage
from safetynet.registry.edit_forms import NON_HEAD_RELATIONS
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import Person

BLANK = [("", "请选择")]
DATE = forms.DateInput(attrs={"type": "date"})


class ChangeReportForm(forms.Form):
    """One form for every kind of change; the page shows the part each kind needs."""

    kind = forms.ChoiceField(label="变化事项", choices=[*BLANK, *ChangeKind.choices])
    occurred_on = forms.DateField(label="发生日期", widget=DATE)
    person = forms.TypedChoiceField(label="涉及成员", required=False, coerce=int, empty_value=None)
    new_head = forms.TypedChoiceField(
        label="新户主（户主死亡或迁出时）", required=False, coerce=int, empty_value=None
    )
    new_name = forms.CharField(label="新成员姓名", required=False, max_length=50)
    new_id_number = forms.CharField(label="新成员身份证号", required=False, max_length=40)
    new_relation = forms.ChoiceField(
        label="与户主关系", required=False, choices=[*BLANK, *NON_HEAD_RELATIONS]
    )
    income_kind = forms.ChoiceField(
        label="收入类型", required=False, choices=IncomeKind.choices, initial=IncomeKind.WAGES
    )
    monthly_income = forms.DecimalField(
        label="变化后的月收入（元）", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    disability_type = forms.ChoiceField(
        label="残疾类别", required=False, choices=[*BLANK, *DisabilityType.choices]
    )
    disability_grade = forms.TypedChoiceField(
        label="残疾等级",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[*BLANK, (1, "一级"), (2, "二级"), (3, "三级"), (4, "四级")],
    )
    illness_name = forms.CharField(label="所患疾病", required=False, max_length=100)
    school_stage = forms.ChoiceField(
        label="就读阶段",
        required=False,
        choices=[*BLANK, *[c for c in SchoolStage.choices if c[0] != SchoolStage.NONE]],
    )
    note = forms.CharField(
        label="情况说明",
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="如出生医学证明、死亡证明编号，迁往何处，受灾损失等。",
    )

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {p.pk: p for p in members}
        choices = [*BLANK, *[(p.pk, p.name) for p in members]]
        for name in ("person", "new_head"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.fields["occurred_on"].initial = timezone.localdate()

    def clean_occurred_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["occurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("发生日期不能晚于今天")
        return value

    def facts(self) -> ChangeFacts:
        data = self.cleaned_data
        new_member = None
        if data.get("new_name") or data.get("new_id_number"):
            new_member = MemberInput(
                id_number=data["new_id_number"],
                name=data["new_name"],
                relation=data.get("new_relation") or "",
            )
        return ChangeFacts(
            person=self.members.get(data.get("person")),  # type: ignore[arg-type]
            new_head=self.members.get(data.get("new_head")),  # type: ignore[arg-type]
            new_member=new_member,
            income_kind=data.get("income_kind") or IncomeKind.WAGES,
            monthly_income=data.get("monthly_income"),
            disability_type=data.get("disability_type") or "",
            disability_grade=data.get("disability_grade"),
            illness_name=data.get("illness_name") or "",
            school_stage=data.get("school_stage") or "",
        )


class ChangeFilterForm(forms.Form):
    kind = forms.ChoiceField(
        label="变化事项", required=False, choices=[("", "全部"), *ChangeKind.choices]
    )
    date_from = forms.DateField(label="报告日期自", required=False, widget=DATE)
    date_to = forms.DateField(label="至", required=False, widget=DATE)
