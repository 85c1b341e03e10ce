from __future__ import annotations

import datetime as dt
import io
import os
import random
import subprocess
import sys
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import CommandError, call_command

from safetynet.accounts.services import system_user
from safetynet.audit.models import AuditRecord
from safetynet.regions.models import Level, Region
from safetynet.registry.choices import COUNTED_INCOME_KINDS, AssetKind, LabourCapacity, SchoolStage
from safetynet.registry.identity import parse_id_number
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.models import Household, Person
from safetynet.registry.relations import HEAD
from safetynet.registry.synthetic import (
    AS_OF,
    EXAMPLE_DIBAO_STANDARD,
    SeedError,
    add_years,
    age_on,
    households_seed,
    seed_county,
    synthetic_households,
)

pytestmark = pytest.mark.django_db

LANKAO = "410225"  # 兰考县
CHILD_CODES = {"20", "21", "22", "23", "24", "25", "26", "27", "29"} | {
    "30", "31", "32", "33", "34", "35", "36", "37", "39",
}  # fmt: skip
GRANDCHILD_CODES = {"41", "42", "43", "44"}


def generate(count: int = 200, seed: int = 1, county: str = LANKAO) -> list[HouseholdInput]:
    return list(synthetic_households(county=seed_county(code=county), count=count, seed=seed))


def birth(id_number: str) -> dt.date:
    return parse_id_number(id_number, today=AS_OF).birth_date


def head_of(household: HouseholdInput) -> Any:
    return next(m for m in household.members if m.relation == HEAD)


def per_head_ratio(household: HouseholdInput) -> Decimal:
    income = sum(
        (
            i.monthly_amount
            for m in household.members
            for i in m.incomes
            if i.kind in COUNTED_INCOME_KINDS
        ),
        Decimal(0),
    )
    return income / len(household.members) / EXAMPLE_DIBAO_STANDARD[household.residence]


def test_same_seed_gives_identical_households() -> None:
    assert repr(generate(seed=7)) == repr(generate(seed=7))


def test_different_seed_gives_different_households() -> None:
    first = {m.id_number for h in generate(seed=7) for m in h.members}
    second = {m.id_number for h in generate(seed=8) for m in h.members}
    assert len(first & second) < len(first) // 10


def test_generation_leaves_the_global_random_generator_alone() -> None:
    random.seed(12345)
    state = random.getstate()
    generate(count=20)
    assert random.getstate() == state


def test_generation_does_not_depend_on_hash_randomisation() -> None:
    """Same data in two processes with different string hashing (set and dict order)."""
    script = (
        "import hashlib, django; django.setup();"
        "from safetynet.registry.synthetic import HouseholdGenerator, Village;"
        "v = [Village('410225001001', 'urban', '兰阳街道城中社区'),"
        " Village('410225001213', 'rural', '兰阳街道五爷庙村')];"
        "g = HouseholdGenerator(county_code='410225000000', villages=v, seed=3);"
        "print(hashlib.sha256(repr([g.household() for _ in range(300)]).encode()).hexdigest())"
    )
    digests = set()
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        env.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.test")
        result = subprocess.run(
            [sys.executable, "-c", script], capture_output=True, text=True, env=env, check=True
        )
        digests.add(result.stdout.strip())
    assert len(digests) == 1


def test_every_id_number_is_valid_and_issued_in_the_county() -> None:
    numbers = [m.id_number for h in generate() for m in h.members]
    assert {parse_id_number(n).number[:6] for n in numbers} == {LANKAO}


def test_id_numbers_are_unique() -> None:
    numbers = [m.id_number for h in generate(count=500) for m in h.members]
    assert len(numbers) == len(set(numbers))


def test_every_household_is_in_a_real_village_of_the_county() -> None:
    codes = {h.region_code for h in generate()}
    villages = set(
        Region.objects.filter(code__in=codes, level=Level.VILLAGE).values_list("code", flat=True)
    )
    assert villages == codes
    assert all(code.startswith(LANKAO) for code in codes)


def test_households_spread_over_many_villages() -> None:
    assert len({h.region_code for h in generate()}) > 100


def test_residence_follows_the_village_class() -> None:
    households = generate()
    classes = dict(
        Region.objects.filter(code__in={h.region_code for h in households}).values_list(
            "code", "urban_rural"
        )
    )
    assert all(h.residence == classes[h.region_code] for h in households)


def test_each_household_has_exactly_one_head() -> None:
    assert {sum(m.relation == HEAD for m in h.members) for h in generate()} == {1}


def test_children_born_at_least_twenty_years_after_the_head() -> None:
    pairs = [
        (birth(head_of(h).id_number), birth(m.id_number))
        for h in generate()
        for m in h.members
        if m.relation in CHILD_CODES
    ]
    assert pairs
    assert all(add_years(head, 20) <= child for head, child in pairs)


def test_grandchildren_born_at_least_forty_years_after_the_head() -> None:
    pairs = [
        (birth(head_of(h).id_number), birth(m.id_number))
        for h in generate()
        for m in h.members
        if m.relation in GRANDCHILD_CODES
    ]
    assert pairs
    assert all(add_years(head, 40) <= child for head, child in pairs)


def test_parents_of_the_head_born_at_least_twenty_years_before_the_head() -> None:
    pairs = [
        (birth(m.id_number), birth(head_of(h).id_number))
        for h in generate()
        for m in h.members
        if m.relation in ("51", "52")
    ]
    assert pairs
    assert all(add_years(parent, 20) <= head for parent, head in pairs)


