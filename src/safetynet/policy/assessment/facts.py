"""Building the classifier's ``HouseholdFacts`` from the registry, and the classification (with
the standards it used) as JSON, for the API, the console and the case file. The JSON input is
read by ``json_format``.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections import defaultdict
from decimal import Decimal
from typing import Any

from safetynet.policy.assessment.terms import expenditure_window
from safetynet.policy.common import (
    ZERO,
    Classification,
    HouseholdAssets,
    HouseholdFacts,
    MemberFacts,
    MemberIncome,
    Reason,
    RigidExpenditure12m,
    Standards,
    Supporter,
    Vehicle,
)
from safetynet.registry import identity
from safetynet.registry.choices import (
    FINANCIAL_ASSET_KINDS,
    AssetKind,
    Category,
    ExpenditureKind,
    HealthStatus,
    IncomeKind,
    SchoolStage,
)

# --- from the registry ----------------------------------------------------------------------


def recorded_school_stage(stage: str) -> str:
    return "" if stage == SchoolStage.NONE else stage


def recorded_category(own: str, household_category: str) -> str:
    """A member's recorded category for art. 9: their own (destitute, individual dibao) in
    force, else dibao when the household's recorded category is dibao."""
    if own:
        return own
    return Category.DIBAO.value if household_category == Category.DIBAO else ""


def destitute_since(status: tuple[str, dt.date] | None) -> dt.date | None:
    """Start of the member's own destitute status in force, or None."""
    if status is None or status[0] != Category.DESTITUTE:
        return None
    return status[1]


def facts_from_household(*, household: Any, on: dt.date) -> HouseholdFacts:
    """The facts of one registry household on ``on`` in six queries, whatever its size.

    ``household`` must already have passed the caller's scope check. Id numbers are decrypted
    so that supporters match members the same way as in the JSON format; they must never be
    shown unmasked.
    """
    members = _members_of(household, on)
    return HouseholdFacts(
        region_code=household.region_id,
        on=on,
        residence=household.residence,
        members=members,
        assets=_assets_of(household),
        rigid_expenditure_12m=_rigid_expenditure_of(household, on),
        supporters=_supporters_of(household, {m.person_id: m.id_number for m in members}),
        relapse_watch=household.relapse_watch,
        income_before_drop_monthly=household.income_before_drop_monthly,
        income_before_drop_on=household.income_before_drop_on,
        household_id=household.pk,
    )


def _members_of(household: Any, on: dt.date) -> tuple[MemberFacts, ...]:
    """The co-resident members with their counted incomes and own categories in force."""
    from safetynet.registry.models import Income, Membership
    from safetynet.registry.selectors import member_statuses_in_force

    memberships = list(
        Membership.objects.filter(household=household, left_on__isnull=True, co_resident=True)
        .select_related("person")
        .order_by("relation", "id")
    )
    person_ids = {m.person_id for m in memberships}

    incomes: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(lambda: ZERO))
    for person_id, kind, amount in Income.objects.filter(household=household).values_list(
        "person_id", "kind", "monthly_amount"
    ):
        if person_id in person_ids:
            incomes[person_id][kind] += amount

    own_status: dict[int, tuple[str, dt.date]] = {}
    for person_id, category, since in (
        member_statuses_in_force(on=on)
        .filter(household=household, person_id__in=person_ids)
        .order_by("effective_from", "id")
        .values_list("person_id", "category", "effective_from")
    ):
        own_status[person_id] = (category, since)

    return tuple(
        _member_facts(
            m,
            incomes.get(m.person_id, {}),
            own_status.get(m.person_id),
            household_category=household.category,
        )
        for m in memberships
    )


def _member_facts(
    membership: Any,
    by_kind: dict[str, Decimal],
    status: tuple[str, dt.date] | None,
    *,
    household_category: str,
) -> MemberFacts:
    person = membership.person
    return MemberFacts(
        id_number=identity.decrypt_id_number(person.id_number_encrypted),
        relation=membership.relation,
        birth_date=person.birth_date,
        income=MemberIncome(
            wages=by_kind.get(IncomeKind.WAGES, ZERO),
            business=by_kind.get(IncomeKind.BUSINESS, ZERO),
            property=by_kind.get(IncomeKind.PROPERTY, ZERO),
            transfer=by_kind.get(IncomeKind.TRANSFER, ZERO),
            excluded=by_kind.get(IncomeKind.EXCLUDED, ZERO),
        ),
        disability_type=person.disability_type,
        disability_grade=person.disability_grade,
        serious_illness=person.health_status == HealthStatus.SERIOUS,
        in_school=person.school_stage != SchoolStage.NONE,
        labour_capacity=person.labour_capacity,
        name=person.name,
        person_id=person.pk,
        school_stage=recorded_school_stage(person.school_stage),
        recorded_category=recorded_category(status[0] if status else "", household_category),
        destitute_since=destitute_since(status),
        legal_status=person.legal_status,
        other_inability=person.other_inability,
    )


