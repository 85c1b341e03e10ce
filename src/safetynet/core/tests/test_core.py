"""The shared helpers: chunks, the one date parser, the one upload field."""

from __future__ import annotations

import datetime as dt

import pytest
from django import forms
from django.core.files.uploadedfile import SimpleUploadedFile

from safetynet.core.chunks import chunked
from safetynet.core.dates import parse_date, query_date, query_date_notice
from safetynet.core.uploads import XLS_ADVICE, UploadField


def test_chunked_slices_in_order_and_keeps_every_item() -> None:
    assert list(chunked([1, 2, 3, 4, 5], 2)) == [[1, 2], [3, 4], [5]]
    assert list(chunked([], 2)) == []
    with pytest.raises(ValueError):
        list(chunked([1], 0))


@pytest.mark.parametrize(
    "value",
    [
        "2024-03-01",
        "2024/3/1",
        "2024.3.1",
        "2024年3月1日",
        " 2024 年 3 月 1 日 ",
        "20240301",
        20240301.0,
        "2024-03-01 00:00:00",
        dt.date(2024, 3, 1),
        dt.datetime(2024, 3, 1, 12, 30),
    ],
)
def test_parse_date_reads_the_ways_people_write_a_date(value: object) -> None:
    assert parse_date(value) == dt.date(2024, 3, 1)


def test_a_month_means_its_first_only_when_asked() -> None:
    assert parse_date("2024年3月", month_means_first=True) == dt.date(2024, 3, 1)
    with pytest.raises(ValueError, match="日期格式无法识别"):
        parse_date("2024-03")


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        ("2024-02-30", "日期不存在：2024-02-30"),
        ("20241301", "日期不存在：20241301"),
        ("去年", "日期格式无法识别，应为 2024-03-01、2024/3/1、2024年3月1日 或 20240301"),
        (None, "日期格式无法识别"),
    ],
)
def test_parse_date_says_why_it_refuses(value: object, reason: str) -> None:
    with pytest.raises(ValueError) as refused:
        parse_date(value)
    assert str(refused.value).startswith(reason)


def test_query_date_falls_back_and_says_so() -> None:
    today = dt.date(2026, 6, 30)
    assert query_date("", default=today) == (today, True)
    assert query_date("2026-01-02", default=today) == (dt.date(2026, 1, 2), True)
    assert query_date("tomorrow", default=today) == (today, False)


def test_query_date_notice_tells_the_page_what_it_shows_instead() -> None:
    today = dt.date(2026, 6, 30)
    assert query_date_notice(" 2026-13-01 ", default=today, shown="今天执行的标准") == (
        today,
        "日期“2026-13-01”格式不正确（应为 YYYY-MM-DD），已显示今天执行的标准",
    )


def test_query_date_notice_is_empty_for_a_readable_date() -> None:
    today = dt.date(2026, 6, 30)
    assert query_date_notice("2026-01-02", default=today, shown="x") == (dt.date(2026, 1, 2), "")


class _Form(forms.Form):
    file = UploadField(max_bytes=10, advice="请拆分。")


def _problems(name: str, content: bytes) -> list[str]:
    form = _Form(files={"file": SimpleUploadedFile(name, content)})
    return [] if form.is_valid() else list(form.errors["file"])


def test_upload_field_accepts_a_table_within_the_limit() -> None:
    assert _problems("名单.xlsx", b"1234") == []
    assert _problems("名单.CSV", b"1234") == []


def test_upload_field_refuses_with_one_wording() -> None:
    assert _problems("old.xls", b"1234") == [XLS_ADVICE]
    assert _problems("notes.pdf", b"1234") == ["请上传 .xlsx 或 .csv 文件"]
    assert _problems("big.csv", b"x" * 11) == ["文件为 0 MB，超过 0 MB 的上限。请拆分。"]
