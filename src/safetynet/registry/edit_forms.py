"""Forms of the household editing pages. They parse input; the services validate and write.

Member pickers list only the members of the household being edited, so a posted id of anyone
else is refused by the form before a service sees it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.utils import timezone

from safetynet.registry import identity
from safetynet.registry.choices import (
    AssetKind,
    Category,
    DisabilityType,
    ExpenditureKind,
    HealthStatus,
    IncomeKind,
    LabourCapacity,
    LegalStatus,
    RelapseWatchType,
    Residence,
    SchoolStage,
)
from safetynet.registry.forms import BLANK, MemberForm
from safetynet.registry.models import Person
from safetynet.registry.relations import HEAD, RELATIONS

# Relations a member other than the head may have.
NON_HEAD_RELATIONS = [(code, name) for code, name in RELATIONS if code != HEAD]

# Why a member leaves a household; the text is stored with the membership.
LEAVE_REASONS = [
    ("迁出", "迁出"),
    ("死亡", "死亡"),
    ("婚出", "婚出"),
    ("分户", "分户"),
    ("服兵役", "服兵役"),
    ("服刑", "服刑"),
    ("其他", "其他"),
]


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, *, required: bool = True, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, required=required, widget=DateInput(), **kwargs)


def amount_field(label: str, *, required: bool = True, max_digits: int = 14) -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=required,
        max_digits=max_digits,
        decimal_places=2,
        min_value=Decimal(0),
        error_messages={"min_value": "不能为负数"},
    )


class PersonChoiceField(forms.ChoiceField):
    """A choice among given persons (the household's members); cleans to the Person or None."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.people: dict[str, Person] = {}

    def set_people(self, people: Iterable[tuple[Person, str]], *, blank: str = "—") -> None:
        entries = list(people)
        self.people = {str(person.pk): person for person, _ in entries}
        choices = [(str(person.pk), label) for person, label in entries]
        # A blank first option even when required: nobody is picked by accident, and an
        # untouched new formset row stays "unchanged" so that it is skipped.
        self.choices = [("", blank), *choices]

    def clean(self, value: Any) -> Person | None:
        key = super().clean(value)
        return self.people.get(key) if key else None


class PeopleMixin:
    """Forms that pick a member get ``people``: (Person, label) pairs, in display order."""

    person_fields: tuple[str, ...] = ()
    fields: dict[str, forms.Field]

    def _set_people(self, people: Iterable[tuple[Person, str]], *, blank: str = "—") -> None:
        entries = list(people)
        for name in self.person_fields:
            field = self.fields[name]
            assert isinstance(field, PersonChoiceField)
            field.set_people(entries, blank=blank)


class HouseholdEditForm(forms.Form):
    region = forms.CharField(
        label="所属村(居)委会",
        widget=forms.HiddenInput,
        error_messages={"required": "请选择到村(居)委会一级"},
    )
    residence = forms.ChoiceField(label="城乡类别", choices=Residence.choices)
    address = forms.CharField(label="家庭住址", required=False, max_length=200)
    phone = forms.CharField(label="联系电话", required=False, max_length=20)
    income_before_drop_monthly = forms.DecimalField(
        label="收入缩减前家庭月收入(元)",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="二(一)4 收入大幅缩减：记录日期在评估日前 12 个月内时参与评估",
    )
    income_before_drop_on = date_field("收入记录日期", required=False)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if (data.get("income_before_drop_monthly") is None) != (
            data.get("income_before_drop_on") is None
        ):
            self.add_error("income_before_drop_on", "收入缩减前月收入与记录日期须同时填写")
        return data

    def changes(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "region_id": data["region"],
            "residence": data["residence"],
            "address": data["address"].strip(),
            "phone": data["phone"].strip(),
            "income_before_drop_monthly": data.get("income_before_drop_monthly"),
            "income_before_drop_on": data.get("income_before_drop_on"),
        }


class MemberAddForm(MemberForm):
    """A new member; the head changes only through the head form."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        relation = self.fields["relation"]
        assert isinstance(relation, forms.ChoiceField)
        relation.choices = [*BLANK, *NON_HEAD_RELATIONS]
        relation.initial = ""


class MemberEditForm(forms.Form):
    name = forms.CharField(label="姓名", max_length=50)
    relation = forms.ChoiceField(label="与户主关系", choices=NON_HEAD_RELATIONS)
    co_resident = forms.BooleanField(label="共同生活", required=False)
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
    health_status = forms.ChoiceField(label="健康状况", choices=HealthStatus.choices)
    illness_name = forms.CharField(label="所患疾病", required=False, max_length=100)
    labour_capacity = forms.ChoiceField(label="劳动能力", choices=LabourCapacity.choices)
    school_stage = forms.ChoiceField(label="在学情况", choices=SchoolStage.choices)
    legal_status = forms.ChoiceField(
        label="民事行为能力等情况",
        required=False,
        choices=LegalStatus.choices,
        help_text="作为他人法定赡(抚、扶)养义务人时，《特困人员认定办法》第九条第（五）项",
    )
    other_inability = forms.CharField(
        label="省级规定的其他无履行义务能力情形",
        required=False,
        max_length=100,
        help_text="第九条第（六）项：填写省级规定中的情形名称",
    )

    def __init__(self, *args: Any, is_head: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.is_head = is_head
        if is_head:
            # The head's relation is 户主 by definition; it changes through the head form.
            del self.fields["relation"]

    def changes(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data["name"] = data["name"].strip()
        data["other_inability"] = data["other_inability"].strip()
        if not data["disability_type"]:
            data["disability_grade"] = None
        return data


class MemberRemoveForm(forms.Form):
    reason_kind = forms.ChoiceField(label="离开原因", choices=[*BLANK, *LEAVE_REASONS])
    reason_note = forms.CharField(
        label="补充说明",
        required=False,
        max_length=80,
        help_text="如迁往何处、死亡证明编号等。选择“其他”时必填。",
    )
    left_on = date_field("离开日期", initial=timezone.localdate)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason_kind") == "其他" and not data.get("reason_note", "").strip():
            self.add_error("reason_note", "原因选择“其他”时，请填写补充说明")
        left_on = data.get("left_on")
        if left_on is not None and left_on > timezone.localdate():
            self.add_error("left_on", "离开日期不能晚于今天")
        return data

    @property
    def reason(self) -> str:
        kind = self.cleaned_data["reason_kind"]
        note = self.cleaned_data["reason_note"].strip()
        return f"{kind}：{note}" if note else kind


class HeadChangeForm(PeopleMixin, forms.Form):
    person_fields = ("new_head",)

    new_head = PersonChoiceField(label="新户主")
    old_head_relation = forms.ChoiceField(
        label="原户主改为（与新户主的关系）", choices=[*BLANK, *NON_HEAD_RELATIONS]
    )

    def __init__(self, *args: Any, people: Iterable[tuple[Person, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._set_people(people)


class RowForm(PeopleMixin, forms.Form):
    """One row of a declared-items formset (incomes, assets, expenditures)."""

    def __init__(self, *args: Any, people: Iterable[tuple[Person, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._set_people(people)

    def row(self) -> dict[str, Any]:
        """The service's row for this form; each concrete row form defines it (abstract:
        Django's form metaclass does not combine with ABCMeta)."""
        raise NotImplementedError


class IncomeRowForm(RowForm):
    person_fields = ("person",)

    person = PersonChoiceField(label="成员")
    kind = forms.ChoiceField(label="收入类型", choices=[*BLANK, *IncomeKind.choices])
    monthly_amount = amount_field("月收入(元)")
    description = forms.CharField(label="说明", required=False, max_length=200)

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person_id": data["person"].pk,
            "kind": data["kind"],
            "monthly_amount": data["monthly_amount"],
            "description": data["description"].strip(),
        }


