"""What a household declares: incomes, assets, rigid expenditures and legal supporters."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db import transaction
from django.utils import timezone

from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.registry import identity
from safetynet.registry.choices import (
    IncomeKind,
)
from safetynet.registry.models import (
    Asset,
    Household,
    Income,
    LegalSupporter,
    Membership,
    Person,
    RigidExpenditure,
)
from safetynet.registry.relations import RELATION_NAMES
from safetynet.registry.services.common import (
    RegistryError,
    _check_household_writable,
    _is_current_member,
    money,
)

if TYPE_CHECKING:
    from safetynet.accounts.models import User


def incomes_of_member_set(
    *,
    actor: User,
    household: Household,
    person: Person,
    kind: str,
    monthly_amount: Decimal,
    client: Client | None = None,
) -> None:
    """Set one member's monthly income of one kind (a reported change), keeping the rest."""
    if kind not in IncomeKind.values:
        raise RegistryError("收入类型无效", field="income_kind")
    if not Decimal(0) <= monthly_amount < Decimal("1000000"):
        raise RegistryError("月收入应在 0 至 999,999.99 元之间", field="monthly_income")
    rows = [
        {
            "person_id": row.person_id,
            "kind": row.kind,
            "monthly_amount": row.monthly_amount,
            "description": row.description,
        }
        for row in Income.objects.filter(household=household).order_by("id")
        if not (row.person_id == person.pk and row.kind == kind)
    ]
    if monthly_amount:
        rows.append(
            {
                "person_id": person.pk,
                "kind": kind,
                "monthly_amount": money(monthly_amount),
                "description": "情况变化报告",
            }
        )
    incomes_replace(actor=actor, household=household, rows=rows, client=client)


def _replace_rows(
    *,
    actor: User,
    household: Household,
    model: Any,
    rows: list[dict[str, Any]],
    label: str,
    client: Client | None,
    former_members_ok: bool = False,
) -> None:
    """Replace a household's declared rows of one kind in one step (the edit form's save).

    ``former_members_ok``: rows may name a member who has since left (an asset or a medical bill
    of a member who died stays on record); incomes are only declared for current members.
    """
    _check_household_writable(actor, household)
    memberships = Membership.objects.filter(household=household)
    if not former_members_ok:
        memberships = memberships.filter(left_on__isnull=True)
    member_ids = set(memberships.values_list("person_id", flat=True))
    for number, row in enumerate(rows, start=1):
        if row.get("person_id") is not None and row["person_id"] not in member_ids:
            raise RegistryError(f"第 {number} 行：{label}所属成员不是本户成员", field="person_id")
    with transaction.atomic():
        Household.objects.select_for_update().get(pk=household.pk)
        before = model.objects.filter(household=household).count()
        model.objects.filter(household=household).delete()
        model.objects.bulk_create(model(household=household, **row) for row in rows)
        Household.objects.filter(pk=household.pk).update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            action=Action.UPDATE,
            object_type="household",
            object_id=household.pk,
            region_code=household.region_id,
            summary=f"修改{label}：{before} 条 → {len(rows)} 条",
            detail={"rows": [{k: str(v) for k, v in row.items()} for row in rows]},
            client=client,
        )


def incomes_replace(
    *,
    actor: User,
    household: Household,
    rows: list[dict[str, Any]],
    client: Client | None = None,
) -> None:
    for number, row in enumerate(rows, start=1):
        if row.get("person_id") is None:
            raise RegistryError(f"第 {number} 行：每条收入都必须指定家庭成员", field="person_id")
    _replace_rows(
        actor=actor, household=household, model=Income, rows=rows, label="收入", client=client
    )


def assets_replace(
    *,
    actor: User,
    household: Household,
    rows: list[dict[str, Any]],
    client: Client | None = None,
) -> None:
    _replace_rows(
        actor=actor,
        household=household,
        model=Asset,
        rows=rows,
        label="财产",
        client=client,
        former_members_ok=True,
    )


def expenditures_replace(
    *,
    actor: User,
    household: Household,
    rows: list[dict[str, Any]],
    client: Client | None = None,
) -> None:
    _replace_rows(
        actor=actor,
        household=household,
        model=RigidExpenditure,
        rows=rows,
        label="刚性支出",
        client=client,
        former_members_ok=True,
    )


def supporter_add(
    *,
    actor: User,
    household: Household,
    name: str,
    id_number: str,
    relation: str,
    able_to_support: bool,
    supported_person: Person | None = None,
    note: str = "",
    client: Client | None = None,
) -> LegalSupporter:
    _check_household_writable(actor, household)
    fields: dict[str, Any] = {}
    if id_number.strip():
        try:
            number = identity.parse_id_number(id_number).number
        except identity.InvalidIdNumber as exc:
            raise RegistryError(exc.reason, field="id_number") from exc
        fields = {
            "id_number_encrypted": identity.encrypt_id_number(number),
            "id_number_hash": identity.blind_index(number),
            "id_number_masked": identity.mask_id_number(number),
        }
    if not name.strip():
        raise RegistryError("请填写赡(抚、扶)养人姓名", field="name")
    if relation not in RELATION_NAMES:
        raise RegistryError("与被赡(抚、扶)养人关系不是 GB/T 4761 中的代码", field="relation")
    if supported_person is not None and not _is_current_member(household, supported_person):
        raise RegistryError("被赡(抚、扶)养人必须是本户现有成员", field="supported_person")
    with transaction.atomic():
        supporter = LegalSupporter.objects.create(
            household=household,
            supported_person=supported_person,
            name=name.strip(),
            relation=relation,
            able_to_support=able_to_support,
            note=note,
            **fields,
        )
        audit_record(
            actor=actor,
            action=Action.CREATE,
            object_type="supporter",
            object_id=supporter.pk,
            region_code=household.region_id,
            summary="登记法定赡(抚、扶)养人",
            detail={"household": household.pk},
            client=client,
        )
    return supporter


def supporter_remove(
    *,
    actor: User,
    household: Household,
    supporter: LegalSupporter,
    client: Client | None = None,
) -> None:
    _check_household_writable(actor, household)
    if supporter.household_id != household.pk:
        raise RegistryError("该赡养人不属于本户")
    with transaction.atomic():
        supporter.delete()
        audit_record(
            actor=actor,
            action=Action.DELETE,
            object_type="supporter",
            object_id=supporter.pk,
            region_code=household.region_id,
            summary="删除法定赡(抚、扶)养人",
            detail={"household": household.pk},
            client=client,
        )
