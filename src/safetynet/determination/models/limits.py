"""Time limits by region and effective date (办理时限, ADR 0010)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

# --- time limits ------------------------------------------------------------------------------


class TimeLimits(models.Model):
    """The time limits a region sets from an effective date (办理时限).

    Like ``policy.StandardVersion``: a field left empty is inherited county → city → province, each
    level's latest version in force on the date; the province's version carries every field (the
    national figures are shipped by a data migration). Versions are never edited once in force.
    """

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("区划"), on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("生效日期"))
    investigation_start_days = models.PositiveSmallIntegerField(
        _("受理后启动调查(工作日)"), null=True, blank=True
    )
    data_check_days = models.PositiveSmallIntegerField(
        _("经济状况核对反馈(工作日)"), null=True, blank=True
    )
    publicity_days = models.PositiveSmallIntegerField(_("公示期(自然日)"), null=True, blank=True)
    objection_reinvestigation_days = models.PositiveSmallIntegerField(
        _("异议复查(工作日)"), null=True, blank=True
    )
    confirmation_dibao_days = models.PositiveSmallIntegerField(
        _("县级审核确认·低保等(工作日)"), null=True, blank=True
    )
    confirmation_destitute_days = models.PositiveSmallIntegerField(
        _("县级审核确认·特困(工作日)"), null=True, blank=True
    )
    spot_check_share = models.DecimalField(
        _("特困抽查比例"),
        max_digits=4,
        decimal_places=3,
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(1)],
    )
    procedure_days = models.PositiveSmallIntegerField(_("全流程(工作日)"), null=True, blank=True)
    procedure_extended_days = models.PositiveSmallIntegerField(
        _("全流程·延长(工作日)"), null=True, blank=True
    )
    procedure_delegated_days = models.PositiveSmallIntegerField(
        _("全流程·乡镇确认(工作日)"), null=True, blank=True
    )
    refusal_notice_days = models.PositiveSmallIntegerField(
        _("不予认定告知(工作日)"), null=True, blank=True
    )
    transfer_days = models.PositiveSmallIntegerField(_("转介后认定(工作日)"), null=True, blank=True)
    self_care_reassessment_days = models.PositiveSmallIntegerField(
        _("特困自理能力复评(工作日)"), null=True, blank=True
    )
    death_recheck_months = models.PositiveSmallIntegerField(
        _("成员死亡后复核(月)"), null=True, blank=True
    )
    annual_review_months = models.PositiveSmallIntegerField(
        _("低保边缘、支出型困难年度复核(月)"), null=True, blank=True
    )
    periodic_check_months = models.PositiveSmallIntegerField(
        _("低保定期核查(月)"), null=True, blank=True
    )
    periodic_check_unstable_months = models.PositiveSmallIntegerField(
        _("低保定期核查·收入不稳定或有劳动能力(月)"), null=True, blank=True
    )
    termination_publicity_days = models.PositiveSmallIntegerField(
        _("特困终止公示(自然日)"), null=True, blank=True
    )
    gradual_exit_max_months = models.PositiveSmallIntegerField(
        _("渐退期上限(月)"), null=True, blank=True
    )
    confirmation_delegated = models.BooleanField(
        _("审核确认权限委托乡镇(街道)"),
        null=True,
        blank=True,
        help_text=_("县级民政部门将审核确认权委托乡镇(街道)人民政府的，由乡镇确认"),
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

    # The fields a version may set, in the order screens show them.
    FIELDS = (
        "investigation_start_days",
        "data_check_days",
        "publicity_days",
        "objection_reinvestigation_days",
        "confirmation_dibao_days",
        "confirmation_destitute_days",
        "spot_check_share",
        "procedure_days",
        "procedure_extended_days",
        "procedure_delegated_days",
        "refusal_notice_days",
        "transfer_days",
        "self_care_reassessment_days",
        "death_recheck_months",
        "annual_review_months",
        "periodic_check_months",
        "periodic_check_unstable_months",
        "termination_publicity_days",
        "gradual_exit_max_months",
        "confirmation_delegated",
    )

    class Meta:
        verbose_name = _("办理时限版本")
        verbose_name_plural = _("办理时限版本")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from"],
                name="time_limits_one_version_per_region_date",
                violation_error_message=_("该区划在此生效日期已有一个办理时限版本"),
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.effective_from}"
