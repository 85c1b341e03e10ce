"""Reading the classifier's facts from the JSON format and from the registry, and writing the
classification back to JSON."""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import new_id_number
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.facts import classification_to_json, facts_from_household
from safetynet.policy.assessment.json_format import (
    facts_from_json,
    standards_from_overrides,
    standards_with_overrides,
)
from safetynet.policy.assessment.json_reader import FactsError
from safetynet.policy.common import ExpenditureRule, Standards, Vehicle
from safetynet.registry import services
from safetynet.registry.identity import decrypt_id_number, mask_id_number
from safetynet.registry.inputs import AssetInput, ExpenditureInput, IncomeInput, MemberInput
from safetynet.registry.models import Membership

HEAD_ID = "410225195001010014"  # born 1950-01-01
CHILD_ID = "410225201501010027"  # born 2015-01-01

VALID: dict[str, Any] = {
    "region": "410225",
    "date": "2026-06-30",
    "residence": "rural",
    "standards": {"dibao_monthly": "480.00", "disposable_income_monthly": 1500},
    "members": [
        {
            "id_number": HEAD_ID,
            "relation": "02",
            "income": {"wages": 300, "transfer": "20.5", "excluded": 120},
        },
        {
            "id_number": CHILD_ID,
            "relation": "子",
            "disability": {"type": "physical", "grade": 2},
            "in_school": True,
            "serious_illness": False,
            "labour_capacity": "none",
        },
    ],
    "assets": {
        "financial": 5000,
        "vehicles": [{"value": 8000, "for_disability": True}],
        "dwellings": 1,
        "business_capital": 0,
    },
    "rigid_expenditure_12m": {"medical": "1200.50", "education": 300},
    "supporters": [
        {"able_to_support": False},
        {"able_to_support": True, "supported_id_number": CHILD_ID},
    ],
    "relapse_watch": "at_risk",
}


def invalid(**changes: Any) -> dict[str, Any]:
    data = copy.deepcopy(VALID)
    data.update(changes)
    return data


def problems(data: Any) -> dict[str, str]:
    with pytest.raises(FactsError) as caught:
        facts_from_json(data)
    return {p.path: p.reason for p in caught.value.problems}


# --- JSON in --------------------------------------------------------------------------------


def test_valid_json_reads_every_field() -> None:
    facts, _ = facts_from_json(VALID)
    head, child = facts.members
    assert (facts.region_code, facts.on, facts.residence) == (
        "410225000000",
        dt.date(2026, 6, 30),
        "rural",
    )
    assert head.birth_date == dt.date(1950, 1, 1)
    assert head.income.counted == Decimal("320.5")
    assert head.income.excluded == Decimal("120")
    assert child.relation == "20"
    assert (child.disability_type, child.disability_grade, child.in_school) == ("physical", 2, True)
    assert child.labour_capacity == "none"
    assert facts.assets.vehicles == (Vehicle(value=Decimal("8000"), for_disability=True),)
    assert facts.rigid_expenditure_12m.total == Decimal("1500.50")
    assert facts.supporters[1].supported_id_number == CHILD_ID
    assert facts.relapse_watch == "at_risk"


def test_optional_parts_default_to_nothing() -> None:
    facts, overrides = facts_from_json(
        {"region": "410225", "date": "2026-06-30", "residence": "urban", "members": []}
    )
    assert facts.members == ()
    assert facts.assets.financial == Decimal("0")
    assert (facts.relapse_watch, facts.supporters, overrides) == ("", (), {})


def test_overrides_are_read_with_their_types() -> None:
    data = invalid(
        standards={
            "dibao_monthly": 480,
            "near_dibao_multiplier": "2",
            "max_dwellings": 2,
            "expenditure_rule": "after_expenditure",
        }
    )
    _, overrides = facts_from_json(data)
    assert overrides == {
        "dibao_monthly": Decimal("480"),
        "near_dibao_multiplier": Decimal("2"),
        "max_dwellings": 2,
        "expenditure_rule": "after_expenditure",
    }


