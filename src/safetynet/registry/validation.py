"""Whole-batch validation of household inputs before anything is written.

Returns problems as (household index, member index or None, field, value, reason) so that a form
can mark the field and an import can point at the row.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from safetynet.registry.choices import (
    AssetKind,
    Category,
    DisabilityType,
    ExpenditureKind,
    HealthStatus,
    IncomeKind,
    LabourCapacity,
    RelapseWatchType,
    Residence,
    SchoolStage,
)
from safetynet.registry.identity import InvalidIdNumber, blind_index, parse_id_number
from safetynet.registry.inputs import HouseholdInput
from safetynet.registry.relations import HEAD, RELATION_NAMES

# What an actor is told about an ID number registered in a household outside their scope: the
# same words whatever the cause, so that a refusal does not tell whether the person exists
# elsewhere in the province (the details go to the county's conflict queue).
NOT_REGISTRABLE = "无法登记该身份证号，请联系县级民政部门核实"


@dataclass(frozen=True)
class Problem:
    household: int
    member: int | None
    field: str
    value: str
    reason: str


def _choice(value: str, allowed: list[str] | set[str], *, blank_ok: bool) -> bool:
    return (blank_ok and value == "") or value in allowed


def validate_households(
    households: list[HouseholdInput],
    *,
    village_codes: set[str],
    taken_hashes: set[str],
    hidden_hashes: frozenset[str] | set[str] = frozenset(),
) -> list[Problem]:
    """``village_codes``: village codes the actor may write to. ``taken_hashes``: blind indexes of
    persons already in a current household (the caller looks them up in one query);
    ``hidden_hashes``: those of them whose household the actor may not see."""
    problems: list[Problem] = []
    seen: dict[str, int] = {}
    for h_index, household in enumerate(households):

        def add(member: int | None, field: str, value: object, reason: str) -> None:
            problems.append(Problem(h_index, member, field, str(value), reason))  # noqa: B023

        if household.region_code not in village_codes:
            add(None, "region_code", household.region_code, "区划代码不是您管辖范围内的村(居)委会")
        if not _choice(household.residence, Residence.values, blank_ok=True):
            add(None, "residence", household.residence, "城乡类别只能是城市或农村")
        if not _choice(household.category, Category.values, blank_ok=True):
            add(None, "category", household.category, "救助类别无效")
        if not _choice(household.relapse_watch, RelapseWatchType.values, blank_ok=True):
            add(None, "relapse_watch", household.relapse_watch, "防返贫监测类型无效")
        if not household.members:
            add(None, "members", "", "家庭至少要有一名成员")
        heads = [m for m in household.members if m.relation == HEAD]
        if household.members and len(heads) != 1:
            add(None, "relation", len(heads), f"每户必须有且只有一名户主，现有 {len(heads)} 名")
        for m_index, member in enumerate(household.members):
            if not member.name.strip():
                add(m_index, "name", member.name, "姓名不能为空")
            elif len(member.name) > 50:
                add(m_index, "name", member.name, "姓名过长")
            try:
                facts = parse_id_number(member.id_number)
            except InvalidIdNumber as exc:
                add(m_index, "id_number", member.id_number, exc.reason)
            else:
                digest = blind_index(facts.number)
                if digest in seen:
                    add(m_index, "id_number", member.id_number, "身份证号重复")
                elif digest in hidden_hashes:
                    add(m_index, "id_number", member.id_number, NOT_REGISTRABLE)
                elif digest in taken_hashes:
                    add(m_index, "id_number", member.id_number, "此人已登记在另一户中")
                seen[digest] = h_index
            if member.relation not in RELATION_NAMES:
                add(m_index, "relation", member.relation, "与户主关系不是 GB/T 4761 中的代码")
            if not _choice(member.disability_type, DisabilityType.values, blank_ok=True):
                add(m_index, "disability_type", member.disability_type, "残疾类别无效")
            if member.disability_type and member.disability_grade not in (1, 2, 3, 4):
                add(m_index, "disability_grade", member.disability_grade, "残疾等级应为 1–4 级")
            if not member.disability_type and member.disability_grade is not None:
                add(m_index, "disability_type", "", "填写了残疾等级但未填写残疾类别")
            if not _choice(member.health_status, HealthStatus.values, blank_ok=False):
                add(m_index, "health_status", member.health_status, "健康状况无效")
            if not _choice(member.labour_capacity, LabourCapacity.values, blank_ok=False):
                add(m_index, "labour_capacity", member.labour_capacity, "劳动能力无效")
            if not _choice(member.school_stage, SchoolStage.values, blank_ok=False):
                add(m_index, "school_stage", member.school_stage, "在学情况无效")
            for income in member.incomes:
                if income.kind not in IncomeKind.values:
                    add(m_index, "income", income.kind, "收入类型无效")
                if income.monthly_amount < Decimal(0):
                    add(m_index, f"income_{income.kind}", income.monthly_amount, "收入不能为负数")
        for asset in household.assets:
            if asset.kind not in AssetKind.values:
                add(None, "asset", asset.kind, "财产类型无效")
            if asset.value < Decimal(0):
                add(None, "asset", asset.value, "财产金额不能为负数")
        for expenditure in household.expenditures:
            if expenditure.kind not in ExpenditureKind.values:
                add(None, "expenditure", expenditure.kind, "刚性支出类型无效")
            if expenditure.amount < Decimal(0):
                add(None, "expenditure", expenditure.amount, "支出金额不能为负数")
    return problems
