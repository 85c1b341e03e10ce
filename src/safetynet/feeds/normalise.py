"""Column-wise normalisation of department cell texts, as DuckDB SQL expressions.

A million-row batch cannot afford Python per cell, so each column kind is three expressions that
DuckDB evaluates over whole columns: ``clean`` (the raw text with full-width characters made
half-width and stray whitespace removed), ``parsed`` (the typed value, NULL when the text cannot
be read) and ``reason`` (NULL, or the Chinese reason the cell is rejected).

What departments write: dates as 2026-01-05, 2026/1/5, 2026.1.5, 2026年1月5日, 20260105, Excel
serial numbers (46027) or date cells; months as 2026-01, 202601, 2026年1月; amounts with thousands
separators, ¥/RMB/元/万元 and full-width digits; ID numbers with full-width digits, a lower-case x,
spaces. ID numbers are checked here only for being well-formed; the reason a damaged one is
refused comes from ``registry.identity`` (``ID_REASON`` marks those cells), so the console, the
web import and the household register all explain a damaged number the same way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import duckdb
import pyarrow as pa

from safetynet.feeds.catalogue import ColumnKind, ColumnSpec
from safetynet.registry.identity import (
    CHECK_CHARS,
    MIN_BIRTH_YEAR,
    PROVINCE_CODES,
    WEIGHTS,
    InvalidIdNumber,
    parse_id_number,
)
from safetynet.registry.import_format import ImportValueError, parse_id_cell

# The reason of an ID cell that is not a well-formed number: replaced by identity's explanation.
ID_REASON = "#id-number#"
EARLIEST_DATE = dt.date(1900, 1, 1)
INTEGER_LIMIT = 10**15

_FULL = "".join(chr(code) for code in range(0xFF01, 0xFF5F)) + "\u3000\u00a0\uffe5"
_HALF = "".join(chr(code - 0xFEE0) for code in range(0xFF01, 0xFF5F)) + "  ¥"
_CHINESE_NUMERALS = dict(zip("一二三四五六七八九十", range(1, 11), strict=True))

DATE_FORMATS = "2026-01-05、2026/1/5、2026年1月5日 或 20260105"
MONTH_FORMATS = "2026-01、202601 或 2026年1月"


def fill(template: str, **names: str) -> str:
    """Put column expressions into a template's ``{raw}``, ``{t}``, ``{v}`` slots (not
    ``str.format``: the templates are full of regex braces)."""
    for name, value in names.items():
        template = template.replace("{" + name + "}", value)
    return template


def literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def ident(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _date(value: dt.date) -> str:
    return f"DATE '{value.isoformat()}'"


@dataclass(frozen=True)
class ColumnSql:
    clean: str  # over the raw text {raw}
    parsed: str  # over the cleaned text {t}
    reason: str  # over {t} and the parsed value {v}
    # A value computed once per cell between cleaning and parsing, referred to as {a} there.
    aux: str = "NULL"


_FULL_CLASS = "\\x{FF01}-\\x{FF5E}\\x{3000}\\x{A0}\\x{FFE5}"
# A cell that needs any cleaning at all; most cells do not, and skip the slower expressions.
_NEEDS_CLEANING = f"[\\s{_FULL_CLASS}]"


def _translated(raw: str) -> str:
    # DuckDB's translate() is slow with a long mapping: only cells that hold a full-width
    # character go through it.
    return (
        f"CASE WHEN regexp_matches({raw}, '[{_FULL_CLASS}]') "
        f"THEN translate({raw}, {literal(_FULL)}, {literal(_HALF)}) ELSE {raw} END"
    )


def _squeezed(raw: str) -> str:
    """Full-width to half-width, every whitespace character removed."""
    raw = f"coalesce({raw}, '')"
    return (
        f"CASE WHEN regexp_matches({raw}, '{_NEEDS_CLEANING}') "
        f"THEN regexp_replace({_translated(raw)}, '\\s+', '', 'g') ELSE {raw} END"
    )


def _spaced(raw: str) -> str:
    """Full-width to half-width, runs of whitespace to one space, trimmed."""
    raw = f"coalesce({raw}, '')"
    return (
        f"CASE WHEN regexp_matches({raw}, '{_NEEDS_CLEANING}') "
        f"THEN trim(regexp_replace({_translated(raw)}, '\\s+', ' ', 'g')) ELSE {raw} END"
    )


def _empty_reason(column: ColumnSpec, t: str) -> str:
    reason = literal(f"{column.label}不能为空") if column.required else "NULL"
    return f"WHEN {t} = '' THEN {reason}"


# --- ID numbers ----------------------------------------------------------------------------------


def id_clean(raw: str) -> str:
    """As ``identity.normalise_id_number`` (plus the quote Excel users type to keep digits)."""
    raw = f"coalesce({raw}, '')"
    return (
        f"CASE WHEN regexp_full_match({raw}, '\\d{{17}}[\\dX]') THEN {raw} "
        f"ELSE upper(regexp_replace({_translated(raw)}, '[\\s''`]+', '', 'g')) END"
    )


def id_first17(n: str) -> str:
    return (
        f"CASE WHEN regexp_full_match({n}, '\\d{{17}}[\\dX]') "
        f"THEN CAST(substr({n}, 1, 17) AS BIGINT) END"
    )


def id_valid(n: str, today: dt.date, first17: str | None = None) -> str:
    """SQL truth of ``identity.parse_id_number`` succeeding (tests hold the two together).
    ``first17`` is ``id_first17(n)`` when the caller has already computed it."""
    first17 = first17 or f"({id_first17(n)})"
    # The 17 digits as one BIGINT taken apart with integer arithmetic: far cheaper than 17
    # string slices per number.
    digits = " + ".join(
        f"(({first17} // {10 ** (17 - position)}) % 10) * {weight}"
        for position, weight in enumerate(WEIGHTS, start=1)
    )
    provinces = ", ".join(literal(code) for code in sorted(PROVINCE_CODES))
    birth = (
        f"TRY_CAST(substr({n}, 7, 4) || '-' || substr({n}, 11, 2) || '-' || substr({n}, 13, 2) "
        "AS DATE)"
    )
    return (
        f"coalesce({first17} IS NOT NULL "
        f"AND substr({n}, 1, 2) IN ({provinces}) "
        f"AND {birth} BETWEEN {_date(dt.date(MIN_BIRTH_YEAR, 1, 1))} AND {_date(today)} "
        f"AND substr({literal(CHECK_CHARS)}, (({digits}) % 11) + 1, 1) = substr({n}, 18, 1), "
        "false)"
    )


def id_masked(n: str) -> str:
    """As ``identity.mask_id_number`` for something shaped like an ID number, else ***."""
    return (
        f"CASE WHEN regexp_full_match({n}, '\\d{{14,17}}[\\dX]') "
        f"THEN substr({n}, 1, 3) || repeat('*', length({n}) - 7) || right({n}, 4) "
        "ELSE '***' END"
    )


def id_reason(number: str, *, today: dt.date) -> str:
    """Why ``number`` (cleaned) is not a valid ID number, in the register's own words (the
    import's wording for numbers Excel has damaged)."""
    try:
        parse_id_number(number, today=today)
    except InvalidIdNumber as exc:
        try:
            parse_id_cell(number)
        except ImportValueError as cell_exc:
            return cell_exc.reason
        return exc.reason
    return "身份证号无效"  # pragma: no cover - the SQL check and identity agree (tested)