def test_every_problem_is_reported_with_its_json_path() -> None:
    data = invalid(
        date="2026/06/30",
        residence="town",
        relapse_watch="poor",
        standards={"dibao_monthly": "abc", "vehicle_limit": 1},
        assets={"financial": -5, "vehicles": [{"for_disability": "yes"}], "dwellings": 1.5},
    )
    data["members"][1]["id_number"] = "410225201501010023"
    data["members"][0]["income"]["wages"] = "12.345"
    data["members"][0]["age"] = 70
    found = problems(data)
    assert found == {
        "date": "日期应写成 YYYY-MM-DD，实际为 '2026/06/30'",
        "residence": "“town”不是可选值（可选：urban、rural）",
        "relapse_watch": "“poor”不是可选值（可选：unstable、at_risk、sudden_hardship）",
        "standards.dibao_monthly": "“abc”不是数字",
        "standards.vehicle_limit": "未知字段",
        "assets.financial": "不能为负数（-5）",
        "assets.vehicles[0].value": "缺少机动车价值",
        "assets.vehicles[0].for_disability": "应为 true 或 false，实际为 字符串",
        "assets.dwellings": "应为非负整数，实际为 数字",
        "members[1].id_number": "身份证号校验码错误：末位应为 7，实际为 3",
        "members[0].income.wages": "最多 2 位小数（12.345）",
        "members[0].age": "未知字段",
        "supporters[1].supported_id_number": "不是本户成员的身份证号",
    }


def test_missing_required_fields_are_reported() -> None:
    assert problems({"members": [{"relation": "02"}]}) == {
        "region": "缺少区划代码",
        "date": "缺少评估日期",
        "residence": "缺少城乡类别（urban 或 rural）",
        "members[0].id_number": "缺少身份证号",
    }


def test_id_number_given_as_a_number_is_refused() -> None:
    data = invalid()
    data["members"][0]["id_number"] = 410225195001010014
    assert "加引号" in problems(data)["members[0].id_number"]


def test_duplicate_member_is_reported() -> None:
    data = invalid()
    data["members"][1]["id_number"] = HEAD_ID
    assert problems(data)["members[1].id_number"] == "与 members[0] 的身份证号重复"


def test_member_born_after_the_date_is_reported() -> None:
    assert "晚于评估日期" in problems(invalid(date="2014-12-31"))["members[1].id_number"]


def test_disability_grade_out_of_range_is_reported() -> None:
    data = invalid()
    data["members"][1]["disability"] = {"type": "physical", "grade": 5}
    assert problems(data) == {"members[1].disability.grade": "残疾等级应为 1 至 4 的整数，实际为 5"}


def test_top_level_must_be_an_object() -> None:
    assert problems([1, 2]) == {"$": "顶层应为对象（{…}），实际为 数组"}


def test_facts_error_message_lists_one_problem_per_line() -> None:
    with pytest.raises(FactsError) as caught:
        facts_from_json(invalid(date=None, residence=None))
    assert str(caught.value).splitlines() == [
        "date: 缺少评估日期",
        "residence: 缺少城乡类别（urban 或 rural）",
    ]


# --- standards overrides --------------------------------------------------------------------


def test_overrides_replace_configured_figures_and_record_their_source() -> None:
    configured = Standards(
        dibao_monthly=Decimal("560.00"), provenance={"dibao_monthly": "410000 河南省"}
    )
    standards = standards_with_overrides(
        configured,
        {"disposable_income_monthly": Decimal("1500.50"), "expenditure_rule": "after_expenditure"},
    )
    assert standards.dibao_monthly == Decimal("560.00")
    assert standards.disposable_income_annual == Decimal("18006.00")
    assert standards.expenditure_rule is ExpenditureRule.AFTER_EXPENDITURE
    assert standards.provenance == {
        "dibao_monthly": "410000 河南省",
        "disposable_income_annual": "输入文件指定",
        "expenditure_rule": "输入文件指定",
    }


def test_standards_from_overrides_alone_use_the_defaults() -> None:
    standards = standards_from_overrides({"dibao_monthly": Decimal("480")})
    assert standards.dibao_monthly == Decimal("480")
    assert standards.near_dibao_multiplier == Decimal("1.5")


# --- JSON out -------------------------------------------------------------------------------


def test_classification_json_has_the_documented_shape() -> None:
    facts, overrides = facts_from_json(VALID)
    out = classification_to_json(classify(facts, standards_from_overrides(overrides)))
    assert set(out) == {"category", "members", "reasons", "valid_until", "standards"}
    # The head (76, own income below the standard, no able supporter) is destitute; the
    # child's supporter is able.
    assert out["category"] == "dibao"
    assert out["members"] == [
        {"id_number": HEAD_ID, "category": "destitute"},
        {"id_number": CHILD_ID, "category": "dibao"},
    ]
    first = out["reasons"][0]
    assert set(first) == {"code", "met", "text", "clause", "figures", "member"}
    assert out["standards"]["dibao_monthly"] == "480.00"


def test_classification_json_masks_id_numbers_when_asked() -> None:
    facts, overrides = facts_from_json(VALID)
    out = classification_to_json(classify(facts, standards_from_overrides(overrides)), mask=True)
    text = repr(out)
    assert HEAD_ID not in text and CHILD_ID not in text
    assert out["members"][0]["id_number"] == mask_id_number(HEAD_ID)


# --- from the registry ----------------------------------------------------------------------

ON = dt.date(2026, 6, 30)


