"""Forms of the department-data pages: upload a batch, filter the batch list, add a source."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

from safetynet.feeds.batches import (
    ALLOWED_SUFFIXES,
    MAX_UPLOAD_BYTES,
    period_normalise,
)
from safetynet.feeds.catalogue import DEPARTMENT_LABELS, ColumnKind, FeedImportError
from safetynet.feeds.common import sources_importable, sources_visible
from safetynet.feeds.definitions import LINE_EXAMPLE, columns_parse
from safetynet.feeds.models import BatchStatus


class PeriodField(forms.CharField):
    widget = forms.TextInput(attrs={"type": "month", "placeholder": "2026-01"})

    def clean(self, value: Any) -> str:
        text: str = super().clean(value)
        if not text:
            return ""
        try:
            return period_normalise(text)
        except FeedImportError as exc:
            raise forms.ValidationError(exc.message) from exc


class UploadForm(forms.Form):
    source = forms.ChoiceField(label="数据源")
    period = PeriodField(label="数据期别", max_length=7, help_text="数据所属的年月，如 2026-01")
    file = forms.FileField(
        label="数据文件",
        help_text=(
            f"支持 .csv（UTF-8、GBK 或 GB18030 编码）、.xlsx 和 .parquet，"
            f"不超过 {MAX_UPLOAD_BYTES // (1024 * 1024)} MB。"
        ),
    )
    accept_valid = forms.BooleanField(
        label="接收有效行（错误行隔离保存）",
        required=False,
        help_text="不勾选时，只要有一行错误，整批不入库，请按错误报告修改后重新上传。",
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)
        source.choices = [("", "请选择")] + [
            (spec.code, f"{spec.name}（{DEPARTMENT_LABELS.get(spec.department, spec.department)}）")
            for spec in sources_importable(user=user)
        ]

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        suffix = Path(upload.name or "").suffix.lower()
        if suffix == ".xls":
            raise forms.ValidationError("暂不支持 .xls 格式，请在 Excel 中另存为 .xlsx 后再上传")
        if suffix not in ALLOWED_SUFFIXES:
            raise forms.ValidationError("请上传 .csv、.xlsx 或 .parquet 文件")
        if (upload.size or 0) > MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                f"文件为 {(upload.size or 0) / (1024 * 1024):.0f} MB，超过 "
                f"{MAX_UPLOAD_BYTES // (1024 * 1024)} MB 的上限。请按月份或地区拆分后分批上传，"
                "或请系统管理员用命令行 safetynet feeds import 导入。"
            )
        if not upload.size:
            raise forms.ValidationError("文件是空的")
        return upload


class BatchFilterForm(forms.Form):
    source = forms.ChoiceField(label="数据源", required=False)
    period = PeriodField(label="数据期别", required=False, max_length=7)
    status = forms.ChoiceField(
        label="状态", required=False, choices=[("", "全部"), *BatchStatus.choices]
    )

    def __init__(self, *args: Any, user: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        source = self.fields["source"]
        assert isinstance(source, forms.ChoiceField)
        source.choices = [("", "全部")] + [
            (spec.code, spec.name) for spec in sources_visible(user=user)
        ]


class SourceDefinitionForm(forms.Form):
    code = forms.CharField(
        label="数据源代码",
        max_length=40,
        help_text="小写英文字母、数字和下划线，如 housing_subsidy；保存后不能修改。",
    )
    name = forms.CharField(label="数据源名称", max_length=100)
    department = forms.ChoiceField(
        label="提供部门", choices=[("", "请选择"), *sorted(DEPARTMENT_LABELS.items())]
    )
    description = forms.CharField(
        label="每行含义", max_length=200, required=False, help_text="如“一户住房保障对象”"
    )
    keeps_name = forms.BooleanField(
        label="保留姓名",
        required=False,
        help_text="只有比对确需姓名时才勾选；不勾选时姓名列不入库。",
    )
    columns = forms.CharField(
        label="字段",
        widget=forms.Textarea(attrs={"rows": 10, "cols": 100, "spellcheck": "false"}),
        help_text=(
            f"每行一个字段：{LINE_EXAMPLE}。类型：{'、'.join(ColumnKind.ALL)}。"
            "可选值写作 值=别名,别名; 值=别名。须包含 id_number | 身份证号 | id_number。"
        ),
    )

    def clean_columns(self) -> str:
        text: str = self.cleaned_data["columns"]
        _, problems = columns_parse(text)
        if problems:
            raise forms.ValidationError(problems)
        return text
