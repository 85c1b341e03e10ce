"""REST endpoints of the local standards: thin shells over ``policy.standards.selectors`` and
``policy.standards.services``.

A region outside the caller's scope, and not one of the levels above it, answers 404 exactly like
one that does not exist; setting standards where the caller may not answers 403.
"""

# No `from __future__ import annotations` here: ninja reads the endpoint parameter types when the
# routes are declared.
import datetime as dt
from decimal import Decimal
from enum import StrEnum
from typing import Any

from django.utils import timezone
from ninja import Field, Query, Router, Schema
from ninja.errors import HttpError
from ninja.responses import Status

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.api_errors import ErrorOut, ProblemOut, ValidationErrorOut
from safetynet.audit.services import client_of
from safetynet.policy.common import ExpenditureRule
from safetynet.policy.models import ExpenditureRuleChoice, StandardVersion
from safetynet.policy.standards import selectors, services

READ_ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}
WRITE_ERRORS: dict[int, Any] = {
    **READ_ERRORS,
    400: ErrorOut,
    403: ErrorOut,
    422: ValidationErrorOut,
}

router = Router(tags=["地方标准"])


class ResidenceIn(StrEnum):
    URBAN = "urban"
    RURAL = "rural"


class EffectiveIn(Schema):
    region: str = Field(description="区划代码（2/4/6/9/12 位；乡镇、村适用所在县的标准）")
    on: dt.date | None = Field(None, description="执行日期 YYYY-MM-DD，默认今天")
    residence: ResidenceIn = Field(description="城乡类别：urban 城市，rural 农村")


class StandardsOut(Schema):
    region: str = Field(description="所查区划代码（12 位）")
    region_name: str
    standards_region: str = Field(description="其标准适用的县/市/省区划代码")
    on: dt.date
    residence: ResidenceIn
    dibao_monthly: Decimal = Field(description="低保标准（元/人·月）")
    near_dibao_multiplier: Decimal
    destitute_multiplier: Decimal
    destitute_monthly: Decimal = Field(description="特困基本生活标准（元/人·月）= 低保标准 × 倍数")
    care_self_monthly: Decimal
    care_partial_monthly: Decimal
    care_full_monthly: Decimal
    disposable_income_annual: Decimal = Field(description="上年度人均可支配收入（元/年）")
    rigid_expenditure_share: Decimal
    expenditure_rule: ExpenditureRule
    financial_assets_months: Decimal
    vehicle_value_limit: Decimal
    max_dwellings: int
    business_capital_limit: Decimal
    income_drop_share: Decimal = Field(
        description="收入大幅缩减比例（较上年同期，二(一)4）；各级未设定时为全国默认示例值"
    )
    employment_cost_monthly: Decimal = Field(
        description="就业成本扣减（元/人·月，民发〔2021〕57号）；各级未设定时为 0"
    )
    supporter_other_cases: list[str] = Field(
        description="省级规定的其他无履行义务能力情形（民发〔2021〕43号第九条第（六）项）"
    )
    is_example: bool = Field(description="所用数值中有未引自正式文件的示例数值")
    provenance: dict[str, str] = Field(description="每项的来源：区划代码 名称 生效日期 依据")


class VersionFigures(Schema):
    dibao_urban_monthly: Decimal | None = None
    dibao_rural_monthly: Decimal | None = None
    destitute_multiplier: Decimal | None = None
    care_self_monthly: Decimal | None = None
    care_partial_monthly: Decimal | None = None
    care_full_monthly: Decimal | None = None
    near_dibao_multiplier: Decimal | None = None
    disposable_income_urban_annual: Decimal | None = None
    disposable_income_rural_annual: Decimal | None = None
    rigid_expenditure_share: Decimal | None = None
    expenditure_rule: ExpenditureRule | None = None
    financial_assets_months: Decimal | None = None
    vehicle_value_limit: Decimal | None = None
    max_dwellings: int | None = None
    business_capital_limit: Decimal | None = None
    income_drop_share: Decimal | None = Field(
        None, description="收入大幅缩减比例（0–1，较上年同期）；可选，未填写即继承上级或全国默认"
    )
    employment_cost_monthly: Decimal | None = Field(
        None, description="就业成本扣减（元/人·月）；可选，未填写即继承上级或不扣减"
    )
    supporter_other_cases: list[str] | None = Field(
        None, description="省级规定的其他无履行义务能力情形（仅省级版本）"
    )


class VersionOut(VersionFigures):
    id: int
    region: str
    region_name: str
    effective_from: dt.date
    is_example: bool
    example_figures: list[str]
    source: str
    note: str
    created_by: str = Field(description="登记人账号；随平台发布的版本为空")
    created_at: dt.datetime


class VersionIn(VersionFigures):
    region: str = Field(description="省、市或县级区划代码")
    effective_from: dt.date
    source: str = Field("", description="依据（文件名称、文号）；非示例版本必填")
    note: str = ""
    is_example: bool = False
    example_figures: list[str] = Field(
        default_factory=list, description="本版本中属于示例数值的标准项（字段名）"
    )


