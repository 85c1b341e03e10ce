"""The row-by-row classifier against docs/adr/0005-classification-rules.md, rule by rule and at
every boundary (equal to a standard is not below it)."""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.terms import CATEGORY_RANK, age_on, valid_until
from safetynet.policy.assessment.what_if import what_if
from safetynet.policy.common import (
    Classification,
    ExpenditureRule,
    HouseholdAssets,
    HouseholdFacts,
    MemberFacts,
    MemberIncome,
    RigidExpenditure12m,
    Standards,
    Supporter,
    Vehicle,
)
from safetynet.registry.identity import build_id_number

ON = dt.date(2026, 6, 30)
S = Decimal("560.00")
STANDARDS = Standards(
    dibao_monthly=S,
    disposable_income_annual=Decimal("24000.00"),
    rigid_expenditure_share=Decimal("0.5"),
    vehicle_value_limit=Decimal("30000.00"),
    business_capital_limit=Decimal("50000.00"),
)

_seq = itertools.count(1)


def member(
    *,
    age: int = 40,
    wages: str = "0",
    born: dt.date | None = None,
    **fields: Any,
) -> MemberFacts:
    birth = born or dt.date(ON.year - age, 1, 15)
    number = build_id_number(
        address_code="410225", birth_date=birth, sequence=next(_seq), male=True
    )
    return MemberFacts(
        id_number=number,
        relation="02",
        birth_date=birth,
        income=MemberIncome(wages=Decimal(wages)),
        **fields,
    )


def household(*members: MemberFacts, **fields: Any) -> HouseholdFacts:
    return HouseholdFacts(
        region_code="410225000000", on=ON, residence="urban", members=members, **fields
    )


def earners(*wages: str, **fields: Any) -> HouseholdFacts:
    """Working-age members with the given monthly wages and an able supporter, so that no one
    is destitute and only the income and asset tests decide."""
    fields.setdefault("supporters", (Supporter(able_to_support=True),))
    return household(*(member(wages=w) for w in wages), **fields)


def reason(result: Classification, code: str, member_id: str = "") -> Any:
    return next(r for r in result.reasons if r.code == code and r.member == member_id)


def member_categories(result: Classification) -> list[str]:
    return [m.category for m in result.members]


# --- dibao ----------------------------------------------------------------------------------


def test_income_per_head_below_standard_is_dibao() -> None:
    result = classify(earners("480.00", "480.00"), STANDARDS)
    assert result.category == "dibao"
    assert member_categories(result) == ["dibao", "dibao"]


def test_dibao_reason_shows_figures_and_clause() -> None:
    found = reason(classify(earners("960.00", "0"), STANDARDS), "dibao_income")
    assert found.met
    assert found.text == "家庭月人均收入 480.00 元 < 城市低保标准 560.00 元"
    assert found.clause == "二(一)1"
    assert found.figures["income_total"] == "960.00"


def test_income_per_head_equal_to_standard_is_not_dibao() -> None:
    result = classify(earners("560.00", "560.00"), STANDARDS)
    assert not reason(result, "dibao_income").met
    assert result.category == "near_dibao"


def test_comparison_is_on_totals_not_on_rounded_per_head() -> None:
    # 1679.99 / 3 = 559.9966… shows as 560.00 but the total is below 3 × 560.00.
    result = classify(earners("1679.99", "0", "0"), STANDARDS)
    found = reason(result, "dibao_income")
    assert result.category == "dibao"
    assert "1679.99 元 < 1680.00 元" in found.text


def test_excluded_income_is_not_counted() -> None:
    head = dataclasses.replace(
        member(wages="500.00"),
        income=MemberIncome(wages=Decimal("500.00"), excluded=Decimal("3000.00")),
    )
    result = classify(household(head, supporters=(Supporter(True),)), STANDARDS)
    assert result.category == "dibao"


def test_rural_household_is_compared_with_the_rural_label() -> None:
    facts = dataclasses.replace(earners("400.00"), residence="rural")
    assert "农村低保标准" in reason(classify(facts, STANDARDS), "dibao_income").text


# --- assets ---------------------------------------------------------------------------------


