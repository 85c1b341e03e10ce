"""The case (认定申请): its type and steps, its timeline (``CaseEvent``) and its attachments."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

# --- the case ---------------------------------------------------------------------------------


class ApplicationType(models.TextChoices):
    DIBAO = "dibao", _("最低生活保障")
    DESTITUTE = "destitute", _("特困人员救助供养")
    NEAR_DIBAO = "near_dibao", _("低保边缘家庭")
    EXPENDITURE_HARDSHIP = "expenditure_hardship", _("刚性支出困难家庭")
    TEMPORARY_ASSISTANCE = "temporary_assistance", _("临时救助")


class Status(models.TextChoices):
    """The steps of a case. The allowed moves are ``TRANSITIONS``; only services move a case."""

    SUBMITTED = "submitted", _("待受理")
    RETURNED = "returned", _("已退回补正")
    INVESTIGATING = "investigating", _("调查核实")
    REVIEWED = "reviewed", _("乡镇已审核(待公示)")
    PUBLICITY = "publicity", _("公示中")
    CONFIRMING = "confirming", _("待审核确认")
    REFUSED = "refused", _("不予认定(待告知)")
    CONFIRMED = "confirmed", _("已认定")
    CLOSED_REFUSED = "closed_refused", _("不予认定(已告知)")
    WITHDRAWN = "withdrawn", _("已撤回")


# from-status → the statuses a case may move to. Moves outside this table are refused.
TRANSITIONS: dict[str, frozenset[str]] = {
    Status.SUBMITTED: frozenset({Status.RETURNED, Status.INVESTIGATING, Status.WITHDRAWN}),
    Status.RETURNED: frozenset({Status.SUBMITTED, Status.WITHDRAWN}),
    Status.INVESTIGATING: frozenset({Status.REVIEWED, Status.CONFIRMING, Status.WITHDRAWN}),
    Status.REVIEWED: frozenset({Status.PUBLICITY, Status.WITHDRAWN}),
    Status.PUBLICITY: frozenset({Status.INVESTIGATING, Status.CONFIRMING, Status.WITHDRAWN}),
    Status.CONFIRMING: frozenset({Status.CONFIRMED, Status.REFUSED}),
    Status.REFUSED: frozenset({Status.CLOSED_REFUSED}),
    Status.CONFIRMED: frozenset(),
    Status.CLOSED_REFUSED: frozenset(),
    Status.WITHDRAWN: frozenset(),
}

# Statuses of a case still in the procedure (on a work queue, counted against its limits).
OPEN_STATUSES = frozenset(
    {
        Status.SUBMITTED,
        Status.INVESTIGATING,
        Status.REVIEWED,
        Status.PUBLICITY,
        Status.CONFIRMING,
        Status.REFUSED,
    }
)
# Where the whole-procedure limit still runs (a refusal's notice has its own due date).
PROCEDURE_STATUSES = frozenset(
    {Status.INVESTIGATING, Status.REVIEWED, Status.PUBLICITY, Status.CONFIRMING}
)

# Types whose procedure includes the 7-day publicity (the national rules for dibao and destitute
# persons require it; near-dibao, expenditure hardship and temporary assistance do not).
PUBLICITY_TYPES = frozenset({ApplicationType.DIBAO, ApplicationType.DESTITUTE})


class Application(models.Model):
    """One application (a case) for one type of assistance, for one household."""

    SCOPE_FIELD = "region_id"

    type = models.CharField(_("申请类型"), max_length=24, choices=ApplicationType.choices)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("家庭"),
        on_delete=models.PROTECT,
        related_name="applications",
    )
    # Denormalised from the household (its village) so that the scope filter is one column.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    applicant = models.ForeignKey(
        "registry.Person", verbose_name=_("申请人"), on_delete=models.PROTECT, related_name="+"
    )
    reason = models.TextField(_("申请理由"), blank=True)
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("录入人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    applied_on = models.DateField(_("申请日期"))
    status = models.CharField(
        _("办理环节"), max_length=16, choices=Status.choices, default=Status.SUBMITTED
    )
    # Incremented by every action; an action on a stale version is refused (optimistic lock).
    version = models.PositiveIntegerField(_("版本"), default=1)
    # Denormalised due dates for the work queues: the current step's, and the whole procedure's.
    step_due_on = models.DateField(_("本环节办理时限"), null=True, blank=True)
    procedure_due_on = models.DateField(_("全流程办理时限"), null=True, blank=True)
    missing_items = models.JSONField(_("需补正材料"), default=list, blank=True)
    accepted_on = models.DateField(_("受理日期"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("受理人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    township_opinion = models.TextField(_("乡镇(街道)审核意见"), blank=True)
    township_reviewed_on = models.DateField(_("乡镇审核日期"), null=True, blank=True)
    confirmation_requested_on = models.DateField(_("报送审核确认日期"), null=True, blank=True)
    # Confirmation by the township (delegated by the county): fixed at acceptance.
    delegated = models.BooleanField(_("乡镇(街道)审核确认"), default=False)
    spot_check_required = models.BooleanField(_("县级抽查"), default=False)
    extension_reason = models.CharField(_("延长办理期限原因"), max_length=300, blank=True)
    extended_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("延期人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    extended_at = models.DateTimeField(_("延期时间"), null=True, blank=True)
    transferred_from = models.ForeignKey(
        "self",
        verbose_name=_("转介自"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transferred_to",
    )
    direct_inclusion = models.BooleanField(_("直接纳入"), default=False)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("认定申请")
        verbose_name_plural = _("认定申请")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["region", "status", "step_due_on"], name="app_queue_idx"),
            models.Index(fields=["status", "procedure_due_on"], name="app_procedure_due_idx"),
            models.Index(fields=["region", "type", "status"], name="app_type_idx"),
            models.Index(fields=["household", "id"], name="app_household_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.number} {self.get_type_display()}"

    @property
    def number(self) -> str:
        """The case number on notices: county code, year of application, id."""
        if self.pk is None:
            return "（未保存）"
        return f"{self.region_id[:6]}-{self.applied_on:%Y}-{self.pk:06d}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def accepts_attachments(self) -> bool:
        """Open, or returned for the missing items, which the family then brings."""
        return self.status in OPEN_STATUSES or self.status == Status.RETURNED

    def can_move_to(self, status: str) -> bool:
        return status in TRANSITIONS.get(self.status, frozenset())


class EventKind(models.TextChoices):
    SUBMITTED = "submitted", _("提出申请")
    RETURNED = "returned", _("退回补正")
    RESUBMITTED = "resubmitted", _("补正后重新提交")
    ACCEPTED = "accepted", _("受理")
    ATTACHMENT = "attachment", _("上传材料")
    HOME_VISIT = "home_visit", _("入户调查")
    DATA_CHECK_REQUESTED = "data_check_requested", _("提请经济状况核对")
    DATA_CHECK_ANSWERED = "data_check_answered", _("经济状况核对反馈")
    TOWNSHIP_REVIEW = "township_review", _("乡镇(街道)审核")
    PUBLICITY_STARTED = "publicity_started", _("开始公示")
    OBJECTION = "objection", _("公示异议")
    PUBLICITY_CLOSED = "publicity_closed", _("公示结束")
    SPOT_CHECK = "spot_check", _("县级抽查")
    CONFIRMED = "confirmed", _("审核确认")
    REFUSED = "refused", _("不予认定")
    REFUSAL_NOTICE = "refusal_notice", _("送达不予认定告知书")
    EXTENDED = "extended", _("延长办理期限")
    WITHDRAWN = "withdrawn", _("撤回申请")
    TRANSFER_OFFERED = "transfer_offered", _("告知转介")
    TRANSFER_CONSENT = "transfer_consent", _("转介意见")
    DIRECT_INCLUSION = "direct_inclusion", _("直接纳入")
    REVIEW_SCHEDULED = "review_scheduled", _("安排复核")
    REVIEW_RECORDED = "review_recorded", _("复核结果")
    SELF_CARE_CHANGE = "self_care_change", _("自理能力变化")
    MEMBER_DEATH = "member_death", _("成员死亡")
    TERMINATION_STARTED = "termination_started", _("启动终止")
    TERMINATION_DECIDED = "termination_decided", _("终止决定")
    TERMINATION_COMPLETED = "termination_completed", _("终止生效")


class CaseEvent(models.Model):
    """One step on a household's assistance chain (its timeline). Append-only."""

    SCOPE_FIELD = "region_id"

    household = models.ForeignKey(
        "registry.Household", on_delete=models.PROTECT, related_name="case_events"
    )
    application = models.ForeignKey(
        Application, null=True, blank=True, on_delete=models.PROTECT, related_name="events"
    )
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    kind = models.CharField(_("事项"), max_length=24, choices=EventKind.choices)
    from_status = models.CharField(_("原环节"), max_length=16, choices=Status.choices, blank=True)
    to_status = models.CharField(_("新环节"), max_length=16, choices=Status.choices, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("办理人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    actor_name = models.CharField(_("办理人"), max_length=150, blank=True)
    at = models.DateTimeField(_("时间"))
    on = models.DateField(_("办理日期"))
    note = models.TextField(_("说明"), blank=True)
    data = models.JSONField(_("数据"), default=dict, blank=True)

    class Meta:
        verbose_name = _("办理记录")
        verbose_name_plural = _("办理记录")
        ordering = ["at", "id"]
        indexes = [
            models.Index(fields=["household", "at"], name="event_household_idx"),
            models.Index(fields=["application", "at"], name="event_application_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.household_id} {self.kind} {self.at:%Y-%m-%d}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None and not kwargs.get("force_insert"):
            raise ValueError("办理记录只能追加，不能修改")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ValueError("办理记录只能追加，不能删除")


class AttachmentKind(models.TextChoices):
    AUTHORISATION = "authorisation", _("核对授权书")
    PHOTO = "photo", _("照片")
    ID_COPY = "id_copy", _("身份证件复印件")
    OTHER = "other", _("其他材料")


def attachment_path(instance: Attachment, filename: str) -> str:
    today = timezone.localdate()
    suffix = filename.rsplit(".", 1)[-1].lower() if "." in filename else "bin"
    return f"determination/{today:%Y}/{today:%m}/{instance.sha256}.{suffix[:8]}"


class Attachment(models.Model):
    """A scanned or photographed document of a case; the SHA-256 proves it unchanged."""

    application = models.ForeignKey(
        Application, on_delete=models.PROTECT, related_name="attachments"
    )
    home_visit = models.ForeignKey(
        "HomeVisit", null=True, blank=True, on_delete=models.PROTECT, related_name="photos"
    )
    kind = models.CharField(_("材料类型"), max_length=16, choices=AttachmentKind.choices)
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=200)
    original_name = models.CharField(_("原文件名"), max_length=200)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    size = models.PositiveIntegerField(_("大小(字节)"))
    content_type = models.CharField(_("文件类型"), max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("上传人"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField(_("上传时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("申请材料")
        verbose_name_plural = _("申请材料")
        ordering = ["application", "id"]
        indexes = [models.Index(fields=["application", "kind"], name="attachment_kind_idx")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.original_name}"
