"""Column-wise normalisation: the forms departments write dates, months, amounts, integers,
choices and ID numbers in, and the reasons a cell is refused."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import override_settings
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetynet.feeds.catalogue import ColumnKind, ColumnSpec, source_get
from safetynet.feeds.normalise import normalise_values
from safetynet.feeds.tests.files import id_number, impossible_birth_date, wrong_check_digit
from safetynet.registry.identity import (
    InvalidIdNumber,
    blind_index,
    build_id_number,
    check_char,
    parse_id_number,
)

TODAY = dt.date(2026, 3, 10)


def _one(column: ColumnSpec, text: str, **options: object) -> tuple[object, str | None]:
    [result] = normalise_values(column, [text], today=TODAY, **options)  # type: ignore[arg-type]
    return result.value, result.reason


DATE = source_get("deaths").column("death_date")
MONTH = source_get("pensions").column("month")
AMOUNT = source_get("pensions").column("amount")
GRADE = source_get("disability_certificates").column("grade")
VISIT = source_get("medical_claims").column("visit_type")
REGION = source_get("relapse_watch").column("region_code")
NAME = source_get("deaths").column("name")
ID = source_get("deaths").column("id_number")
OPTIONAL_VALUE = source_get("vehicles").column("value")


@pytest.mark.parametrize(
    "text",
    [
        "2026-01-05",
        "2026/1/5",
        "2026.1.5",
        "2026年1月5日",
        "2026年01月05日",
        "20260105",
        "46027",  # Excel serial number
        "46027.75",  # a serial with a time of day
        "2026-01-05 00:00:00",  # a date cell exported with its time
        "2026-01-05T08:30:00",
        "２０２６－０１－０５",  # full-width
        " 2026-01-05 ",
    ],
)
def test_dates_in_the_forms_departments_use(text: str) -> None:
    assert _one(DATE, text) == (dt.date(2026, 1, 5), None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-02-30", "日期不存在：2026-02-30"),
        ("20261301", "日期不存在：20261301"),
        ("一月五日", "日期格式无法识别，应为 2026-01-05、2026/1/5、2026年1月5日 或 20260105"),
        ("2026-04-01", "日期晚于今天：2026-04-01"),
        ("1899-12-31", "日期早于 1900 年，不合理：1899-12-31"),
        ("", "死亡日期不能为空"),
    ],
)
def test_impossible_dates_are_refused_with_the_reason(text: str, reason: str) -> None:
    assert _one(DATE, text) == (None, reason)


@pytest.mark.parametrize(
    "text", ["2026-01", "202601", "2026年1月", "2026年01月", "2026/1", "2026.01", "2026-01-31"]
)
def test_months(text: str) -> None:
    assert _one(MONTH, text) == ("2026-01", None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2026-13", "月份不存在：2026-13"),
        ("一月", "月份格式无法识别，应为 2026-01、202601 或 2026年1月"),
        ("2026-04", "月份晚于本月：2026-04"),
    ],
)
def test_impossible_months_are_refused(text: str, reason: str) -> None:
    assert _one(MONTH, text) == (None, reason)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1234.5", Decimal("1234.50")),
        ("1,234.50", Decimal("1234.50")),
        ("1，234.50", Decimal("1234.50")),
        ("¥1,234.50", Decimal("1234.50")),
        ("￥1234.50", Decimal("1234.50")),
        ("1234.50元", Decimal("1234.50")),
        ("１２３４．５", Decimal("1234.50")),
        (" 1 234 ", Decimal("1234.00")),
        ("2.675", Decimal("2.68")),
        ("5万元", Decimal("50000.00")),
        ("0", Decimal("0.00")),
    ],
)
def test_amounts(text: str, value: Decimal) -> None:
    assert _one(AMOUNT, text) == (value, None)


def test_an_amount_header_in_ten_thousands_scales_the_column() -> None:
    assert _one(AMOUNT, "12.5", scale=Decimal(10000)) == (Decimal("125000.00"), None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("-5", "养老金金额不能为负数"),
        ("1,23,4", "养老金金额应为数字，如 1,234.50（可带千分位、¥ 或“元”）"),
        ("约一千", "养老金金额应为数字，如 1,234.50（可带千分位、¥ 或“元”）"),
        ("99999999999999999", "养老金金额过大"),
        ("", "养老金金额不能为空"),
    ],
)
def test_bad_amounts_are_refused(text: str, reason: str) -> None:
    assert _one(AMOUNT, text) == (None, reason)


@pytest.mark.parametrize("text", ["", "无", "-"])
def test_an_optional_amount_may_be_left_blank(text: str) -> None:
    assert _one(OPTIONAL_VALUE, text) == (None, None)


@pytest.mark.parametrize(
    ("text", "value"), [("1", 1), ("一级", 1), ("4级", 4), ("三", 3), ("2.0", 2), ("２", 2)]
)
def test_integers_with_bounds(text: str, value: int) -> None:
    assert _one(GRADE, text) == (value, None)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("5", "残疾等级应在 1 到 4 之间"),
        ("0", "残疾等级应在 1 到 4 之间"),
        ("重度", "残疾等级应为整数"),
    ],
)
def test_integers_out_of_bounds_are_refused(text: str, reason: str) -> None:
    assert _one(GRADE, text) == (None, reason)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("住院", "inpatient"),
        ("门诊慢性病", "outpatient_chronic"),
        ("门 特", "outpatient_chronic"),
        ("Outpatient", "outpatient"),
    ],
)
def test_choices_by_their_chinese_aliases(text: str, value: str) -> None:
    assert _one(VISIT, text) == (value, None)


def test_an_unknown_choice_lists_the_allowed_values() -> None:
    assert _one(VISIT, "体检") == (None, "就诊类型应为：住院、门诊慢特病、普通门诊")


def test_region_codes_must_have_12_digits() -> None:
    assert _one(REGION, "４１０１０５００１００１") == ("410105001001", None)
    assert _one(REGION, "410105") == (None, "区划代码应为 12 位统计用区划代码")


def test_spaces_inside_a_chinese_name_are_dropped() -> None:
    assert _one(NAME, "  张　三 丰 ") == ("张三丰", None)
    assert _one(NAME, "Anna Lee") == ("Anna Lee", None)


def test_id_numbers_written_with_full_width_digits_lower_case_x_and_spaces() -> None:
    number = next(n for n in (id_number() for _ in range(200)) if n.endswith("X"))
    spaced = f"{number[:6]} {number[6:14]} {number[14:]}"
    fullwidth = number.translate(str.maketrans("0123456789X", "０１２３４５６７８９ｘ"))
    for text in (number, number.lower(), spaced, fullwidth, f"'{number}"):
        assert _one(ID, text) == (number, None)


@pytest.mark.parametrize(
    ("make", "reason"),
    [
        (
            lambda: "4.10105E+17",
            "身份证号被 Excel 转成了科学计数法（4.10105E+17），原号码已丢失，"
            "请将该列设为文本后重新录入",
        ),
        (lambda: "41010519800101123", "身份证号应为 18 位，实际为 17 位"),
        (lambda: "", "身份证号不能为空"),
    ],
)
def test_damaged_id_numbers_are_refused(make: object, reason: str) -> None:
    assert _one(ID, make()) == (None, reason)  # type: ignore[operator]


def test_a_wrong_check_digit_is_refused_in_the_registers_words() -> None:
    number = wrong_check_digit(id_number())
    expected = check_char(number[:17])

    assert _one(ID, number) == (
        None,
        f"身份证号校验码错误：末位应为 {expected}，实际为 {number[17]}",
    )


def test_an_impossible_birth_date_is_refused() -> None:
    number = impossible_birth_date()

    assert _one(ID, number) == (None, f"身份证号中的出生日期 {number[6:14]} 不是有效日期")


def test_a_birth_date_after_today_is_refused() -> None:
    number = build_id_number(
        address_code="410105", birth_date=dt.date(2026, 5, 1), sequence=1, male=True
    )

    value, reason = _one(ID, number)

    assert value is None
    assert reason == "身份证号中的出生日期 2026-05-01 晚于今天"


_digits = st.text(alphabet="0123456789", min_size=17, max_size=17)


@settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    first17=st.one_of(
        _digits,
        st.builds(
            lambda province, rest, born: province + rest + born.strftime("%Y%m%d") + "123",
            st.sampled_from(["41", "11", "99", "00", "83"]),
            st.text(alphabet="0123456789", min_size=4, max_size=4),
            st.dates(min_value=dt.date(1850, 1, 1), max_value=dt.date(2030, 12, 31)),
        ),
    ),
    last=st.sampled_from("0123456789X"),
)
def test_the_sql_id_check_agrees_with_the_registry(first17: str, last: str) -> None:
    number = first17 + last
    try:
        with override_settings(TIME_ZONE="Asia/Shanghai"):
            parse_id_number(number, today=TODAY)
        expected = True
    except InvalidIdNumber:
        expected = False

    value, _ = _one(ID, number)

    assert (value == number) is expected


@pytest.mark.django_db
def test_the_sql_blind_index_equals_the_registrys() -> None:
    import duckdb

    from safetynet.feeds.storage import blind_index_prepare, blind_index_sql

    number = id_number()
    con = duckdb.connect()
    blind_index_prepare(con)
    [(hashed,)] = con.sql(f"SELECT {blind_index_sql(repr(number))}").fetchall()

    assert hashed == blind_index(number)


@override_settings(BLIND_INDEX_KEY="k" * 100)
def test_the_sql_blind_index_handles_a_key_longer_than_a_block() -> None:
    import duckdb

    from safetynet.feeds.storage import blind_index_prepare, blind_index_sql

    number = id_number()
    con = duckdb.connect()
    blind_index_prepare(con)
    [(hashed,)] = con.sql(f"SELECT {blind_index_sql(repr(number))}").fetchall()

    assert hashed == blind_index(number)


def test_a_custom_text_column_is_trimmed() -> None:
    column = ColumnSpec("note", "备注", ColumnKind.TEXT, required=False)

    assert _one(column, "  有  两处   空格 ") == ("有 两处 空格", None)
