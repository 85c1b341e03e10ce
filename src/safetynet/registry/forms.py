"""Forms of the registry pages. They parse input; the services validate and write."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from safetynet.registry.choices import (
    Category,
    DisabilityType,
    HealthStatus,
    IncomeKind,
    LabourCapacity,
    RelapseWatchType,
    Residence,
    SchoolStage,
)
from safetynet.registry.inputs import IncomeInput, MemberInput
from safetynet.registry.relations import RELATIONS

BLANK: list[tuple[str, Any]] = [("", "—")]


def money_field(label: str) -> forms.DecimalField:
    return forms.DecimalField(
        label=label, required=False, max_digits=14, decimal_places=2, min_value=Decimal(0)
    )


class HouseholdFilterForm(forms.Form):
    q = forms.CharField(
        label="查找",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名、拼音、首字母或身份证号"}),
    )
    region = forms.CharField(label="区划", required=False, widget=forms.HiddenInput)
    category = forms.ChoiceField(
        label="救助类别", required=False, choices=[*BLANK, *Category.choices]
    )
    relapse_watch = forms.ChoiceField(
        label="防返贫监测", required=False, choices=[*BLANK, *RelapseWatchType.choices]
    )


class HouseholdForm(forms.Form):
    region = forms.CharField(
        label="所属村(居)委会",
        widget=forms.HiddenInput,
        error_messages={"required": "请选择到村(居)委会一级"},
    )
    residence = forms.ChoiceField(
        label="城乡类别",
        required=False,
        choices=[("", "按村(居)委会自动判定"), *Residence.choices],
    )
    address = forms.CharField(label="家庭住址", required=False, max_length=200)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)


class MemberForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(label="身份证号", max_length=40)
    relation = forms.ChoiceField(label="与户主关系", choices=RELATIONS, initial="02")
    co_resident = forms.BooleanField(label="共同生活", required=False, initial=True)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    disability_type = forms.ChoiceField(
        label="残疾类别", required=False, choices=[*BLANK, *DisabilityType.choices]
    )
    disability_grade = forms.TypedChoiceField(
        label="残疾等级",
        required=False,
        coerce=int,
        empty_value=None,
        choices=[*BLANK, *[(i, f"{i} 级") for i in range(1, 5)]],
    )
    health_status = forms.ChoiceField(
        label="健康状况", choices=HealthStatus.choices, initial=HealthStatus.HEALTHY
    )
    illness_name = forms.CharField(label="所患疾病", required=False, max_length=100)
    labour_capacity = forms.ChoiceField(
        label="劳动能力", choices=LabourCapacity.choices, initial=LabourCapacity.FULL
    )
    school_stage = forms.ChoiceField(
        label="在学情况", choices=SchoolStage.choices, initial=SchoolStage.NONE
    )
    wages = money_field("工资性收入(元/月)")
    business = money_field("经营净收入(元/月)")
    property = money_field("财产净收入(元/月)")
    transfer = money_field("转移净收入(元/月)")
    excluded = money_field("不计入收入(元/月)")

    def to_input(self) -> MemberInput:
        data: dict[str, Any] = self.cleaned_data
        incomes = [
            IncomeInput(kind=kind, monthly_amount=data[kind])
            for kind in IncomeKind.values
            if data.get(kind)
        ]
        return MemberInput(
            id_number=data["id_number"],
            name=data["name"],
            relation=data["relation"],
            co_resident=bool(data["co_resident"]),
            phone=data["phone"],
            disability_type=data["disability_type"],
            disability_grade=data["disability_grade"],
            health_status=data["health_status"],
            illness_name=data["illness_name"],
            labour_capacity=data["labour_capacity"],
            school_stage=data["school_stage"],
            incomes=incomes,
        )


MemberFormSet = forms.formset_factory(MemberForm, extra=0, min_num=1, validate_min=True)
