"""The one upload field of the import pages: allowed suffixes, a size limit, an empty file and
the old .xls format refused with advice, all worded the same way on every page."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django import forms
from django.core.files.uploadedfile import UploadedFile

TABLE_SUFFIXES = (".xlsx", ".xlsm", ".csv", ".txt")
XLS_ADVICE = "暂不支持 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入"
MB = 1024 * 1024


def upload_problem(
    upload: UploadedFile, *, suffixes: tuple[str, ...], max_bytes: int, formats: str, advice: str
) -> str:
    """Why ``upload`` is refused ("" if it is not)."""
    suffix = Path(upload.name or "").suffix.lower()
    size = upload.size or 0
    if suffix == ".xls" and ".xls" not in suffixes:
        return XLS_ADVICE
    if suffix not in suffixes:
        return f"请上传 {formats} 文件"
    if size > max_bytes:
        return f"文件为 {size / MB:.0f} MB，超过 {max_bytes // MB} MB 的上限。{advice}"
    if not size:
        return "文件是空的"
    return ""


class UploadField(forms.FileField):
    """A file field that refuses what ``upload_problem`` refuses. ``formats`` names the accepted
    formats for people (".xlsx 或 .csv"); ``advice`` says what to do with a file too large."""

    def __init__(
        self,
        *,
        max_bytes: int,
        suffixes: tuple[str, ...] = TABLE_SUFFIXES,
        formats: str = ".xlsx 或 .csv",
        advice: str = "",
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.max_bytes = max_bytes
        self.suffixes = suffixes
        self.formats = formats
        self.advice = advice

    def clean(self, data: Any, initial: Any = None) -> Any:
        upload = super().clean(data, initial)
        if upload:
            problem = upload_problem(
                upload,
                suffixes=self.suffixes,
                max_bytes=self.max_bytes,
                formats=self.formats,
                advice=self.advice,
            )
            if problem:
                raise forms.ValidationError(problem)
        return upload