def _id_sql(column: ColumnSpec, today: dt.date) -> ColumnSql:
    return ColumnSql(
        clean=id_clean("{raw}"),
        aux=id_first17("{t}"),
        parsed=f"CASE WHEN {id_valid('{t}', today, '{a}')} THEN {{t}} END",
        reason=(
            f"CASE {_empty_reason(column, '{t}')} WHEN {{v}} IS NULL THEN {literal(ID_REASON)} END"
        ),
    )


# --- dates and months ----------------------------------------------------------------------------

# 2026-1-5, 2026/1/5, 2026.1.5, 2026年1月5日 (with a time, as date cells export), 20260105.
_YMD = (
    "^(\\d{4})(?:[-/.] ?(\\d{1,2}) ?[-/.] ?(\\d{1,2})"
    "|年 ?(\\d{1,2}) ?月 ?(\\d{1,2}) ?日?"
    "|(\\d{2})(\\d{2}))"
    "(?:[ T]\\d{1,2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?)?$"
)
_YMD_AS_ISO = "\\1-\\2\\4\\6-\\3\\5\\7"
_SERIAL = "\\d{5}(?:\\.\\d+)?"


def date_parsed(t: str) -> str:
    # TRY_CAST, not make_date(): an impossible date (2026-02-30) becomes NULL without an error
    # that would make DuckDB fall back to evaluating the vector row by row.
    return (
        f"CASE WHEN length({t}) = 10 AND TRY_CAST({t} AS DATE) IS NOT NULL "
        f"THEN TRY_CAST({t} AS DATE) "
        f"WHEN regexp_full_match({t}, {literal(_SERIAL)}) "
        f"THEN DATE '1899-12-30' + CAST(floor(CAST({t} AS DOUBLE)) AS INTEGER) "
        f"WHEN regexp_full_match({t}, {literal(_YMD)}) "
        f"THEN TRY_CAST(regexp_replace({t}, {literal(_YMD)}, {literal(_YMD_AS_ISO)}) AS DATE) END"
    )


