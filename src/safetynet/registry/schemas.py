"""Typed request and response bodies of the registry API (households and persons).

Responses carry ID numbers only in masked form (first 3 and last 4 digits); there is no field in
any of them that could hold a full number. Enumerations are the codes of ``registry.choices``,
each with a ``*_display`` label in Chinese.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Annotated, Any, ClassVar

from ninja import Field, Schema
from pydantic import AfterValidator, ConfigDict, ValidationInfo, field_validator

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
    Sex,
)
from safetynet.registry.identity import full_id_number
from safetynet.registry.models import Household, Person
from safetynet.registry.relations import RELATION_NAMES

VILLAGE_CODE = r"^\d{12}$"


def _relation_code(value: str) -> str:
    if value not in RELATION_NAMES:
        raise ValueError("与户主关系不是 GB/T 4761 中的代码（如 02 户主、10 配偶、20 子、30 女）")
    return value


RelationCode = Annotated[str, AfterValidator(_relation_code)]
Money = Annotated[Decimal, Field(ge=0, max_digits=14, decimal_places=2)]


def _or_none(value: str) -> Any:
    return value or None


# --- filters -----------------------------------------------------------------------------------


def _no_id_number_in_url(value: str) -> str:
    """A query string lands in access logs and proxies: a whole ID number goes in a POST body."""
    if full_id_number(value):
        raise ValueError("完整身份证号不能放在网址中，请用 POST …/search 在请求体中查询")
    return value


NameQuery = Annotated[str, AfterValidator(_no_id_number_in_url)]


class HouseholdFilterIn(Schema):
    q: NameQuery = Field(
        "",
        max_length=50,
        description="姓名（汉字、全拼或首字母，如 张三/zhangsan/zs）；完整身份证号请用 "
        "POST /api/households/search（不进入网址和访问日志）",
    )
    region: str = Field("", max_length=12, description="区划代码（2、4、6、9 或 12 位），含下级")
    category: Category | None = Field(None, description="救助类别")
    relapse_watch: RelapseWatchType | None = Field(None, description="防返贫监测类型")


class PersonFilterIn(Schema):
    q: NameQuery = Field(
        "",
        max_length=50,
        description="姓名（汉字、全拼或首字母）；完整身份证号请用 POST /api/persons/search",
    )
    region: str = Field("", max_length=12, description="区划代码（2、4、6、9 或 12 位），含下级")


class HouseholdIdSearchIn(Schema):
    id_number: str = Field(max_length=18, description="完整身份证号（18 位）")
    region: str = Field("", max_length=12, description="区划代码（2、4、6、9 或 12 位），含下级")
    category: Category | None = Field(None, description="救助类别")
    relapse_watch: RelapseWatchType | None = Field(None, description="防返贫监测类型")


class PersonIdSearchIn(Schema):
    id_number: str = Field(max_length=18, description="完整身份证号（18 位）")
    region: str = Field("", max_length=12, description="区划代码（2、4、6、9 或 12 位），含下级")


# --- list rows ---------------------------------------------------------------------------------


class _HouseholdSummary(Schema):
    id: int = Field(description="家庭编号")
    region_code: str = Field(description="所属村(居)委会区划代码")
    region_name: str = Field(description="所属村(居)委会名称")
    residence: Residence = Field(description="城乡类别")
    residence_display: str
    head_id: int | None = Field(description="户主的人员编号")
    head_name: str = Field(description="户主姓名")
    head_id_number_masked: str = Field(description="户主身份证号（脱敏）")
    member_count: int = Field(description="共同生活人口")
    category: Category | None = Field(description="当前救助类别（户）")
    category_display: str
    relapse_watch: RelapseWatchType | None = Field(description="防返贫监测类型")
    relapse_watch_display: str


class HouseholdListOut(_HouseholdSummary):
    """A list row, read from a Household through the resolvers below."""

    @staticmethod
    def resolve_region_code(obj: Household) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Household) -> str:
        return obj.region.name

    @staticmethod
    def resolve_residence_display(obj: Household) -> str:
        return str(obj.get_residence_display())

    @staticmethod
    def resolve_head_name(obj: Household) -> str:
        return obj.head.name if obj.head else ""

    @staticmethod
    def resolve_head_id_number_masked(obj: Household) -> str:
        return obj.head.id_number_masked if obj.head else ""

    @staticmethod
    def resolve_category(obj: Household) -> Any:
        return _or_none(obj.category)

    @staticmethod
    def resolve_category_display(obj: Household) -> str:
        return str(obj.get_category_display())

    @staticmethod
    def resolve_relapse_watch(obj: Household) -> Any:
        return _or_none(obj.relapse_watch)

    @staticmethod
    def resolve_relapse_watch_display(obj: Household) -> str:
        return str(obj.get_relapse_watch_display())


class HouseholdOut(HouseholdListOut):
    address: str = Field(description="家庭住址")
    phone: str = Field(description="联系电话")
    updated_at: dt.datetime


class PersonListOut(Schema):
    id: int = Field(description="人员编号")
    name: str = Field(description="姓名")
    id_number_masked: str = Field(description="身份证号（脱敏）")
    sex: Sex
    sex_display: str
    birth_date: dt.date
    region_code: str = Field(description="所属村(居)委会区划代码")
    region_name: str
    household_id: int | None = Field(description="当前所在家庭编号；已离开家庭者为空")

    @staticmethod
    def resolve_sex_display(obj: Person) -> str:
        return str(obj.get_sex_display())

    @staticmethod
    def resolve_region_code(obj: Person) -> str:
        return obj.region_id

    @staticmethod
    def resolve_region_name(obj: Person) -> str:
        return obj.region.name

    @staticmethod
    def resolve_household_id(obj: Person) -> int | None:
        value: int | None = getattr(obj, "current_household_id", None)
        return value


# --- detail parts ------------------------------------------------------------------------------


class IncomeOut(Schema):
    kind: IncomeKind
    kind_display: str
    monthly_amount: Decimal = Field(description="月收入（元）")
    counted: bool = Field(description="是否计入家庭收入")
    description: str


class CircumstancesOut(Schema):
    """A person's health, disability, labour and school circumstances."""

    disability_type: DisabilityType | None
    disability_type_display: str
    disability_grade: int | None = Field(description="残疾等级 1–4")
    health_status: HealthStatus
    health_status_display: str
    illness_name: str
    labour_capacity: LabourCapacity
    labour_capacity_display: str
    school_stage: SchoolStage
    school_stage_display: str


