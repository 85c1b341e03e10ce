"""Enumerations of the registry, with the Chinese labels users see."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Sex(models.TextChoices):
    MALE = "male", _("男")
    FEMALE = "female", _("女")


class Residence(models.TextChoices):
    URBAN = "urban", _("城市")
    RURAL = "rural", _("农村")


class DisabilityType(models.TextChoices):
    VISUAL = "visual", _("视力残疾")
    HEARING = "hearing", _("听力残疾")
    SPEECH = "speech", _("言语残疾")
    PHYSICAL = "physical", _("肢体残疾")
    INTELLECTUAL = "intellectual", _("智力残疾")
    MENTAL = "mental", _("精神残疾")
    MULTIPLE = "multiple", _("多重残疾")


class HealthStatus(models.TextChoices):
    HEALTHY = "healthy", _("健康")
    CHRONIC = "chronic", _("慢性病")
    SERIOUS = "serious", _("重特大疾病")


class LabourCapacity(models.TextChoices):
    FULL = "full", _("有劳动能力")
    PARTIAL = "partial", _("部分丧失劳动能力")
    NONE = "none", _("无劳动能力")


class LegalStatus(models.TextChoices):
    """The cases of 《特困人员认定办法》 art. 9(5) in which a legal supporter cannot support."""

    NONE = "", _("无")
    NO_CAPACITY = "no_capacity", _("无民事行为能力")
    MISSING = "missing", _("被宣告失踪")
    IMPRISONED = "imprisoned", _("在监狱服刑")


class SchoolStage(models.TextChoices):
    NONE = "none", _("未在学")
    PRESCHOOL = "preschool", _("学前教育")
    PRIMARY = "primary", _("小学")
    JUNIOR = "junior", _("初中")
    SENIOR = "senior", _("普通高中")
    VOCATIONAL = "vocational", _("中职")
    HIGHER_VOCATIONAL = "higher_vocational", _("高职(专科)")
    UNIVERSITY = "university", _("本科及以上")


class Category(models.TextChoices):
    DIBAO = "dibao", _("低保")
    INDIVIDUAL_DIBAO = "individual_dibao", _("单人保")
    DESTITUTE = "destitute", _("特困")
    NEAR_DIBAO = "near_dibao", _("低保边缘")
    EXPENDITURE_HARDSHIP = "expenditure_hardship", _("支出型困难")
    OTHER_LOW_INCOME = "other_low_income", _("其他低收入")


# Categories that attach to one member rather than the whole household.
MEMBER_CATEGORIES = frozenset({Category.INDIVIDUAL_DIBAO, Category.DESTITUTE})


class RelapseWatchType(models.TextChoices):
    UNSTABLE = "unstable", _("脱贫不稳定户")
    AT_RISK = "at_risk", _("边缘易致贫户")
    SUDDEN_HARDSHIP = "sudden_hardship", _("突发严重困难户")


class IncomeKind(models.TextChoices):
    WAGES = "wages", _("工资性收入")
    BUSINESS = "business", _("经营净收入")
    PROPERTY = "property", _("财产净收入")
    TRANSFER = "transfer", _("转移净收入")
    EXCLUDED = "excluded", _("不计入家庭收入")


COUNTED_INCOME_KINDS = frozenset(
    {IncomeKind.WAGES, IncomeKind.BUSINESS, IncomeKind.PROPERTY, IncomeKind.TRANSFER}
)


class AssetKind(models.TextChoices):
    DEPOSIT = "deposit", _("存款")
    SECURITIES = "securities", _("有价证券")
    VEHICLE = "vehicle", _("机动车")
    REAL_ESTATE = "real_estate", _("房产")
    BUSINESS = "business", _("工商登记")


FINANCIAL_ASSET_KINDS = frozenset({AssetKind.DEPOSIT, AssetKind.SECURITIES})


class ExpenditureKind(models.TextChoices):
    MEDICAL = "medical", _("医疗")
    EDUCATION = "education", _("教育")
    REHABILITATION = "rehabilitation", _("残疾康复")
    DISASTER = "disaster", _("灾害")
    ACCIDENT = "accident", _("意外事故")