def _date_shaped(t: str) -> str:
    return (
        f"(regexp_full_match({t}, {literal(_YMD)}) OR regexp_full_match({t}, {literal(_SERIAL)}))"
    )


def _date_sql(column: ColumnSpec, today: dt.date) -> ColumnSql:
    return ColumnSql(
        clean=_spaced("{raw}"),
        parsed=date_parsed("{t}"),
        reason=(
            f"CASE {_empty_reason(column, '{t}')} "
            f"WHEN {{v}} IS NULL AND {_date_shaped('{t}')} THEN '日期不存在：' || {{t}} "
            f"WHEN {{v}} IS NULL THEN {literal(f'日期格式无法识别，应为 {DATE_FORMATS}')} "
            f"WHEN {{v}} > {_date(today)} THEN '日期晚于今天：' || strftime({{v}}, '%Y-%m-%d') "
            f"WHEN {{v}} < {_date(EARLIEST_DATE)} "
            "THEN '日期早于 1900 年，不合理：' || strftime({v}, '%Y-%m-%d') "
            "END"
        ),
    )


_YM = "^(\\d{4})(?:[-/.] ?(\\d{1,2})|年 ?(\\d{1,2}) ?月?|(\\d{2}))$"
_YM_AS_ISO = "\\1-\\2\\3\\4-01"


def _month_sql(column: ColumnSpec, today: dt.date) -> ColumnSql:
    first = (
        f"CASE WHEN regexp_full_match({{t}}, {literal(_YM)}) "
        f"THEN TRY_CAST(regexp_replace({{t}}, {literal(_YM)}, {literal(_YM_AS_ISO)}) AS DATE) "
        f"ELSE date_trunc('month', {date_parsed('{t}')}) END"
    )
    this_month = today.replace(day=1)
    return ColumnSql(
        clean=_spaced("{raw}"),
        parsed=first,
        reason=(
            f"CASE {_empty_reason(column, '{t}')} "
            f"WHEN {{v}} IS NULL AND regexp_full_match({{t}}, {literal(_YM)}) "
            "THEN '月份不存在：' || {t} "
            f"WHEN {{v}} IS NULL THEN {literal(f'月份格式无法识别，应为 {MONTH_FORMATS}')} "
            f"WHEN {{v}} > {_date(this_month)} THEN '月份晚于本月：' || strftime({{v}}, '%Y-%m') "
            f"WHEN {{v}} < {_date(EARLIEST_DATE)} "
            "THEN '月份早于 1900 年，不合理：' || strftime({v}, '%Y-%m') "
            "END"
        ),
    )


# --- numbers -------------------------------------------------------------------------------------

_AMOUNT = "-?(?:\\d{1,3}(?:,\\d{3})+|\\d+)(?:\\.\\d+)?|-?\\.\\d+"
_THOUSANDS = "\\d{1,3}(?:,\\d{3})+(?:\\.\\d+)?"
_NO_VALUE = "('无', '-', '--', '/', '—')"


def _amount_clean(raw: str) -> str:
    raw = f"coalesce({raw}, '')"
    squeezed = f"regexp_replace({_squeezed(raw)}, '^(?:¥|RMB|人民币)', '')"
    return (
        f"CASE WHEN NOT regexp_matches({raw}, '[^0-9.,]') THEN {raw} "
        f"WHEN {squeezed} IN {_NO_VALUE} THEN '' ELSE {squeezed} END"
    )


