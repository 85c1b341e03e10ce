"""Referrals to departments (分类推送, 三(三)) with their feedback, and assistance records (what a
department or the civil-affairs office gave, 五(二)). Both are scoped by the household's village
code; a department officer further sees only their own department's (``referrals/selectors``)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.roles import Department


class ReferralSource(models.TextChoices):
    DETERMINATION = "determination", _("认定确认")
    HOME_CHECK = "home_check", _("入户核查")
    MANUAL = "manual", _("经办人提出")
    COORDINATION = "coordination", _("一事一议任务")


class ReferralStatus(models.TextChoices):
    PROPOSED = "proposed", _("待确认推送")
    SENT = "sent", _("已推送待签收")
    ACKNOWLEDGED = "acknowledged", _("部门已签收办理中")
    GIVEN = "given", _("已救助帮扶")
    DECLINED = "declined", _("未予救助(已说明理由)")
    WITHDRAWN = "withdrawn", _("已撤回")


OPEN_STATUSES = (ReferralStatus.PROPOSED, ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)
# Waiting on the department: acknowledgement, then the answer.
WAITING_STATUSES = (ReferralStatus.SENT, ReferralStatus.ACKNOWLEDGED)
ANSWERED_STATUSES = (ReferralStatus.GIVEN, ReferralStatus.DECLINED)


class CoordinationStatus(models.TextChoices):
    OPEN = "open", _("任务办理中")
    CLOSED = "closed", _("已办结")


class Coordination(models.Model):
    """A county coordination case (一事一议): situation, departments, meeting, decision; its
    tasks are the referrals pointing at it."""

    SCOPE_FIELD = "region_code"

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    county_code = models.CharField(_("县(市、区)"), max_length=12)
    situation = models.TextField(_("情况"))
    departments = models.JSONField(_("参与部门"), default=list)
    meeting_on = models.DateField(_("会议日期"))
    decision = models.TextField(_("议定事项"))
    status = models.CharField(
        _("状态"), max_length=8, choices=CoordinationStatus.choices, default="open"
    )
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    # The home check's 特殊情况 case in monitoring, when it came from one.
    monitoring_case_id = models.BigIntegerField(_("监测一事一议编号"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("一事一议")
        verbose_name_plural = _("一事一议")
        ordering = ["-meeting_on", "-id"]
        indexes = [models.Index(fields=["county_code", "status"], name="coord_county_idx")]

    def __str__(self) -> str:
        return f"一事一议 #{self.pk}"

    @property
    def departments_display(self) -> list[str]:
        return [str(Department(d).label) for d in self.departments if d in Department.values]


class Referral(models.Model):
    """One item of the catalogue a household is referred for, to the department for its county."""

    SCOPE_FIELD = "region_code"

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    county_code = models.CharField(_("县(市、区)"), max_length=12)
    item = models.CharField(_("帮扶项目"), max_length=40)
    clause = models.CharField(_("政策依据"), max_length=40)
    department = models.CharField(_("承办部门"), max_length=32, choices=Department.choices)
    reason = models.CharField(_("推送理由"), max_length=500)
    source = models.CharField(_("来源"), max_length=16, choices=ReferralSource.choices)
    # The visit (monitoring) or decision (determination) it came from, by id in that app.
    source_id = models.BigIntegerField(_("来源编号"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=14, choices=ReferralStatus.choices, default=ReferralStatus.PROPOSED
    )
    proposed_on = models.DateField(_("提出日期"))
    sent_on = models.DateField(_("推送日期"), null=True, blank=True)
    acknowledge_due = models.DateField(_("签收时限"), null=True, blank=True)
    answer_due = models.DateField(_("反馈时限"), null=True, blank=True)
    acknowledged_on = models.DateField(_("签收日期"), null=True, blank=True)
    answered_on = models.DateField(_("反馈日期"), null=True, blank=True)
    answer_note = models.TextField(_("反馈说明"), blank=True)
    coordination = models.ForeignKey(
        Coordination, null=True, blank=True, on_delete=models.PROTECT, related_name="tasks"
    )
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    acknowledged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("分类推送")
        verbose_name_plural = _("分类推送")
        ordering = ["-id"]
        indexes = [
            models.Index(fields=["department", "county_code", "status"], name="referral_dept_idx"),
            models.Index(fields=["region_code", "status"], name="referral_region_idx"),
            models.Index(fields=["household", "item"], name="referral_household_idx"),
            models.Index(fields=["status", "acknowledge_due"], name="referral_ack_due_idx"),
            models.Index(fields=["status", "answer_due"], name="referral_answer_due_idx"),
            models.Index(fields=["source", "source_id"], name="referral_source_idx"),
        ]
        constraints = [
            # One open referral per household and item: proposing twice changes nothing.
            models.UniqueConstraint(
                fields=["household", "item"],
                condition=Q(status__in=["proposed", "sent", "acknowledged"]),
                name="referral_one_open_per_item",
            )
        ]

    def __str__(self) -> str:
        return f"转办 #{self.pk}"


class RecordSource(models.TextChoices):
    FEEDBACK = "feedback", _("转办反馈")
    REPORT = "report", _("部门主动报送")
    IMPORT = "import", _("部门反馈文件导入")
    EMERGENCY = "emergency", _("急难社会救助")


class AssistanceRecord(models.Model):
    """Help given: by a department on a referral or of its own (五(二)), with amount and period,
    so that a household's total is known."""

    SCOPE_FIELD = "region_code"

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    department = models.CharField(_("实施部门"), max_length=32, choices=Department.choices)
    item = models.CharField(_("帮扶项目"), max_length=40)
    kind = models.CharField(_("帮扶内容"), max_length=200)
    amount = models.DecimalField(
        _("金额(元)"), max_digits=12, decimal_places=2, null=True, blank=True
    )
    given_on = models.DateField(_("实施日期"))
    period_from = models.DateField(_("期间起"), null=True, blank=True)
    period_to = models.DateField(_("期间止"), null=True, blank=True)
    referral = models.OneToOneField(
        Referral, null=True, blank=True, on_delete=models.PROTECT, related_name="record"
    )
    source = models.CharField(_("来源"), max_length=10, choices=RecordSource.choices)
    # A department file's row key (hash of the row's identifying values): a re-import of the same
    # file writes nothing twice.
    external_ref = models.CharField(max_length=64, blank=True)
    note = models.CharField(_("说明"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("救助帮扶记录")
        verbose_name_plural = _("救助帮扶记录")
        ordering = ["-given_on", "-id"]
        indexes = [
            models.Index(fields=["household", "given_on"], name="record_household_idx"),
            models.Index(fields=["region_code", "given_on"], name="record_region_idx"),
            models.Index(fields=["department", "given_on"], name="record_dept_idx"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["department", "external_ref"],
                condition=~Q(external_ref=""),
                name="record_external_ref_once",
            )
        ]

    def __str__(self) -> str:
        return f"帮扶记录 #{self.pk}"


class PaymentAccount(models.Model):
    """Where a household's monthly assistance is paid (一卡通): the payee and the bank account,
    kept encrypted (the bank file needs it whole) and masked for every screen."""

    SCOPE_FIELD = "region_code"

    household = models.OneToOneField(
        "registry.Household", on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    payee_name = models.CharField(_("收款人"), max_length=50)
    bank = models.CharField(_("开户银行"), max_length=60)
    account_encrypted = models.TextField(_("账号(密文)"))
    account_masked = models.CharField(_("账号"), max_length=40)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("发放账户")
        verbose_name_plural = _("发放账户")
        indexes = [models.Index(fields=["region_code"], name="payaccount_region_idx")]

    def __str__(self) -> str:
        return f"{self.payee_name} {self.account_masked}"


class EmergencyStatus(models.TextChoices):
    GRANTED = "granted", _("已先行救助")
    ROUTED = "routed", _("超出乡镇权限，已报县级")
    COUNTY_GRANTED = "county_granted", _("县级已批准")
    COUNTY_REFUSED = "county_refused", _("县级不予批准")


class EmergencyGrant(models.Model):
    """急难社会救助 (四(三)): help first, procedure after (先行救助). A township grants within its
    delegated per-case limit at once and completes the paperwork within the local deadline; a
    larger amount is refused at township level and routed to the county."""

    SCOPE_FIELD = "region_code"

    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    county_code = models.CharField(_("县(市、区)"), max_length=12)
    amount = models.DecimalField(_("金额(元)"), max_digits=12, decimal_places=2)
    reason = models.CharField(_("急难情形"), max_length=500)
    limit = models.DecimalField(_("乡镇审批限额(元)"), max_digits=12, decimal_places=2)
    status = models.CharField(_("状态"), max_length=16, choices=EmergencyStatus.choices)
    requested_on = models.DateField(_("救助日期"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    paperwork_due = models.DateField(_("补办手续时限"), null=True, blank=True)
    paperwork_done_on = models.DateField(_("手续补齐日期"), null=True, blank=True)
    county_decided_on = models.DateField(_("县级审批日期"), null=True, blank=True)
    county_note = models.CharField(_("县级意见"), max_length=500, blank=True)
    record = models.OneToOneField(
        AssistanceRecord, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("急难救助")
        verbose_name_plural = _("急难救助")
        ordering = ["-requested_on", "-id"]
        indexes = [
            models.Index(fields=["county_code", "status"], name="emergency_county_idx"),
            models.Index(fields=["region_code", "requested_on"], name="emergency_region_idx"),
            models.Index(fields=["status", "paperwork_due"], name="emergency_paperwork_idx"),
        ]

    def __str__(self) -> str:
        return f"急难救助 #{self.pk}"


class PaidRoll(models.Model):
    """A county's payment roll of a month as issued for payment (定稿发放): from then on the
    month's amounts paid are these lines, whatever a later correction of the history says (a
    correction is paid or recovered in a later month). One per county and month."""

    SCOPE_FIELD = "county_code"

    county_code = models.CharField(_("县(市、区)"), max_length=12)
    month = models.DateField(_("发放月份"))
    households = models.PositiveIntegerField(_("发放户数"))
    total = models.DecimalField(_("本月合计(元)"), max_digits=16, decimal_places=2)
    previous_total = models.DecimalField(_("上月合计(元)"), max_digits=16, decimal_places=2)
    new = models.DecimalField(_("新增(元)"), max_digits=16, decimal_places=2)
    ended = models.DecimalField(_("停发(元)"), max_digits=16, decimal_places=2)
    changed = models.DecimalField(_("金额变更(元)"), max_digits=16, decimal_places=2)
    counts = models.JSONField(_("变化户数"), default=dict)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    issued_at = models.DateTimeField(_("定稿时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("已定稿发放名册")
        verbose_name_plural = _("已定稿发放名册")
        constraints = [
            models.UniqueConstraint(fields=["county_code", "month"], name="paidroll_once")
        ]
        indexes = [models.Index(fields=["month", "county_code"], name="paidroll_month_idx")]

    def __str__(self) -> str:
        return f"{self.county_code[:6]} {self.month:%Y-%m}"


class PaidLine(models.Model):
    """One household paid in an issued roll: the amount of the month and its category."""

    SCOPE_FIELD = "region_code"

    roll = models.ForeignKey(PaidRoll, on_delete=models.PROTECT, related_name="lines")
    month = models.DateField(_("发放月份"))
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    category = models.CharField(_("救助类别"), max_length=24)
    amount = models.DecimalField(_("实发金额(元)"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("发放明细")
        verbose_name_plural = _("发放明细")
        constraints = [models.UniqueConstraint(fields=["roll", "household"], name="paidline_once")]
        indexes = [models.Index(fields=["month", "region_code"], name="paidline_month_idx")]

    def __str__(self) -> str:
        return f"{self.month:%Y-%m} #{self.household_id} {self.amount}"