class MemberOut(CircumstancesOut):
    person_id: int
    name: str
    relation: str = Field(description="与户主关系（GB/T 4761 代码）")
    relation_display: str
    id_number_masked: str = Field(description="身份证号（脱敏）")
    sex: Sex
    sex_display: str
    birth_date: dt.date
    phone: str
    co_resident: bool = Field(description="是否共同生活")
    counted_income: Decimal = Field(description="计入家庭收入的月收入合计（元）")
    incomes: list[IncomeOut]
    categories: list[Category] = Field(description="个人救助类别（特困、单人保）")


class FormerMemberOut(Schema):
    person_id: int
    name: str
    relation: str
    relation_display: str
    left_on: dt.date | None
    left_reason: str


class AssetOut(Schema):
    kind: AssetKind
    kind_display: str
    value: Decimal = Field(description="价值/金额（元）")
    owner_person_id: int | None
    owner_name: str
    description: str
    for_disability: bool = Field(description="残疾人功能性补偿代步车")
    area_m2: Decimal | None = Field(description="面积（平方米）")


class ExpenditureOut(Schema):
    kind: ExpenditureKind
    kind_display: str
    amount: Decimal = Field(description="金额（元）")
    incurred_on: dt.date
    person_id: int | None
    person_name: str
    description: str


class SupporterOut(Schema):
    name: str
    id_number_masked: str = Field(description="身份证号（脱敏），未登记为空")
    relation: str
    relation_display: str
    supported_person_id: int | None
    supported_person_name: str
    able_to_support: bool
    note: str


class CategoryStatusOut(Schema):
    category: Category | None = Field(description="类别；为空表示自该日起无类别")
    category_display: str
    person_id: int | None = Field(description="个人类别的成员编号；全户类别为空")
    person_name: str
    effective_from: dt.date
    effective_to: dt.date | None = Field(description="终止日期；为空表示至今")
    reason: str
    decided_by: str = Field(description="登记人账号")


class RelapseWatchStatusOut(Schema):
    watch_type: RelapseWatchType | None = Field(description="监测类型；为空表示自该日起解除")
    watch_type_display: str
    effective_from: dt.date
    effective_to: dt.date | None
    reason: str
    decided_by: str


class HouseholdDetailOut(_HouseholdSummary):
    """Built field by field from ``selectors.HouseholdDetail``, hence no resolvers."""

    address: str = Field(description="家庭住址")
    phone: str = Field(description="联系电话")
    updated_at: dt.datetime
    region_full_name: str
    counted_income_total: Decimal = Field(description="共同生活成员计入收入合计（元/月）")
    income_per_head: Decimal = Field(description="月人均收入（元）")
    members: list[MemberOut]
    former_members: list[FormerMemberOut]
    assets: list[AssetOut]
    expenditures: list[ExpenditureOut]
    supporters: list[SupporterOut]
    category_history: list[CategoryStatusOut]
    relapse_watch_history: list[RelapseWatchStatusOut]