def test_spouses_are_within_eight_years_of_each_other() -> None:
    gaps = [
        abs(birth(head_of(h).id_number) - birth(m.id_number)).days / 365.25
        for h in generate()
        for m in h.members
        if m.relation in ("10", "11", "12")
    ]
    assert gaps
    assert max(gaps) < 8


def test_husband_and_wife_relations_match_sexes() -> None:
    sexes = {
        (m.relation, parse_id_number(m.id_number).sex)
        for h in generate()
        for m in h.members
        if m.relation in ("11", "12")
    }
    assert sexes == {("11", "male"), ("12", "female")}


def test_children_under_sixteen_have_no_labour_capacity() -> None:
    capacities = {
        m.labour_capacity
        for h in generate()
        for m in h.members
        if age_on(birth(m.id_number), AS_OF) < 16
    }
    assert capacities == {LabourCapacity.NONE}


def test_primary_school_pupils_are_six_to_eleven() -> None:
    ages = {
        age_on(birth(m.id_number), AS_OF)
        for h in generate()
        for m in h.members
        if m.school_stage == SchoolStage.PRIMARY
    }
    assert ages and min(ages) >= 6 and max(ages) <= 11


def test_nobody_over_twenty_three_is_at_school() -> None:
    stages = {
        m.school_stage
        for h in generate()
        for m in h.members
        if age_on(birth(m.id_number), AS_OF) > 23
    }
    assert stages == {SchoolStage.NONE}


def test_disability_comes_with_a_grade_and_affects_about_six_percent() -> None:
    members = [m for h in generate(count=500) for m in h.members]
    disabled = [m for m in members if m.disability_type]
    assert all(m.disability_grade in (1, 2, 3, 4) for m in disabled)
    assert 0.03 < len(disabled) / len(members) < 0.10


def test_incomes_fall_below_between_and_above_the_standard() -> None:
    ratios = [per_head_ratio(h) for h in generate(count=500)]
    below = sum(r < 1 for r in ratios) / len(ratios)
    near = sum(1 <= r < Decimal("1.5") for r in ratios) / len(ratios)
    above = sum(r >= Decimal("1.5") for r in ratios) / len(ratios)
    assert 0.03 < below < 0.25
    assert 0.05 < near < 0.30
    assert above > 0.5


def test_dibao_households_have_income_below_the_standard() -> None:
    dibao = [h for h in generate(count=500) if h.category == "dibao"]
    assert dibao
    assert all(per_head_ratio(h) < 1 for h in dibao)


def test_households_with_a_category_own_no_car() -> None:
    categorised = [h for h in generate(count=500) if h.category]
    assert categorised
    assert not [
        a
        for h in categorised
        for a in h.assets
        if a.kind == AssetKind.VEHICLE and not a.for_disability
    ]


def test_seed_writes_the_households_with_one_audit_record() -> None:
    actor = system_user()
    before = AuditRecord.objects.count()
    result = households_seed(actor=actor, county_code=LANKAO, count=60, seed=1)
    assert (result.created, Household.objects.count()) == (60, 60)
    assert AuditRecord.objects.count() == before + 1


def test_seeded_people_match_the_generated_ones() -> None:
    households_seed(actor=system_user(), county_code=LANKAO, count=30, seed=4)
    names = sorted(m.name for h in generate(count=30, seed=4) for m in h.members)
    assert sorted(Person.objects.values_list("name", flat=True)) == names


def test_rerun_with_the_same_arguments_creates_nothing() -> None:
    actor = system_user()
    households_seed(actor=actor, county_code=LANKAO, count=40, seed=2)
    again = households_seed(actor=actor, county_code=LANKAO, count=40, seed=2, batch_size=15)
    assert (again.created, again.skipped, Household.objects.count()) == (0, 40, 40)


def test_a_larger_rerun_adds_only_the_new_households() -> None:
    actor = system_user()
    households_seed(actor=actor, county_code=LANKAO, count=20, seed=2)
    more = households_seed(actor=actor, county_code=LANKAO, count=35, seed=2)
    assert (more.created, more.skipped) == (15, 20)


def test_city_code_is_refused_with_the_reason() -> None:
    with pytest.raises(SeedError, match=r"开封市.*是市，不是县级区划"):
        seed_county(code="410200")


def test_unknown_code_is_refused() -> None:
    with pytest.raises(SeedError, match="区划代码不存在"):
        seed_county(code="419999")


@pytest.mark.parametrize("code", ["419001", "410171", "410225000000"])
def test_jiyuan_development_zones_and_twelve_digit_codes_are_counties(code: str) -> None:
    assert seed_county(code=code).level == Level.COUNTY


def test_jiyuan_households_get_jiyuan_id_numbers() -> None:
    numbers = {m.id_number[:6] for h in generate(count=20, county="419001") for m in h.members}
    assert numbers == {"419001"}


def test_command_prints_progress_and_the_totals_last() -> None:
    out = io.StringIO()
    call_command("seed", county=LANKAO, households=25, seed=5, batch_size=10, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "created=25 skipped=0"
    assert lines[-2].startswith("demo_work=skipped")  # too few households in the township
    assert len(lines) == 5  # three batches, the demo work and the totals


def test_command_refuses_a_township_code() -> None:
    with pytest.raises(CommandError, match="不是县级区划"):
        call_command("seed", county="410225001000", households=5, stdout=io.StringIO())
