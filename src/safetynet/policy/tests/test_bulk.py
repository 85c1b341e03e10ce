"""The set-based pass (``policy.bulk``) against the row-by-row classifier on a synthetic county
with households crafted at every boundary of ADR 0005; its scope; the page, export and command."""

from __future__ import annotations

import datetime as dt
import io
import random
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection
from django.http import Http404
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from conftest import first_below, make_user, new_id_number
from safetynet.accounts.models import User
from safetynet.accounts.roles import Role
from safetynet.accounts.services import system_user
from safetynet.audit.models import Action, AuditRecord
from safetynet.jobs.tests.exporting import exported_file
from safetynet.policy import bulk
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.facts import facts_from_household
from safetynet.policy.assessment.terms import shift_years
from safetynet.policy.common import (
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
from safetynet.policy.standards.selectors import standards_for
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry import services
from safetynet.registry.inputs import (
    AssetInput,
    ExpenditureInput,
    HouseholdInput,
    IncomeInput,
    MemberInput,
)
from safetynet.registry.models import Household, Person
from safetynet.registry.synthetic import households_seed
from safetynet.spreadsheets import data_rows

LANKAO = "410225"
D1 = dt.date(2026, 6, 30)
# Three dates: mid-year, the eve of a 29 February birthday in a common year, and a date under
# the previous provincial version of the standards.
DATES = [D1, dt.date(2026, 2, 28), dt.date(2025, 12, 31)]
CENT = Decimal("0.01")


# --- crafting households at the boundaries ---------------------------------------------------


def years_before(day: dt.date, years: int) -> dt.date:
    return shift_years(day, -years)


def person(
    born: dt.date,
    *,
    relation: str = "02",
    wages: Decimal = Decimal("0"),
    excluded: Decimal = Decimal("0"),
    **fields: Any,
) -> MemberInput:
    incomes = []
    if wages:
        incomes.append(IncomeInput(kind="wages", monthly_amount=wages))
    if excluded:
        incomes.append(IncomeInput(kind="excluded", monthly_amount=excluded))
    return MemberInput(
        id_number=new_id_number(LANKAO, born=born),
        name="王建国",
        relation=relation,
        incomes=incomes,
        **fields,
    )


def adult(**fields: Any) -> MemberInput:
    return person(years_before(D1, 40), **fields)


class Crafter:
    """Creates households in one rural village of 兰考县 and remembers them by label."""

    def __init__(self, actor: User, village: Region, standards: Standards) -> None:
        self.actor = actor
        self.village = village
        self.s = standards.dibao_monthly
        self.standards = standards
        self.made: dict[str, Household] = {}

    def make(self, label: str, members: list[MemberInput], **fields: Any) -> Household:
        fields.setdefault("residence", "rural")
        result = services.households_create(
            actor=self.actor,
            households=[HouseholdInput(region_code=self.village.code, members=members, **fields)],
        )
        household = result.households[0]
        self.made[label] = household
        return household

    def destitute_since(self, household: Household, relation: str, since: dt.date) -> None:
        """Record the member's own destitute status from ``since`` (a destitute minor)."""
        services.category_set(
            actor=self.actor,
            household=household,
            category="destitute",
            effective_from=since,
            reason="认定为特困人员",
            person=member_person(household, relation),
        )

    def supporter(self, household: Household, *, able: bool, person: Person | None) -> None:
        services.supporter_add(
            actor=self.actor,
            household=household,
            name="王建业",
            id_number="",
            relation="20",
            able_to_support=able,
            supported_person=person,
        )


def member_person(household: Household, relation: str) -> Person:
    return Person.objects.get(
        memberships__household=household,
        memberships__relation=relation,
        memberships__left_on__isnull=True,
    )


# What each crafted household must be proposed on D1 (ADR 0005), by label.
EXPECTED_ON_D1 = {
    "income_equal_to_standard": "near_dibao",
    "income_one_cent_below_standard": "dibao",
    "income_equal_to_near_dibao_limit": "none",
    "income_one_cent_below_near_dibao_limit": "near_dibao",
    "financial_assets_at_limit": "dibao",
    "financial_assets_one_cent_over": "none",
    "vehicle_at_value_limit": "none",
    "vehicle_one_cent_below_limit": "dibao",
    "vehicle_for_disability": "dibao",
    "two_dwellings": "none",
    "business_capital_at_limit": "dibao",
    "business_capital_one_cent_over": "none",
    "destitute_elderly": "destitute",
    "destitute_minor_day_before_18": "destitute",
    "minor_of_17_not_destitute_before": "none",
    "child_of_15": "destitute",
    "turns_18_on_the_date": "none",
    "in_senior_school_at_19": "destitute",
    "at_university_at_19": "none",
    "in_senior_school_at_19_not_destitute_as_minor": "none",
    "born_29_february": "none",
    "two_year_old_with_earning_father": "none",
    "elderly_with_working_son": "none",
    "disabled_son_with_father_on_low_wages": "near_dibao",
    "elderly_couple_both_destitute": "destitute",
    "elderly_with_grandson_whose_parent_is_away": "none",
    "minor_with_adult_brother": "none",
    "minor_with_unable_grandmother": "destitute",
    "accident_cost": "expenditure_hardship",
    "income_drop_at_share": "expenditure_hardship",
    "income_drop_below_share": "none",
    "income_drop_recorded_before_window": "none",
    "elderly_with_able_supporter": "none",
    "elderly_with_unable_supporter": "destitute",
    "able_supporter_owed_to_another_member": "destitute",
    "able_supporter_owed_to_everyone": "none",
    "physical_grade_2_adult": "destitute",
    "visual_grade_2_adult": "none",
    "individual_dibao_members": "near_dibao",
    "expenditure_over_share": "expenditure_hardship",
    "expenditure_equal_to_share": "none",
    "expenditure_first_day_of_window": "expenditure_hardship",
    "expenditure_before_window": "none",
    "relapse_watch_wealthy": "other_low_income",
    "not_co_resident_income_ignored": "dibao",
    "former_member_income_ignored": "dibao",
    "excluded_income_ignored": "dibao",
    "destitute_member_of_dibao_household": "dibao",
    "nobody_co_resident_under_watch": "none",
}


def craft_boundaries(c: Crafter) -> None:
    s, st = c.s, c.standards
    rich = s * 4  # a working son's wages that keep the household above near-dibao

    c.make("income_equal_to_standard", [adult(wages=s * 2), adult(relation="10")])
    c.make("income_one_cent_below_standard", [adult(wages=s * 2 - CENT), adult(relation="10")])
    near = st.near_dibao_multiplier * s * 2
    c.make("income_equal_to_near_dibao_limit", [adult(wages=near), adult(relation="10")])
    c.make(
        "income_one_cent_below_near_dibao_limit",
        [adult(wages=near - CENT), adult(relation="10")],
    )

    limit = st.financial_assets_months * s * 2
    for label, value in (
        ("financial_assets_at_limit", limit),
        ("financial_assets_one_cent_over", limit + CENT),
    ):
        c.make(
            label,
            [adult(wages=s), adult(relation="10")],
            assets=[AssetInput(kind="deposit", value=value)],
        )
    for label, value, disability in (
        ("vehicle_at_value_limit", st.vehicle_value_limit, False),
        ("vehicle_one_cent_below_limit", st.vehicle_value_limit - CENT, False),
        ("vehicle_for_disability", st.vehicle_value_limit * 2, True),
    ):
        c.make(
            label,
            [adult(wages=s), adult(relation="10")],
            assets=[AssetInput(kind="vehicle", value=value, for_disability=disability)],
        )
    c.make(
        "two_dwellings",
        [adult(wages=s), adult(relation="10")],
        assets=[
            AssetInput(kind="real_estate", value=Decimal("100000")),
            AssetInput(kind="real_estate", value=Decimal("80000")),
        ],
    )
    for label, value in (
        ("business_capital_at_limit", st.business_capital_limit),
        ("business_capital_one_cent_over", st.business_capital_limit + CENT),
    ):
        c.make(
            label,
            [adult(wages=s), adult(relation="10")],
            assets=[AssetInput(kind="business", value=value)],
        )

    # Destitute members in households whose income keeps them out of dibao and near-dibao; the
    # earner is a co-resident nephew (93), who owes no support (ADR 0005).
    nephew = "93"
    c.make("destitute_elderly", [person(years_before(D1, 75)), adult(relation=nephew, wages=rich)])
    minors = (
        ("destitute_minor_day_before_18", years_before(D1, 18) + dt.timedelta(days=1), "none"),
        ("minor_of_17_not_destitute_before", years_before(D1, 17), ""),
        ("child_of_15", years_before(D1, 15), ""),
        ("turns_18_on_the_date", years_before(D1, 18), "none"),
        ("in_senior_school_at_19", years_before(D1, 19), "senior"),
        ("at_university_at_19", years_before(D1, 19), "university"),
        ("born_29_february", dt.date(2008, 2, 29), "none"),
    )
    for label, born, stage in minors:
        household = c.make(
            label,
            [
                adult(wages=rich),
                person(born, relation=nephew, school_stage=stage or "none"),
            ],
        )
        if stage:  # destitute since the age of 10
            c.destitute_since(household, nephew, shift_years(born, 10))
    household = c.make(
        "in_senior_school_at_19_not_destitute_as_minor",
        [adult(wages=rich), person(years_before(D1, 19), relation=nephew, school_stage="senior")],
    )
    c.destitute_since(household, nephew, years_before(D1, 1))
    for label, able, owed_to_elder in (
        ("elderly_with_able_supporter", True, True),
        ("elderly_with_unable_supporter", False, True),
        ("able_supporter_owed_to_another_member", True, False),
    ):
        household = c.make(
            label, [person(years_before(D1, 70)), adult(relation=nephew, wages=rich)]
        )
        owed = member_person(household, "02" if owed_to_elder else nephew)
        c.supporter(household, able=able, person=owed)
    household = c.make(
        "able_supporter_owed_to_everyone",
        [person(years_before(D1, 70)), adult(relation=nephew, wages=rich)],
    )
    c.supporter(household, able=True, person=None)
    c.make(
        "physical_grade_2_adult",
        [
            adult(disability_type="physical", disability_grade=2),
            adult(relation=nephew, wages=rich),
        ],
    )
    c.make(
        "visual_grade_2_adult",
        [adult(disability_type="visual", disability_grade=2), adult(relation=nephew, wages=rich)],
    )

    # The cases of issue 10: co-resident relatives are legal supporters.
    c.make(
        "two_year_old_with_earning_father",
        [adult(wages=Decimal("9650.00")), person(years_before(D1, 2), relation="30")],
    )
    c.make(
        "elderly_with_working_son",
        [person(years_before(D1, 78)), person(years_before(D1, 50), relation="20", wages=rich)],
    )
    c.make(
        "disabled_son_with_father_on_low_wages",
        [
            person(years_before(D1, 66), wages=s * 2 * Decimal("1.2")),
            adult(relation="20", disability_type="mental", disability_grade=3),
        ],
    )
    c.make(
        "elderly_couple_both_destitute",
        [person(years_before(D1, 75)), person(years_before(D1, 72), relation="10")],
    )
    # A grandson (41) of 30 with wages: the grandmother's child is not in the household.
    c.make(
        "elderly_with_grandson_whose_parent_is_away",
        [person(years_before(D1, 80)), person(years_before(D1, 30), relation="41", wages=rich)],
    )
    # A minor head's adult brother (71) with wages (民法典 1075), beside a nephew who earns.
    c.make(
        "minor_with_adult_brother",
        [
            person(years_before(D1, 12)),
            person(years_before(D1, 25), relation="71", wages=s),
            adult(relation=nephew, wages=rich),
        ],
    )
    # A minor whose only relative is a grandmother of 75 without income (art. 9(3)).
    c.make(
        "minor_with_unable_grandmother",
        [
            person(years_before(D1, 75)),
            person(years_before(D1, 8), relation="41"),
            adult(relation=nephew, wages=rich),
        ],
    )

    # Near-dibao with members who qualify for individual dibao; an able supporter owed to
    # everyone keeps the intellectually disabled member from being destitute.
    household = c.make(
        "individual_dibao_members",
        [
            adult(wages=s * 4 * Decimal("1.2")),
            adult(relation="10", disability_type="hearing", disability_grade=2),
            adult(relation="20", disability_type="intellectual", disability_grade=3),
            adult(relation="30", health_status="serious", illness_name="尿毒症"),
        ],
    )
    c.supporter(household, able=True, person=None)

    # Expenditure hardship: income above near-dibao, rigid expenditure against its share.
    income = near + s  # per month, two members
    share = st.rigid_expenditure_share * income * 12
    first_day = shift_years(D1, -1) + dt.timedelta(days=1)
    for label, amount, day in (
        ("expenditure_over_share", share + CENT, D1 - dt.timedelta(days=30)),
        ("expenditure_equal_to_share", share, D1 - dt.timedelta(days=30)),
        ("expenditure_first_day_of_window", share + CENT, first_day),
        ("expenditure_before_window", share + CENT, first_day - dt.timedelta(days=1)),
    ):
        c.make(
            label,
            [adult(wages=income), adult(relation="10")],
            expenditures=[ExpenditureInput(kind="medical", amount=amount, incurred_on=day)],
        )

    c.make(
        "accident_cost",
        [adult(wages=income), adult(relation="10")],
        expenditures=[
            ExpenditureInput(
                kind="accident", amount=share + CENT, incurred_on=D1 - dt.timedelta(days=3)
            )
        ],
    )
    drop = st.income_drop_share
    for label, before, on in (
        ("income_drop_at_share", income / (1 - drop), D1 - dt.timedelta(days=200)),
        ("income_drop_below_share", income / (1 - drop) - CENT, D1 - dt.timedelta(days=200)),
        ("income_drop_recorded_before_window", income * 10, first_day - dt.timedelta(days=1)),
    ):
        c.make(
            label,
            [adult(wages=income), adult(relation="10")],
            income_before_drop_monthly=before.quantize(CENT),
            income_before_drop_on=on,
        )

    c.make("relapse_watch_wealthy", [adult(wages=s * 10)], relapse_watch="unstable")
    c.make(
        "not_co_resident_income_ignored",
        [adult(wages=s), adult(relation="10"), adult(relation="20", wages=rich, co_resident=False)],
    )
    household = c.make(
        "former_member_income_ignored",
        [adult(wages=s), adult(relation="10"), adult(relation="20", wages=rich)],
    )
    services.member_remove(
        actor=c.actor,
        household=household,
        person=member_person(household, "20"),
        reason="外出务工迁出",
    )
    c.make("excluded_income_ignored", [adult(wages=s - CENT, excluded=s * 10)])
    c.make(
        "destitute_member_of_dibao_household",
        [person(years_before(D1, 80)), adult(relation=nephew, wages=s)],
    )
    c.make(
        "nobody_co_resident_under_watch",
        [person(years_before(D1, 80), co_resident=False)],
        relapse_watch="unstable",
    )


# --- fixtures ------------------------------------------------------------------------------


@pytest.fixture
def lankao_officer(db: Any) -> User:
    return make_user("lankao", Role.COUNTY_OFFICER, Region.objects.get(code="410225000000"))


@pytest.fixture
def lankao_village(db: Any) -> Region:
    return (
        Region.objects.filter(code__startswith=LANKAO, level=Level.VILLAGE, urban_rural="rural")
        .order_by("code")
        .first()
    )


@pytest.fixture
def crafted(lankao_officer: User, lankao_village: Region) -> Crafter:
    standards = standards_for(region_code=lankao_village.code, on=D1, residence="rural")
    crafter = Crafter(lankao_officer, lankao_village, standards)
    craft_boundaries(crafter)
    return crafter


@pytest.fixture
def synthetic_county(db: Any) -> None:
    households_seed(actor=system_user(), county_code=LANKAO, count=300, seed=11)


def row_by_row(
    *, on: dt.date, region_prefix: str
) -> tuple[dict[int, str], dict[tuple[int, int], str]]:
    """Every household of the region classified one by one, as the 评估 page does."""
    households: dict[int, str] = {}
    members: dict[tuple[int, int], str] = {}
    cache: dict[tuple[str, str], Standards] = {}
    lo, hi = prefix_bounds(region_prefix)
    for household in Household.objects.filter(region_id__gte=lo, region_id__lte=hi):
        key = (household.region_id[:6], household.residence)
        if key not in cache:
            cache[key] = standards_for(
                region_code=household.region_id, on=on, residence=household.residence
            )
        facts = facts_from_household(household=household, on=on)
        result = classify(facts, cache[key])
        households[household.pk] = result.category
        for member, outcome in zip(facts.members, result.members, strict=True):
            assert member.person_id is not None
            members[(household.pk, member.person_id)] = outcome.category
    return households, members


def set_based(result: bulk.BulkResult) -> tuple[dict[int, str], dict[tuple[int, int], str]]:
    households = {r["household_id"]: r["proposed"] for r in result.households.to_pylist()}
    members = {
        (r["household_id"], r["person_id"]): r["category"] for r in result.members.to_pylist()
    }
    return households, members


def proposed_by_label(result: bulk.BulkResult, crafter: Crafter) -> dict[str, str]:
    households, _ = set_based(result)
    return {label: households[h.pk] for label, h in crafter.made.items()}


# --- (a) agreement with the row-by-row classifier -------------------------------------------


@pytest.mark.parametrize("on", DATES, ids=[d.isoformat() for d in DATES])
def test_set_based_and_row_by_row_agree_on_every_household_and_member(
    synthetic_county: None, crafted: Crafter, lankao_officer: User, on: dt.date
) -> None:
    result = bulk.classify_region(user=lankao_officer, region_code=LANKAO, on=on)
    expected_households, expected_members = row_by_row(on=on, region_prefix=LANKAO)

    households, members = set_based(result)
    assert len(expected_households) > 300
    assert households == expected_households
    assert members == expected_members


def test_boundary_households_get_the_categories_of_adr_0005(
    crafted: Crafter, lankao_officer: User
) -> None:
    result = bulk.classify_region(user=lankao_officer, region_code=LANKAO, on=D1)
    assert proposed_by_label(result, crafted) == EXPECTED_ON_D1


def test_boundary_households_cover_every_category_and_individual_dibao(
    crafted: Crafter, lankao_officer: User
) -> None:
    result = bulk.classify_region(user=lankao_officer, region_code=LANKAO, on=D1)
    households, members = set_based(result)
    assert set(households.values()) == set(bulk.CATEGORY_ORDER)
    assert "individual_dibao" in set(members.values())


def test_member_categories_follow_the_household_outcome(
    crafted: Crafter, lankao_officer: User
) -> None:
    result = bulk.classify_region(user=lankao_officer, region_code=LANKAO, on=D1)
    _, members = set_based(result)

    def categories(label: str) -> list[str]:
        household = crafted.made[label]
        return sorted(v for (hid, _), v in members.items() if hid == household.pk)

    assert categories("destitute_elderly") == ["destitute", "none"]
    assert categories("destitute_member_of_dibao_household") == ["destitute", "dibao"]
    assert categories("elderly_couple_both_destitute") == ["destitute", "destitute"]
    assert categories("disabled_son_with_father_on_low_wages") == [
        "individual_dibao",
        "near_dibao",
    ]
    assert categories("individual_dibao_members") == [
        "individual_dibao",
        "individual_dibao",
        "individual_dibao",
        "near_dibao",
    ]


def test_minor_born_on_29_february_is_destitute_until_1_march_of_a_common_year(
    crafted: Crafter, lankao_officer: User
) -> None:
    result = bulk.classify_region(user=lankao_officer, region_code=LANKAO, on=dt.date(2026, 2, 28))
    assert proposed_by_label(result, crafted)["born_29_february"] == "destitute"


def test_recorded_category_blank_reads_as_none_and_differences_list_the_rest(
    crafted: Crafter, lankao_officer: User
) -> None:
    household = crafted.made["income_one_cent_below_standard"]
    services.category_set(
        actor=lankao_officer,
        household=household,
        category="dibao",
        effective_from=D1 - dt.timedelta(days=10),
        reason="审核确认",
    )
    result = bulk.classify_region(user=lankao_officer, region_code=LANKAO, on=D1)
    differing = set(result.differences.column("household_id").to_pylist())
    recorded = {r["household_id"]: r["recorded"] for r in result.households.to_pylist()}

    assert household.pk not in differing
    assert recorded[crafted.made["destitute_elderly"].pk] == "none"
    assert crafted.made["destitute_elderly"].pk in differing
    assert crafted.made["two_dwellings"].pk not in differing


def test_extraction_makes_the_same_number_of_queries_for_any_number_of_households(
    jinshui_officer: User, make_household: Any
) -> None:
    make_household(jinshui_officer)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            bulk.classify_region(
                user=jinshui_officer, region_code=jinshui_officer.scope_region_id, on=D1
            )
        return len(captured)

    few = queries()
    for _ in range(5):
        make_household(jinshui_officer)
    assert queries() == few


# --- (b) scope ------------------------------------------------------------------------------


def test_township_officer_cannot_classify_another_township(
    jinshui_officer: User, zhongyuan_township: Region
) -> None:
    with pytest.raises(Http404):
        bulk.classify_region(user=jinshui_officer, region_code=zhongyuan_township.code, on=D1)


def test_township_officer_cannot_classify_their_whole_county(jinshui_officer: User) -> None:
    with pytest.raises(Http404):
        bulk.classify_region(user=jinshui_officer, region_code="410105", on=D1)


def test_village_assistant_may_not_run_a_bulk_classification(village_assistant: User) -> None:
    with pytest.raises(bulk.BulkPermissionDenied):
        bulk.classify_region(
            user=village_assistant, region_code=village_assistant.scope_region_id, on=D1
        )


def test_pass_over_a_township_leaves_out_other_townships(
    county_officer: User, make_household: Any, jinshui_township: Region
) -> None:
    inside = make_household(county_officer, village=first_below(jinshui_township.code, "village"))
    other = (
        Region.objects.filter(code__startswith="410105", level=Level.TOWNSHIP)
        .exclude(code=jinshui_township.code)
        .order_by("code")
        .first()
    )
    make_household(county_officer, village=first_below(other.code, Level.VILLAGE))
    result = bulk.classify_region(user=county_officer, region_code=jinshui_township.code, on=D1)
    assert result.households.column("household_id").to_pylist() == [inside.pk]


def _login(client: Any, user: User) -> None:
    client.force_login(user)


def test_page_of_another_township_is_not_found(
    client: Any, jinshui_officer: User, zhongyuan_township: Region
) -> None:
    _login(client, jinshui_officer)
    response = client.get(
        reverse("policy:bulk"), {"region": zhongyuan_township.code, "on": D1.isoformat()}
    )
    assert response.status_code == 404


def test_export_of_another_township_is_not_found(
    client: Any, jinshui_officer: User, zhongyuan_township: Region
) -> None:
    _login(client, jinshui_officer)
    for method in (client.get, client.post):
        response = method(
            reverse("policy:bulk_export") + f"?region={zhongyuan_township.code}&on={D1}"
        )
        assert response.status_code == 404


def test_page_is_forbidden_without_the_assessment_capability(
    client: Any, village_assistant: User
) -> None:
    _login(client, village_assistant)
    assert client.get(reverse("policy:bulk")).status_code == 403


# --- (c) page, export, command ---------------------------------------------------------------


@pytest.fixture
def jinshui_dibao_household(jinshui_officer: User, make_household: Any) -> Household:
    """Two working-age adults whose income is far below the standard, no category recorded."""
    born = dt.date(1975, 5, 1)
    members = [
        MemberInput(
            id_number=new_id_number("410105", born=born),
            name="赵小花",
            relation="02",
            incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("100.00"))],
        ),
        MemberInput(id_number=new_id_number("410105", born=born), name="李四", relation="10"),
    ]
    return make_household(jinshui_officer, members=members)


