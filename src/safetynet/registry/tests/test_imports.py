from __future__ import annotations

import hashlib
import io
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook

from conftest import first_below, new_id_number
from safetynet.audit.models import Action, AuditRecord
from safetynet.regions.models import Level, Region
from safetynet.registry import imports, services
from safetynet.registry.identity import blind_index, decrypt_id_number, is_valid_id_number
from safetynet.registry.import_format import COLUMNS, ImportValueError, parse_amount
from safetynet.registry.imports import RowProblem
from safetynet.registry.models import Household, Income, Membership, Person
from safetynet.registry.tests.import_files import (
    HEADERS,
    csv_bytes,
    family,
    table,
    xlsx_bytes,
)
from safetynet.spreadsheets import data_rows

pytestmark = pytest.mark.django_db


@pytest.fixture
def village(jinshui_township: Region) -> Region:
    return first_below(jinshui_township.code, Level.VILLAGE)


def run(actor: Any, content: bytes, name: str = "households.csv") -> imports.ImportResult:
    return imports.households_import(actor=actor, content=content, file_name=name)


def written() -> tuple[int, int, int, int]:
    return (
        Household.objects.count(),
        Person.objects.count(),
        Membership.objects.count(),
        AuditRecord.objects.filter(action=Action.IMPORT).count(),
    )


# --- valid files ---------------------------------------------------------------------------------


def test_valid_csv_creates_households_with_members_and_incomes(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code, head_name="王大山") + family(village.code, head_name="赵小河")
    result = run(jinshui_officer, csv_bytes(table(people)))
    assert (result.problems, len(result.created), result.unchanged) == ([], 2, [])
    household = Household.objects.get(head__name="王大山")
    members = {m.person.name: m for m in household.memberships.select_related("person")}
    assert (household.region_id, household.member_count, household.address) == (
        village.code,
        2,
        "幸福路 1 号",
    )
    assert {name: m.relation for name, m in members.items()} == {"王大山": "02", "李四": "10"}
    spouse = members["李四"].person
    assert (spouse.disability_type, spouse.disability_grade, spouse.labour_capacity) == (
        "physical",
        2,
        "none",
    )
    incomes = {
        (i.person.name, i.kind): i.monthly_amount
        for i in Income.objects.filter(household=household)
    }
    assert incomes == {
        ("王大山", "wages"): Decimal("1200.00"),
        ("王大山", "transfer"): Decimal("300.00"),
    }


@pytest.mark.parametrize(
    ("encoding", "name"),
    [("utf-8-sig", "张三"), ("utf-8", "张三"), ("gbk", "欧阳锋"), ("gb18030", "王䶮")],
)
def test_csv_is_read_in_each_supported_encoding(
    jinshui_officer: Any, village: Region, encoding: str, name: str
) -> None:
    result = run(
        jinshui_officer, csv_bytes(table(family(village.code, head_name=name)), encoding=encoding)
    )
    assert [h.head.name for h in result.created] == [name]


def test_xlsx_values_are_normalised_full_width_digits_spaces_and_lower_case_x(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code, head_name="张 三", wages="１，２００ 元")
    head_id = str(people[0]["身份证号"])
    full_width = (
        " "
        + head_id[:6].translate(str.maketrans("0123456789", "０１２３４５６７８９"))
        + " "
        + head_id[6:]
    )
    people[0]["身份证号"] = full_width
    people[1]["身份证号"] = "11010519491231002x"
    people[0]["区划代码"] = " " + village.code + " "
    result = run(jinshui_officer, xlsx_bytes(table(people)), "households.xlsx")
    assert result.problems == []
    head = Person.objects.get(id_number_hash=blind_index(head_id))
    spouse = Person.objects.get(id_number_hash=blind_index("11010519491231002X"))
    assert (head.name, spouse.id_number_masked) == ("张三", "110***********002X")
    assert Income.objects.get(person=head, kind="wages").monthly_amount == Decimal("1200.00")


