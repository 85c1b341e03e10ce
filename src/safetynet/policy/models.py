from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.policy.common import ExpenditureRule


class ExpenditureRuleChoice(models.TextChoices):
    SHARE_OF_INCOME = ExpenditureRule.SHARE_OF_INCOME.value, _("刚性支出超过家庭收入一定比例")
    AFTER_EXPENDITURE = (
        ExpenditureRule.AFTER_EXPENDITURE.value,
        _("扣除刚性支出后人均收入低于低保标准"),
    )


def _money(label: Any) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=12,
        decimal_places=2,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


def _ratio(label: Any) -> models.DecimalField:
    return models.DecimalField(
        label,
        max_digits=6,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0)],
    )


class StandardVersion(models.Model):
    """The standards a region sets from an effective date.

    A figure left empty is inherited: county → city → province, each level's latest version in
    force on the date. The province's versions carry every figure. Versions are never edited once
    in force; a change is a new version with its own effective date.
    """

    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("区划"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    effective_from = models.DateField(_("生效日期"))
    dibao_urban_monthly = _money(_("城市低保标准(元/人·月)"))
    dibao_rural_monthly = _money(_("农村低保标准(元/人·月)"))
    destitute_multiplier = _ratio(_("特困基本生活标准倍数(×低保标准)"))
    care_self_monthly = _money(_("特困照料护理标准·全自理(元/月)"))
    care_partial_monthly = _money(_("特困照料护理标准·半护理(元/月)"))
    care_full_monthly = _money(_("特困照料护理标准·全护理(元/月)"))
    near_dibao_multiplier = _ratio(_("低保边缘倍数(×低保标准)"))
    disposable_income_urban_annual = _money(_("上年度城镇居民人均可支配收入(元/年)"))
    disposable_income_rural_annual = _money(_("上年度农村居民人均可支配收入(元/年)"))
    rigid_expenditure_share = _ratio(_("刚性支出占家庭收入比例"))
    expenditure_rule = models.CharField(
        _("支出型困难认定方式"),
        max_length=20,
        choices=ExpenditureRuleChoice.choices,
        blank=True,
    )
    financial_assets_months = _ratio(_("人均金融资产上限(月数×低保标准)"))
    vehicle_value_limit = _money(_("机动车价值上限(元)"))
    max_dwellings = models.PositiveSmallIntegerField(_("住房套数上限"), null=True, blank=True)
    business_capital_limit = _money(_("工商登记注册资本上限(元)"))
    # Optional figures (OPTIONAL_FIGURES): inherited like the others, but a province need not
    # set them; where no level does, the national default applies (see selectors).
    income_drop_share = _ratio(_("收入大幅缩减比例(较上年同期)"))
    employment_cost_monthly = _money(_("就业成本扣减(元/人·月)"))
    supporter_other_cases = models.JSONField(
        _("省级规定的其他无履行义务能力情形"),
        null=True,
        blank=True,
        help_text=_("《特困人员认定办法》第九条第（六）项：情形名称列表，仅省级设定"),
    )
    is_example = models.BooleanField(
        _("示例数值"),
        default=False,
        help_text=_("未引自正式发布文件的演示数值，界面标注“示例”"),
    )
    # A version may cite a notice for some figures and carry demonstration values for the others
    # (the notice that set the dibao standards said nothing of the care tiers); those figures are
    # listed here and shown as 示例 one by one: a cited figure is never marked as an example.
    example_figures = models.JSONField(
        _("示例数值项"),
        default=list,
        blank=True,
        help_text=_("本版本中未引自正式文件的数值项（字段名列表）；整版为示例时勾选“示例数值”"),
    )
    source = models.CharField(_("依据(文件名称、文号)"), max_length=300, blank=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    # The figures a version may set, in the order screens show them.
    FIGURES = (
        "dibao_urban_monthly",
        "dibao_rural_monthly",
        "destitute_multiplier",
        "care_self_monthly",
        "care_partial_monthly",
        "care_full_monthly",
        "near_dibao_multiplier",
        "disposable_income_urban_annual",
        "disposable_income_rural_annual",
        "rigid_expenditure_share",
        "expenditure_rule",
        "financial_assets_months",
        "vehicle_value_limit",
        "max_dwellings",
        "business_capital_limit",
    )
    # Figures a version may leave empty at every level: field → (default, default is 示例).
    OPTIONAL_FIGURES: dict[str, tuple[Any, bool]] = {
        "income_drop_share": ("0.500", True),
        "employment_cost_monthly": ("0.00", False),
        "supporter_other_cases": ([], False),
    }
    # Every figure a version may set: the page, the API and the service take them all.
    EDITABLE = FIGURES + tuple(OPTIONAL_FIGURES)
    # Set by the province alone (《特困人员认定办法》第九条第（六）项: 省级民政部门规定).
    PROVINCE_ONLY = ("supporter_other_cases",)

    class Meta:
        verbose_name = _("地方标准版本")
        verbose_name_plural = _("地方标准版本")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from"],
                name="standard_one_version_per_region_date",
                violation_error_message=_("该区划在此生效日期已有一个标准版本"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.effective_from}"

    def is_example_figure(self, name: str) -> bool:
        return self.is_example or name in (self.example_figures or ())


class CalendarDay(models.Model):
    """An administrator's entry in the holiday table: a date that is a holiday or an adjusted
    working day, for years the calendar package does not cover yet or for a correction.
    """

    date = models.DateField(_("日期"), unique=True)
    is_working_day = models.BooleanField(_("工作日"), help_text=_("调休上班日勾选；节假日不勾选"))
    name = models.CharField(_("节日名称"), max_length=50, blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("节假日与调休")
        verbose_name_plural = _("节假日与调休")
        ordering = ["date"]

    def __str__(self) -> str:
        kind = "上班" if self.is_working_day else "放假"
        return f"{self.date} {self.name} {kind}"


class CalendarYear(models.Model):
    """A year whose holiday table an administrator has entered in full (from the State
    Council's notice), so that the calendar may count working days in it.
    """

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据(国务院办公厅通知文号)"), max_length=200)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("节假日安排年度")
        verbose_name_plural = _("节假日安排年度")
        ordering = ["year"]

    def __str__(self) -> str:
        return str(self.year)