def test_financial_assets_at_the_limit_pass() -> None:
    limit = Decimal("24") * S * 2
    facts = earners("100", "100", assets=HouseholdAssets(financial=limit))
    result = classify(facts, STANDARDS)
    assert reason(result, "assets_financial").met
    assert result.category == "dibao"


def test_financial_assets_one_cent_over_the_limit_fail() -> None:
    limit = Decimal("24") * S * 2
    facts = earners("100", "100", assets=HouseholdAssets(financial=limit + Decimal("0.01")))
    result = classify(facts, STANDARDS)
    assert not reason(result, "assets_financial").met
    assert result.category == "none"


def test_vehicle_for_a_disabled_member_passes_whatever_its_value() -> None:
    vehicle = Vehicle(value=Decimal("90000"), for_disability=True)
    facts = earners("100", assets=HouseholdAssets(vehicles=(vehicle,)))
    assert reason(classify(facts, STANDARDS), "assets_vehicle").met


def test_vehicle_below_the_value_limit_passes() -> None:
    vehicle = Vehicle(value=Decimal("29999.99"))
    facts = earners("100", assets=HouseholdAssets(vehicles=(vehicle,)))
    assert classify(facts, STANDARDS).category == "dibao"


def test_vehicle_at_the_value_limit_fails() -> None:
    vehicle = Vehicle(value=Decimal("30000.00"))
    facts = earners("100", assets=HouseholdAssets(vehicles=(vehicle,)))
    result = classify(facts, STANDARDS)
    assert not reason(result, "assets_vehicle").met
    assert result.category == "none"


def test_one_dwelling_passes_and_two_fail() -> None:
    one = classify(earners("100", assets=HouseholdAssets(dwellings=1)), STANDARDS)
    two = classify(earners("100", assets=HouseholdAssets(dwellings=2)), STANDARDS)
    assert (one.category, two.category) == ("dibao", "none")
    assert reason(two, "assets_dwelling").text == "家庭住房 2 套 > 上限 1 套"


def test_business_capital_at_the_limit_passes_and_above_fails() -> None:
    at = HouseholdAssets(business_capital=Decimal("50000.00"))
    above = HouseholdAssets(business_capital=Decimal("50000.01"))
    assert classify(earners("100", assets=at), STANDARDS).category == "dibao"
    assert classify(earners("100", assets=above), STANDARDS).category == "none"


# --- destitute ------------------------------------------------------------------------------


def alone(person: MemberFacts, **fields: Any) -> Classification:
    """A person living alone with some income, so that dibao does not hold and only the
    destitute tests decide (own income 600 ≥ S, so give the household a second earner)."""
    worker = member(wages="5000.00")
    return classify(household(person, worker, **fields), STANDARDS)


def destitute(result: Classification, person: MemberFacts) -> bool:
    return next(m for m in result.members if m.id_number == person.id_number).category == (
        "destitute"
    )


def test_aged_sixty_on_the_day_is_unable_to_work() -> None:
    old = member(born=dt.date(ON.year - 60, ON.month, ON.day))
    result = alone(old)
    assert result.category == "destitute"
    assert destitute(result, old)
    assert member_categories(result)[1] == "none"


def test_one_day_before_sixty_is_able_to_work() -> None:
    almost = member(born=dt.date(ON.year - 60, ON.month, ON.day) + dt.timedelta(days=1))
    result = alone(almost)
    assert not reason(result, "destitute_unable", almost.id_number).met
    assert result.category == "none"


def test_under_sixteen_cannot_work() -> None:
    child = member(age=15)
    assert destitute(alone(child), child)
    text = reason(alone(child), "destitute_unable", child.id_number).text
    assert text == "属于无劳动能力情形：未满 16 周岁（15 岁）"


def test_destitute_minor_stays_destitute_until_eighteen_but_a_new_one_of_sixteen_can_work() -> None:
    since = dt.date(ON.year - 8, 3, 1)
    minor = member(age=17, destitute_since=since)
    new = member(age=17)
    adult = member(born=dt.date(ON.year - 18, ON.month, ON.day), destitute_since=since)
    assert destitute(alone(minor), minor)
    assert "可继续享受救助供养至 18 周岁（办法第二十四条）" in (
        reason(alone(minor), "destitute_unable", minor.id_number).text
    )
    assert not destitute(alone(new), new)
    assert not destitute(alone(adult), adult)