def test_page_defaults_to_the_officers_scope_and_shows_the_cross_table(
    client: Any, jinshui_officer: User, jinshui_dibao_household: Household
) -> None:
    _login(client, jinshui_officer)
    response = client.get(reverse("policy:bulk"), {"on": D1.isoformat()})
    content = response.content.decode()
    assert response.status_code == 200
    assert 'id="bulk-crosstab"' in content
    assert response.context["result"].region.code == jinshui_officer.scope_region_id
    assert response.context["result"].count == 1


def test_page_lists_the_differing_household_with_masked_id_and_assessment_link(
    client: Any, jinshui_officer: User, jinshui_dibao_household: Household
) -> None:
    _login(client, jinshui_officer)
    response = client.get(reverse("policy:bulk"), {"on": D1.isoformat()})
    content = response.content.decode()
    head = jinshui_dibao_household.head
    assert head is not None
    assert "赵小花" in content
    assert head.id_number_masked in content
    assert reverse("policy:assessment", args=[jinshui_dibao_household.pk]) in content
    assert 'data-category="dibao"' in content


def test_differing_household_row_summarises_the_member_categories(
    jinshui_officer: User, jinshui_dibao_household: Household
) -> None:
    result = bulk.classify_region(
        user=jinshui_officer, region_code=jinshui_officer.scope_region_id, on=D1
    )
    [row] = list(bulk.iter_difference_rows(user=jinshui_officer, result=result))
    assert row.member_summary == "低保 2 人"


