"""The source catalogue page and an administrator adding a source by describing its columns."""

# The fixtures of batch_fixtures are imported by name, and pytest passes them back as arguments.
# ruff: noqa: F401, F811

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from safetynet.audit.models import Action, AuditRecord
from safetynet.feeds.catalogue import source_get
from safetynet.feeds.importing.definitions import columns_parse, columns_text
from safetynet.feeds.models import BatchStatus, FeedBatch, SourceDefinition
from safetynet.feeds.tests.batch_fixtures import administrator, medical_officer, upload_of
from safetynet.feeds.tests.files import id_number, write_csv

pytestmark = pytest.mark.django_db

SUBSIDY_COLUMNS = """\
id_number | 身份证号 | id_number | 必填 | 证件号码,公民身份号码
name | 姓名 | text | 选填
subsidy | 补贴金额 | decimal | 必填 | 发放金额
status | 保障状态 | choice | 必填 | 状态 | active=在保,正常; ended=退出,停保
"""


def definition_form(**changes: str) -> dict[str, str]:
    form = {
        "code": "housing_subsidy",
        "name": "住房保障",
        "department": "housing",
        "description": "一户住房保障对象",
        "columns": SUBSIDY_COLUMNS,
    }
    form.update(changes)
    return form


@pytest.fixture
def admin_client(client: Client, administrator: Any) -> Client:
    client.force_login(administrator)
    return client


def test_catalogue_lists_builtin_sources_with_columns_and_aliases(
    client: Client, county_officer: Any
) -> None:
    client.force_login(county_officer)
    body = client.get("/feeds/sources/").content.decode()
    assert 'id="source-medical_claims"' in body and "医疗类别" in body and "门诊慢特病" in body
    assert "新增数据源" not in body


def test_catalogue_needs_a_feeds_capability(client: Client, jinshui_officer: Any) -> None:
    client.force_login(jinshui_officer)
    assert client.get("/feeds/sources/").status_code == 403


def test_administrator_adds_a_source_and_it_is_listed(admin_client: Client) -> None:
    response = admin_client.post("/feeds/sources/new/", definition_form(), follow=True)
    body = response.content.decode()
    assert "已新增数据源：住房保障（housing_subsidy）" in body
    assert 'id="source-housing_subsidy"' in body and "自定义" in body


def test_added_source_keeps_each_columns_description(admin_client: Client) -> None:
    admin_client.post("/feeds/sources/new/", definition_form())
    spec = source_get("housing_subsidy")
    status = spec.column("status")
    assert (spec.department, status.kind, status.required, status.aliases) == (
        "housing",
        "choice",
        True,
        ("状态",),
    )
    assert dict(status.choices) == {"active": ("在保", "正常"), "ended": ("退出", "停保")}
    assert spec.column("name").required is False


def test_adding_a_source_is_audited(admin_client: Client, administrator: Any) -> None:
    admin_client.post("/feeds/sources/new/", definition_form())
    record = AuditRecord.objects.get(object_type="source_definition")
    assert (record.action, record.actor, record.detail["code"]) == (
        Action.CREATE,
        administrator,
        "housing_subsidy",
    )


def test_each_bad_line_is_reported_with_its_number(admin_client: Client) -> None:
    columns = "id_number | 身份证号 | id_number\namount | 金额 | money\nstatus | 状态 | choice\n"
    body = admin_client.post(
        "/feeds/sources/new/", definition_form(columns=columns)
    ).content.decode()
    assert "第 2 行：类型“money”不存在" in body
    assert "第 3 行：选项类型的字段须列出可选值" in body
    assert SourceDefinition.objects.count() == 0


def test_a_source_without_an_id_number_column_is_refused(admin_client: Client) -> None:
    body = admin_client.post(
        "/feeds/sources/new/", definition_form(columns="amount | 金额 | decimal\n")
    ).content.decode()
    assert "须有一个字段名为 id_number" in body
    assert SourceDefinition.objects.count() == 0


def test_a_builtin_code_cannot_be_taken(admin_client: Client) -> None:
    body = admin_client.post("/feeds/sources/new/", definition_form(code="deaths")).content.decode()
    assert "已被内置数据源使用" in body


def test_county_officer_cannot_add_a_source(client: Client, county_officer: Any) -> None:
    client.force_login(county_officer)
    assert client.post("/feeds/sources/new/", definition_form()).status_code == 403
    assert SourceDefinition.objects.count() == 0


def test_a_batch_of_an_added_source_imports_through_the_upload_page(
    admin_client: Client, county_officer: Any, tmp_path: Path
) -> None:
    admin_client.post("/feeds/sources/new/", definition_form())
    path = write_csv(
        tmp_path / "住房保障.csv",
        [
            ["证件号码", "补贴金额", "状态"],
            [id_number(), "1,200.00", "在保"],
            [id_number(), "800", "停保"],
        ],
    )
    client = Client()
    client.force_login(county_officer)
    client.post(
        "/feeds/upload/",
        {"source": "housing_subsidy", "period": "2026-01", "file": upload_of(path)},
    )
    batch = FeedBatch.objects.get()
    assert (batch.source, batch.status, batch.rows_accepted) == (
        "housing_subsidy",
        BatchStatus.STORED,
        2,
    )


# --- the column lines -----------------------------------------------------------------------------


def test_column_lines_accept_full_width_bars_and_chinese_commas() -> None:
    columns, problems = columns_parse("id_number｜身份证号｜id_number｜必填｜证件号码，身份证")
    assert problems == []
    assert columns[0]["aliases"] == ["证件号码", "身份证"]


def test_column_lines_default_to_a_required_text_column() -> None:
    columns, _ = columns_parse("id_number | 身份证号 | id_number\nremark")
    assert columns[1] == {
        "name": "remark",
        "label": "remark",
        "kind": "text",
        "required": True,
        "aliases": [],
        "choices": {},
    }


def test_a_header_naming_two_columns_is_refused() -> None:
    _, problems = columns_parse(
        "id_number | 身份证号 | id_number\nhead_id | 户主 | id_number | 必填 | 身份证号"
    )
    assert problems == ["第 2 行：列名“身份证号”已用于字段 id_number，会无法区分"]


def test_a_duplicate_column_name_is_refused() -> None:
    _, problems = columns_parse("id_number | 身份证号 | id_number\nid_number | 证件号 | id_number")
    assert problems == ["第 2 行：字段名 id_number 重复"]


def test_choices_on_a_non_choice_column_are_refused() -> None:
    _, problems = columns_parse("id_number | 身份证号 | id_number | 必填 | | a=甲")
    assert problems[0] == "第 1 行：只有选项(choice)类型的字段可以列出可选值"


def test_column_lines_read_back_as_written() -> None:
    columns, _ = columns_parse(SUBSIDY_COLUMNS)
    assert columns_parse(columns_text(columns))[0] == columns


def test_department_officer_sees_only_their_departments_sources(
    client: Client, medical_officer: Any
) -> None:
    client.force_login(medical_officer)
    body = client.get("/feeds/sources/").content.decode()
    assert 'id="source-medical_claims"' in body and 'id="source-deaths"' not in body
