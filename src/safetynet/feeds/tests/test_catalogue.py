"""The source catalogue: built-in sources as the contract lists them, header aliases that never
point two ways, and administrator-defined sources."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from safetynet.feeds.catalogue import (
    BUILTIN_SOURCES,
    ColumnKind,
    FeedImportError,
    source_get,
    source_list,
    spec_from_definition,
)
from safetynet.feeds.importing.readers import alias_map, match_header
from safetynet.feeds.models import SourceDefinition
from safetynet.registry.choices import DisabilityType, SchoolStage
from safetynet.registry.import_format import normalise_header

CONTRACT_COLUMNS = {
    "medical_claims": [
        "id_number",
        "name",
        "settle_date",
        "visit_type",
        "total_cost",
        "insurance_paid",
        "out_of_pocket",
    ],
    "deaths": ["id_number", "name", "death_date"],
    "disability_certificates": [
        "id_number",
        "name",
        "disability_type",
        "grade",
        "issue_date",
        "status",
    ],
    "unemployment": ["id_number", "name", "registered_date", "status"],
    "vehicles": ["id_number", "plate", "vehicle_type", "register_date", "value"],
    "businesses": ["id_number", "company_name", "registered_capital", "status", "established_date"],
    "real_estate": ["id_number", "location", "area_m2", "use_type", "register_date"],
    "disasters": ["id_number", "disaster_type", "event_date", "loss_amount", "house_damage"],
    "students": ["id_number", "name", "school", "stage", "enrolled_date"],
    "relapse_watch": [
        "id_number",
        "name",
        "household_head_id",
        "watch_type",
        "status",
        "region_code",
    ],
    "payroll": ["id_number", "name", "employer"],
    "pensions": ["id_number", "month", "amount"],
    "provident_fund": ["id_number", "month", "deposit"],
    "medical_assistance": ["id_number", "name", "paid_date", "amount"],
    "wages": ["id_number", "month", "amount"],
}
KEEPS_NAME = {"deaths", "disability_certificates", "relapse_watch", "students", "medical_claims"}


def test_the_builtin_sources_have_the_contract_columns() -> None:
    assert {
        spec.code: [c.name for c in spec.columns] for spec in BUILTIN_SOURCES
    } == CONTRACT_COLUMNS


def test_only_sources_that_need_the_name_keep_it() -> None:
    assert {spec.code for spec in BUILTIN_SOURCES if spec.keeps_name} == KEEPS_NAME


@pytest.mark.parametrize(
    ("source", "column", "choices"),
    [
        ("medical_claims", "visit_type", {"inpatient", "outpatient_chronic", "outpatient"}),
        ("disability_certificates", "disability_type", set(DisabilityType.values)),
        ("disability_certificates", "status", {"valid", "revoked"}),
        ("unemployment", "status", {"registered", "ended"}),
        ("businesses", "status", {"active", "closed"}),
        ("real_estate", "use_type", {"residential", "commercial", "other"}),
        ("disasters", "house_damage", {"none", "damaged", "collapsed"}),
        ("students", "stage", set(SchoolStage.values) - {"none"}),
        ("relapse_watch", "watch_type", {"unstable", "at_risk", "sudden_hardship"}),
        ("relapse_watch", "status", {"monitoring", "removed"}),
    ],
)
def test_choice_columns_have_the_contract_values(
    source: str, column: str, choices: set[str]
) -> None:
    spec = source_get(source).column(column)

    assert spec.kind == ColumnKind.CHOICE
    assert set(spec.choices) == choices


@pytest.mark.parametrize("spec", BUILTIN_SOURCES, ids=lambda spec: spec.code)
def test_no_header_names_two_columns_of_a_source(spec: object) -> None:
    seen: dict[str, str] = {}
    for column in spec.columns:  # type: ignore[attr-defined]
        for header in {normalise_header(h) for h in column.headers}:
            assert seen.setdefault(header, column.name) == column.name, header


@pytest.mark.parametrize("spec", BUILTIN_SOURCES, ids=lambda spec: spec.code)
def test_no_alias_names_two_choices_of_a_column(spec: object) -> None:
    for column in spec.columns:  # type: ignore[attr-defined]
        seen: dict[str, str] = {}
        for value, aliases in column.choices.items():
            for alias in aliases:
                assert seen.setdefault(alias, value) == value, (column.name, alias)


@pytest.mark.parametrize(
    ("source", "header", "column"),
    [
        ("deaths", "身份证号", "id_number"),
        ("deaths", "公民身份号码", "id_number"),
        ("deaths", "证件号码", "id_number"),
        ("deaths", "身份证号码", "id_number"),
        ("deaths", "火化日期", "death_date"),
        ("medical_claims", "结算日期", "settle_date"),
        ("disability_certificates", "残疾类别", "disability_type"),
        ("disability_certificates", "残疾等级", "grade"),
        ("disability_certificates", "发证日期", "issue_date"),
        ("vehicles", "号牌号码", "plate"),
        ("vehicles", "车辆类型", "vehicle_type"),
        ("vehicles", "初次登记日期", "register_date"),
        ("businesses", "企业名称", "company_name"),
        ("businesses", "注册资本（万元）", "registered_capital"),
        ("businesses", "成立日期", "established_date"),
        ("businesses", "登记状态", "status"),
        ("real_estate", "坐落", "location"),
        ("real_estate", "建筑面积(平方米)", "area_m2"),
        ("real_estate", "用途", "use_type"),
        ("real_estate", "登记日期", "register_date"),
        ("pensions", "月份", "month"),
        ("pensions", "发放月份", "month"),
        ("pensions", "养老金金额", "amount"),
        ("provident_fund", "缴存额", "deposit"),
        ("relapse_watch", "户主身份证号", "household_head_id"),
        ("payroll", "*姓名", "name"),
        ("payroll", "id_number", "id_number"),
    ],
)
def test_headers_departments_write(source: str, header: str, column: str) -> None:
    assert alias_map(source_get(source)).get(normalise_header(header)) == column


def test_a_header_row_maps_each_column_once() -> None:
    found = match_header(
        ["序号", "身份证号", "姓名", "公民身份号码", "火化日期", "备注"], source_get("deaths")
    )

    assert found == {"id_number": 1, "name": 2, "death_date": 4}


def test_an_unknown_source_is_refused(db: object) -> None:
    with pytest.raises(FeedImportError, match="未知的数据源：horses"):
        source_get("horses")


def _definition(**fields: object) -> SourceDefinition:
    defaults: dict[str, object] = {
        "code": "heating_aid",
        "name": "取暖补贴",
        "department": "civil_affairs",
        "columns": [
            {"name": "id_number", "label": "身份证号", "kind": "id_number"},
            {
                "name": "amount",
                "label": "补贴金额",
                "kind": "decimal",
                "required": False,
                "aliases": ["金额"],
            },
        ],
    }
    defaults.update(fields)
    return SourceDefinition.objects.create(**defaults)


def test_an_active_administrator_defined_source_is_in_the_catalogue(db: object) -> None:
    _definition()

    spec = source_get("heating_aid")

    assert [(c.name, c.kind, c.required) for c in spec.columns] == [
        ("id_number", "id_number", True),
        ("amount", "decimal", False),
    ]
    assert spec.column("amount").aliases == ("金额",)
    assert [s.code for s in source_list()][-1] == "heating_aid"


def test_an_inactive_definition_is_not_a_source(db: object) -> None:
    _definition(active=False)

    with pytest.raises(FeedImportError):
        source_get("heating_aid")
    assert "heating_aid" not in [s.code for s in source_list()]


def test_choices_may_be_given_as_a_mapping_or_a_list(db: object) -> None:
    definition = _definition(
        columns=[
            {"name": "id_number", "label": "身份证号", "kind": "id_number"},
            {
                "name": "kind",
                "label": "类型",
                "kind": "choice",
                "choices": {"coal": ["燃煤", "煤"]},
            },
            {"name": "size", "label": "规格", "kind": "choice", "choices": ["大", "小"]},
        ]
    )

    spec = spec_from_definition(definition)

    assert dict(spec.column("kind").choices) == {"coal": ("燃煤", "煤")}
    assert dict(spec.column("size").choices) == {"大": ("大",), "小": ("小",)}


def test_a_definition_with_an_unknown_kind_is_refused_naming_the_column(db: object) -> None:
    definition = _definition(columns=[{"name": "x", "label": "X", "kind": "colour"}])

    with pytest.raises(FeedImportError, match="字段 x 类型 colour 不存在"):
        spec_from_definition(definition)


def test_the_building_area_is_an_area_not_an_amount(client: Any, county_officer: Any) -> None:
    """不动产 建筑面积 is square metres: the catalogue page and the API say so (issue 11)."""
    column = source_get("real_estate").column("area_m2")
    assert column.unit == "平方米" and column.kind_label == "数值(平方米)"
    client.force_login(county_officer)
    page = client.get(reverse("feeds:source_list")).content.decode()
    row = page[page.index("建筑面积") :][:400]
    assert "数值(平方米)" in row and "金额" not in row
    listed = client.get("/api/feeds/sources").json()
    estate = next(s for s in listed if s["code"] == "real_estate")
    area = next(c for c in estate["columns"] if c["name"] == "area_m2")
    assert area["unit"] == "平方米"