def test_running_the_page_is_audited(
    client: Any, jinshui_officer: User, jinshui_dibao_household: Household
) -> None:
    _login(client, jinshui_officer)
    client.get(reverse("policy:bulk"), {"on": D1.isoformat()})
    assert AuditRecord.objects.filter(
        actor=jinshui_officer, action=Action.VIEW, object_type="bulk_classification"
    ).exists()


def test_page_without_parameters_shows_only_the_form(client: Any, jinshui_officer: User) -> None:
    _login(client, jinshui_officer)
    response = client.get(reverse("policy:bulk"))
    assert response.status_code == 200
    assert "result" not in response.context


def test_invalid_date_is_reported_beside_the_field(client: Any, jinshui_officer: User) -> None:
    _login(client, jinshui_officer)
    response = client.get(reverse("policy:bulk"), {"on": "2026-13-01"})
    assert "评估日期无效" in response.content.decode()


def test_export_is_an_audited_workbook_of_the_differences(
    client: Any, jinshui_officer: User, jinshui_dibao_household: Household
) -> None:
    _login(client, jinshui_officer)
    content = exported_file(client, reverse("policy:bulk_export"), {"on": D1.isoformat()})
    workbook = load_workbook(io.BytesIO(content), read_only=True)
    rows = list(workbook["差异家庭"].iter_rows(values_only=True))
    head = jinshui_dibao_household.head
    assert head is not None
    assert rows[1][:3] == (jinshui_dibao_household.pk, "赵小花", head.id_number_masked)
    assert rows[1][5:7] == ("无", "低保")
    assert AuditRecord.objects.filter(
        actor=jinshui_officer, action=Action.EXPORT, object_type="bulk_classification"
    ).exists()