def test_past_eighteen_only_a_former_destitute_minor_at_school_up_to_senior_or_vocational() -> None:
    before = dt.date(ON.year - 5, 1, 1)  # at 15
    senior = member(age=20, school_stage="senior", in_school=True, destitute_since=before)
    vocational = member(age=20, school_stage="vocational", in_school=True, destitute_since=before)
    university = member(age=20, school_stage="university", in_school=True, destitute_since=before)
    late = member(
        age=20, school_stage="senior", in_school=True, destitute_since=dt.date(ON.year, 1, 1)
    )
    unknown_stage = member(age=20, in_school=True, destitute_since=before)
    assert destitute(alone(senior), senior)
    assert destitute(alone(vocational), vocational)
    assert "18 周岁前已为特困人员，仍在普通高中就读" in (
        reason(alone(senior), "destitute_unable", senior.id_number).text
    )
    for person in (university, late, unknown_stage):
        assert not destitute(alone(person), person), person


def test_disability_grades_that_make_a_person_unable_to_work() -> None:
    cases = {
        ("intellectual", 3): True,
        ("mental", 1): True,
        ("mental", 4): False,
        ("physical", 2): True,
        ("physical", 3): False,
        ("visual", 1): True,
        ("visual", 2): False,
        ("hearing", 1): False,
    }
    for (kind, grade), expected in cases.items():
        person = member(disability_type=kind, disability_grade=grade)
        assert destitute(alone(person), person) is expected, (kind, grade)


def test_own_income_equal_to_standard_is_an_income_source() -> None:
    old = member(age=70, wages="560.00")
    result = alone(old)
    assert not reason(result, "destitute_no_income", old.id_number).met
    assert not destitute(result, old)


def test_assets_failing_rule_out_destitute() -> None:
    old = member(age=70)
    result = alone(old, assets=HouseholdAssets(dwellings=3))
    assert not destitute(result, old)
    assert "但家庭财产不符合规定" in reason(result, "destitute_no_income", old.id_number).text


def test_able_supporter_for_everyone_rules_out_destitute() -> None:
    old = member(age=70)
    result = alone(old, supporters=(Supporter(able_to_support=True),))
    assert not reason(result, "destitute_no_supporter", old.id_number).met
    assert result.category == "none"


def test_supporter_unable_to_support_does_not_count() -> None:
    old = member(age=70)
    assert destitute(alone(old, supporters=(Supporter(able_to_support=False),)), old)


def test_supporter_of_another_member_does_not_apply() -> None:
    old, child = member(age=70), member(age=10)
    facts = household(
        old,
        child,
        member(wages="5000.00"),
        supporters=(Supporter(able_to_support=True, supported_id_number=child.id_number),),
    )
    result = classify(facts, STANDARDS)
    assert destitute(result, old)
    assert not destitute(result, child)


def test_destitute_members_of_a_dibao_household_keep_their_category() -> None:
    old = member(age=75)
    result = classify(household(old, member(wages="300.00")), STANDARDS)
    assert result.category == "dibao"
    assert member_categories(result) == ["destitute", "dibao"]


def test_birthday_on_29_february_is_reached_on_1_march_in_common_years() -> None:
    born = dt.date(2008, 2, 29)
    assert age_on(born, dt.date(2026, 2, 28)) == 17
    assert age_on(born, dt.date(2026, 3, 1)) == 18
    assert age_on(born, dt.date(2028, 2, 29)) == 20


# --- near-dibao and individual dibao --------------------------------------------------------


def test_near_dibao_below_multiplier_times_standard() -> None:
    result = classify(earners("800.00", "800.00"), STANDARDS)
    assert result.category == "near_dibao"
    assert member_categories(result) == ["near_dibao", "near_dibao"]


def test_income_equal_to_near_dibao_limit_is_not_near_dibao() -> None:
    result = classify(earners("840.00"), STANDARDS)
    assert not reason(result, "near_dibao_income").met
    assert result.category != "near_dibao"


