"""The registry's editing services: what they write, what they keep, and what they refuse."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from conftest import new_id_number
from safetynet.audit.models import Action, AuditRecord
from safetynet.regions.models import Level, Region
from safetynet.registry import identity, services
from safetynet.registry.inputs import MemberInput
from safetynet.registry.models import (
    Asset,
    CategoryStatus,
    Household,
    Income,
    LegalSupporter,
    Membership,
    Person,
    RelapseWatchStatus,
    RigidExpenditure,
)

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def household(jinshui_officer: Any, make_household: Any) -> Household:
    household: Household = make_household(jinshui_officer, head_name="张三")
    return household


@pytest.fixture
def spouse(household: Household) -> Person:
    return Membership.objects.get(household=household, relation="10").person


def _villages(township: Region) -> list[Region]:
    return list(
        Region.objects.filter(code__startswith=township.prefix, level=Level.VILLAGE).order_by(
            "code"
        )[:2]
    )


def _last_audit() -> AuditRecord:
    return AuditRecord.objects.latest("id")


# household_update


def test_household_update_changes_address_and_audits_the_changed_fields(
    jinshui_officer: Any, household: Household
) -> None:
    services.household_update(actor=jinshui_officer, household=household, data={"address": "新址"})
    household.refresh_from_db()
    assert household.address == "新址"
    assert _last_audit().detail["changed"]["address"][1] == "新址"


def test_household_moved_to_another_village_takes_its_members_along(
    jinshui_officer: Any, jinshui_township: Region, household: Household
) -> None:
    target = _villages(jinshui_township)[1]
    services.household_update(
        actor=jinshui_officer, household=household, data={"region_id": target.code}
    )
    regions = set(
        Person.objects.filter(memberships__household=household).values_list("region_id", flat=True)
    )
    assert regions == {target.code}


def test_household_update_refuses_a_township_code_on_the_region_field(
    jinshui_officer: Any, jinshui_township: Region, household: Household
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.household_update(
            actor=jinshui_officer, household=household, data={"region_id": jinshui_township.code}
        )
    assert caught.value.field == "region_id"


def test_household_update_refuses_a_village_of_another_township(
    jinshui_officer: Any, zhongyuan_township: Region, household: Household
) -> None:
    outside = _villages(zhongyuan_township)[0]
    with pytest.raises(services.RegistryError, match="管辖范围"):
        services.household_update(
            actor=jinshui_officer, household=household, data={"region_id": outside.code}
        )


def test_household_update_refuses_an_unknown_residence(
    jinshui_officer: Any, household: Household
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.household_update(
            actor=jinshui_officer, household=household, data={"residence": "suburb"}
        )
    assert (caught.value.field, str(caught.value)) == ("residence", "城乡类别只能是城市或农村")


# member_add


def _member(**fields: Any) -> MemberInput:
    values: dict[str, Any] = {"id_number": new_id_number(), "name": "王小", "relation": "20"}
    values.update(fields)
    return MemberInput(**values)


def test_member_add_creates_a_current_membership_and_recounts(
    jinshui_officer: Any, household: Household
) -> None:
    person = services.member_add(actor=jinshui_officer, household=household, member=_member())
    household.refresh_from_db()
    assert Membership.objects.get(person=person, left_on__isnull=True).household == household
    assert household.member_count == 3


def test_member_add_names_the_id_number_field_when_the_number_is_invalid(
    jinshui_officer: Any, household: Household
) -> None:
    with pytest.raises(services.HouseholdValidationError) as caught:
        services.member_add(
            actor=jinshui_officer,
            household=household,
            member=_member(id_number="410105197001010000"),
        )
    assert [(p.field, p.reason) for p in caught.value.problems] == [
        ("id_number", "身份证号校验码错误：末位应为 4，实际为 0")
    ]


def test_member_add_refuses_a_second_head(jinshui_officer: Any, household: Household) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.member_add(
            actor=jinshui_officer, household=household, member=_member(relation="02")
        )
    assert caught.value.field == "relation"


def test_member_add_refuses_a_person_living_in_another_household(
    jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    other = make_household(jinshui_officer)
    number = new_id_number()
    services.member_add(actor=jinshui_officer, household=other, member=_member(id_number=number))
    with pytest.raises(services.HouseholdValidationError) as caught:
        services.member_add(
            actor=jinshui_officer, household=household, member=_member(id_number=number)
        )
    assert caught.value.problems[0].reason == "此人已登记在另一户中"


# member_update


def test_member_update_changes_circumstances_and_audits_them(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.member_update(
        actor=jinshui_officer,
        household=household,
        person=spouse,
        data={"disability_type": "physical", "disability_grade": 2, "health_status": "serious"},
    )
    spouse.refresh_from_db()
    assert (spouse.disability_type, spouse.disability_grade, spouse.health_status) == (
        "physical",
        2,
        "serious",
    )
    assert set(_last_audit().detail["changed"]) == {
        "disability_type",
        "disability_grade",
        "health_status",
    }


def test_member_update_of_co_residence_recounts_the_household(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.member_update(
        actor=jinshui_officer, household=household, person=spouse, data={"co_resident": False}
    )
    household.refresh_from_db()
    assert household.member_count == 1


def test_member_update_refuses_to_change_the_heads_relation(
    jinshui_officer: Any, household: Household
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.member_update(
            actor=jinshui_officer,
            household=household,
            person=household.head,
            data={"relation": "10"},
        )
    assert caught.value.field == "relation"


def test_member_update_refuses_a_person_of_another_household(
    jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    stranger = make_household(jinshui_officer).head
    with pytest.raises(services.RegistryError, match="不是本户现有成员"):
        services.member_update(
            actor=jinshui_officer, household=household, person=stranger, data={"phone": "1"}
        )


def test_member_update_names_the_grade_field_when_the_grade_is_missing(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.member_update(
            actor=jinshui_officer,
            household=household,
            person=spouse,
            data={"disability_type": "visual", "disability_grade": None},
        )
    assert caught.value.field == "disability_grade"


# member_remove


def test_member_remove_keeps_the_person_and_the_former_membership(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.member_remove(
        actor=jinshui_officer,
        household=household,
        person=spouse,
        reason="死亡",
        left_on=timezone.localdate(),
    )
    former = Membership.objects.get(household=household, person=spouse)
    assert (former.left_on, former.left_reason) == (timezone.localdate(), "死亡")
    assert Person.objects.filter(pk=spouse.pk).exists()


def test_member_remove_recounts_and_drops_the_members_incomes(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    Income.objects.create(
        household=household, person=spouse, kind="wages", monthly_amount=Decimal("100")
    )
    services.member_remove(actor=jinshui_officer, household=household, person=spouse, reason="迁出")
    household.refresh_from_db()
    assert household.member_count == 1
    assert not Income.objects.filter(person=spouse).exists()


def test_removed_member_can_join_another_household(
    jinshui_officer: Any, household: Household, spouse: Person, make_household: Any
) -> None:
    services.member_remove(actor=jinshui_officer, household=household, person=spouse, reason="婚出")
    other = make_household(jinshui_officer)
    number = identity.decrypt_id_number(spouse.id_number_encrypted)
    person = services.member_add(
        actor=jinshui_officer, household=other, member=_member(id_number=number, relation="10")
    )
    assert person.pk == spouse.pk
    assert Membership.objects.filter(person=spouse).count() == 2


def test_member_remove_requires_a_reason_on_the_reason_field(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.member_remove(
            actor=jinshui_officer, household=household, person=spouse, reason=" "
        )
    assert (caught.value.field, str(caught.value)) == ("reason", "请填写成员离开的原因")


def test_member_remove_refuses_a_date_in_the_future(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.member_remove(
            actor=jinshui_officer,
            household=household,
            person=spouse,
            reason="迁出",
            left_on=timezone.localdate() + dt.timedelta(days=1),
        )
    assert caught.value.field == "left_on"


def test_member_remove_refuses_a_date_before_joining(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    with pytest.raises(services.RegistryError, match="加入本户的日期") as caught:
        services.member_remove(
            actor=jinshui_officer,
            household=household,
            person=spouse,
            reason="迁出",
            left_on=timezone.localdate() - dt.timedelta(days=1),
        )
    assert caught.value.field == "left_on"


def test_member_remove_refuses_the_head(jinshui_officer: Any, household: Household) -> None:
    with pytest.raises(services.RegistryError, match="请先变更户主"):
        services.member_remove(
            actor=jinshui_officer, household=household, person=household.head, reason="迁出"
        )


# household_change_head


def test_change_head_makes_the_member_head_and_gives_the_old_head_a_relation(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    old_head = household.head
    services.household_change_head(
        actor=jinshui_officer, household=household, new_head=spouse, old_head_relation="10"
    )
    household.refresh_from_db()
    relations = dict(
        Membership.objects.filter(household=household).values_list("person_id", "relation")
    )
    assert (household.head_id, relations) == (spouse.pk, {spouse.pk: "02", old_head.pk: "10"})


def test_change_head_refuses_the_current_head(jinshui_officer: Any, household: Household) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.household_change_head(
            actor=jinshui_officer,
            household=household,
            new_head=household.head,
            old_head_relation="10",
        )
    assert (caught.value.field, str(caught.value)) == ("new_head", "该成员已是户主")


def test_change_head_refuses_a_relation_code_outside_the_standard(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.household_change_head(
            actor=jinshui_officer, household=household, new_head=spouse, old_head_relation="XX"
        )
    assert caught.value.field == "old_head_relation"


# incomes, assets, expenditures


def test_incomes_replace_replaces_the_rows_and_audits_old_and_new_counts(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.incomes_replace(
        actor=jinshui_officer,
        household=household,
        rows=[
            {"person_id": spouse.pk, "kind": "transfer", "monthly_amount": Decimal("300.00")},
            {"person_id": spouse.pk, "kind": "excluded", "monthly_amount": Decimal("50.00")},
        ],
    )
    assert sorted(Income.objects.filter(household=household).values_list("kind", flat=True)) == [
        "excluded",
        "transfer",
    ]
    record = _last_audit()
    assert (record.action, record.summary) == (Action.UPDATE, "修改收入：1 条 → 2 条")


def test_incomes_replace_names_the_row_of_a_person_outside_the_household(
    jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    stranger = make_household(jinshui_officer).head
    with pytest.raises(services.RegistryError) as caught:
        services.incomes_replace(
            actor=jinshui_officer,
            household=household,
            rows=[
                {"person_id": household.head_id, "kind": "wages", "monthly_amount": Decimal(1)},
                {"person_id": stranger.pk, "kind": "wages", "monthly_amount": Decimal(1)},
            ],
        )
    assert (caught.value.field, str(caught.value)) == (
        "person_id",
        "第 2 行：收入所属成员不是本户成员",
    )
    assert Income.objects.filter(household=household).count() == 1


def test_incomes_replace_refuses_a_former_member(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.member_remove(actor=jinshui_officer, household=household, person=spouse, reason="迁出")
    with pytest.raises(services.RegistryError, match="不是本户成员"):
        services.incomes_replace(
            actor=jinshui_officer,
            household=household,
            rows=[{"person_id": spouse.pk, "kind": "wages", "monthly_amount": Decimal(1)}],
        )


def test_assets_replace_keeps_a_former_members_asset(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.member_remove(actor=jinshui_officer, household=household, person=spouse, reason="死亡")
    services.assets_replace(
        actor=jinshui_officer,
        household=household,
        rows=[
            {
                "person_id": spouse.pk,
                "kind": "real_estate",
                "value": Decimal("80000"),
                "area_m2": Decimal("90.5"),
            }
        ],
    )
    assert Asset.objects.get(household=household).person_id == spouse.pk


def test_expenditures_replace_stores_rows_with_dates_and_members(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.expenditures_replace(
        actor=jinshui_officer,
        household=household,
        rows=[
            {
                "person_id": spouse.pk,
                "kind": "medical",
                "amount": Decimal("12000.50"),
                "incurred_on": D(2024, 3, 1),
            }
        ],
    )
    row = RigidExpenditure.objects.get(household=household)
    assert (row.person_id, row.amount, row.incurred_on) == (
        spouse.pk,
        Decimal("12000.50"),
        D(2024, 3, 1),
    )


# supporters


def test_supporter_add_stores_the_id_number_encrypted_and_masked(
    jinshui_officer: Any, household: Household
) -> None:
    number = new_id_number()
    supporter = services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="张大",
        id_number=number.lower(),
        relation="20",
        able_to_support=False,
        supported_person=household.head,
    )
    assert supporter.id_number_masked == number[:3] + "*" * 11 + number[-4:]
    assert identity.decrypt_id_number(supporter.id_number_encrypted) == number


def test_supporter_add_names_the_id_number_field_when_the_number_is_invalid(
    jinshui_officer: Any, household: Household
) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.supporter_add(
            actor=jinshui_officer,
            household=household,
            name="张大",
            id_number="41010519700101",
            relation="20",
            able_to_support=True,
        )
    assert (caught.value.field, str(caught.value)) == (
        "id_number",
        "身份证号应为 18 位，实际为 14 位",
    )


def test_supporter_add_refuses_a_supported_person_of_another_household(
    jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    stranger = make_household(jinshui_officer).head
    with pytest.raises(services.RegistryError) as caught:
        services.supporter_add(
            actor=jinshui_officer,
            household=household,
            name="张大",
            id_number="",
            relation="20",
            able_to_support=True,
            supported_person=stranger,
        )
    assert caught.value.field == "supported_person"


def test_supporter_remove_deletes_it_and_audits_the_deletion(
    jinshui_officer: Any, household: Household
) -> None:
    supporter = services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="张大",
        id_number="",
        relation="20",
        able_to_support=True,
    )
    services.supporter_remove(actor=jinshui_officer, household=household, supporter=supporter)
    assert not LegalSupporter.objects.exists()
    assert _last_audit().action == Action.DELETE


def test_supporter_remove_refuses_a_supporter_of_another_household(
    jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    other = make_household(jinshui_officer)
    supporter = services.supporter_add(
        actor=jinshui_officer,
        household=other,
        name="李大",
        id_number="",
        relation="20",
        able_to_support=True,
    )
    with pytest.raises(services.RegistryError, match="不属于本户"):
        services.supporter_remove(actor=jinshui_officer, household=household, supporter=supporter)


# category_set and relapse_watch_set


def test_category_change_closes_the_open_record_and_keeps_history(
    jinshui_officer: Any, household: Household
) -> None:
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="near_dibao",
        effective_from=D(2024, 1, 1),
        reason="低保边缘认定",
    )
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="dibao",
        effective_from=D(2024, 7, 1),
        reason="纳入低保",
    )
    history = list(
        CategoryStatus.objects.filter(household=household)
        .order_by("effective_from")
        .values_list("category", "effective_from", "effective_to")
    )
    assert history == [
        ("near_dibao", D(2024, 1, 1), D(2024, 6, 30)),
        ("dibao", D(2024, 7, 1), None),
    ]
    household.refresh_from_db()
    assert household.category == "dibao"


def test_category_end_is_recorded_as_a_blank_category(
    jinshui_officer: Any, household: Household
) -> None:
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="dibao",
        effective_from=D(2024, 1, 1),
        reason="纳入",
    )
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="",
        effective_from=D(2025, 1, 1),
        reason="收入超标，终止",
    )
    household.refresh_from_db()
    assert household.category == ""
    assert CategoryStatus.objects.filter(household=household).count() == 2


def test_category_effective_date_must_follow_the_open_record(
    jinshui_officer: Any, household: Household
) -> None:
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="dibao",
        effective_from=D(2024, 7, 1),
        reason="纳入",
    )
    with pytest.raises(services.RegistryError) as caught:
        services.category_set(
            actor=jinshui_officer,
            household=household,
            category="near_dibao",
            effective_from=D(2024, 7, 1),
            reason="调整",
        )
    assert (caught.value.field, str(caught.value)) == (
        "effective_from",
        "生效日期须晚于当前记录的生效日期 2024-07-01",
    )


def test_destitute_category_needs_a_member(jinshui_officer: Any, household: Household) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.category_set(
            actor=jinshui_officer,
            household=household,
            category="destitute",
            effective_from=D(2024, 1, 1),
            reason="特困认定",
        )
    assert caught.value.field == "person"


def test_member_category_is_kept_apart_from_the_household_category(
    jinshui_officer: Any, household: Household, spouse: Person
) -> None:
    services.category_set(
        actor=jinshui_officer,
        household=household,
        category="individual_dibao",
        effective_from=D(2024, 1, 1),
        reason="重度残疾单人保",
        person=spouse,
    )
    household.refresh_from_db()
    status = CategoryStatus.objects.get(household=household)
    assert (household.category, status.person_id) == ("", spouse.pk)


def test_member_category_refuses_a_person_of_another_household(
    jinshui_officer: Any, household: Household, make_household: Any
) -> None:
    stranger = make_household(jinshui_officer).head
    with pytest.raises(services.RegistryError) as caught:
        services.category_set(
            actor=jinshui_officer,
            household=household,
            category="destitute",
            effective_from=D(2024, 1, 1),
            reason="特困认定",
            person=stranger,
        )
    assert caught.value.field == "person"


def test_ending_a_category_when_none_is_open_is_refused(
    jinshui_officer: Any, household: Household
) -> None:
    with pytest.raises(services.RegistryError, match="当前没有可终止的类别"):
        services.category_set(
            actor=jinshui_officer,
            household=household,
            category="",
            effective_from=D(2024, 1, 1),
            reason="终止",
        )


def test_ending_an_already_ended_category_is_refused(
    jinshui_officer: Any, household: Household
) -> None:
    for category, day in (("dibao", D(2024, 1, 1)), ("", D(2024, 6, 1))):
        services.category_set(
            actor=jinshui_officer,
            household=household,
            category=category,
            effective_from=day,
            reason="依据",
        )
    with pytest.raises(services.RegistryError, match="当前没有可终止的类别"):
        services.category_set(
            actor=jinshui_officer,
            household=household,
            category="",
            effective_from=D(2024, 9, 1),
            reason="再次终止",
        )


def test_category_needs_a_reason(jinshui_officer: Any, household: Household) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.category_set(
            actor=jinshui_officer,
            household=household,
            category="dibao",
            effective_from=D(2024, 1, 1),
            reason="  ",
        )
    assert (caught.value.field, str(caught.value)) == ("reason", "请填写依据或原因")


def test_relapse_watch_change_closes_the_open_record_and_keeps_history(
    jinshui_officer: Any, household: Household
) -> None:
    services.relapse_watch_set(
        actor=jinshui_officer,
        household=household,
        watch_type="at_risk",
        effective_from=D(2024, 1, 1),
        reason="边缘易致贫",
    )
    services.relapse_watch_set(
        actor=jinshui_officer,
        household=household,
        watch_type="",
        effective_from=D(2024, 10, 1),
        reason="风险消除",
    )
    history = list(
        RelapseWatchStatus.objects.filter(household=household)
        .order_by("effective_from")
        .values_list("watch_type", "effective_to")
    )
    assert history == [("at_risk", D(2024, 9, 30)), ("", None)]


def test_relapse_watch_refuses_an_unknown_type(jinshui_officer: Any, household: Household) -> None:
    with pytest.raises(services.RegistryError) as caught:
        services.relapse_watch_set(
            actor=jinshui_officer,
            household=household,
            watch_type="poor",
            effective_from=D(2024, 1, 1),
            reason="依据",
        )
    assert caught.value.field == "watch_type"


def test_village_assistant_cannot_set_a_category(
    village_assistant: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    with pytest.raises(services.PermissionDenied):
        services.category_set(
            actor=village_assistant,
            household=household,
            category="dibao",
            effective_from=D(2024, 1, 1),
            reason="依据",
        )


# who may call the services at all

EDITS: dict[str, Callable[[Any, Household], Any]] = {
    "household_update": lambda actor, h: services.household_update(
        actor=actor, household=h, data={"address": "x"}
    ),
    "member_add": lambda actor, h: services.member_add(actor=actor, household=h, member=_member()),
    "member_update": lambda actor, h: services.member_update(
        actor=actor, household=h, person=h.head, data={"phone": "1"}
    ),
    "member_remove": lambda actor, h: services.member_remove(
        actor=actor,
        household=h,
        person=h.memberships.exclude(person=h.head).get().person,
        reason="迁出",
    ),
    "household_change_head": lambda actor, h: services.household_change_head(
        actor=actor,
        household=h,
        new_head=h.memberships.exclude(person=h.head).get().person,
        old_head_relation="10",
    ),
    "incomes_replace": lambda actor, h: services.incomes_replace(actor=actor, household=h, rows=[]),
    "assets_replace": lambda actor, h: services.assets_replace(actor=actor, household=h, rows=[]),
    "expenditures_replace": lambda actor, h: services.expenditures_replace(
        actor=actor, household=h, rows=[]
    ),
    "supporter_add": lambda actor, h: services.supporter_add(
        actor=actor, household=h, name="甲", id_number="", relation="20", able_to_support=True
    ),
    "category_set": lambda actor, h: services.category_set(
        actor=actor, household=h, category="dibao", effective_from=D(2024, 1, 1), reason="依据"
    ),
    "relapse_watch_set": lambda actor, h: services.relapse_watch_set(
        actor=actor, household=h, watch_type="unstable", effective_from=D(2024, 1, 1), reason="依据"
    ),
}


@pytest.mark.parametrize("name", sorted(EDITS))
def test_officer_of_another_township_is_refused_by_every_edit_service(
    zhongyuan_officer: Any, household: Household, name: str
) -> None:
    before = AuditRecord.objects.count()
    with pytest.raises(services.PermissionDenied):
        EDITS[name](zhongyuan_officer, household)
    assert AuditRecord.objects.count() == before


@pytest.mark.parametrize("name", sorted(EDITS))
def test_supervisor_is_refused_by_every_edit_service(
    supervisor: Any, household: Household, name: str
) -> None:
    with pytest.raises(services.PermissionDenied):
        EDITS[name](supervisor, household)


def test_supporter_remove_by_another_township_is_refused(
    jinshui_officer: Any, zhongyuan_officer: Any, household: Household
) -> None:
    supporter = services.supporter_add(
        actor=jinshui_officer,
        household=household,
        name="张大",
        id_number="",
        relation="20",
        able_to_support=True,
    )
    with pytest.raises(services.PermissionDenied):
        services.supporter_remove(actor=zhongyuan_officer, household=household, supporter=supporter)
    assert LegalSupporter.objects.filter(pk=supporter.pk).exists()