class AssetRowForm(RowForm):
    person_fields = ("person",)

    kind = forms.ChoiceField(label="财产类型", choices=[*BLANK, *AssetKind.choices])
    value = amount_field("价值/金额(元)")
    person = PersonChoiceField(label="所有人", required=False)
    description = forms.CharField(label="说明", required=False, max_length=200)
    for_disability = forms.BooleanField(label="残疾人代步车", required=False)
    area_m2 = amount_field("面积(平方米)", required=False, max_digits=10)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("kind")
        if data.get("for_disability") and kind != AssetKind.VEHICLE:
            self.add_error("for_disability", "只有机动车才能标记为残疾人功能性补偿代步车")
        if data.get("area_m2") is not None and kind != AssetKind.REAL_ESTATE:
            self.add_error("area_m2", "只有房产才填写面积")
        return data

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person_id": data["person"].pk if data["person"] else None,
            "kind": data["kind"],
            "value": data["value"],
            "description": data["description"].strip(),
            "for_disability": bool(data["for_disability"]),
            "area_m2": data["area_m2"],
        }


class ExpenditureRowForm(RowForm):
    person_fields = ("person",)

    kind = forms.ChoiceField(label="支出类型", choices=[*BLANK, *ExpenditureKind.choices])
    amount = amount_field("金额(元)")
    incurred_on = date_field("发生日期")
    person = PersonChoiceField(label="成员", required=False)
    description = forms.CharField(label="说明", required=False, max_length=200)

    def clean_incurred_on(self) -> dt.date:
        value: dt.date = self.cleaned_data["incurred_on"]
        if value > timezone.localdate():
            raise forms.ValidationError("发生日期不能晚于今天")
        return value

    def row(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "person_id": data["person"].pk if data["person"] else None,
            "kind": data["kind"],
            "amount": data["amount"],
            "incurred_on": data["incurred_on"],
            "description": data["description"].strip(),
        }


