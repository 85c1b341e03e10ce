"""Staff forms of oversight (the public forms are in ``public/forms.py``)."""

from __future__ import annotations

from django import forms

from safetynet.determination.models import ApplicationType
from safetynet.oversight.models import (
    DeclarationFinding,
    OfficerFinding,
    RecoveryReason,
    RecoverySource,
    TipOffChannel,
    TipOffFinding,
    TipOffMatter,
)

BLANK = [("", "请选择")]
DATE = forms.DateInput(attrs={"type": "date"})


class VisitForm(forms.Form):
    visited_on = forms.DateField(label="走访日期", widget=DATE)
    staff = forms.CharField(label="走访人员", max_length=100)
    finding = forms.ChoiceField(
        label="核实结论", choices=DeclarationFinding.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(label="核实情况", widget=forms.Textarea(attrs={"rows": 4}))
    application_type = forms.ChoiceField(
        label="确有困难的，发起救助申请（须已登记家庭档案）",
        required=False,
        choices=[("", "暂不发起"), *ApplicationType.choices],
    )


class TipOffIntakeForm(forms.Form):
    channel = forms.ChoiceField(label="举报方式", choices=TipOffChannel.choices)
    matter = forms.ChoiceField(label="举报事项", choices=[*BLANK, *TipOffMatter.choices])
    region_code = forms.CharField(label="涉及村(居)", max_length=12, widget=forms.HiddenInput)
    subject_name = forms.CharField(label="被举报人", required=False, max_length=50)
    content = forms.CharField(label="举报内容", widget=forms.Textarea(attrs={"rows": 5}))
    reporter_name = forms.CharField(label="举报人（可匿名）", required=False, max_length=50)
    reporter_phone = forms.CharField(label="举报人电话", required=False, max_length=20)


class TipOffCloseForm(forms.Form):
    finding = forms.ChoiceField(label="核查结论", choices=TipOffFinding.choices)
    investigation = forms.CharField(label="核查情况", widget=forms.Textarea(attrs={"rows": 4}))
    household = forms.IntegerField(label="涉及家庭编号（可不填）", required=False, min_value=1)


class RecoveryForm(forms.Form):
    source = forms.ChoiceField(label="发现途径", choices=RecoverySource.choices)
    tipoff_number = forms.CharField(label="举报编号（由举报发现的）", required=False, max_length=30)
    reason = forms.ChoiceField(label="追回原因", choices=RecoveryReason.choices)
    period_from = forms.DateField(label="多发期间自", widget=DATE)
    period_to = forms.DateField(label="多发期间至", widget=DATE)
    amount = forms.DecimalField(
        label="应退回金额（元）", min_value=0, max_digits=12, decimal_places=2
    )
    decision_number = forms.CharField(label="决定文号", max_length=60)
    decided_on = forms.DateField(label="决定日期", widget=DATE)
    facts = forms.CharField(label="事实与理由", widget=forms.Textarea(attrs={"rows": 4}))
    officer_finding = forms.ChoiceField(
        label="经办人员责任认定（三个区分开来）",
        choices=OfficerFinding.choices,
        widget=forms.RadioSelect,
    )
    officer_note = forms.CharField(
        label="责任认定说明", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class RepaymentForm(forms.Form):
    paid_on = forms.DateField(label="退回日期", widget=DATE)
    amount = forms.DecimalField(
        label="退回金额（元）", min_value=0, max_digits=12, decimal_places=2
    )
    receipt = forms.CharField(label="缴款凭证号", required=False, max_length=60)


class SettingsForm(forms.Form):
    effective_from = forms.DateField(label="生效日期", widget=DATE)
    tipoff_phone = forms.CharField(label="举报监督电话", required=False, max_length=40)
    declaration_visit_days = forms.IntegerField(
        label="自主申报入户核实时限（工作日）", required=False, min_value=1, max_value=60
    )
    tipoff_days = forms.IntegerField(
        label="举报核查办结时限（工作日）", required=False, min_value=1, max_value=60
    )


class PeriodForm(forms.Form):
    date_from = forms.DateField(label="起始日期", required=False, widget=DATE)
    date_to = forms.DateField(label="截止日期", required=False, widget=DATE)