def test_title_rows_above_the_header_are_skipped_and_rows_numbered_as_in_the_sheet(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    people[1]["健康状况"] = "很好"
    content = xlsx_bytes(table(people), above=[["金水区低收入家庭花名册"], []])
    result = run(jinshui_officer, content, "households.xlsx")
    assert [(p.row, p.column) for p in result.problems] == [(5, "健康状况")]


def test_header_aliases_and_stray_spaces_in_headers_are_accepted(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    headers = [
        {"户主身份证号": "户主公民身份号码", "身份证号": " 身份证号码 ", "姓名": "姓 名"}.get(h, h)
        for h in HEADERS
    ]
    headers[HEADERS.index("工资性收入")] = "工资性收入（元/月）"
    rows = [headers, *table(people)[1:]]
    result = run(jinshui_officer, csv_bytes(rows))
    assert (result.problems, len(result.created)) == ([], 1)
    assert Income.objects.get(kind="wages").monthly_amount == Decimal("1200.00")


def test_relation_is_read_from_a_code_or_a_name(jinshui_officer: Any, village: Region) -> None:
    people = family(village.code)
    people[1]["与户主关系"] = "10"
    daughter = {"户主身份证号": people[0]["身份证号"], "姓名": "张小", "与户主关系": "女儿"}
    daughter["身份证号"] = new_id_number(village.code[:6], male=False)
    run(jinshui_officer, csv_bytes(table([*people, daughter])))
    assert sorted(Membership.objects.values_list("relation", flat=True)) == ["02", "10", "30"]


def test_unknown_columns_are_ignored_and_named_in_the_result(
    jinshui_officer: Any, village: Region
) -> None:
    rows = table(family(village.code))
    rows = [["序号", *rows[0]], *[[index, *row] for index, row in enumerate(rows[1:], start=1)]]
    result = run(jinshui_officer, csv_bytes(rows))
    assert (result.ignored_columns, len(result.created)) == (["序号"], 1)


# --- problems ------------------------------------------------------------------------------------


def test_any_problem_means_nothing_is_written(jinshui_officer: Any, village: Region) -> None:
    bad = family(village.code)
    bad[1]["残疾等级"] = "五级"
    result = run(jinshui_officer, csv_bytes(table(family(village.code) + bad)))
    assert (len(result.problems), result.created) == (1, [])
    assert written() == (0, 0, 0, 0)


def test_problem_gives_spreadsheet_row_column_value_and_reason(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    people[1]["健康状况"] = "很好"
    result = run(jinshui_officer, csv_bytes(table(people)))
    assert result.problems == [
        RowProblem(3, "健康状况", "很好", "健康状况应为：健康、慢性病、重特大疾病")
    ]


def test_id_stored_as_a_number_in_xlsx_is_reported_as_damaged(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    people[1]["身份证号"] = 410102199001011234
    result = run(jinshui_officer, xlsx_bytes(table(people)), "households.xlsx")
    [problem] = result.problems
    assert (problem.row, problem.column, problem.value) == (3, "身份证号", "4.10102E+17")
    assert "被存成了数字" in problem.reason


def test_scientific_notation_id_in_csv_is_reported_as_damaged(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    people[1]["身份证号"] = "4.10102E+17"
    [problem] = run(jinshui_officer, csv_bytes(table(people))).problems
    assert (problem.row, problem.value) == (3, "4.10102E+17")
    assert "科学计数法" in problem.reason


def test_id_written_as_a_decimal_is_reported_as_damaged(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    people[1]["身份证号"] = str(people[1]["身份证号"])[:17] + "1.0"
    [problem] = run(jinshui_officer, csv_bytes(table(people))).problems
    assert "被存成了小数" in problem.reason


def test_id_that_lost_its_last_digits_is_reported_as_damaged(
    jinshui_officer: Any, village: Region
) -> None:
    truncated = "410102199001011000"
    assert not is_valid_id_number(truncated)
    people = family(village.code)
    people[1]["身份证号"] = truncated
    [problem] = run(jinshui_officer, csv_bytes(table(people))).problems
    assert "截断" in problem.reason


def test_village_outside_the_users_scope_is_a_row_problem(
    zhongyuan_officer: Any, village: Region
) -> None:
    result = run(zhongyuan_officer, csv_bytes(table(family(village.code))))
    assert result.problems == [
        RowProblem(2, "区划代码", village.code, "区划代码不是您管辖范围内的村(居)委会")
    ]
    assert written() == (0, 0, 0, 0)


def test_missing_required_column_is_reported_at_the_header_row(
    jinshui_officer: Any, village: Region
) -> None:
    headers = [h for h in HEADERS if h != "与户主关系"]
    result = run(jinshui_officer, csv_bytes(table(family(village.code), headers)))
    assert result.problems == [RowProblem(1, "与户主关系", "", "缺少必需的列“与户主关系”")]


def test_file_without_a_header_row_is_reported(jinshui_officer: Any) -> None:
    result = run(jinshui_officer, csv_bytes([["甲", "乙"], ["1", "2"]]))
    assert result.problems == [
        RowProblem(None, "", "", "未找到表头行：表头须包含“姓名”和“身份证号”两列，请使用导入模板")
    ]


def test_household_without_the_heads_own_row_is_reported(
    jinshui_officer: Any, village: Region
) -> None:
    spouse_only = family(village.code)[1:]
    [problem] = run(jinshui_officer, csv_bytes(table(spouse_only))).problems
    assert (problem.row, problem.column) == (2, "户主身份证号")
    assert "没有户主本人的行" in problem.reason


def test_only_the_heads_own_row_may_say_head(jinshui_officer: Any, village: Region) -> None:
    people = family(village.code)
    people[1]["与户主关系"] = "户主"
    result = run(jinshui_officer, csv_bytes(table(people)))
    assert result.problems == [
        RowProblem(3, "与户主关系", "户主", "只有户主本人所在行的与户主关系可以填“户主”")
    ]


def test_heads_own_row_may_say_self_instead_of_head(jinshui_officer: Any, village: Region) -> None:
    people = family(village.code)
    people[0]["与户主关系"] = "本人"
    result = run(jinshui_officer, csv_bytes(table(people)))
    assert (result.problems, result.created[0].head.name) == ([], "张三")


def test_id_repeated_in_the_file_is_reported_with_the_first_row(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    other = family(village.code)
    other[1]["身份证号"] = people[1]["身份证号"]
    problems = run(jinshui_officer, csv_bytes(table(people + other))).problems
    assert [(p.row, p.column, p.reason) for p in problems] == [
        (5, "身份证号", "身份证号与第 3 行重复")
    ]


def test_member_row_naming_another_village_than_the_head_is_reported(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    people[1]["区划代码"] = "410105001006"
    [problem] = run(jinshui_officer, csv_bytes(table(people))).problems
    assert (problem.row, problem.column, problem.value) == (3, "区划代码", "410105001006")


def test_person_already_in_another_household_is_reported(
    jinshui_officer: Any, village: Region, make_household: Any
) -> None:
    existing = make_household(jinshui_officer, village=village)
    people = family(village.code)
    people[1]["身份证号"] = decrypt_id_number(existing.head.id_number_encrypted)
    [problem] = run(jinshui_officer, csv_bytes(table(people))).problems
    assert (problem.row, problem.reason) == (3, "此人已登记在另一户中")


def test_xls_file_is_refused_with_a_clear_reason(jinshui_officer: Any) -> None:
    result = run(jinshui_officer, b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504), "old.xls")
    assert [p.reason for p in result.problems] == [
        "暂不支持 .xls 格式，请在 Excel 中另存为 .xlsx 后再导入"
    ]


def test_village_assistant_may_not_import(village_assistant: Any, village: Region) -> None:
    with pytest.raises(services.PermissionDenied):
        run(village_assistant, csv_bytes(table(family(village.code))))


# --- idempotency and audit -----------------------------------------------------------------------


def test_reimporting_the_same_file_creates_nothing(jinshui_officer: Any, village: Region) -> None:
    content = csv_bytes(table(family(village.code) + family(village.code)))
    first = run(jinshui_officer, content)
    before = written()
    second = run(jinshui_officer, content)
    assert (second.problems, second.created) == ([], [])
    assert sorted(second.unchanged) == sorted(h.pk for h in first.created)
    assert written() == before


def test_reimport_that_adds_a_member_is_a_row_problem(
    jinshui_officer: Any, village: Region
) -> None:
    people = family(village.code)
    run(jinshui_officer, csv_bytes(table(people)))
    child = {"户主身份证号": people[0]["身份证号"], "姓名": "张小", "与户主关系": "子"}
    child["身份证号"] = new_id_number(village.code[:6])
    result = run(jinshui_officer, csv_bytes(table([*people, child])))
    assert result.problems == [
        RowProblem(4, "身份证号", str(child["身份证号"]), "该户已登记，如需修改请在系统中编辑")
    ]


def test_successful_import_writes_one_audit_record_with_file_hash_and_ids(
    jinshui_officer: Any, village: Region
) -> None:
    content = csv_bytes(table(family(village.code) + family(village.code)))
    result = run(jinshui_officer, content, "名单.csv")
    [record] = AuditRecord.objects.filter(object_type__startswith="household")
    assert (record.action, record.object_type, record.actor) == (
        Action.IMPORT,
        "household_import",
        jinshui_officer,
    )
    assert record.detail == {
        "file_name": "名单.csv",
        "sha256": hashlib.sha256(content).hexdigest(),
        "rows": 4,
        "households_in_file": 2,
        "created": 2,
        "unchanged": 0,
        "persons": 4,
        "household_ids": [h.pk for h in result.created],
    }


# --- workbooks -----------------------------------------------------------------------------------


def test_error_report_lists_file_name_and_row_column_value_reason() -> None:
    problems = [RowProblem(3, "身份证号", "4.10102E+17", "身份证号被存成了数字")]
    content = imports.error_report_workbook(file_name="名单.xlsx", problems=problems)
    rows = data_rows(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "导入文件：名单.xlsx"
    assert rows[1:] == [
        ("行号", "列", "值", "原因"),
        (3, "身份证号", "4.10102E+17", "身份证号被存成了数字"),
    ]


def test_template_header_row_is_recognised_by_the_importer() -> None:
    parsed = imports.parse_file(content=imports.template_workbook(), file_name="模板.xlsx")
    assert parsed.problems == [RowProblem(1, "", "", "表头下面没有数据行")]
    assert list(parsed.headers.values()) == HEADERS


def test_template_formats_id_and_code_columns_as_text() -> None:
    sheet = load_workbook(io.BytesIO(imports.template_workbook()))["家庭成员"]
    text_columns = {
        sheet.cell(1, c).value
        for c in range(1, len(HEADERS) + 1)
        if sheet.cell(2, c).number_format == "@"
    }
    assert text_columns == {"户主身份证号", "区划代码", "联系电话", "身份证号"}


def test_template_instructions_list_every_column_with_allowed_values() -> None:
    sheet = load_workbook(io.BytesIO(imports.template_workbook()))["填写说明"]
    rows = {row[0]: row for row in sheet.iter_rows(min_row=6, values_only=True)}
    assert list(rows) == [column.header for column in COLUMNS]
    assert rows["健康状况"][3] == "健康、慢性病、重特大疾病"
    assert rows["身份证号"][1] == "必填"


def test_template_example_household_imports_cleanly(jinshui_officer: Any, village: Region) -> None:
    template = load_workbook(
        io.BytesIO(imports.template_workbook(example_village_code=village.code))
    )
    example = [list(row) for row in template["填写示例"].iter_rows(max_row=4, values_only=True)]
    result = run(jinshui_officer, xlsx_bytes(example), "example.xlsx")
    assert (result.problems, [h.member_count for h in result.created]) == ([], [3])


# --- amounts -------------------------------------------------------------------------------------

_FULL_WIDTH = str.maketrans("0123456789,.", "０１２３４５６７８９，．")


@given(
    amount=st.decimals(min_value=0, max_value=Decimal("999999999.99"), places=2),
    full_width=st.booleans(),
    yuan=st.booleans(),
)
def test_amount_parses_back_from_separators_full_width_digits_and_yuan(
    amount: Decimal, full_width: bool, yuan: bool
) -> None:
    text = f"{amount:,.2f}"
    text = text.translate(_FULL_WIDTH) if full_width else text
    assert parse_amount(f" {text}{'元' if yuan else ''} ") == amount


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        (1234.5, Decimal("1234.50")),
        ("¥1 234", Decimal("1234.00")),
        ("833.3333", Decimal("833.33")),
    ],
)
def test_amount_accepts_numbers_blanks_and_currency_signs(
    raw: object, expected: Decimal | None
) -> None:
    assert parse_amount(raw) == expected


@pytest.mark.parametrize("raw", ["-5", "12,34", "一千", "1.2.3"])
def test_amount_rejects_what_is_not_a_non_negative_number(raw: str) -> None:
    with pytest.raises(ImportValueError):
        parse_amount(raw)