@pytest.fixture
def registry_household(jinshui_officer: Any, make_household: Any) -> Any:
    head_id = new_id_number(born=dt.date(1950, 3, 1))
    household = make_household(
        jinshui_officer,
        members=[
            MemberInput(
                id_number=head_id,
                name="张老汉",
                relation="02",
                health_status="serious",
                incomes=[
                    IncomeInput(kind="wages", monthly_amount=Decimal("300.00")),
                    IncomeInput(kind="wages", monthly_amount=Decimal("50.00")),
                    IncomeInput(kind="excluded", monthly_amount=Decimal("100.00")),
                ],
            ),
            MemberInput(
                id_number=new_id_number(born=dt.date(2008, 5, 1)),
                name="张小",
                relation="20",
                school_stage="university",
                disability_type="intellectual",
                disability_grade=3,
            ),
            MemberInput(
                id_number=new_id_number(),
                name="外出务工",
                relation="30",
                co_resident=False,
                incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("9000.00"))],
            ),
        ],
        assets=[
            AssetInput(kind="deposit", value=Decimal("3000.00")),
            AssetInput(kind="securities", value=Decimal("2000.00")),
            AssetInput(kind="vehicle", value=Decimal("50000.00")),
            AssetInput(kind="vehicle", value=Decimal("8000.00"), for_disability=True),
            AssetInput(kind="real_estate", value=Decimal("100000.00")),
            AssetInput(kind="real_estate", value=Decimal("80000.00")),
            AssetInput(kind="business", value=Decimal("10000.00")),
        ],
        expenditures=[
            ExpenditureInput(kind="medical", amount=Decimal("1000.00"), incurred_on=ON),
            # First day of the 12 months up to ON: counted.
            ExpenditureInput(
                kind="education", amount=Decimal("500.00"), incurred_on=dt.date(2025, 7, 1)
            ),
            # Same date a year earlier: outside.
            ExpenditureInput(
                kind="medical", amount=Decimal("700.00"), incurred_on=dt.date(2025, 6, 30)
            ),
        ],
        relapse_watch="unstable",
    )
    head = household.head
    services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="长子",
        id_number="",
        relation="20",
        able_to_support=True,
        supported_person=head,
    )
    services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="女儿",
        id_number="",
        relation="30",
        able_to_support=False,
    )
    return household


@pytest.mark.django_db
def test_facts_from_household_reads_current_co_resident_members(registry_household: Any) -> None:
    facts = facts_from_household(household=registry_household, on=ON)
    head, child = facts.members
    assert [m.name for m in facts.members] == ["张老汉", "张小"]
    assert head.id_number == decrypt_id_number(registry_household.head.id_number_encrypted)
    assert head.person_id == registry_household.head_id
    assert head.income.wages == Decimal("350.00")
    assert head.income.excluded == Decimal("100.00")
    assert head.serious_illness and not head.in_school
    assert child.in_school and (child.disability_type, child.disability_grade) == (
        "intellectual",
        3,
    )
    assert (facts.residence, facts.relapse_watch, facts.household_id) == (
        registry_household.residence,
        "unstable",
        registry_household.pk,
    )


@pytest.mark.django_db
def test_facts_from_household_sums_assets_by_rule(registry_household: Any) -> None:
    assets = facts_from_household(household=registry_household, on=ON).assets
    assert assets.financial == Decimal("5000.00")
    assert sorted(assets.vehicles, key=lambda v: v.value) == [
        Vehicle(value=Decimal("8000.00"), for_disability=True),
        Vehicle(value=Decimal("50000.00"), for_disability=False),
    ]
    assert (assets.dwellings, assets.business_capital) == (2, Decimal("10000.00"))


@pytest.mark.django_db
def test_facts_from_household_counts_rigid_expenditure_of_the_last_12_months(
    registry_household: Any,
) -> None:
    spent = facts_from_household(household=registry_household, on=ON).rigid_expenditure_12m
    assert (spent.medical, spent.education) == (Decimal("1000.00"), Decimal("500.00"))


@pytest.mark.django_db
def test_facts_from_household_links_supporters_to_members(registry_household: Any) -> None:
    facts = facts_from_household(household=registry_household, on=ON)
    head = facts.members[0]
    assert [(s.able_to_support, s.supported_id_number) for s in facts.supporters] == [
        (True, head.id_number),
        (False, ""),
    ]


@pytest.mark.django_db
def test_facts_from_household_leaves_out_members_who_left(
    registry_household: Any, jinshui_officer: Any
) -> None:
    child = registry_household.memberships.get(relation="20").person
    services.member_remove(
        actor=jinshui_officer, household=registry_household, person=child, reason="外出就学"
    )
    facts = facts_from_household(household=registry_household, on=ON)
    assert [m.name for m in facts.members] == ["张老汉"]


