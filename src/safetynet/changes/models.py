from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ChangeKind(models.TextChoices):
    BIRTH = "birth", _("出生")
    MARRIAGE = "marriage", _("结婚(配偶迁入)")
    MEMBER_IN = "member_in", _("成员迁入")
    MEMBER_OUT = "member_out", _("成员迁出")
    JOB_FOUND = "job_found", _("就业")
    JOB_LOST = "job_lost", _("失业")
    INCOME_UP = "income_up", _("收入增加")
    INCOME_DOWN = "income_down", _("收入减少")
    SERIOUS_ILLNESS = "serious_illness", _("患重特大疾病")
    DISABILITY = "disability", _("取得残疾人证")
    SCHOOL_ENTRY = "school_entry", _("入学")
    DISASTER = "disaster", _("遭受灾害或意外事故")
    DEATH = "death", _("成员死亡")


# Changes that bring a new member into the household (the form asks for the new member).
NEW_MEMBER_KINDS = frozenset({ChangeKind.BIRTH, ChangeKind.MARRIAGE, ChangeKind.MEMBER_IN})
# Changes that report a new monthly income of one member.
INCOME_KINDS = frozenset(
    {ChangeKind.JOB_FOUND, ChangeKind.JOB_LOST, ChangeKind.INCOME_UP, ChangeKind.INCOME_DOWN}
)
# Changes that can make a household not yet assisted eligible (more members or less means):
# checked for every household. Any change is checked for a household already assisted.
HARDSHIP_KINDS = frozenset(
    {
        ChangeKind.BIRTH,
        ChangeKind.JOB_LOST,
        ChangeKind.INCOME_DOWN,
        ChangeKind.SERIOUS_ILLNESS,
        ChangeKind.DISABILITY,
        ChangeKind.DISASTER,
    }
)


class ChangeReport(models.Model):
    """One reported change of a household's situation."""

    SCOPE_FIELD = "region_id"

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("家庭"),
        on_delete=models.PROTECT,
        related_name="change_reports",
    )
    # Denormalised from the household (its village) so that the scope filter is one column.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("变化事项"), max_length=20, choices=ChangeKind.choices)
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("涉及成员"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    occurred_on = models.DateField(_("发生日期"))
    reported_on = models.DateField(_("报告日期"))
    note = models.TextField(_("情况说明"), blank=True)
    reported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("报告人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reported_by_name = models.CharField(_("报告人"), max_length=120, blank=True)
    check_review = models.ForeignKey(
        "determination.ReviewSchedule",
        verbose_name=_("核查安排"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("家庭情况变化报告")
        verbose_name_plural = _("家庭情况变化报告")
        ordering = ["-reported_on", "-id"]
        indexes = [
            models.Index(fields=["region", "reported_on"], name="change_region_idx"),
            models.Index(fields=["household", "reported_on"], name="change_household_idx"),
            models.Index(fields=["reported_by", "reported_on"], name="change_reporter_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.occurred_on}"