def _decimal_sql(column: ColumnSpec, scale: Decimal) -> ColumnSql:
    # The unit may be in the cell (50万元) or in the header (注册资本(万元)): ``scale``.
    shaped = f"(?:{_AMOUNT})(?:万元|万|元)?"
    number = "replace(regexp_replace({t}, '(?:万元|万|元)$', ''), ',', '')"
    plain = f"TRY_CAST({number} AS DECIMAL(18, 2))"
    direct = "TRY_CAST({t} AS DECIMAL(18, 2))"
    if scale != 1:
        plain = f"TRY_CAST(TRY_CAST({number} AS DECIMAL(18, 4)) * {scale} AS DECIMAL(18, 2))"
        direct = f"TRY_CAST(TRY_CAST({{t}} AS DECIMAL(18, 4)) * {scale} AS DECIMAL(18, 2))"
    wan = f"TRY_CAST(TRY_CAST({number} AS DECIMAL(18, 4)) * {scale * 10000} AS DECIMAL(18, 2))"
    parsed = (
        f"CASE WHEN TRY_CAST({{t}} AS DECIMAL(18, 2)) IS NOT NULL THEN {direct} "
        f"WHEN regexp_full_match({{t}}, {literal(_THOUSANDS)}) THEN {plain} "
        f"WHEN NOT regexp_full_match({{t}}, {literal(shaped)}) THEN NULL "
        f"WHEN suffix({{t}}, '万') OR suffix({{t}}, '万元') THEN {wan} ELSE {plain} END"
    )
    return ColumnSql(
        clean=_amount_clean("{raw}"),
        parsed=parsed,
        reason=(
            f"CASE {_empty_reason(column, '{t}')} "
            f"WHEN {{v}} IS NULL AND NOT regexp_full_match({{t}}, {literal(shaped)}) "
            f"THEN {literal(f'{column.label}应为数字，如 1,234.50（可带千分位、¥ 或“元”）')} "
            f"WHEN {{v}} IS NULL THEN {literal(f'{column.label}过大')} "
            f"WHEN {{v}} < 0 THEN {literal(f'{column.label}不能为负数')} "
            "END"
        ),
    )


def _integer_sql(column: ColumnSpec) -> ColumnSql:
    numerals = " ".join(
        f"WHEN {literal(char)} THEN '{value}'" for char, value in _CHINESE_NUMERALS.items()
    )
    s = "regexp_replace({t}, '级$', '')"
    digits = f"CASE {s} {numerals} ELSE {s} END"
    parsed = (
        f"CASE WHEN regexp_full_match({digits}, '\\d{{1,15}}(?:\\.0+)?') "
        f"THEN CAST(split_part({digits}, '.', 1) AS BIGINT) END"
    )
    bounds = []
    if column.min_value is not None:
        bounds.append(f"{{v}} < {int(column.min_value)}")
    if column.max_value is not None:
        bounds.append(f"{{v}} > {int(column.max_value)}")
    low = column.min_value if column.min_value is not None else "…"
    high = column.max_value if column.max_value is not None else "…"
    out_of_range = (
        f"WHEN {' OR '.join(bounds)} THEN {literal(f'{column.label}应在 {low} 到 {high} 之间')} "
        if bounds
        else ""
    )
    return ColumnSql(
        clean=_squeezed("{raw}"),
        parsed=parsed,
        reason=(
            f"CASE {_empty_reason(column, '{t}')} "
            f"WHEN {{v}} IS NULL THEN {literal(f'{column.label}应为整数')} "
            f"{out_of_range}END"
        ),
    )


# --- choices, region codes, text -----------------------------------------------------------------


def choice_key(text: str) -> str:
    return "".join(text.translate(str.maketrans(_FULL, _HALF)).split()).lower()


def _choice_sql(column: ColumnSpec) -> ColumnSql:
    mapping: dict[str, str] = {}
    for value, aliases in column.choices.items():
        for alias in (*aliases, value):
            mapping.setdefault(choice_key(alias), value)
    cases = " ".join(f"WHEN {literal(key)} THEN {literal(value)}" for key, value in mapping.items())
    labels = "、".join(column.choice_label(value) for value in column.choices)
    return ColumnSql(
        clean=f"lower({_squeezed('{raw}')})",
        parsed=f"CASE {{t}} {cases} END",
        reason=(
            f"CASE {_empty_reason(column, '{t}')} "
            f"WHEN {{v}} IS NULL THEN {literal(f'{column.label}应为：{labels}')} END"
        ),
    )