@pytest.mark.django_db
def test_facts_from_household_runs_a_fixed_number_of_queries(
    registry_household: Any, jinshui_officer: Any, django_assert_max_num_queries: Any
) -> None:
    for _ in range(3):
        services.member_add(
            actor=jinshui_officer,
            household=registry_household,
            member=MemberInput(id_number=new_id_number(), name="新成员", relation="30"),
        )
    assert Membership.objects.filter(household=registry_household).count() == 6
    with django_assert_max_num_queries(6):
        facts_from_household(household=registry_household, on=ON)


# --- issue 10: the optional inputs -------------------------------------------------------------


def test_new_optional_inputs_are_read() -> None:
    data = copy.deepcopy(VALID)
    data["members"][1].update(
        {
            "school_stage": "vocational",
            "destitute_since": "2024-03-01",
            "recorded_category": "destitute",
            "employed": False,
        }
    )
    data["members"][0].update({"legal_status": "imprisoned", "other_inability": "重病患者"})
    data["rigid_expenditure_12m"]["accident"] = "800.00"
    data["income_year_earlier_12m"] = 36000
    data["income_before_drop"] = {"monthly": 3000, "on": "2026-01-31"}
    data["supporters"][0].update({"relation": "父亲", "id_number": HEAD_ID, "note": "服刑"})
    data["standards"].update({"income_drop_share": "0.4", "employment_cost_monthly": 200})
    facts, overrides = facts_from_json(data)
    head, child = facts.members
    assert (child.school_stage, child.in_school, child.employed) == ("vocational", True, False)
    assert (child.destitute_since, child.recorded_category) == (dt.date(2024, 3, 1), "destitute")
    assert (head.legal_status, head.other_inability, head.employed) == (
        "imprisoned",
        "重病患者",
        None,
    )
    assert facts.rigid_expenditure_12m.accident == Decimal("800.00")
    assert facts.rigid_expenditure_12m.total == Decimal("2300.50")
    assert facts.income_year_earlier_12m == Decimal("36000")
    assert (facts.income_before_drop_monthly, facts.income_before_drop_on) == (
        Decimal("3000"),
        dt.date(2026, 1, 31),
    )
    supporter = facts.supporters[0]
    assert (supporter.relation, supporter.id_number, supporter.note) == ("51", HEAD_ID, "服刑")
    assert overrides["income_drop_share"] == Decimal("0.4")
    assert overrides["employment_cost_monthly"] == Decimal("200")


def test_new_optional_inputs_are_checked() -> None:
    data = copy.deepcopy(VALID)
    data["members"][1].update(
        {
            "school_stage": "college",
            "destitute_since": "2027-01-01",
            "recorded_category": "near_dibao",
            "legal_status": "absent",
        }
    )
    data["income_before_drop"] = {"monthly": 3000}
    found = problems(data)
    assert set(found) >= {
        "members[1].school_stage",
        "members[1].destitute_since",
        "members[1].recorded_category",
        "members[1].legal_status",
        "income_before_drop.on",
    }


def test_a_file_without_the_new_inputs_reads_as_before() -> None:
    facts, _ = facts_from_json(VALID)
    child = facts.members[1]
    assert (child.school_stage, child.destitute_since, child.recorded_category) == ("", None, "")
    assert facts.income_year_earlier_12m is None and facts.income_before_drop_on is None


@pytest.mark.django_db
def test_facts_from_household_reads_the_art_9_facts_and_own_statuses(
    registry_household: Any, jinshui_officer: Any
) -> None:
    child = registry_household.memberships.get(relation="20").person
    child.legal_status = "missing"
    child.other_inability = "重病患者"
    child.save(update_fields=["legal_status", "other_inability"])
    services.category_set(
        actor=jinshui_officer,
        household=registry_household,
        category="destitute",
        effective_from=dt.date(2020, 1, 1),
        reason="认定",
        person=child,
    )
    registry_household.income_before_drop_monthly = Decimal("4000.00")
    registry_household.income_before_drop_on = dt.date(2026, 2, 1)
    registry_household.save(update_fields=["income_before_drop_monthly", "income_before_drop_on"])
    facts = facts_from_household(household=registry_household, on=ON)
    head, member = facts.members
    assert (member.school_stage, member.legal_status, member.other_inability) == (
        "university",
        "missing",
        "重病患者",
    )
    assert (member.recorded_category, member.destitute_since) == ("destitute", dt.date(2020, 1, 1))
    assert (head.recorded_category, head.destitute_since) == ("", None)
    assert (facts.income_before_drop_monthly, facts.income_before_drop_on) == (
        Decimal("4000.00"),
        dt.date(2026, 2, 1),
    )