class VersionFilterIn(Schema):
    region: str = Field(description="区划代码；返回该区划及其上级（市、省）的全部版本")


def _version_out(version: StandardVersion) -> VersionOut:
    figures = {name: getattr(version, name) for name in StandardVersion.EDITABLE}
    if not figures["expenditure_rule"]:
        figures["expenditure_rule"] = None
    return VersionOut(
        id=version.pk,
        region=version.region_id,
        region_name=version.region.name,
        effective_from=version.effective_from,
        is_example=version.is_example,
        example_figures=list(version.example_figures or []),
        source=version.source,
        note=version.note,
        created_by=version.created_by.username if version.created_by else "",
        created_at=version.created_at,
        **figures,
    )


@router.get(
    "/effective",
    response={200: StandardsOut, **READ_ERRORS},
    summary="某区划某日执行的标准",
    description="逐项按 县 → 市 → 省 取在该日已生效的最新版本中第一个已填写的数值；"
    "provenance 给出每项来源，is_example 表示用到了示例数值。该日没有生效的省级标准时返回 404。",
)
def standards_effective(request: AuthenticatedRequest, query: Query[EffectiveIn]) -> Any:
    region = selectors.standards_region_get(user=request.user, region_code=query.region)
    on = query.on or timezone.localdate()
    try:
        resolved = selectors.standards_resolve(region_code=region.code, on=on)
    except selectors.StandardsMissing as exc:
        raise HttpError(404, str(exc)) from exc
    residence = query.residence.value
    standards = resolved.standards(residence)
    return StandardsOut(
        region=region.code,
        region_name=region.name,
        standards_region=resolved.standards_region.code,
        on=on,
        residence=query.residence,
        dibao_monthly=standards.dibao_monthly,
        near_dibao_multiplier=standards.near_dibao_multiplier,
        destitute_multiplier=standards.destitute_multiplier,
        destitute_monthly=standards.destitute_monthly,
        care_self_monthly=standards.care_self_monthly,
        care_partial_monthly=standards.care_partial_monthly,
        care_full_monthly=standards.care_full_monthly,
        disposable_income_annual=standards.disposable_income_annual,
        rigid_expenditure_share=standards.rigid_expenditure_share,
        expenditure_rule=standards.expenditure_rule,
        financial_assets_months=standards.financial_assets_months,
        vehicle_value_limit=standards.vehicle_value_limit,
        max_dwellings=standards.max_dwellings,
        business_capital_limit=standards.business_capital_limit,
        income_drop_share=standards.income_drop_share,
        employment_cost_monthly=standards.employment_cost_monthly,
        supporter_other_cases=list(standards.supporter_other_cases),
        is_example=standards.is_example,
        provenance=standards.provenance,
    )


@router.get(
    "/versions",
    response={200: list[VersionOut], **READ_ERRORS},
    summary="标准版本历史",
    description="该区划及其上级（市、省）的全部版本，上级在前，同级按生效日期倒序；"
    "未填写（继承上级）的项为 null。",
)
def standards_versions(request: AuthenticatedRequest, query: Query[VersionFilterIn]) -> Any:
    region = selectors.standards_region_get(user=request.user, region_code=query.region)
    return [_version_out(v) for v in selectors.standards_history(region_code=region.code)]


@router.post(
    "/versions",
    response={201: VersionOut, **WRITE_ERRORS},
    summary="新增标准版本",
    description="省级、市级标准由系统管理员录入，县级标准由本县经办人录入。省级版本须填写每一项；"
    "市、县未填写的项继承上级，低保标准和倍数不得低于上级。生效日期不得早于今天（管理员除外）。"
    f"expenditure_rule 取值：{'、'.join(ExpenditureRuleChoice.values)}。",
)
def standards_version_create(request: AuthenticatedRequest, payload: VersionIn) -> Any:
    region = selectors.standards_region_get(user=request.user, region_code=payload.region)
    figures = payload.model_dump(include=set(StandardVersion.EDITABLE))
    if figures.get("expenditure_rule") is not None:
        figures["expenditure_rule"] = ExpenditureRule(figures["expenditure_rule"]).value
    try:
        version = services.standard_version_create(
            actor=request.user,
            region=region,
            effective_from=payload.effective_from,
            figures=figures,
            source=payload.source,
            note=payload.note,
            is_example=payload.is_example,
            example_figures=payload.example_figures,
            client=client_of(request),
        )
    except services.StandardsValidationError as exc:
        problems = [
            ProblemOut(member=None, member_name="", field=field, value="", reason=reason)
            for field, reason in exc.problems
        ]
        return Status(
            422,
            {"detail": f"有 {len(problems)} 处错误，未保存", "errors": problems},
        )
    version = StandardVersion.objects.select_related("region", "created_by").get(pk=version.pk)
    return Status(201, _version_out(version))
