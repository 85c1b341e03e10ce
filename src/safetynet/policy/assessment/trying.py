"""The assessment what-if (试算, issue 11): the officer types the figures to try — a member's
monthly wages, a rigid expenditure, the household's financial assets or a vehicle — and sees the
proposal change. The figures replace or add to the registry's facts in memory only; the
classifier runs on the copy; nothing is saved."""

from __future__ import annotations

import dataclasses
from decimal import Decimal

from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.selectors import Assessment, category_label
from safetynet.policy.assessment.terms import yuan
from safetynet.policy.common import Classification, HouseholdFacts, Reason, Vehicle

EXPENSE_KINDS: dict[str, str] = {
    "medical": "医疗",
    "education": "教育",
    "rehabilitation": "康复",
    "disaster": "灾害",
    "accident": "意外事故",
}


@dataclasses.dataclass(frozen=True)
class TryInput:
    member: int | None = None  # index in the facts' members
    wages: Decimal | None = None  # the member's monthly wages, instead of the recorded ones
    expense_kind: str = ""
    expense: Decimal | None = None  # added to the last 12 months' rigid expenditure
    financial: Decimal | None = None  # the household's financial assets, instead of recorded
    vehicle: Decimal | None = None  # one more vehicle of this value

    @property
    def empty(self) -> bool:
        return all(v is None for v in (self.wages, self.expense, self.financial, self.vehicle))


@dataclasses.dataclass(frozen=True)
class MemberChange:
    name: str
    id_number_masked: str
    before: str
    after: str


@dataclasses.dataclass(frozen=True)
class TryResult:
    changes: list[str]  # what was tried, in words
    classification: Classification
    before: str
    members: list[MemberChange]
    flipped: list[Reason]  # conditions whose outcome the tried figures change

    @property
    def proposed(self) -> str:
        return self.classification.category

    @property
    def proposed_label(self) -> str:
        return category_label(self.proposed)

    @property
    def before_label(self) -> str:
        return category_label(self.before)

    @property
    def changed(self) -> bool:
        return self.proposed != self.before or any(m.before != m.after for m in self.members)


def tried_facts(
    facts: HouseholdFacts, data: TryInput, names: list[str]
) -> tuple[HouseholdFacts, list[str]]:
    """The facts with the tried figures, and the changes in words."""
    changes: list[str] = []
    members = list(facts.members)
    if data.wages is not None and data.member is not None and 0 <= data.member < len(members):
        member = members[data.member]
        members[data.member] = dataclasses.replace(
            member, income=dataclasses.replace(member.income, wages=data.wages)
        )
        changes.append(
            f"{names[data.member]}月工资性收入 {yuan(member.income.wages)} → {yuan(data.wages)} 元"
        )
    rigid = facts.rigid_expenditure_12m
    if data.expense is not None and data.expense_kind in EXPENSE_KINDS:
        current = getattr(rigid, data.expense_kind)
        rigid = dataclasses.replace(rigid, **{data.expense_kind: current + data.expense})
        changes.append(
            f"近 12 个月{EXPENSE_KINDS[data.expense_kind]}支出增加 {yuan(data.expense)} 元"
        )
    assets = facts.assets
    if data.financial is not None:
        assets = dataclasses.replace(assets, financial=data.financial)
        changes.append(f"家庭金融资产 {yuan(facts.assets.financial)} → {yuan(data.financial)} 元")
    if data.vehicle is not None:
        assets = dataclasses.replace(assets, vehicles=(*assets.vehicles, Vehicle(data.vehicle)))
        changes.append(f"新增一辆价值 {yuan(data.vehicle)} 元的机动车")
    tried = dataclasses.replace(
        facts, members=tuple(members), rigid_expenditure_12m=rigid, assets=assets
    )
    return tried, changes


def assessment_try(assessment: Assessment, data: TryInput) -> TryResult | None:
    """The proposal with the tried figures; None when nothing was tried or nothing can be
    classified (no standards in force)."""
    current = assessment.classification
    if current is None or data.empty:
        return None
    names = [m.name for m in assessment.members]
    facts, changes = tried_facts(assessment.facts, data, names)
    if not changes:
        return None
    tried = classify(facts, current.standards)
    before = {(r.code, r.member): r.met for r in current.reasons}
    for result in current.members:
        before.update({(r.code, r.member): r.met for r in result.reasons})
    after = list(tried.reasons) + [r for m in tried.members for r in m.reasons]
    flipped = [
        r for r in after if (r.code, r.member) in before and before[(r.code, r.member)] != r.met
    ]
    proposals = {m.id_number: m.category for m in tried.members}
    members = [
        MemberChange(
            name=m.name,
            id_number_masked=m.id_number_masked,
            before=category_label(m.proposed),
            after=category_label(proposals.get(member.id_number, m.proposed)),
        )
        for m, member in zip(assessment.members, assessment.facts.members, strict=True)
    ]
    return TryResult(
        changes=changes,
        classification=tried,
        before=current.category,
        members=members,
        flipped=flipped,
    )