def test_command_prints_the_summary_line(
    jinshui_officer: User, jinshui_dibao_household: Household, capsys: Any
) -> None:
    call_command(
        "classify_region",
        jinshui_officer.scope_region_id,
        "--date",
        D1.isoformat(),
        "--as",
        "jinshui",
    )
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines[-1] == "households=1 differ=1"


def test_command_writes_the_excel_file(
    jinshui_officer: User, jinshui_dibao_household: Household, tmp_path: Any, capsys: Any
) -> None:
    out = tmp_path / "bulk.xlsx"
    call_command(
        "classify_region",
        jinshui_officer.scope_region_id,
        "--date",
        D1.isoformat(),
        "--as",
        "jinshui",
        "--out",
        str(out),
    )
    workbook = load_workbook(out, read_only=True)
    rows = data_rows(workbook["差异家庭"].iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == [jinshui_dibao_household.pk]


def test_command_refuses_a_region_outside_the_accounts_scope(
    jinshui_officer: User, zhongyuan_township: Region
) -> None:
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="不在您的管辖范围内"):
        call_command("classify_region", zhongyuan_township.code, "--as", "jinshui")


# --- the engine on its own ------------------------------------------------------------------


def test_standards_with_more_decimals_than_the_engine_compares_exactly_are_refused() -> None:
    standards = Standards(dibao_monthly=Decimal("560.001"))
    with pytest.raises(bulk.BulkError, match="小数位数过多"):
        bulk.standards_table({("410225", "rural"): standards})


