"""After the decision: reviews and checks, terminations, and the notices as first issued."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from safetynet.determination.models.cases import Application
from safetynet.determination.models.steps import DecisionLevel
from safetynet.registry.choices import Category


class ReviewKind(models.TextChoices):
    ANNUAL_REVIEW = "annual_review", _("年度复核")
    PERIODIC_CHECK = "periodic_check", _("定期核查")
    SELF_CARE_REASSESSMENT = "self_care_reassessment", _("自理能力复评")
    DEATH_RECHECK = "death_recheck", _("死亡复核")
    # A reported change of the family's situation that may affect eligibility (二(二), 三(二)).
    CHANGE_CHECK = "change_check", _("情况变化核查")


class ReviewOutcome(models.TextChoices):
    CONTINUE = "continue", _("继续享受")
    CHANGE = "change", _("变更类别或金额")
    TERMINATE = "terminate", _("终止")


class ReviewSchedule(models.Model):
    """A review, check or re-assessment due for a household after a decision."""

    SCOPE_FIELD = "region_id"

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="review_schedules"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="reviews"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("复核类型"), max_length=24, choices=ReviewKind.choices)
    # The category under review (registry Category value).
    category = models.CharField(_("救助类别"), max_length=24, blank=True)
    due_on = models.DateField(_("应复核日期"))
    done_on = models.DateField(_("复核日期"), null=True, blank=True)
    outcome = models.CharField(
        _("复核结果"), max_length=10, choices=ReviewOutcome.choices, blank=True
    )
    notes = models.TextField(_("复核情况"), blank=True)
    # A change outcome: the new category and/or the new monthly amount, both from the month
    # after the review (the category also goes to the registry's history).
    new_category = models.CharField(_("变更后的救助类别"), max_length=24, blank=True)
    monthly_amount = models.DecimalField(
        _("变更后的月救助金额"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    changes_from = models.DateField(_("变更生效日期"), null=True, blank=True)
    done_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("复核安排")
        verbose_name_plural = _("复核安排")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["region", "done_on", "due_on"], name="review_due_idx"),
            models.Index(fields=["household", "due_on"], name="review_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.due_on}"

    @property
    def new_category_label(self) -> str:
        return str(Category(self.new_category).label) if self.new_category else ""


class TerminationStatus(models.TextChoices):
    PUBLICITY = "publicity", _("终止公示中")
    CONFIRMING = "confirming", _("待县级确认")
    SCHEDULED = "scheduled", _("待生效")
    DONE = "done", _("已终止")
    DECLINED = "declined", _("不予终止")


# A termination still being handled (the household keeps its category meanwhile).
TERMINATION_OPEN = (
    TerminationStatus.PUBLICITY,
    TerminationStatus.CONFIRMING,
    TerminationStatus.SCHEDULED,
)


class Termination(models.Model):
    """Ending a household's (or a destitute person's) assistance.

    Destitute support is publicised for 7 days first; every termination takes effect on the first
    day of the month after it is decided (or after the publicity), or after a gradual exit (渐退期)
    of up to 6 months where employment lifted the income above the standard.

    It is decided by the level that confirms the category (ADR 0010): the county civil-affairs
    bureau (the township proposes, ``CONFIRMING``), or the township where the county delegated
    confirmation (``delegated``, read from the time limits when the termination starts).
    """

    SCOPE_FIELD = "region_id"

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="terminations"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="terminations"
    )
    review = models.ForeignKey(
        ReviewSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    category = models.CharField(_("救助类别"), max_length=24)
    reason = models.TextField(_("终止原因"))
    started_on = models.DateField(_("启动日期"))
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    publicity_ends_on = models.DateField(_("公示截止"), null=True, blank=True)
    gradual_exit_months = models.PositiveSmallIntegerField(_("渐退期(月)"), default=0)
    effective_from = models.DateField(_("终止生效日期"), null=True, blank=True)
    status = models.CharField(_("状态"), max_length=10, choices=TerminationStatus.choices)
    completed_on = models.DateField(_("办结日期"), null=True, blank=True)
    delegated = models.BooleanField(_("委托乡镇(街道)确认"), default=False)
    decided_on = models.DateField(_("终止决定日期"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decision_level = models.CharField(
        _("决定层级"), max_length=10, choices=DecisionLevel.choices, blank=True
    )
    decision_note = models.TextField(_("确认意见"), blank=True)

    class Meta:
        verbose_name = _("终止救助")
        verbose_name_plural = _("终止救助")
        ordering = ["-started_on", "-id"]
        indexes = [models.Index(fields=["region", "status"], name="termination_status_idx")]

    def __str__(self) -> str:
        return f"{self.household_id} {self.category} {self.status}"


class IssuedNotice(models.Model):
    """A notice's content as first issued (printed or archived). Printing it again renders the
    same words, names, addresses and figures as they stood that day; only the print time in the
    footer changes. ``key`` names the notice: ``decision:<case>``, ``review:<review>``."""

    key = models.CharField(_("文书标识"), max_length=40, unique=True)
    kind = models.CharField(_("文书类型"), max_length=10)
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    review = models.ForeignKey(
        ReviewSchedule, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    number = models.CharField(_("文号"), max_length=40)
    content = models.JSONField(_("文书内容"))
    content_sha256 = models.CharField(_("内容 SHA-256"), max_length=64)
    issued_at = models.DateTimeField(_("首次出具时间"), auto_now_add=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("已出具文书")
        verbose_name_plural = _("已出具文书")

    def __str__(self) -> str:
        return self.number