class RowFormSet(forms.BaseFormSet):
    def rows(self) -> list[dict[str, Any]]:
        """The rows to keep, once valid: not deleted, and not a new row left blank."""
        deleted = self.deleted_forms if self.can_delete else []
        kept = []
        for form in self.forms:
            if form in deleted:
                continue
            if not form.has_changed() and form.empty_permitted:
                continue
            kept.append(form.row())
        return kept


def row_formset(form: type[RowForm]) -> type[RowFormSet]:
    return cast(
        type[RowFormSet],
        forms.formset_factory(form, formset=RowFormSet, extra=0, can_delete=True),
    )


IncomeFormSet = row_formset(IncomeRowForm)
AssetFormSet = row_formset(AssetRowForm)
ExpenditureFormSet = row_formset(ExpenditureRowForm)


class SupporterForm(PeopleMixin, forms.Form):
    person_fields = ("supported_person",)

    name = forms.CharField(label="姓名", max_length=50)
    id_number = forms.CharField(
        label="身份证号", required=False, max_length=40, help_text="可不填；填写则须是有效号码。"
    )
    relation = forms.ChoiceField(
        label="与被赡(抚、扶)养人关系", choices=[*BLANK, *NON_HEAD_RELATIONS]
    )
    supported_person = PersonChoiceField(label="被赡(抚、扶)养人", required=False)
    able_to_support = forms.BooleanField(label="具备赡(抚、扶)养能力", required=False, initial=True)
    note = forms.CharField(label="说明", required=False, max_length=200)

    def __init__(self, *args: Any, people: Iterable[tuple[Person, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._set_people(people)

    def clean_id_number(self) -> str:
        value: str = self.cleaned_data["id_number"]
        if not value.strip():
            return ""
        try:
            return identity.parse_id_number(value).number
        except identity.InvalidIdNumber as exc:
            raise forms.ValidationError(exc.reason) from exc


# The choice that records "none from this date"; a real value, so that ending a category or a
# watch is a deliberate pick and never what an untouched form submits.
END = "none"


class CategoryForm(PeopleMixin, forms.Form):
    person_fields = ("person",)

    category = forms.ChoiceField(
        label="救助类别",
        choices=[*BLANK, *Category.choices, (END, "（无）终止当前类别")],
        error_messages={"required": "请选择救助类别，或选择“（无）”终止当前类别"},
    )
    person = PersonChoiceField(
        label="认定到成员",
        required=False,
        help_text="特困和单人保须选择具体成员；其他类别按户认定，此处留空。",
    )
    effective_from = date_field("生效日期", initial=timezone.localdate)
    reason = forms.CharField(
        label="依据/原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: Iterable[tuple[Person, str]] = (), **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._set_people(people, blank="全户")

    def clean_category(self) -> str:
        value: str = self.cleaned_data["category"]
        return "" if value == END else value


class RelapseWatchForm(forms.Form):
    watch_type = forms.ChoiceField(
        label="监测类型",
        choices=[*BLANK, *RelapseWatchType.choices, (END, "（无）解除监测")],
        error_messages={"required": "请选择监测类型，或选择“（无）”解除监测"},
    )
    effective_from = date_field("生效日期", initial=timezone.localdate)
    reason = forms.CharField(
        label="依据/原因", max_length=300, widget=forms.Textarea(attrs={"rows": 3})
    )

    def clean_watch_type(self) -> str:
        value: str = self.cleaned_data["watch_type"]
        return "" if value == END else value