def test_locality_may_raise_the_near_dibao_multiplier() -> None:
    raised = dataclasses.replace(STANDARDS, near_dibao_multiplier=Decimal("2"))
    assert classify(earners("1000.00"), raised).category == "near_dibao"


def test_individual_dibao_for_severely_disabled_or_seriously_ill_members() -> None:
    disabled = member(wages="800.00", disability_type="hearing", disability_grade=2)
    intellectual = member(disability_type="intellectual", disability_grade=3)
    ill = member(wages="900.00", serious_illness=True)
    physical3 = member(wages="1000.00", disability_type="physical", disability_grade=3)
    facts = household(disabled, intellectual, ill, physical3, supporters=(Supporter(True),))
    result = classify(facts, STANDARDS)
    assert result.category == "near_dibao"
    assert member_categories(result) == [
        "individual_dibao",
        "individual_dibao",
        "individual_dibao",
        "near_dibao",
    ]


def test_individual_dibao_needs_a_near_dibao_household() -> None:
    disabled = member(wages="100.00", disability_type="hearing", disability_grade=1)
    result = classify(household(disabled, supporters=(Supporter(True),)), STANDARDS)
    assert result.category == "dibao"
    found = reason(result, "individual_dibao", disabled.id_number)
    assert not found.met
    assert "不是低保边缘家庭" in found.text


# --- expenditure hardship -------------------------------------------------------------------


def spending(medical: str) -> RigidExpenditure12m:
    return RigidExpenditure12m(medical=Decimal(medical))


def test_rigid_expenditure_above_share_of_income_is_expenditure_hardship() -> None:
    # I = 1000 per head, I × 12 = 12000 < Y = 24000; R = 6000.01 > 0.5 × 12000.
    result = classify(earners("1000.00", rigid_expenditure_12m=spending("6000.01")), STANDARDS)
    assert result.category == "expenditure_hardship"
    assert member_categories(result) == ["expenditure_hardship"]
    assert result.valid_until == dt.date(2027, 6, 29)


def test_rigid_expenditure_equal_to_the_share_is_not_enough() -> None:
    result = classify(earners("1000.00", rigid_expenditure_12m=spending("6000.00")), STANDARDS)
    assert not reason(result, "expenditure_share").met
    assert result.category == "none"
    assert result.valid_until is None


def test_income_equal_to_disposable_income_is_not_expenditure_hardship() -> None:
    result = classify(earners("2000.00", rigid_expenditure_12m=spending("50000")), STANDARDS)
    assert not reason(result, "expenditure_income").met
    assert result.category == "none"


def test_after_expenditure_rule() -> None:
    older = dataclasses.replace(STANDARDS, expenditure_rule=ExpenditureRule.AFTER_EXPENDITURE)
    # 1000 × 12 − R < 560 × 12 ⇔ R > 5280.
    above = classify(earners("1000.00", rigid_expenditure_12m=spending("5280.01")), older)
    equal = classify(earners("1000.00", rigid_expenditure_12m=spending("5280.00")), older)
    assert above.category == "expenditure_hardship"
    assert equal.category == "none"
    assert {r.code for r in above.reasons} >= {"expenditure_after"}
    assert "expenditure_share" not in {r.code for r in above.reasons}


def test_expenditure_hardship_needs_passing_assets() -> None:
    facts = earners(
        "1000.00",
        rigid_expenditure_12m=spending("9000"),
        assets=HouseholdAssets(dwellings=2),
    )
    assert classify(facts, STANDARDS).category == "none"


def test_valid_until_from_29_february() -> None:
    assert valid_until(dt.date(2024, 2, 29)) == dt.date(2025, 2, 28)
    assert valid_until(dt.date(2026, 1, 1)) == dt.date(2026, 12, 31)


# --- anti-relapse watch, no members, reporting ----------------------------------------------


def test_household_under_watch_meeting_nothing_is_other_low_income() -> None:
    result = classify(earners("3000.00", relapse_watch="sudden_hardship"), STANDARDS)
    assert result.category == "other_low_income"
    assert member_categories(result) == ["other_low_income"]
    assert reason(result, "relapse_watch").text == "防返贫监测对象：突发严重困难户"


