"""The determination procedure (认定审批): applications (cases), their steps, decisions and what
follows a decision. See docs/adr/0010-determination-procedure.md.

Every row that holds a household's data declares ``SCOPE_FIELD`` (a village code) so that
``accounts.scope`` can restrict it. ``Application.status`` moves only through the services, each
move a conditional UPDATE on ``Application.version`` (optimistic concurrency), and each move is
appended to ``CaseEvent``, the household's timeline.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from safetynet.registry.choices import Category

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