class MembershipOut(Schema):
    household_id: int
    relation: str
    relation_display: str
    co_resident: bool
    joined_on: dt.date


class PersonDetailOut(CircumstancesOut):
    id: int
    name: str
    id_number_masked: str
    sex: Sex
    sex_display: str
    birth_date: dt.date
    phone: str
    region_code: str
    region_name: str
    household: MembershipOut | None = Field(description="当前所在家庭；已离开家庭者为空")
    incomes: list[IncomeOut] = Field(description="在当前家庭申报的收入")


# --- writes ------------------------------------------------------------------------------------


class _In(Schema):
    model_config = ConfigDict(extra="forbid")


class _PatchIn(_In):
    """Only the fields sent are changed; ``null`` is refused except where a field says so."""

    NULLABLE: ClassVar[frozenset[str]] = frozenset()

    # Defaults are not validated, so this sees only the fields the caller sent.
    @field_validator("*", mode="after")
    @classmethod
    def _no_null(cls, value: Any, info: ValidationInfo) -> Any:
        if value is None and info.field_name not in cls.NULLABLE:
            raise ValueError("不能为 null；不修改请不要提交该字段")
        return value

    def changes(self) -> dict[str, Any]:
        return {name: getattr(self, name) for name in self.model_fields_set}


class IncomeIn(_In):
    kind: IncomeKind = Field(description="收入类型")
    monthly_amount: Money = Field(description="月收入（元）")
    description: str = Field("", max_length=200)


class MemberIn(_In):
    id_number: str = Field(max_length=30, description="18 位身份证号")
    name: str = Field(max_length=50)
    relation: str = Field(max_length=2, description="与户主关系（GB/T 4761 代码），户主为 02")
    co_resident: bool = True
    phone: str = Field("", max_length=20)
    disability_type: DisabilityType | None = None
    disability_grade: int | None = Field(None, ge=1, le=4)
    health_status: HealthStatus = HealthStatus.HEALTHY
    illness_name: str = Field("", max_length=100)
    labour_capacity: LabourCapacity = LabourCapacity.FULL
    school_stage: SchoolStage = SchoolStage.NONE
    incomes: list[IncomeIn] = Field(default_factory=list)


class AssetIn(_In):
    kind: AssetKind
    value: Money
    description: str = Field("", max_length=200)
    for_disability: bool = False
    area_m2: Decimal | None = Field(None, ge=0, max_digits=10, decimal_places=2)
    owner_id_number: str = Field("", max_length=30, description="所有人身份证号（须为本户成员）")


class ExpenditureIn(_In):
    kind: ExpenditureKind
    amount: Money
    incurred_on: dt.date
    description: str = Field("", max_length=200)
    person_id_number: str = Field("", max_length=30, description="相关成员身份证号")


class HouseholdCreateIn(_In):
    region_code: str = Field(pattern=VILLAGE_CODE, description="所属村(居)委会 12 位区划代码")
    residence: Residence | None = Field(None, description="城乡类别；不填按村(居)委会判定")
    address: str = Field("", max_length=200)
    phone: str = Field("", max_length=20)
    members: list[MemberIn] = Field(min_length=1, max_length=50, description="家庭成员，含户主")
    assets: list[AssetIn] = Field(default_factory=list)
    expenditures: list[ExpenditureIn] = Field(default_factory=list)


class HouseholdUpdateIn(_PatchIn):
    address: str | None = Field(None, max_length=200)
    phone: str | None = Field(None, max_length=20)
    residence: Residence | None = None
    region_code: str | None = Field(
        None, pattern=VILLAGE_CODE, description="迁往的村(居)委会 12 位区划代码（须在管辖范围内）"
    )


class PersonUpdateIn(_PatchIn):
    NULLABLE: ClassVar[frozenset[str]] = frozenset({"disability_type", "disability_grade"})

    name: str | None = Field(None, min_length=1, max_length=50)
    phone: str | None = Field(None, max_length=20)
    disability_type: DisabilityType | None = Field(None, description="残疾类别；null 表示无残疾")
    disability_grade: int | None = Field(None, ge=1, le=4)
    health_status: HealthStatus | None = None
    illness_name: str | None = Field(None, max_length=100)
    labour_capacity: LabourCapacity | None = None
    school_stage: SchoolStage | None = None
    relation: RelationCode | None = Field(None, description="与户主关系（GB/T 4761 代码）")
    co_resident: bool | None = Field(None, description="是否共同生活")