def test_household_under_watch_takes_the_category_its_figures_meet() -> None:
    assert classify(earners("300.00", relapse_watch="unstable"), STANDARDS).category == "dibao"


def test_household_without_members_is_none_even_under_watch() -> None:
    result = classify(household(relapse_watch="at_risk"), STANDARDS)
    assert result.category == "none"
    assert result.members == ()


def test_every_test_is_reported_met_or_not() -> None:
    person = member(wages="3000.00")
    result = classify(household(person), STANDARDS)
    household_codes = {r.code for r in result.reasons if not r.member}
    member_codes = {r.code for r in result.reasons if r.member == person.id_number}
    assert household_codes == {
        "assets_financial",
        "assets_vehicle",
        "assets_dwelling",
        "assets_business",
        "dibao_income",
        "near_dibao_income",
        "expenditure_income",
        "expenditure_share",
        "income_drop",
        "relapse_watch",
    }
    assert member_codes == {
        "destitute_unable",
        "destitute_no_income",
        "destitute_no_supporter",
        "individual_dibao",
    }
    assert result.members[0].reasons == tuple(r for r in result.reasons if r.member)


# --- what-if --------------------------------------------------------------------------------


def test_what_if_says_how_much_income_must_fall_for_dibao() -> None:
    items = {w.code: w for w in what_if(earners("700.00", "500.00"), STANDARDS)}
    assert items["dibao_income"].figures["decrease"] == "80.00"
    assert "减少超过 80.00 元" in items["dibao_income"].text
    assert items["near_dibao_income"].figures["increase"] == "480.00"


def test_what_if_gives_the_rigid_expenditure_needed() -> None:
    items = {w.code: w for w in what_if(earners("1000.00"), STANDARDS)}
    assert items["expenditure_share"].figures["rigid_needed"] == "6000.00"


def test_what_if_explains_that_failing_assets_block_every_income_rule() -> None:
    items = what_if(earners("100", assets=HouseholdAssets(dwellings=2)), STANDARDS)
    assert [w.code for w in items] == ["assets"]
    assert "家庭住房 2 套 > 上限 1 套" in items[0].text


# --- property -------------------------------------------------------------------------------

money = st.decimals(min_value=0, max_value=5000, places=2, allow_nan=False, allow_infinity=False)


@st.composite
def households(draw: Any) -> HouseholdFacts:
    size = draw(st.integers(min_value=1, max_value=4))
    members = tuple(
        member(
            age=draw(st.integers(min_value=0, max_value=90)),
            wages=str(draw(money)),
            in_school=draw(st.booleans()),
            serious_illness=draw(st.booleans()),
            disability_type=draw(st.sampled_from(["", "physical", "intellectual", "visual"])),
            disability_grade=draw(st.sampled_from([None, 1, 2, 3, 4])),
        )
        for _ in range(size)
    )
    return household(
        *members,
        assets=HouseholdAssets(
            financial=draw(money) * 10, dwellings=draw(st.integers(min_value=0, max_value=2))
        ),
        rigid_expenditure_12m=spending(str(draw(money) * 4)),
        supporters=tuple(Supporter(draw(st.booleans())) for _ in range(draw(st.integers(0, 2)))),
        relapse_watch=draw(st.sampled_from(["", "unstable"])),
    )


@settings(max_examples=300, deadline=None)
@given(facts=households(), raise_by=money, who=st.integers(min_value=0, max_value=3))
def test_raising_income_never_makes_a_household_poorer(
    facts: HouseholdFacts, raise_by: Decimal, who: int
) -> None:
    index = who % len(facts.members)
    target = facts.members[index]
    raised = dataclasses.replace(
        target,
        income=dataclasses.replace(target.income, wages=target.income.wages + raise_by),
    )
    members = (*facts.members[:index], raised, *facts.members[index + 1 :])
    for rule in ExpenditureRule:
        standards = dataclasses.replace(STANDARDS, expenditure_rule=rule)
        before = classify(facts, standards).category
        after = classify(dataclasses.replace(facts, members=members), standards).category
        assert CATEGORY_RANK[after] <= CATEGORY_RANK[before], (before, after)
