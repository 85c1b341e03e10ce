from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class OversightSettings(models.Model):
    """The county's oversight settings, versioned by region and date like the local standards
    (``policy.common``): the tip-off telephone published on every notice board and public page
    (五(四): 向社会公布举报监督电话), and the working days the township has to visit a
    self-declaration and to answer a tip-off. The province's version ships with 示例 values."""

    region = models.ForeignKey(
        "regions.Region", verbose_name=_("设置地区"), on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("生效日期"))
    tipoff_phone = models.CharField(_("举报监督电话"), max_length=40, blank=True)
    declaration_visit_days = models.PositiveSmallIntegerField(
        _("自主申报入户核实时限(工作日)"), null=True, blank=True
    )
    tipoff_days = models.PositiveSmallIntegerField(
        _("举报核查办结时限(工作日)"), null=True, blank=True
    )
    is_example = models.BooleanField(_("示例值"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("监督设置")
        verbose_name_plural = _("监督设置")
        ordering = ["region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["region", "effective_from"], name="oversight_settings_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.region_id} {self.effective_from}"


class PublicAttempt(models.Model):
    """One submission of a public page, by a keyed hash of the caller's address (never the
    address itself): the rate limit counts these."""

    page = models.CharField(max_length=20)
    address_hash = models.CharField(max_length=64)
    at = models.DateTimeField()

    class Meta:
        indexes = [models.Index(fields=["page", "address_hash", "at"], name="public_attempt_idx")]

    def __str__(self) -> str:
        return f"{self.page} {self.at}"


class DeclarationStatus(models.TextChoices):
    AWAITING_VISIT = "awaiting_visit", _("待入户核实")
    VISITED = "visited", _("已入户核实")


class DeclarationFinding(models.TextChoices):
    HARDSHIP = "hardship", _("确有困难")
    NO_HARDSHIP = "no_hardship", _("未发现困难")
    NOT_FOUND = "not_found", _("查无此人或联系不上")


class DeclarantKind(models.TextChoices):
    SELF = "self", _("本人")
    RELATIVE = "relative", _("亲属或他人代为申报")


class Declaration(models.Model):
    """A self-declaration of hardship (自主申报, 二) filed on the public page: a lead for the
    township's home visit. The ID number is kept like the registry's (encrypted, blind index,
    masked); nothing of it is ever shown to the caller."""

    SCOPE_FIELD = "region_code"

    number = models.CharField(_("申报编号"), max_length=24, unique=True)
    region_code = models.CharField(_("所在村(居)"), max_length=12)
    township_code = models.CharField(_("乡镇(街道)"), max_length=12)
    name = models.CharField(_("困难人员姓名"), max_length=50)
    id_number_encrypted = models.TextField()
    id_number_hash = models.CharField(max_length=64, db_index=True)
    id_number_masked = models.CharField(_("身份证号"), max_length=18)
    phone = models.CharField(_("联系电话"), max_length=20)
    declarant = models.CharField(
        _("申报人"), max_length=10, choices=DeclarantKind.choices, default=DeclarantKind.SELF
    )
    declarant_name = models.CharField(_("代为申报人姓名"), max_length=50, blank=True)
    account = models.TextField(_("困难情况"))
    consent = models.BooleanField(_("同意核对家庭经济状况"), default=False)
    received_on = models.DateField(_("申报日期"))
    due_on = models.DateField(_("入户核实时限"))
    status = models.CharField(
        _("状态"),
        max_length=16,
        choices=DeclarationStatus.choices,
        default=DeclarationStatus.AWAITING_VISIT,
    )
    visited_on = models.DateField(_("走访日期"), null=True, blank=True)
    visit_staff = models.CharField(_("走访人员"), max_length=100, blank=True)
    finding = models.CharField(
        _("核实结论"), max_length=12, choices=DeclarationFinding.choices, blank=True
    )
    finding_note = models.TextField(_("核实情况"), blank=True)
    application_id = models.IntegerField(_("救助申请"), null=True, blank=True)
    visited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("自主申报")
        verbose_name_plural = _("自主申报")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["region_code", "status", "due_on"], name="declaration_queue_idx"),
            models.Index(fields=["received_on"], name="declaration_received_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class TipOffChannel(models.TextChoices):
    ONLINE = "online", _("网上举报")
    PHONE = "phone", _("电话举报")
    LETTER = "letter", _("来信")
    VISIT = "visit", _("来访")


class TipOffStatus(models.TextChoices):
    RECEIVED = "received", _("已受理")
    ASSIGNED = "assigned", _("已交乡镇(街道)核查")
    CLOSED = "closed", _("已办结")


class TipOffFinding(models.TextChoices):
    SUBSTANTIATED = "substantiated", _("举报属实")
    PARTLY = "partly", _("部分属实")
    UNSUBSTANTIATED = "unsubstantiated", _("举报不实")


class TipOffMatter(models.TextChoices):
    FRAUD = "fraud", _("隐瞒收入财产骗取救助")
    NOT_ELIGIBLE = "not_eligible", _("不符合条件仍享受救助")
    FAVOURITISM = "favouritism", _("优亲厚友、人情保关系保")
    MISCONDUCT = "misconduct", _("经办人员违规")
    MISSED = "missed", _("困难群众未得到救助")
    OTHER = "other", _("其他")


class TipOff(models.Model):
    """A tip-off (举报, 五(四)): filed on the public page or taken by staff, assigned to the
    township of the place it concerns, investigated and closed with a finding, linked to the
    household it turned out to concern. The follow-up page shows the caller its status only."""

    SCOPE_FIELD = "region_code"

    number = models.CharField(_("举报编号"), max_length=24, unique=True)
    channel = models.CharField(_("举报方式"), max_length=10, choices=TipOffChannel.choices)
    matter = models.CharField(_("举报事项"), max_length=16, choices=TipOffMatter.choices)
    region_code = models.CharField(_("涉及村(居)"), max_length=12)
    township_code = models.CharField(_("乡镇(街道)"), max_length=12)
    county_code = models.CharField(_("县(市、区)"), max_length=12)
    subject_name = models.CharField(_("被举报人"), max_length=50, blank=True)
    content = models.TextField(_("举报内容"))
    reporter_name = models.CharField(_("举报人"), max_length=50, blank=True)
    reporter_phone = models.CharField(_("举报人电话"), max_length=20, blank=True)
    received_on = models.DateField(_("受理日期"))
    due_on = models.DateField(_("办结时限"))
    status = models.CharField(
        _("状态"), max_length=10, choices=TipOffStatus.choices, default=TipOffStatus.RECEIVED
    )
    assigned_on = models.DateField(_("交办日期"), null=True, blank=True)
    finding = models.CharField(
        _("核查结论"), max_length=16, choices=TipOffFinding.choices, blank=True
    )
    investigation = models.TextField(_("核查情况"), blank=True)
    closed_on = models.DateField(_("办结日期"), null=True, blank=True)
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("涉及家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    received_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("举报")
        verbose_name_plural = _("举报")
        ordering = ["-received_on", "-id"]
        indexes = [
            models.Index(fields=["region_code", "status", "due_on"], name="tipoff_queue_idx"),
            models.Index(fields=["county_code", "received_on"], name="tipoff_county_idx"),
        ]

    def __str__(self) -> str:
        return self.number


class RecoveryReason(models.TextChoices):
    FRAUD = "fraud", _("虚报、隐瞒、伪造等手段骗取")
    UNREPORTED_CHANGE = "unreported_change", _("家庭状况变化未如实告知")
    PAID_AFTER_END = "paid_after_end", _("条件消失后继续发放")


class RecoverySource(models.TextChoices):
    REVIEW = "review", _("复核核查")
    ALERT = "alert", _("监测预警")
    TIPOFF = "tipoff", _("举报")
    OTHER = "other", _("其他")


class RecoveryStatus(models.TextChoices):
    OPEN = "open", _("待退回")
    PARTLY = "partly", _("部分退回")
    REPAID = "repaid", _("已全部退回")


class OfficerFinding(models.TextChoices):
    """三个区分开来 (五(四)): the finding about the officers who handled the case."""

    OBJECTIVE = "objective", _("经办人员秉公履职，因客观原因失误并及时纠正，依法免于问责")
    NO_FAULT = "no_fault", _("经办人员无过错（申请人隐瞒或未告知）")
    REFERRED = "referred", _("经办人员涉嫌违规，移交纪检监察机关")


# The legal basis each reason cites: 《社会救助暂行办法》(国务院令第649号) art. 68 for assistance
# obtained by false statement, concealment or forgery (stop, order the return, fine of 1–3×);
# art. 13 (duty to report changes of the family's situation) with art. 68 for a change not
# reported; 豫政办〔2022〕103号 五(四) for the recovery of what was paid after eligibility ended.
LEGAL_BASIS = {
    RecoveryReason.FRAUD: "《社会救助暂行办法》第六十八条",
    RecoveryReason.UNREPORTED_CHANGE: "《社会救助暂行办法》第十三条、第六十八条",
    RecoveryReason.PAID_AFTER_END: "豫政办〔2022〕103号 五(四)",
}


class Recovery(models.Model):
    """A recovery decision (追回): what a household must return, why, from which finding, and
    the finding about the officers (三个区分开来). A fraud or an unreported change marks the
    household's credit (信用) until ``credit_until``; repayments reduce the balance."""

    SCOPE_FIELD = "region_code"

    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("家庭"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    county_code = models.CharField(_("县(市、区)"), max_length=12)
    source = models.CharField(_("发现途径"), max_length=10, choices=RecoverySource.choices)
    tipoff = models.ForeignKey(
        TipOff,
        verbose_name=_("举报"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="recoveries",
    )
    reason = models.CharField(_("追回原因"), max_length=20, choices=RecoveryReason.choices)
    legal_basis = models.CharField(_("法律依据"), max_length=100)
    period_from = models.DateField(_("多发期间自"))
    period_to = models.DateField(_("多发期间至"))
    amount = models.DecimalField(_("应退回金额(元)"), max_digits=12, decimal_places=2)
    repaid = models.DecimalField(
        _("已退回金额(元)"), max_digits=12, decimal_places=2, default=Decimal("0.00")
    )
    decision_number = models.CharField(_("决定文号"), max_length=60)
    decided_on = models.DateField(_("决定日期"))
    facts = models.TextField(_("事实与理由"))
    officer_finding = models.CharField(
        _("经办人员责任认定"), max_length=12, choices=OfficerFinding.choices
    )
    officer_note = models.TextField(_("责任认定说明"), blank=True)
    credit_mark = models.BooleanField(_("记入信用记录"), default=False)
    credit_until = models.DateField(_("信用记录期限"), null=True, blank=True)
    status = models.CharField(
        _("状态"), max_length=8, choices=RecoveryStatus.choices, default=RecoveryStatus.OPEN
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("追回")
        verbose_name_plural = _("追回")
        ordering = ["-decided_on", "-id"]
        indexes = [
            models.Index(fields=["county_code", "decided_on"], name="recovery_county_idx"),
            models.Index(fields=["region_code", "status"], name="recovery_region_idx"),
            models.Index(fields=["household", "credit_mark"], name="recovery_household_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount__gt=0), name="recovery_amount_positive"
            ),
            models.CheckConstraint(
                condition=models.Q(repaid__lte=models.F("amount")),
                name="recovery_repaid_within_amount",
            ),
        ]

    def __str__(self) -> str:
        return self.decision_number

    @property
    def balance(self) -> Decimal:
        return self.amount - self.repaid


class Repayment(models.Model):
    recovery = models.ForeignKey(Recovery, on_delete=models.PROTECT, related_name="repayments")
    paid_on = models.DateField(_("退回日期"))
    amount = models.DecimalField(_("退回金额(元)"), max_digits=12, decimal_places=2)
    receipt = models.CharField(_("缴款凭证号"), max_length=60, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("退回记录")
        verbose_name_plural = _("退回记录")
        ordering = ["recovery", "paid_on", "id"]

    def __str__(self) -> str:
        return f"{self.recovery_id} {self.amount}"


class Transition(models.Model):
    """Who moved a declaration, tip-off or recovery from one status to another, when and why."""

    object_type = models.CharField(max_length=12)
    object_id = models.BigIntegerField()
    status_from = models.CharField(max_length=16, blank=True)
    status_to = models.CharField(max_length=16)
    note = models.CharField(max_length=300, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["object_type", "object_id", "at", "id"]
        indexes = [models.Index(fields=["object_type", "object_id"], name="oversight_trans_idx")]

    def __str__(self) -> str:
        return f"{self.object_type} {self.object_id} {self.status_from}→{self.status_to}"


class PublicObjectionStatus(models.TextChoices):
    RECEIVED = "received", _("待乡镇(街道)登记")
    REGISTERED = "registered", _("已登记为公示异议")
    DISMISSED = "dismissed", _("不予登记(已说明理由)")


class PublicObjection(models.Model):
    """An objection to a case in publicity, sent from the public notice board (no login). It is
    recorded against the case and waits for the township: registered as the case's publicity
    objection (determination's ``Objection``: the publicity stops, reinvestigation follows) or
    not, with a reason. Nothing of it is ever shown back to the public."""

    SCOPE_FIELD = "region_code"

    number = models.CharField(_("异议编号"), max_length=24, unique=True)
    application = models.ForeignKey(
        "determination.Application",
        verbose_name=_("认定案件"),
        on_delete=models.PROTECT,
        related_name="+",
    )
    publicity = models.ForeignKey(
        "determination.Publicity", on_delete=models.PROTECT, related_name="+"
    )
    region_code = models.CharField(_("所在村(居)"), max_length=12)
    content = models.TextField(_("异议内容"))
    contact_name = models.CharField(_("提出人(可不填)"), max_length=50, blank=True)
    contact_phone = models.CharField(_("联系电话(可不填)"), max_length=20, blank=True)
    received_on = models.DateField(_("提出日期"))
    status = models.CharField(
        _("状态"), max_length=12, choices=PublicObjectionStatus.choices, default="received"
    )
    objection = models.ForeignKey(
        "determination.Objection",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    handled_on = models.DateField(_("处理日期"), null=True, blank=True)
    note = models.TextField(_("处理说明"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("群众公示异议")
        verbose_name_plural = _("群众公示异议")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["region_code", "status"], name="pubobjection_region_idx")]

    def __str__(self) -> str:
        return self.number
