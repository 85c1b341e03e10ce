"""The monthly roll-up: one row per region, month, category and residence (ADR 0014)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.regions.models import Level


class MonthlyRollup(models.Model):
    """Households and persons in a category at the month's snapshot day (its last day, or today
    for the current month), with the households that came in and went out during the month.

    Rows exist for every level: a village's from the registry, the others summed from them by
    the code prefix, so that a dashboard reads a handful of rows instead of the registry."""

    SCOPE_FIELD = "region_code"

    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    region_code = models.CharField(_("区划代码"), max_length=12)
    month = models.DateField(_("月份"))
    category = models.CharField(_("救助类别"), max_length=24)
    residence = models.CharField(_("城乡类别"), max_length=5)
    households = models.PositiveIntegerField(_("户数"), default=0)
    persons = models.PositiveIntegerField(_("人数"), default=0)
    inflow = models.PositiveIntegerField(_("新增户数"), default=0)
    outflow = models.PositiveIntegerField(_("退出户数"), default=0)
    # The monthly amounts decided (determination's decisions and review changes in force).
    amount = models.DecimalField(_("月救助金额(元)"), max_digits=16, decimal_places=2, default=0)
    # The amounts paid: the lines of the counties' issued payment rolls of the month (assistance).
    paid_households = models.PositiveIntegerField(_("实发户数"), default=0)
    paid_amount = models.DecimalField(_("实发金额(元)"), max_digits=16, decimal_places=2, default=0)
    refreshed_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        verbose_name = _("月度汇总")
        verbose_name_plural = _("月度汇总")
        ordering = ["month", "region_code", "category", "residence"]
        constraints = [
            models.UniqueConstraint(
                fields=["month", "level", "region_code", "category", "residence"],
                name="rollup_one_row",
            )
        ]
        indexes = [
            models.Index(fields=["level", "month", "region_code"], name="rollup_level_idx"),
            models.Index(fields=["region_code", "level", "month"], name="rollup_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.region_code} {self.month:%Y-%m} {self.category} {self.residence}"


class RefreshRun(models.Model):
    """One refresh of a month's roll-up: when, by what, how many rows."""

    month = models.DateField(_("月份"))
    snapshot_on = models.DateField(_("统计截止日"))
    rows = models.PositiveIntegerField(_("行数"))
    seconds = models.FloatField(_("用时(秒)"))
    trigger = models.CharField(_("触发方式"), max_length=20)
    created_at = models.DateTimeField(_("更新时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("汇总更新记录")
        verbose_name_plural = _("汇总更新记录")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["month", "-created_at"], name="refresh_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} rows={self.rows}"
