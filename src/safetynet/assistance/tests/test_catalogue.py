"""The catalogue rule against the text of 四: every category × residence × circumstance (and, for
the destitute, dispersed or centralised care), each single circumstance alone."""

from __future__ import annotations

import itertools

import pytest

from safetynet.assistance.catalogue import (
    Circumstance,
    HouseholdFacts,
    item,
    items,
    referrals_proposed,
)

C = Circumstance
ALL = {
    "dibao",
    "individual_dibao",
    "destitute",
    "near_dibao",
    "expenditure_hardship",
    "other_low_income",
}
# 单人保 is a member of a near-dibao family included in dibao on their own (四(一)): family-level
# near-dibao items stay open to the household, and the person is a dibao object.
NEAR = {"near_dibao", "individual_dibao"}


def expected(category: str, residence: str, circumstance: str, centralised: bool) -> set[str]:
    """四 read clause by clause, written independently of the JSON."""
    found: set[str] = set()
    if category not in ALL:
        return found  # not a low-income household: nothing to propose
    # 四(一): near-dibao members with severe disability or serious illness, 单人保.
    if category == "near_dibao" and circumstance in (C.SEVERE_DISABILITY, C.SERIOUS_ILLNESS):
        found.add("individual_dibao")
    # 四(二)1 medical assistance; 急危重伤病 → 疾病应急救助.
    if circumstance in (C.SERIOUS_ILLNESS, C.CHRONIC_ILLNESS):
        found.add("medical_assistance")
    if circumstance == C.ACUTE_ILLNESS:
        found.add("emergency_medical")
    # 四(二)2 education.
    if circumstance == C.STUDENT:
        found.add("education")
    # 四(二)3 housing: 城市低保家庭、城市分散供养特困人员、城镇低保边缘家庭 → 公租房/租赁补贴;
    # 农村低保边缘家庭、支出型困难家庭 → 农村危房改造.
    rental = category in {"dibao"} | NEAR or (category == "destitute" and not centralised)
    if circumstance == C.HOUSING_NEED and residence == "urban" and rental:
        found.add("rental_housing")
    renovation = category in NEAR | {"expenditure_hardship"}
    if circumstance == C.DILAPIDATED_HOUSE and residence == "rural" and renovation:
        found.add("house_renovation")
    # 四(二)4 employment: 低保对象、低保边缘人口、支出型困难人口.
    if circumstance == C.UNEMPLOYED and category in {"dibao", "expenditure_hardship"} | NEAR:
        found.add("employment")
    # 四(二)5 disaster victims.
    if circumstance == C.DISASTER:
        found.add("disaster_relief")
    # 四(二)6 legal aid, community correction, judicial assistance (with 五(二) 法院).
    if circumstance == C.LEGAL_AID:
        found.add("legal_aid")
    if circumstance == C.COMMUNITY_CORRECTION:
        found.add("community_correction")
    if circumstance == C.LITIGATION_HARDSHIP:
        found.add("judicial_assistance")
    # 四(二)7 distressed workers: 下岗失业人员或其他原因造成生活困难的职工.
    if circumstance in (C.UNEMPLOYED, C.DISTRESSED_WORKER):
        found.add("worker_assistance")
    # 四(三) emergency; 四(四) care and social work; 四(五) charity.
    if circumstance == C.SUDDEN_HARDSHIP:
        found.add("emergency_assistance")
    if circumstance == C.CANNOT_SELF_CARE:
        found.add("care_service")
    if circumstance == C.SOCIAL_WORK:
        found.add("social_work")
    if circumstance == C.CHARITY:
        found.add("charity")
    # 四(六) funeral fees, heating; disability measures extended to near-dibao.
    if circumstance == C.DEATH:
        found.add("funeral")
    if circumstance == C.HEATING:
        found.add("heating")
    disabled_measures = {"dibao", "destitute"} | NEAR
    if category in disabled_measures:
        if circumstance in (C.DISABILITY, C.SEVERE_DISABILITY):
            found.add("disability_subsidy")
        if circumstance == C.SEVERE_DISABILITY:
            found.add("accessibility")
        if circumstance == C.DISABLED_CHILD:
            found.add("disabled_child_rehab")
    return found


CASES = [
    (category, residence, circumstance, centralised)
    for category, residence, circumstance in itertools.product(
        [*sorted(ALL), ""], ["urban", "rural"], C.values
    )
    for centralised in ([False, True] if category == "destitute" else [False])
]


@pytest.mark.parametrize(("category", "residence", "circumstance", "centralised"), CASES)
def test_proposals_match_part_four(
    category: str, residence: str, circumstance: str, centralised: bool
) -> None:
    facts = HouseholdFacts(
        category=category,
        residence=residence,
        circumstances=frozenset({circumstance}),
        centralised=centralised,
    )
    proposed = {p.item.code for p in referrals_proposed(facts)}

    assert proposed == expected(category, residence, circumstance, centralised)


def test_every_item_names_its_clause_and_a_department() -> None:
    for entry in items():
        assert entry.clause.startswith("四("), entry.code
        assert entry.department_label


def test_circumstances_add_up_and_reasons_cite_the_clause() -> None:
    facts = HouseholdFacts(
        category="near_dibao",
        residence="rural",
        circumstances=frozenset({C.SERIOUS_ILLNESS, C.DILAPIDATED_HOUSE}),
    )
    proposals = {p.item.code: p for p in referrals_proposed(facts)}

    assert set(proposals) == {"individual_dibao", "medical_assistance", "house_renovation"}
    assert "四(二)3" in proposals["house_renovation"].reason
    assert "农村住房为危房" in proposals["house_renovation"].reason
    assert item("house_renovation").department == "housing"


def test_basic_living_is_listed_but_never_proposed() -> None:
    facts = HouseholdFacts(category="dibao", residence="urban", circumstances=frozenset())
    assert referrals_proposed(facts) == []
    assert not item("basic_dibao").referral