def _region_sql(column: ColumnSpec) -> ColumnSql:
    return ColumnSql(
        clean=_squeezed("{raw}"),
        parsed="CASE WHEN regexp_full_match({t}, '\\d{12}') THEN {t} END",
        reason=(
            f"CASE {_empty_reason(column, '{t}')} "
            f"WHEN {{v}} IS NULL THEN {literal(f'{column.label}应为 12 位统计用区划代码')} END"
        ),
    )


def _text_sql(column: ColumnSpec) -> ColumnSql:
    parsed = "{t}"
    if column.name == "name":
        # 张 三 → 张三: spaces typed to line names up are not part of a Chinese name.
        joined = "regexp_replace({t}, '(\\p{Han}) (\\p{Han})', '\\1\\2', 'g')"
        parsed = (
            "CASE WHEN contains({t}, ' ') THEN "
            f"regexp_replace({joined}, '(\\p{{Han}}) (\\p{{Han}})', '\\1\\2', 'g') ELSE {{t}} END"
        )
    return ColumnSql(
        clean=_spaced("{raw}"),
        parsed=f"CASE WHEN {{t}} <> '' THEN {parsed} END",
        reason=f"CASE {_empty_reason(column, '{t}')} END",
    )


def column_sql(column: ColumnSpec, *, today: dt.date, scale: Decimal = Decimal(1)) -> ColumnSql:
    kind = column.kind
    if kind == ColumnKind.ID_NUMBER:
        return _id_sql(column, today)
    if kind == ColumnKind.DATE:
        return _date_sql(column, today)
    if kind == ColumnKind.MONTH:
        return _month_sql(column, today)
    if kind == ColumnKind.DECIMAL:
        return _decimal_sql(column, scale)
    if kind == ColumnKind.INTEGER:
        return _integer_sql(column)
    if kind == ColumnKind.CHOICE:
        return _choice_sql(column)
    if kind == ColumnKind.REGION_CODE:
        return _region_sql(column)
    return _text_sql(column)


def arrow_type(column: ColumnSpec) -> pa.DataType:
    """The Parquet type a column is stored as (ID numbers as their hex blind index)."""
    return {
        ColumnKind.DATE: pa.date32(),
        ColumnKind.DECIMAL: pa.decimal128(18, 2),
        ColumnKind.INTEGER: pa.int64(),
    }.get(column.kind, pa.string())


def stored_sql(column: ColumnSpec, v: str) -> str:
    """The parsed value as it is stored (months as YYYY-MM text, amounts to the fen)."""
    if column.kind == ColumnKind.MONTH:
        return f"strftime({v}, '%Y-%m')"
    if column.kind == ColumnKind.DECIMAL:
        return f"CAST({v} AS DECIMAL(18, 2))"
    return v


@dataclass(frozen=True)
class Normalised:
    value: Any
    reason: str | None


def normalise_values(
    column: ColumnSpec, values: Sequence[str], *, today: dt.date, scale: Decimal = Decimal(1)
) -> list[Normalised]:
    """The column-wise rules applied to a list of cell texts (previews, tests): the stored value
    or None, and the reason a cell is refused."""
    sql = column_sql(column, today=today, scale=scale)
    con = duckdb.connect()
    try:
        con.register(
            "cells", pa.table({"raw": pa.array(list(values), pa.string()), "i": range(len(values))})
        )
        t = fill(sql.clean, raw="raw")
        a = fill(sql.aux, t="t")
        v = fill(sql.parsed, t="t", a="a")
        rows = con.sql(
            f"SELECT {stored_sql(column, 'v')}, {fill(sql.reason, t='t', v='v')}, t FROM "
            f"(SELECT *, {v} AS v FROM (SELECT *, {a} AS a FROM (SELECT i, {t} AS t FROM cells)))"
            " ORDER BY i"
        ).fetchall()
    finally:
        con.close()
    return [
        Normalised(
            value if reason is None else None,
            id_reason(text, today=today) if reason == ID_REASON else reason,
        )
        for value, reason, text in rows
    ]
