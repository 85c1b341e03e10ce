"""REST endpoints of the classifier: the assessment of a registry household and the
classification of a household given in the JSON format of `safetynet classify`.

Thin shells over ``policy.assessment`` (region scope: 404 outside it, audited) and the
classifier. Id numbers are always masked in answers, even those the caller sent.
"""

# No `from __future__ import annotations` here: ninja reads the parameter types at declaration.
import datetime as dt
from typing import Any

from django.http import Http404
from django.utils import timezone
from ninja import Body, Field, Router, Schema
from ninja.responses import Status

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.api_errors import ErrorOut, ProblemOut, ValidationErrorOut
from safetynet.audit.services import client_of
from safetynet.policy.assessment import facts as facts_module
from safetynet.policy.assessment import json_format, json_reader
from safetynet.policy.assessment.classifier import classify
from safetynet.policy.assessment.selectors import (
    assessment_to_json,
    assessment_viewed,
    household_assessment,
    resolve_standards,
)
from safetynet.policy.standards.selectors import StandardsMissing
from safetynet.registry import services as registry_services

router = Router(tags=["救助类别评估"])


class ReasonOut(Schema):
    code: str = Field(description="检验项目，如 dibao_income、assets_vehicle、destitute_unable")
    met: bool = Field(description="是否符合")
    text: str = Field(description="比较内容（中文，含数字）")
    clause: str = Field(description="政策条款，如 二(一)1")
    figures: dict[str, str] = Field(description="参与比较的数字")
    member: str = Field(description="所涉成员的身份证号（脱敏）；家庭级检验为空")


class MemberResultOut(Schema):
    id_number: str = Field(description="身份证号（脱敏）")
    category: str = Field(
        description="成员建议类别：dibao、destitute、individual_dibao、near_dibao、"
        "expenditure_hardship、other_low_income 或 none"
    )


class ClassificationOut(Schema):
    category: str = Field(
        description="家庭建议类别：dibao、destitute、near_dibao、expenditure_hardship、"
        "other_low_income 或 none"
    )
    members: list[MemberResultOut]
    reasons: list[ReasonOut]
    valid_until: dt.date | None = Field(None, description="支出型困难的有效期（最长 12 个月）")
    standards: dict[str, Any] = Field(description="适用的标准数值、来源（provenance）与示例标记")


class AssessmentMemberOut(Schema):
    id_number: str = Field(description="身份证号（脱敏）")
    person_id: int | None
    name: str
    category: str = Field(description="成员建议类别")
    recorded_categories: list[str] = Field(description="已登记的个人类别（特困、单人保）")


class WhatIfOut(Schema):
    code: str
    text: str
    figures: dict[str, str]


class AssessmentOut(Schema):
    household_id: int
    region_code: str
    residence: str
    on: dt.date
    recorded_category: str = Field(description="已登记的家庭类别；未登记为 none")
    standards_error: str = Field(description="未配置适用标准时的说明；此时不作评估")
    category: str | None = Field(description="家庭建议类别；未配置标准时为空")
    members: list[AssessmentMemberOut]
    reasons: list[ReasonOut]
    valid_until: dt.date | None
    standards: dict[str, Any] | None
    what_if: list[WhatIfOut]


ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


@router.get(
    "/assessment/{int:household_id}",
    response={200: AssessmentOut, **ERRORS},
    summary="家庭救助类别评估",
    description="按评估日期（on，默认今天）适用的地方标准，给出家庭及每名成员的建议类别、"
    "每项检验的比较内容与政策条款、已登记类别和收入变化测算。身份证号脱敏；每次读取记入审计日志。",
)
def assessment_get(
    request: AuthenticatedRequest, household_id: int, on: dt.date | None = None
) -> Any:
    registry_services.require(request.user, Capability.ASSESS_HOUSEHOLDS)
    assessment = household_assessment(
        user=request.user, household_id=household_id, on=on or timezone.localdate()
    )
    assessment_viewed(actor=request.user, assessment=assessment, client=client_of(request))
    return assessment_to_json(assessment)


def _problem(problem: json_reader.Problem) -> ProblemOut:
    member = None
    if problem.path.startswith("members["):
        member = int(problem.path[len("members[") : problem.path.index("]")])
    return ProblemOut(
        member=member, member_name="", field=problem.path, value="", reason=problem.reason
    )


@router.post(
    "/classify",
    response={
        200: ClassificationOut,
        400: ErrorOut,
        401: ErrorOut,
        403: ErrorOut,
        422: ValidationErrorOut,
    },
    summary="按 JSON 评估一户家庭",
    description="请求体与 `safetynet classify` 的输入文件格式相同（见 README），返回与该命令相同的 "
    "JSON，但身份证号脱敏（成员顺序与输入相同）。输入错误返回 422，逐项列出 JSON 路径与原因。",
)
def classify_post(request: AuthenticatedRequest, payload: Body[dict[str, Any]]) -> Any:
    registry_services.require(request.user, Capability.ASSESS_HOUSEHOLDS)
    try:
        facts, overrides = json_format.facts_from_json(payload)
    except json_reader.FactsError as exc:
        problems = [_problem(p) for p in exc.problems]
        return Status(
            422, ValidationErrorOut(detail=f"输入有 {len(problems)} 处错误", errors=problems)
        )
    try:
        standards = resolve_standards(facts, overrides)
    except StandardsMissing as exc:
        message = f"{exc}；可在请求体的 standards.dibao_monthly 中给出低保标准后重试"
        return Status(400, ErrorOut(detail=message))
    except Http404 as exc:
        return Status(400, ErrorOut(detail=f"region: {exc}"))
    return facts_module.classification_to_json(classify(facts, standards), mask=True)
