"""The one date parser: a date cell from a spreadsheet, or the ways people type a date in a
register, a holiday table, a query string or a console argument. Every reader shows the same
reasons in Chinese."""

from __future__ import annotations

import datetime as dt
import re

_YMD = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T][\d:.]+)?")
_YM = re.compile(r"(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?")
_COMPACT = re.compile(r"(\d{4})(\d{2})(\d{2})")
DATE_FORMATS = "2024-03-01、2024/3/1、2024年3月1日 或 20240301"
DATE_OR_MONTH_FORMATS = "2024-03-01、2024/3/1、2024年3月1日、20240301 或 2024-03（按当月 1 日）"


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # 20240301 typed into a number cell
    return str(value).strip()


def parse_date(value: object, *, month_means_first: bool = False) -> dt.date:
    """``value`` as a date: a date or datetime as is, or text as 2024-03-01, 2024/3/1,
    2024年3月1日 (a time after it is ignored) or 20240301; with ``month_means_first`` also a month
    (2024-03, 2024年3月) meaning its 1st. ``ValueError`` with the Chinese reason otherwise."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    text = _text(value)
    match = _YMD.fullmatch(text) or _COMPACT.fullmatch(text)
    parts = match.groups() if match else None
    if parts is None and month_means_first:
        month = _YM.fullmatch(text)
        parts = (*month.groups(), "1") if month else None
    if parts is None:
        formats = DATE_OR_MONTH_FORMATS if month_means_first else DATE_FORMATS
        raise ValueError(f"日期格式无法识别，应为 {formats}")
    try:
        return dt.date(*(int(part) for part in parts))
    except ValueError:
        raise ValueError(f"日期不存在：{text}") from None


def query_date(raw: str | None, *, default: dt.date) -> tuple[dt.date, bool]:
    """A date from a query string (``?on=``): ``(date, True)``, ``(default, True)`` when absent,
    ``(default, False)`` when unreadable, so that the page can say it fell back."""
    if not (raw or "").strip():
        return default, True
    try:
        return parse_date(raw), True
    except ValueError:
        return default, False


def query_date_notice(raw: str | None, *, default: dt.date, shown: str) -> tuple[dt.date, str]:
    """``query_date`` for a page: the date, and when ``raw`` is unreadable the notice that the
    page shows ``shown`` (what it falls back to, e.g. 今天执行的标准) instead; "" otherwise."""
    on, readable = query_date(raw, default=default)
    if readable:
        return on, ""
    return on, f"日期“{(raw or '').strip()}”格式不正确（应为 YYYY-MM-DD），已显示{shown}"