def _random_household(rng: random.Random, hid: int) -> HouseholdFacts:
    """A household drawn around the example standards, so that every category and boundary
    of ADR 0005 is hit often; figures are whole cents."""

    def money(top: int, share: float = 1.0) -> Decimal:
        return Decimal(rng.randint(0, top * 100)) / 100 if rng.random() < share else Decimal(0)

    members = []
    for i in range(rng.choice([0, 1, 1, 2, 3, 4, 5])):
        kind = rng.choice(["", "", "", "visual", "physical", "intellectual", "mental", "hearing"])
        members.append(
            MemberFacts(
                id_number=f"{hid}-{i}",
                relation="02",
                birth_date=D1 - dt.timedelta(days=rng.randint(0, 95 * 366)),
                income=MemberIncome(
                    wages=money(1500, 0.5), transfer=money(300, 0.3), excluded=money(100, 0.2)
                ),
                disability_type=kind,
                disability_grade=rng.randint(1, 4) if kind else None,
                serious_illness=rng.random() < 0.1,
                in_school=rng.random() < 0.15,
                person_id=hid * 10 + i,
            )
        )
    return HouseholdFacts(
        region_code="410225100200",
        on=D1,
        residence=rng.choice(["urban", "rural"]),
        members=tuple(members),
        assets=HouseholdAssets(
            financial=money(40000, 0.5),
            vehicles=tuple(
                Vehicle(value=money(60000), for_disability=rng.random() < 0.3)
                for _ in range(rng.choice([0, 0, 0, 1, 2]))
            ),
            dwellings=rng.choice([0, 1, 1, 2]),
            business_capital=money(20000, 0.1),
        ),
        rigid_expenditure_12m=RigidExpenditure12m(
            medical=money(50000, 0.3), education=money(10000, 0.1)
        ),
        supporters=tuple(
            Supporter(
                able_to_support=rng.random() < 0.5,
                supported_id_number=rng.choice(["", f"{hid}-0", "elsewhere"]),
            )
            for _ in range(rng.choice([0, 0, 1, 2]))
        ),
        relapse_watch=rng.choice(["", "", "unstable"]),
        household_id=hid,
    )


