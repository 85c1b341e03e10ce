"""Forms of the determination screens: one small form per procedure action.

Every action form carries the case ``version`` the officer saw; the service refuses the action
when someone else acted on the case since (optimistic lock). Dates default to today in the
views; the services check that they are not in the future nor before the step they follow.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from safetynet.determination.models import (
    ApplicationType,
    AttachmentKind,
    CareTier,
    SpotCheckResult,
    Status,
)
from safetynet.determination.procedure.services import ATTACHMENT_TYPES, MAX_ATTACHMENT_BYTES
from safetynet.registry.choices import Category
from safetynet.registry.models import Person

ACCEPT = ",".join(sorted({".pdf", ".jpg", ".jpeg", ".png", *ATTACHMENT_TYPES}))


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs=attrs, format="%Y-%m-%d")


def date_field(label: str, **kwargs: Any) -> forms.DateField:
    return forms.DateField(label=label, widget=DateInput(), **kwargs)


def check_upload(upload: UploadedFile) -> UploadedFile:
    """Refuse what the service would refuse before anything is written."""
    name = upload.name or "文件"
    if upload.content_type not in ATTACHMENT_TYPES:
        raise forms.ValidationError(
            f"文件“{name}”的类型 {upload.content_type or '未知'} 不支持：请上传 PDF、JPG 或 PNG"
        )
    if not upload.size:
        raise forms.ValidationError(f"文件“{name}”是空文件")
    if upload.size > MAX_ATTACHMENT_BYTES:
        raise forms.ValidationError(f"文件“{name}”超过 {MAX_ATTACHMENT_BYTES // 1024 // 1024} MB")
    return upload


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input (photos of a home visit)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ACCEPT}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> list[UploadedFile]:
        files = data if isinstance(data, list | tuple) else [data] if data else []
        if not files and self.required:
            raise forms.ValidationError(self.error_messages["required"], code="required")
        return [check_upload(super(MultipleFileField, self).clean(f, initial)) for f in files]


# --- the new application -----------------------------------------------------------------------


class ApplicationForm(forms.Form):
    type = forms.ChoiceField(label="申请类型", choices=ApplicationType.choices)
    applicant = forms.TypedChoiceField(label="申请人", coerce=int)
    applied_on = date_field("申请日期")
    reason = forms.CharField(
        label="申请理由",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="家庭困难情况的简要说明；家庭成员、收入、财产和支出以家庭档案中的申报为准。",
    )
    authorisation = forms.FileField(
        label="核对授权书",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ACCEPT}),
        help_text="申请人及共同生活家庭成员签字的家庭经济状况核对授权书，扫描件或照片"
        "（PDF、JPG、PNG）。未上传的申请不能受理。",
    )

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {person.pk: person for person in members}
        applicant = self.fields["applicant"]
        assert isinstance(applicant, forms.TypedChoiceField)
        applicant.choices = [
            (person.pk, f"{person.name}（{person.id_number_masked}）") for person in members
        ]

    def clean_authorisation(self) -> UploadedFile | None:
        upload = self.cleaned_data.get("authorisation")
        return check_upload(upload) if upload else None


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label="材料类型", choices=AttachmentKind.choices)
    uploads = MultipleFileField(
        label="文件", help_text="PDF、JPG 或 PNG，每个不超过 20 MB；可多选。"
    )
    home_visit = forms.TypedChoiceField(
        label="所属入户调查", required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args: Any, visits: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.visits = {visit.pk: visit for visit in visits}
        field = self.fields["home_visit"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "（不属于入户调查）")] + [
            (visit.pk, f"{visit.visited_on:%Y-%m-%d} {'、'.join(visit.staff_names)}")
            for visit in visits
        ]
        if not visits:
            del self.fields["home_visit"]


# --- procedure actions -------------------------------------------------------------------------


class ActionForm(forms.Form):
    """The base of every action: the version of the case the officer saw."""

    version = forms.IntegerField(widget=forms.HiddenInput, min_value=1)


class ConfirmOnlyForm(ActionForm):
    pass


class ReturnForm(ActionForm):
    missing_items = forms.CharField(
        label="需补正的材料",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="每行一项，一次性告知申请人需补正的全部材料。",
    )

    def clean_missing_items(self) -> list[str]:
        items = [line.strip() for line in self.cleaned_data["missing_items"].splitlines()]
        items = [item for item in items if item]
        if not items:
            raise forms.ValidationError("请列明需补正的材料")
        return items


class AcceptForm(ActionForm):
    accepted_on = date_field("受理日期")


class WithdrawForm(ActionForm):
    reason = forms.CharField(label="撤回原因", max_length=300)


class HomeVisitForm(ActionForm):
    visited_on = date_field("调查日期")
    staff = forms.CharField(
        label="调查人员",
        help_text="不少于 2 人，姓名之间用逗号或顿号分隔。",
        max_length=300,
    )
    findings = forms.CharField(label="调查情况", widget=forms.Textarea(attrs={"rows": 5}))
    photos = MultipleFileField(label="现场照片", required=False, help_text="可多选。")

    def clean_staff(self) -> list[str]:
        raw = self.cleaned_data["staff"]
        for separator in "，、;；\n":
            raw = raw.replace(separator, ",")
        names = [name.strip() for name in raw.split(",") if name.strip()]
        if len(set(names)) < 2:
            raise forms.ValidationError("入户调查须由不少于 2 名工作人员进行，请填写全部调查人员")
        return names


class DataCheckRequestForm(ActionForm):
    requested_on = date_field("提请日期")


class DataCheckAnswerForm(ActionForm):
    verification_report = forms.TypedChoiceField(
        label="核对报告", required=False, coerce=int, empty_value=None
    )
    answer = forms.CharField(
        label="核对结果",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="选择已出具的核对报告，或手工填写核对结果。",
    )
    answered_on = date_field("反馈日期")

    def __init__(self, *args: Any, reports: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.reports = {report.pk: report for report in reports}
        field = self.fields["verification_report"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", "（手工填写）")] + [
            (r.pk, f"{r.number}（{r.created_at:%Y-%m-%d}，差异 {r.differences} 项）")
            for r in reports
        ]


class TownshipReviewForm(ActionForm):
    opinion = forms.CharField(label="审核意见", widget=forms.Textarea(attrs={"rows": 4}))
    objection_outcome = forms.CharField(
        label="异议复查结论",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="公示期间收到异议、重新调查的，写明复查结论。",
    )
    reviewed_on = date_field("审核日期")

    def __init__(self, *args: Any, open_objections: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not open_objections:
            del self.fields["objection_outcome"]


class PublicityStartForm(ActionForm):
    starts_on = date_field("公示开始日期")
    place = forms.CharField(
        label="公示地点", required=False, max_length=200, help_text="如：村(居)务公开栏"
    )


class ObjectionForm(ActionForm):
    content = forms.CharField(label="异议内容", widget=forms.Textarea(attrs={"rows": 4}))
    received_on = date_field("收到日期")


class PublicityCloseForm(ActionForm):
    closed_on = date_field("公示结束日期")


class SpotCheckForm(ActionForm):
    result = forms.ChoiceField(
        label="抽查结果", choices=SpotCheckResult.choices, widget=forms.RadioSelect
    )
    note = forms.CharField(
        label="抽查情况", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    checked_on = date_field("抽查日期")


class ConfirmForm(ActionForm):
    category = forms.ChoiceField(label="救助类别")
    care_tier = forms.ChoiceField(
        label="照料护理等级", required=False, choices=[("", "—"), *CareTier.choices]
    )
    amount = forms.DecimalField(
        label="临时救助金额(元)", required=False, max_digits=12, decimal_places=2, min_value=0
    )
    income_unstable = forms.BooleanField(
        label="收入不稳定或有劳动能力成员（定期核查每半年一次）", required=False
    )
    reasons = forms.CharField(
        label="认定意见", required=False, widget=forms.Textarea(attrs={"rows": 3})
    )
    decided_on = date_field("确认日期")

    def __init__(
        self, *args: Any, categories: tuple[str, ...], application_type: str, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        category = self.fields["category"]
        assert isinstance(category, forms.ChoiceField)
        category.choices = [
            (value, Category(value).label if value else "（不登记救助类别）")
            for value in categories
        ]
        # Temporary assistance records no category: the empty choice is the answer.
        category.required = "" not in categories
        if Category.DESTITUTE not in categories:
            del self.fields["care_tier"]
        if application_type != ApplicationType.TEMPORARY_ASSISTANCE:
            del self.fields["amount"]
        if application_type != ApplicationType.DIBAO:
            del self.fields["income_unstable"]


class RefuseForm(ActionForm):
    reasons = forms.CharField(
        label="不予认定的理由",
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="写入不予认定告知书，须具体说明不符合条件的事实和依据。",
    )
    decided_on = date_field("决定日期")


class RefusalNoticeForm(ActionForm):
    issued_on = date_field("送达日期")


class ExtendForm(ActionForm):
    reason = forms.CharField(
        label="延长原因",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="办理期限延长一次，最长不超过 45 个工作日，须写明原因。",
    )


class TransferOfferForm(ActionForm):
    informed_on = date_field("告知日期")


class TransferConsentForm(ActionForm):
    consent = forms.TypedChoiceField(
        label="申请人意见",
        choices=[("yes", "同意转介"), ("no", "不同意转介")],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    answered_on = date_field("答复日期")


# --- queues ------------------------------------------------------------------------------------

STEP_CHOICES = [("", "全部环节")] + [
    (status.value, status.label)
    for status in Status
    if status not in (Status.CONFIRMED, Status.CLOSED_REFUSED, Status.WITHDRAWN, Status.RETURNED)
]


class QueueFilterForm(forms.Form):
    step = forms.ChoiceField(label="办理环节", required=False, choices=STEP_CHOICES)
    type = forms.ChoiceField(
        label="申请类型", required=False, choices=[("", "全部类型"), *ApplicationType.choices]
    )
    overdue = forms.ChoiceField(
        label="是否超期",
        required=False,
        choices=[("", "全部"), ("yes", "已超期"), ("no", "未超期")],
    )
    region = forms.CharField(required=False, widget=forms.HiddenInput)

    def overdue_value(self) -> bool | None:
        return {"yes": True, "no": False}.get(self.cleaned_data.get("overdue") or "")
