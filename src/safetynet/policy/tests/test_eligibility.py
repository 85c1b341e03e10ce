"""Issue 10 on both engines: legal supporters from the household's own members (民法典 1059,
1067, 1074, 1075), their ability under 《特困人员认定办法》 art. 9, the destitute minors, the
all-destitute household, the income drop, accident costs and the employment-cost deduction.

Every case is classified row by row (with its reasons) and by the DuckDB engine, which must
agree; the hypothesis test draws households with co-resident supporters of every relation and
every art. 9 case."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from safetynet.policy import bulk
from safetynet.policy.assessment import rules
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.terms import shift_years
from safetynet.policy.common import (
    Classification,
    HouseholdAssets,
    HouseholdFacts,
    MemberFacts,
    MemberIncome,
    RigidExpenditure12m,
    Standards,
    Supporter,
)
from safetynet.registry.identity import build_id_number, mask_id_number

ON = dt.date(2026, 6, 30)
S = Decimal("560.00")
STANDARDS = Standards(
    dibao_monthly=S,
    disposable_income_annual=Decimal("24000.00"),
    rigid_expenditure_share=Decimal("0.5"),
    vehicle_value_limit=Decimal("30000.00"),
    business_capital_limit=Decimal("50000.00"),
)
COUNTY = "410225"
_seq = itertools.count(1)


def person(
    age: int, relation: str, *, wages: str = "0", male: bool = True, **fields: Any
) -> MemberFacts:
    birth = dt.date(ON.year - age, 1, 15)
    number = build_id_number(address_code=COUNTY, birth_date=birth, sequence=next(_seq), male=male)
    return MemberFacts(
        id_number=number,
        relation=relation,
        birth_date=birth,
        income=MemberIncome(wages=Decimal(wages)),
        **fields,
    )


_hid = itertools.count(1)


def household(*members: MemberFacts, **fields: Any) -> HouseholdFacts:
    return HouseholdFacts(
        region_code=COUNTY + "100200",
        on=ON,
        residence="urban",
        members=members,
        household_id=next(_hid),
        **fields,
    )


def both(facts: HouseholdFacts, standards: Standards = STANDARDS) -> Classification:
    """The row-by-row result, after checking that the engine proposes the same categories."""
    result = classify(facts, standards)
    numbered = dataclasses.replace(
        facts,
        members=tuple(dataclasses.replace(m, person_id=i + 1) for i, m in enumerate(facts.members)),
    )
    tables = bulk.tables_from_facts([numbered], standards={(COUNTY, facts.residence): standards})
    outputs = bulk.DuckDBEngine().run(bulk.BulkInputs(on=facts.on, tables=tables))
    assert outputs.households.column("proposed").to_pylist() == [result.category]
    by_person = {r["person_id"]: r["category"] for r in outputs.members.to_pylist()}
    engine_members = [by_person[i + 1] for i in range(len(facts.members))]
    assert engine_members == [m.category for m in result.members]
    return result


def categories(result: Classification) -> list[str]:
    return [m.category for m in result.members]


def reason(result: Classification, code: str, member: MemberFacts | None = None) -> Any:
    wanted = member.id_number if member else ""
    return next(r for r in result.reasons if r.code == code and r.member == wanted)


# --- the three cases of the issue ------------------------------------------------------------


def test_two_year_old_with_father_earning_9650_is_not_destitute() -> None:
    father = person(30, "02", wages="9650.00")
    daughter = person(2, "30", male=False)
    result = both(household(father, daughter))
    assert result.category == "none"
    found = reason(result, "destitute_no_supporter", daughter)
    assert not found.met
    assert f"父亲 {mask_id_number(father.id_number)} 有抚养能力（月收入 9650.00 元）" in found.text


def test_seventy_eight_year_old_with_working_son_of_fifty_is_not_destitute() -> None:
    old = person(78, "02")
    son = person(50, "20", wages="3000.00")
    result = both(household(old, son))
    assert result.category == "none"
    assert (
        f"儿子 {mask_id_number(son.id_number)} 有赡养能力（月收入 3000.00 元）"
        in reason(result, "destitute_no_supporter", old).text
    )


def test_son_with_grade_3_mental_disability_and_father_on_1300_is_individual_dibao() -> None:
    father = person(66, "02", wages="1300.00")
    son = person(40, "20", disability_type="mental", disability_grade=3)
    result = both(household(father, son))
    assert result.category == "near_dibao"
    assert categories(result) == ["near_dibao", "individual_dibao"]
    assert not reason(result, "destitute_no_supporter", son).met
    assert "父亲" in reason(result, "destitute_no_supporter", son).text


# --- who is a legal supporter ------------------------------------------------------------------


def test_spouse_is_a_supporter_and_unable_at_seventy_without_income() -> None:
    husband = person(75, "02")
    wife = person(72, "10", male=False)
    result = both(household(husband, wife))
    # Each is the other's only supporter and unable (art. 9(3)): both destitute, and the
    # household is a destitute household, not a dibao one.
    assert result.category == "destitute"
    assert categories(result) == ["destitute", "destitute"]
    text = reason(result, "destitute_no_supporter", husband).text
    assert (
        f"妻子 {mask_id_number(wife.id_number)} 无履行义务能力（72 岁，本人年收入 0.00 元" in text
    )
    assert "《特困人员认定办法》第九条第（三）项" in text


def test_one_person_destitute_household_is_destitute_not_dibao() -> None:
    result = both(household(person(80, "02")))
    assert result.category == "destitute"
    assert categories(result) == ["destitute"]


def test_spouse_of_fifty_who_earns_nothing_is_able() -> None:
    # Art. 9 lists no case for a spouse of 50 without income who receives no dibao.
    result = both(household(person(80, "02", male=False), person(50, "10")))
    assert result.category == "dibao"
    assert categories(result) == ["dibao", "dibao"]


def test_dibao_recipient_of_sixty_is_unable() -> None:
    old = person(80, "02")
    wife = person(62, "10", male=False, recorded_category="dibao")
    result = both(household(old, wife))
    assert categories(result) == ["destitute", "destitute"]
    assert "最低生活保障对象，《特困人员认定办法》第九条第（二）项" in (
        reason(result, "destitute_no_supporter", old).text
    )


def test_recorded_destitute_supporter_is_unable() -> None:
    old = person(80, "02")
    wife = person(50, "10", male=False, recorded_category="destitute")
    result = both(household(old, wife, person(40, "99", wages="5000.00")))
    assert categories(result)[0] == "destitute"
    assert "特困人员，《特困人员认定办法》第九条第（一）项" in (
        reason(result, "destitute_no_supporter", old).text
    )


def test_severely_disabled_supporter_with_low_income_is_unable() -> None:
    old = person(80, "02")
    son = person(45, "20", wages="1000.00", disability_type="physical", disability_grade=1)
    result = both(household(old, son, person(40, "99", wages="5000.00")))
    assert categories(result)[0] == "destitute"
    assert "第九条第（四）项" in reason(result, "destitute_no_supporter", old).text


def test_severely_disabled_supporter_with_income_above_disposable_income_is_able() -> None:
    old = person(80, "02")
    son = person(45, "20", wages="2000.00", disability_type="physical", disability_grade=1)
    result = both(household(old, son))
    assert categories(result)[0] != "destitute"


def test_imprisoned_or_missing_supporter_is_unable() -> None:
    for status in rules.LEGAL_STATUSES_UNABLE:
        old = person(80, "02")
        son = person(45, "20", wages="3000.00", legal_status=status)
        result = both(household(old, son, person(40, "99", wages="5000.00")))
        assert categories(result)[0] == "destitute", status
        assert "第九条第（五）项" in reason(result, "destitute_no_supporter", old).text


def test_province_other_case_counts_only_where_the_province_lists_it() -> None:
    old = person(80, "02")
    son = person(45, "20", wages="3000.00", other_inability="重病患者")
    facts = household(old, son, person(40, "99", wages="5000.00"))
    assert categories(both(facts))[0] == "none"
    local = dataclasses.replace(STANDARDS, supporter_other_cases=("重病患者",))
    result = both(facts, local)
    assert categories(result)[0] == "destitute"
    assert "第九条第（六）项" in reason(result, "destitute_no_supporter", old).text


def test_assets_over_the_limit_keep_the_art_9_cases_with_an_asset_condition_out() -> None:
    old = person(80, "02", wages="3000.00")
    wife = person(75, "10", male=False)
    facts = household(old, wife, assets=HouseholdAssets(financial=Decimal("900000")))
    assert categories(both(facts)) == ["none", "none"]


def test_grandparents_support_a_minor_only_where_no_parent_is_able() -> None:
    grandfather = person(60, "02", wages="4000.00")
    grandson = person(8, "41")
    result = both(household(grandfather, grandson))
    assert categories(result) == ["none", "none"]
    assert "（外）祖父" in reason(result, "destitute_no_supporter", grandson).text

    # A registered able father outside the household: the grandfather is not listed.
    father = Supporter(
        able_to_support=True,
        supported_id_number=grandson.id_number,
        relation="51",
        id_number=build_id_number(
            address_code=COUNTY, birth_date=dt.date(1990, 1, 1), sequence=7, male=True
        ),
        note="外出务工",
    )
    result = both(household(grandfather, grandson, supporters=(father,)))
    text = reason(result, "destitute_no_supporter", grandson).text
    assert "（外）祖父" not in text
    assert (
        "父亲 " in text
        and "（户外登记） 有赡(抚、扶)养能力（登记为有履行义务能力：外出务工）" in text
    )


def test_unable_grandmother_leaves_the_minor_destitute() -> None:
    grandmother = person(75, "02", male=False)
    grandson = person(8, "41")
    result = both(household(grandmother, grandson, person(40, "93", wages="9000.00")))
    assert categories(result)[:2] == ["destitute", "destitute"]


def test_adult_older_brother_supports_a_minor_without_parents() -> None:
    head = person(12, "02")
    brother = person(25, "71", wages="800.00")
    result = both(household(head, brother, person(40, "93", wages="9000.00")))
    assert categories(result)[0] == "none"
    assert "哥哥" in reason(result, "destitute_no_supporter", head).text


def test_minor_sibling_is_not_a_supporter() -> None:
    head = person(12, "02")
    sister = person(15, "75", male=False)
    result = both(household(head, sister, person(40, "93", wages="9000.00")))
    assert categories(result)[:2] == ["destitute", "destitute"]


def test_grandchildren_support_a_grandparent_whose_children_are_not_there() -> None:
    old = person(80, "02")
    grandson = person(30, "41", wages="3000.00")
    result = both(household(old, grandson))
    assert categories(result) == ["none", "none"]
    assert "（外）孙子" in reason(result, "destitute_no_supporter", old).text


def test_able_child_keeps_grandchildren_out_of_the_chain() -> None:
    old = person(80, "51")  # the head's father
    head = person(50, "02", wages="3000.00")
    grandson = person(25, "20", wages="3000.00")  # the head's son, grandson of the father
    result = both(household(head, old, grandson))
    text = reason(result, "destitute_no_supporter", old).text
    assert "儿子" in text and "孙" not in text


def test_parents_of_an_adult_who_can_live_independently_are_not_supporters() -> None:
    father = person(70, "02")
    son = person(40, "20", wages="0")  # 40, no disability: parents owe him nothing
    result = classify(household(father, son), STANDARDS)
    assert "父亲" not in reason(result, "destitute_no_supporter", son).text


# --- outcome, expenditure hardship, employment costs -------------------------------------------


def test_mixed_household_keeps_the_outcome_table() -> None:
    old = person(80, "02")
    nephew = person(40, "93", wages="5000.00")
    result = both(household(old, nephew))
    assert result.category == "destitute"
    assert categories(result) == ["destitute", "none"]


def test_accident_costs_are_rigid_expenditure() -> None:
    facts = household(
        person(40, "02", wages="1000.00"),
        person(40, "10", wages="1000.00", male=False),
        rigid_expenditure_12m=RigidExpenditure12m(accident=Decimal("12000.01")),
        supporters=(Supporter(able_to_support=True),),
    )
    result = both(facts)
    assert result.category == "expenditure_hardship"
    assert "近 12 个月刚性支出 12000.01 元 >" in reason(result, "expenditure_share").text


def _earning_couple(**fields: Any) -> HouseholdFacts:
    return household(
        person(40, "02", wages="1000.00"),
        person(40, "10", wages="1000.00", male=False),
        supporters=(Supporter(able_to_support=True),),
        **fields,
    )


def test_income_drop_of_the_share_is_expenditure_hardship() -> None:
    result = both(_earning_couple(income_year_earlier_12m=Decimal("48000.00")))
    assert result.category == "expenditure_hardship"
    found = reason(result, "income_drop")
    assert found.met
    assert found.text == (
        "家庭年收入 24000.00 元，较此前 12 个月收入 48000.00 元减少 24000.00 元，"
        "≥ 收入大幅缩减比例 50%（示例）（24000.00 元）"
    )
    assert found.clause == "二(一)4"


def test_income_drop_below_the_share_is_not() -> None:
    result = both(_earning_couple(income_year_earlier_12m=Decimal("47999.99")))
    assert result.category == "none"
    assert not reason(result, "income_drop").met


def test_recorded_pre_drop_income_counts_within_the_12_months() -> None:
    inside = _earning_couple(
        income_before_drop_monthly=Decimal("4000.00"),
        income_before_drop_on=shift_years(ON, -1) + dt.timedelta(days=1),
    )
    outside = _earning_couple(
        income_before_drop_monthly=Decimal("4000.00"), income_before_drop_on=shift_years(ON, -1)
    )
    assert both(inside).category == "expenditure_hardship"
    assert both(outside).category == "none"
    assert reason(classify(outside, STANDARDS), "income_drop").text.startswith("无上年同期")


def test_income_drop_needs_income_below_disposable_income() -> None:
    rich = household(
        person(40, "02", wages="2500.00"),
        supporters=(Supporter(able_to_support=True),),
        income_year_earlier_12m=Decimal("90000.00"),
    )
    assert both(rich).category == "none"


def test_employment_cost_is_deducted_from_wages_before_every_test() -> None:
    facts = household(
        person(40, "02", wages="1000.00"),
        person(40, "10", wages="150.00", male=False),
        supporters=(Supporter(able_to_support=True),),
    )
    assert both(facts).category == "near_dibao"
    local = dataclasses.replace(STANDARDS, employment_cost_monthly=Decimal("200.00"))
    result = both(facts, local)
    # 1000 − 200 + 150 − 150 = 800 < 2 × 560.
    assert result.category == "dibao"
    found = reason(result, "employment_cost")
    assert found.text == (
        "就业成本扣减：就业成员 2 人，每人每月扣减 200.00 元（不超过本人工资性收入），"
        "共扣减 350.00 元（民发〔2021〕57号）"
    )
    assert reason(result, "dibao_income").figures["income_total"] == "800.00"


def test_no_employment_cost_reason_where_none_is_set() -> None:
    result = classify(_earning_couple(), STANDARDS)
    assert not [r for r in result.reasons if r.code == "employment_cost"]


def test_a_member_declared_not_employed_gets_no_deduction() -> None:
    local = dataclasses.replace(STANDARDS, employment_cost_monthly=Decimal("200.00"))
    facts = household(
        person(40, "02", wages="600.00", employed=False),
        supporters=(Supporter(able_to_support=True),),
    )
    assert reason(both(facts, local), "dibao_income").figures["income_total"] == "600.00"


# --- generated households: both engines agree --------------------------------------------------

RELATIONS = ("02", "10", "20", "30", "41", "51", "52", "55", "61", "71", "77", "93", "99")


@st.composite
def members_of(draw: Any) -> MemberFacts:
    kind = draw(st.sampled_from(["", "", "physical", "visual", "intellectual", "mental"]))
    age = draw(st.integers(0, 95))
    birth = shift_years(ON, -age) - dt.timedelta(days=draw(st.integers(0, 364)))
    stage = draw(st.sampled_from(["", "", "primary", "senior", "vocational", "university"]))
    since = draw(st.sampled_from([None, None, 5, 15, 17, 19]))
    return MemberFacts(
        id_number="",
        relation=draw(st.sampled_from(RELATIONS)),
        birth_date=birth,
        income=MemberIncome(
            wages=Decimal(draw(st.sampled_from([0, 0, 300, 559, 1000, 1999, 2500, 9650]))),
            transfer=Decimal(draw(st.sampled_from([0, 0, 150]))),
        ),
        disability_type=kind,
        disability_grade=draw(st.integers(1, 4)) if kind else None,
        serious_illness=draw(st.booleans()),
        school_stage=stage,
        in_school=bool(stage),
        labour_capacity=draw(st.sampled_from(["full", "full", "partial", "none"])),
        employed=draw(st.sampled_from([None, None, False, True])),
        recorded_category=draw(st.sampled_from(["", "", "", "dibao", "destitute"])),
        destitute_since=None if since is None else min(ON, shift_years(birth, since)),
        legal_status=draw(st.sampled_from(["", "", "", *rules.LEGAL_STATUSES_UNABLE])),
        other_inability=draw(st.sampled_from(["", "", "重病患者", "其他"])),
    )


@st.composite
def households_of(draw: Any) -> HouseholdFacts:
    members = draw(st.lists(members_of(), min_size=0, max_size=6))
    members = [
        dataclasses.replace(m, id_number=f"m{i}", person_id=i + 1) for i, m in enumerate(members)
    ]
    ids = [m.id_number for m in members]
    supporters = tuple(
        Supporter(
            able_to_support=draw(st.booleans()),
            supported_id_number=draw(st.sampled_from(["", *ids])) if ids else "",
            relation=draw(st.sampled_from(["51", "20", "61", ""])),
        )
        for _ in range(draw(st.integers(0, 2)))
    )
    prior = draw(st.sampled_from([None, None, "0", "20000.00", "48000.00", "90000.00"]))
    return HouseholdFacts(
        region_code=COUNTY + "100200",
        on=ON,
        residence="urban",
        members=tuple(members),
        assets=HouseholdAssets(financial=Decimal(draw(st.sampled_from([0, 5000, 900000])))),
        rigid_expenditure_12m=RigidExpenditure12m(
            medical=Decimal(draw(st.sampled_from([0, 0, 20000]))),
            accident=Decimal(draw(st.sampled_from([0, 0, 15000]))),
        ),
        supporters=supporters,
        income_year_earlier_12m=None if prior is None else Decimal(prior),
        household_id=1,
    )


GENERATED_STANDARDS = dataclasses.replace(
    STANDARDS,
    employment_cost_monthly=Decimal("150.00"),
    supporter_other_cases=("重病患者",),
    income_drop_share=Decimal("0.4"),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(households=st.lists(households_of(), min_size=1, max_size=8))
def test_engines_agree_on_generated_households_with_co_resident_supporters(
    households: list[HouseholdFacts],
) -> None:
    facts = [
        dataclasses.replace(
            h,
            household_id=i + 1,
            members=tuple(
                dataclasses.replace(m, person_id=(i + 1) * 100 + j) for j, m in enumerate(h.members)
            ),
        )
        for i, h in enumerate(households)
    ]
    tables = bulk.tables_from_facts(facts, standards={(COUNTY, "urban"): GENERATED_STANDARDS})
    outputs = bulk.DuckDBEngine().run(bulk.BulkInputs(on=ON, tables=tables))
    expected = {f.household_id: classify(f, GENERATED_STANDARDS) for f in facts}
    assert {r["household_id"]: r["proposed"] for r in outputs.households.to_pylist()} == {
        hid: result.category for hid, result in expected.items()
    }
    assert {
        (r["household_id"], r["person_id"]): r["category"] for r in outputs.members.to_pylist()
    } == {
        (f.household_id, m.person_id): outcome.category
        for f in facts
        for m, outcome in zip(f.members, expected[f.household_id].members, strict=True)
    }