RANDOM_STANDARDS = {
    ("410225", "urban"): Standards(
        dibao_monthly=Decimal("750.00"),
        disposable_income_annual=Decimal("38000.00"),
        rigid_expenditure_share=Decimal("0.5"),
        vehicle_value_limit=Decimal("30000.00"),
        business_capital_limit=Decimal("5000.00"),
    ),
    # The older expenditure rule and a multiplier with three decimals.
    ("410225", "rural"): Standards(
        dibao_monthly=Decimal("560.00"),
        near_dibao_multiplier=Decimal("1.333"),
        disposable_income_annual=Decimal("18000.00"),
        expenditure_rule=ExpenditureRule.AFTER_EXPENDITURE,
        vehicle_value_limit=Decimal("20000.00"),
    ),
}


def test_engine_agrees_with_classify_on_random_households_under_both_expenditure_rules() -> None:
    rng = random.Random(20261129)
    facts = [_random_household(rng, hid) for hid in range(1, 3001)]
    tables = bulk.tables_from_facts(facts, standards=RANDOM_STANDARDS)
    outputs = bulk.DuckDBEngine().run(bulk.BulkInputs(on=D1, tables=tables))
    expected = {
        f.household_id: classify(f, RANDOM_STANDARDS[("410225", f.residence)]) for f in facts
    }

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
    assert {result.category for result in expected.values()} == set(bulk.CATEGORY_ORDER)
