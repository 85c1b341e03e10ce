"""Forms of system management: they carry the input; the services check the rules."""

from __future__ import annotations

from typing import Any

from django import forms

from safetynet.accounts.roles import Department, Role

BLANK = [("", "全部")]
CHOOSE = [("", "（请选择）")]


class UserFilterForm(forms.Form):
    q = forms.CharField(
        label="查找",
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "姓名、账号或职务"}),
    )
    role = forms.ChoiceField(label="角色", required=False, choices=[*BLANK, *Role.choices])
    department = forms.ChoiceField(
        label="部门", required=False, choices=[*BLANK, *Department.choices]
    )
    active = forms.ChoiceField(
        label="状态", required=False, choices=[*BLANK, ("1", "启用"), ("0", "停用")]
    )
    region = forms.CharField(label="区划", required=False, widget=forms.HiddenInput)


class UserForm(forms.Form):
    username = forms.CharField(
        label="登录账号",
        max_length=150,
        help_text="字母、数字和 @ . + - _，创建后不能修改",
        error_messages={"required": "请填写登录账号"},
    )
    real_name = forms.CharField(
        label="姓名", max_length=50, error_messages={"required": "请填写姓名"}
    )
    post = forms.CharField(label="职务(岗位)", max_length=50, required=False)
    phone = forms.CharField(label="联系电话", max_length=20, required=False)
    role = forms.ChoiceField(
        label="角色", choices=[*CHOOSE, *Role.choices], error_messages={"required": "请选择角色"}
    )
    department = forms.ChoiceField(
        label="所属部门", choices=Department.choices, initial=Department.CIVIL_AFFAIRS
    )
    # Left empty: the administrator's own region.
    scope_region = forms.CharField(label="管辖区域", widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, editing: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if editing:
            del self.fields["username"]


class DisableForm(forms.Form):
    reason = forms.CharField(label="停用原因", max_length=200, required=False)


class TokenForm(forms.Form):
    user = forms.IntegerField(widget=forms.HiddenInput)
    name = forms.CharField(
        label="令牌用途",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：医保局数据交换"}),
        error_messages={"required": "请填写令牌用途"},
    )


class OfficeForm(forms.Form):
    name = forms.CharField(
        label="单位名称",
        max_length=100,
        widget=forms.TextInput(attrs={"placeholder": "如：兰考县民政局"}),
        error_messages={"required": "请填写单位名称"},
    )
    department = forms.ChoiceField(
        label="部门", choices=Department.choices, initial=Department.CIVIL_AFFAIRS
    )
    phone = forms.CharField(label="联系电话", max_length=30, required=False)
    address = forms.CharField(label="办公地址", max_length=200, required=False)
    is_active = forms.BooleanField(label="启用", required=False, initial=True)
    # Left empty: the administrator's own region.
    region = forms.CharField(label="所在区划", widget=forms.HiddenInput, required=False)
