"""Assessing one household: its facts from the registry, the standards in force, the proposed
categories with every reason, the what-if figures and the categories recorded today.

Shared by the household's 评估 page, the REST API and `safetynet classify` (standards
resolution), so that all three propose the same thing from the same figures.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import TYPE_CHECKING, Any

from safetynet.accounts.scope import access_scoped
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.policy.assessment import facts as facts_module
from safetynet.policy.assessment import json_format
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.terms import yuan
from safetynet.policy.assessment.what_if import WhatIf, what_if
from safetynet.policy.common import ZERO, Classification, HouseholdFacts, Reason, Standards
from safetynet.policy.models import ExpenditureRuleChoice
from safetynet.policy.standards.selectors import (
    StandardsMissing,
    figure_label,
    standards_for,
    version_figure_fields,
)
from safetynet.registry import identity
from safetynet.registry.choices import Category
from safetynet.registry.models import CategoryStatus, Household

if TYPE_CHECKING:
    from safetynet.accounts.models import User

CATEGORY_LABELS: dict[str, str] = {
    **{value: str(label) for value, label in Category.choices},
    "none": "不属于低收入人口",
}


def category_label(category: str) -> str:
    return CATEGORY_LABELS.get(category, category)


def resolve_standards(facts: HouseholdFacts, overrides: json_format.Overrides) -> Standards:
    """The configured standards with the input's overrides; the overrides alone when nothing is
    configured and they give the dibao standard. Raises ``StandardsMissing`` otherwise, and
    ``Http404`` for a region code that does not exist."""
    try:
        standards = standards_for(
            region_code=facts.region_code, on=facts.on, residence=facts.residence
        )
    except StandardsMissing:
        if "dibao_monthly" not in overrides:
            raise
        return json_format.standards_from_overrides(overrides)
    return json_format.standards_with_overrides(standards, overrides)


EXAMPLE_MARK = "示例"


@dataclasses.dataclass(frozen=True)
class StandardFigure:
    name: str
    label: str
    value: str
    provenance: str

    @property
    def is_example(self) -> bool:
        return self.provenance.split(" ")[-1] == EXAMPLE_MARK

    @property
    def source(self) -> str:
        """The provenance without its 示例 mark, which the page shows as a tag."""
        if self.is_example:
            return self.provenance[: -len(EXAMPLE_MARK)].rstrip()
        return self.provenance


@dataclasses.dataclass(frozen=True)
class MemberAssessment:
    person_id: int | None
    name: str
    id_number_masked: str
    proposed: str
    recorded: list[str]
    reasons: tuple[Reason, ...]

    @property
    def proposed_label(self) -> str:
        return category_label(self.proposed)

    @property
    def recorded_labels(self) -> list[str]:
        return [category_label(c) for c in self.recorded]


@dataclasses.dataclass(frozen=True)
class Assessment:
    household: Household
    on: dt.date
    facts: HouseholdFacts
    # None when no standards are in force for the household's region and date.
    classification: Classification | None
    standards_error: str
    members: list[MemberAssessment]
    what_if: list[WhatIf]
    standards_figures: list[StandardFigure]

    @property
    def proposed(self) -> str:
        return self.classification.category if self.classification else ""

    @property
    def proposed_label(self) -> str:
        return category_label(self.proposed) if self.classification else ""

    @property
    def recorded(self) -> str:
        return self.household.category or "none"

    @property
    def recorded_label(self) -> str:
        return category_label(self.recorded)

    @property
    def household_reasons(self) -> list[Reason]:
        if self.classification is None:
            return []
        return [r for r in self.classification.reasons if not r.member]

    @property
    def income_total(self) -> str:
        return yuan(sum((m.income.counted for m in self.facts.members), ZERO))

    @property
    def income_per_head(self) -> str:
        members = self.facts.members
        total = sum((m.income.counted for m in members), ZERO)
        return yuan(total / len(members)) if members else "—"

    @property
    def standards(self) -> Standards | None:
        return self.classification.standards if self.classification else None


def _standards_figures(standards: Standards, residence: str) -> list[StandardFigure]:
    figures = []
    for name, version_field in version_figure_fields(residence).items():
        value = getattr(standards, name)
        if name == "expenditure_rule":
            value = dict(ExpenditureRuleChoice.choices).get(str(value), value)
        figures.append(
            StandardFigure(
                name=name,
                label=figure_label(version_field),
                value=str(value),
                provenance=standards.provenance.get(name, ""),
            )
        )
    return figures


def household_assessment(*, user: User, household_id: Any, on: dt.date) -> Assessment:
    """The assessment of a household in the user's scope (404 outside it) on ``on``."""
    household = access_scoped(
        Household.objects.select_related("region", "head"), user=user, pk=household_id
    )
    facts = facts_module.facts_from_household(household=household, on=on)
    try:
        standards = standards_for(region_code=household.region_id, on=on, residence=facts.residence)
    except StandardsMissing as exc:
        classification, error = None, str(exc) or "未配置该区划在此日期适用的地方标准"
    else:
        classification, error = classify(facts, standards), ""

    recorded: dict[int, list[str]] = {}
    for person_id, category in CategoryStatus.objects.filter(
        household=household, person__isnull=False, effective_to__isnull=True
    ).values_list("person_id", "category"):
        if category:
            recorded.setdefault(person_id, []).append(category)

    results = {m.id_number: m for m in classification.members} if classification else {}
    members = []
    for member in facts.members:
        result = results.get(member.id_number)
        members.append(
            MemberAssessment(
                person_id=member.person_id,
                name=member.name,
                id_number_masked=identity.mask_id_number(member.id_number),
                proposed=result.category if result else "",
                recorded=recorded.get(member.person_id or 0, []),
                reasons=result.reasons if result else (),
            )
        )
    return Assessment(
        household=household,
        on=on,
        facts=facts,
        classification=classification,
        standards_error=error,
        members=members,
        what_if=what_if(facts, classification.standards) if classification else [],
        standards_figures=(
            _standards_figures(classification.standards, facts.residence) if classification else []
        ),
    )


def assessment_viewed(*, actor: User, assessment: Assessment, client: Client | None) -> None:
    """Reading an assessment shows a household's personal and economic data: audited."""
    household = assessment.household
    audit_record(
        actor=actor,
        action=Action.VIEW,
        object_type="household",
        object_id=household.pk,
        region_code=household.region_id,
        summary="查看救助类别评估",
        detail={
            "on": assessment.on.isoformat(),
            "proposed": assessment.proposed,
            "recorded": assessment.recorded,
        },
        client=client,
    )


def assessment_to_json(assessment: Assessment) -> dict[str, Any]:
    """The API's answer: the classify JSON with masked id numbers, plus names, the recorded
    categories and the what-if figures."""
    household = assessment.household
    out: dict[str, Any] = {
        "household_id": household.pk,
        "region_code": household.region_id,
        "residence": household.residence,
        "on": assessment.on.isoformat(),
        "recorded_category": assessment.recorded,
        "standards_error": assessment.standards_error,
    }
    if assessment.classification is None:
        out.update(
            {"category": None, "members": [], "reasons": [], "valid_until": None, "standards": None}
        )
    else:
        out.update(facts_module.classification_to_json(assessment.classification, mask=True))
    out["members"] = [
        {
            "id_number": m.id_number_masked,
            "person_id": m.person_id,
            "name": m.name,
            "category": m.proposed,
            "recorded_categories": m.recorded,
        }
        for m in assessment.members
    ]
    out["what_if"] = [
        {"code": w.code, "text": w.text, "figures": dict(w.figures)} for w in assessment.what_if
    ]
    return out
