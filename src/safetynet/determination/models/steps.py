"""The steps of a case: home visit, data check, publicity, objection, spot check, decision and
transfer."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.determination.models.cases import Application, ApplicationType


class HomeVisit(models.Model):
    """A home visit (入户调查) by at least two staff."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="home_visits"
    )
    visited_on = models.DateField(_("调查日期"))
    # [{"name": "王五", "user_id": 3 or null}, …] — at least two.
    staff = models.JSONField(_("调查人员"), default=list)
    findings = models.TextField(_("调查情况"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("登记人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    recorded_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("入户调查")
        verbose_name_plural = _("入户调查")
        ordering = ["application", "visited_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.visited_on}"

    @property
    def staff_names(self) -> list[str]:
        return [str(s.get("name", "")) for s in self.staff]


class DataCheck(models.Model):
    """A request for the household economic-status check (经济状况核对) and its answer."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="data_checks"
    )
    requested_on = models.DateField(_("提请日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("提请人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    due_on = models.DateField(_("反馈时限"))
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("反馈人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    answer = models.TextField(_("核对结果"), blank=True)
    verification_report = models.ForeignKey(
        "feeds.VerificationReport",
        verbose_name=_("核对报告"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )

    class Meta:
        verbose_name = _("经济状况核对")
        verbose_name_plural = _("经济状况核对")
        ordering = ["application", "requested_on", "id"]
        indexes = [models.Index(fields=["answered_on", "due_on"], name="datacheck_due_idx")]

    def __str__(self) -> str:
        return f"{self.application_id} {self.requested_on}"


class Publicity(models.Model):
    """A publicity period (公示): ``ends_on`` is the last day (7 calendar days in all)."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="publicities"
    )
    starts_on = models.DateField(_("公示开始"))
    ends_on = models.DateField(_("公示截止"))
    place = models.CharField(_("公示地点"), max_length=200, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    closed_on = models.DateField(_("公示结束日期"), null=True, blank=True)
    # Set when an objection interrupted the publicity (reinvestigation follows).
    interrupted = models.BooleanField(_("因异议中止"), default=False)

    class Meta:
        verbose_name = _("公示")
        verbose_name_plural = _("公示")
        ordering = ["application", "starts_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.starts_on}–{self.ends_on}"


class Objection(models.Model):
    """An objection raised during publicity; it reopens the investigation."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="objections"
    )
    publicity = models.ForeignKey(
        Publicity, null=True, blank=True, on_delete=models.PROTECT, related_name="objections"
    )
    received_on = models.DateField(_("收到日期"))
    content = models.TextField(_("异议内容"))
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    reinvestigation_due_on = models.DateField(_("复查时限"))
    outcome = models.TextField(_("复查结论"), blank=True)
    resolved_on = models.DateField(_("复查完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("公示异议")
        verbose_name_plural = _("公示异议")
        ordering = ["application", "received_on", "id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.received_on}"


class SpotCheckResult(models.TextChoices):
    CONSISTENT = "consistent", _("情况属实")
    INCONSISTENT = "inconsistent", _("情况不符")


class SpotCheck(models.Model):
    """The county's spot check (抽查) of a destitute case sampled for it."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="spot_check"
    )
    # 1-based order among the county's destitute cases sent for confirmation that year, which
    # decides the sampling (see deadlines.spot_check_sampled).
    sequence = models.PositiveIntegerField(_("报送序号"))
    checked_on = models.DateField(_("抽查日期"), null=True, blank=True)
    result = models.CharField(
        _("抽查结果"), max_length=16, choices=SpotCheckResult.choices, blank=True
    )
    note = models.TextField(_("抽查情况"), blank=True)
    checked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("县级抽查")
        verbose_name_plural = _("县级抽查")
        ordering = ["application"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.result or '待抽查'}"


class Outcome(models.TextChoices):
    CONFIRMED = "confirmed", _("予以认定")
    REFUSED = "refused", _("不予认定")


class CareTier(models.TextChoices):
    SELF = "self", _("全自理")
    PARTIAL = "partial", _("半护理")
    FULL = "full", _("全护理")


class DecisionLevel(models.TextChoices):
    COUNTY = "county", _("县级民政部门")
    TOWNSHIP = "township", _("乡镇(街道)(受委托)")


class Decision(models.Model):
    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="decision"
    )
    outcome = models.CharField(_("认定结果"), max_length=10, choices=Outcome.choices)
    level = models.CharField(_("确认机关"), max_length=10, choices=DecisionLevel.choices)
    # registry Category value when confirmed.
    category = models.CharField(_("救助类别"), max_length=24, blank=True)
    care_tier = models.CharField(
        _("照料护理等级"), max_length=10, choices=CareTier.choices, blank=True
    )
    monthly_amount = models.DecimalField(
        _("月救助金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    # The figures the amount was computed from (standard, income, members …), as strings.
    amount_basis = models.JSONField(_("金额计算依据"), default=dict, blank=True)
    start_month = models.DateField(_("起始月份"), null=True, blank=True)
    reasons = models.TextField(_("理由"), blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("确认人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    decided_on = models.DateField(_("确认日期"))
    refusal_notice_due_on = models.DateField(_("告知书送达时限"), null=True, blank=True)
    refusal_notice_issued_on = models.DateField(_("告知书送达日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("认定决定")
        verbose_name_plural = _("认定决定")
        ordering = ["-decided_on", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} {self.outcome}"


class Transfer(models.Model):
    """The prompt to transfer an applicant who failed the type applied for to near-dibao or
    expenditure hardship (二(二)3), and their answer."""

    application = models.OneToOneField(
        Application, on_delete=models.PROTECT, related_name="transfer"
    )
    proposed_type = models.CharField(
        _("建议转介类型"), max_length=24, choices=ApplicationType.choices
    )
    classification = models.JSONField(_("评估结果"), default=dict)
    informed_on = models.DateField(_("告知日期"))
    informed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    consent = models.BooleanField(_("同意转介"), null=True, blank=True)
    answered_on = models.DateField(_("答复日期"), null=True, blank=True)
    new_application = models.OneToOneField(
        Application,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transfer_origin",
    )

    class Meta:
        verbose_name = _("转介")
        verbose_name_plural = _("转介")
        ordering = ["-informed_on", "-id"]

    def __str__(self) -> str:
        return f"{self.application_id} → {self.proposed_type}"
