from __future__ import annotations

from django import forms

from safetynet.oversight.models import DeclarantKind, TipOffMatter

BLANK = [("", "请选择")]


class Honeypot(forms.Form):
    # Hidden from people by the stylesheet; a form-filling robot fills it in.
    website = forms.CharField(label="网址（请勿填写）", required=False)

    def is_robot(self) -> bool:
        return bool(self.data.get("website", "").strip())


class DeclarationForm(Honeypot):
    declarant = forms.ChoiceField(
        label="申报人",
        choices=DeclarantKind.choices,
        initial=DeclarantKind.SELF,
        widget=forms.RadioSelect,
    )
    declarant_name = forms.CharField(label="代为申报人姓名", required=False, max_length=50)
    name = forms.CharField(label="困难人员姓名", max_length=50)
    id_number = forms.CharField(
        label="困难人员身份证号",
        max_length=40,
        widget=forms.TextInput(attrs={"autocomplete": "off", "inputmode": "text"}),
    )
    region_code = forms.CharField(label="所在村(居)", max_length=12, widget=forms.HiddenInput)
    phone = forms.CharField(label="联系电话", max_length=20)
    account = forms.CharField(
        label="遇到的困难", widget=forms.Textarea(attrs={"rows": 5}), max_length=2000
    )
    consent = forms.BooleanField(
        label="本人（或经困难人员同意）授权民政部门核对家庭经济状况", required=False
    )


class TipOffForm(Honeypot):
    matter = forms.ChoiceField(label="举报事项", choices=[*BLANK, *TipOffMatter.choices])
    region_code = forms.CharField(label="涉及村(居)", max_length=12, widget=forms.HiddenInput)
    subject_name = forms.CharField(label="被举报人姓名（可不填）", required=False, max_length=50)
    content = forms.CharField(
        label="举报内容", widget=forms.Textarea(attrs={"rows": 6}), max_length=2000
    )
    reporter_name = forms.CharField(label="您的姓名（可匿名）", required=False, max_length=50)
    reporter_phone = forms.CharField(label="您的电话（可不填）", required=False, max_length=20)


class FollowUpForm(Honeypot):
    number = forms.CharField(label="举报编号", max_length=30)


class PublicObjectionForm(Honeypot):
    publicity = forms.IntegerField(widget=forms.HiddenInput)
    content = forms.CharField(
        label="异议内容（请说明您了解的该户家庭收入、财产或实际生活情况）",
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
    )
    contact_name = forms.CharField(label="您的姓名（可不填）", required=False, max_length=50)
    contact_phone = forms.CharField(label="您的电话（可不填）", required=False, max_length=20)