def _assets_of(household: Any) -> HouseholdAssets:
    from safetynet.registry.models import Asset

    financial, business = ZERO, ZERO
    dwellings = 0
    vehicles = []
    for kind, value, for_disability in Asset.objects.filter(household=household).values_list(
        "kind", "value", "for_disability"
    ):
        if kind in FINANCIAL_ASSET_KINDS:
            financial += value
        elif kind == AssetKind.VEHICLE:
            vehicles.append(Vehicle(value=value, for_disability=for_disability))
        elif kind == AssetKind.REAL_ESTATE:
            dwellings += 1
        elif kind == AssetKind.BUSINESS:
            business += value
    return HouseholdAssets(
        financial=financial,
        vehicles=tuple(vehicles),
        dwellings=dwellings,
        business_capital=business,
    )


def _rigid_expenditure_of(household: Any, on: dt.date) -> RigidExpenditure12m:
    from safetynet.registry.models import RigidExpenditure

    first, last = expenditure_window(on)
    spent: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for kind, amount in RigidExpenditure.objects.filter(
        household=household, incurred_on__gte=first, incurred_on__lte=last
    ).values_list("kind", "amount"):
        spent[kind] += amount
    return RigidExpenditure12m(
        medical=spent[ExpenditureKind.MEDICAL],
        education=spent[ExpenditureKind.EDUCATION],
        rehabilitation=spent[ExpenditureKind.REHABILITATION],
        disaster=spent[ExpenditureKind.DISASTER],
        accident=spent[ExpenditureKind.ACCIDENT],
    )


def _supporters_of(household: Any, number_of: dict[int | None, str]) -> tuple[Supporter, ...]:
    """The household's legal supporters; ``number_of`` maps a member's person id to its ID
    number."""
    from safetynet.registry.models import LegalSupporter

    supporters = []
    for (
        able,
        supported_id,
        encrypted,
        relation,
        own_encrypted,
        name,
        note,
    ) in LegalSupporter.objects.filter(household=household).values_list(
        "able_to_support",
        "supported_person_id",
        "supported_person__id_number_encrypted",
        "relation",
        "id_number_encrypted",
        "name",
        "note",
    ):
        if supported_id is None:
            supported = ""
        elif supported_id in number_of:
            supported = number_of[supported_id]
        else:
            # Owed to someone who no longer lives here: it applies to none of the members.
            supported = identity.decrypt_id_number(encrypted)
        supporters.append(
            Supporter(
                able_to_support=able,
                supported_id_number=supported,
                relation=relation,
                id_number=identity.decrypt_id_number(own_encrypted) if own_encrypted else "",
                name=name,
                note=note,
            )
        )
    return tuple(supporters)


# --- to JSON --------------------------------------------------------------------------------


def _reason_json(reason: Reason, shown: Any) -> dict[str, Any]:
    return {
        "code": reason.code,
        "met": reason.met,
        "text": reason.text,
        "clause": reason.clause,
        "figures": dict(reason.figures),
        "member": shown(reason.member) if reason.member else "",
    }


def standards_to_json(standards: Standards) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for f in dataclasses.fields(standards):
        if f.name in ("provenance", "is_example"):
            continue
        value = getattr(standards, f.name)
        if isinstance(value, tuple):
            out[f.name] = list(value)
        else:
            out[f.name] = value if isinstance(value, int) else str(value)
    out["is_example"] = standards.is_example
    out["provenance"] = dict(standards.provenance)
    return out


def classification_to_json(c: Classification, *, mask: bool = False) -> dict[str, Any]:
    """The output of `safetynet classify`. ``mask`` shows id numbers masked (for anything built
    from the registry, where the numbers are the decrypted ones)."""

    def shown(number: str) -> str:
        return identity.mask_id_number(number) if mask else number

    return {
        "category": c.category,
        "members": [{"id_number": shown(m.id_number), "category": m.category} for m in c.members],
        "reasons": [_reason_json(r, shown) for r in c.reasons],
        "valid_until": c.valid_until.isoformat() if c.valid_until else None,
        "standards": standards_to_json(c.standards),
    }
