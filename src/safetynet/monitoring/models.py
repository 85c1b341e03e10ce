from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from safetynet.monitoring.common import (
    WATCH_CHOICES,
    AlertStatus,
    CheckKind,
    CheckStatus,
    HardshipType,
    Outcome,
    Severity,
)


class Indicator(models.Model):
    """One version of an indicator for a region (the province's default, or a county's
    override) from an effective date, like the standards: a change is a new version.

    ``rule`` names the condition the scan evaluates (``scan.rules``); ``params`` holds its
    thresholds. Local figures not yet taken from a document are listed in ``example_params``
    (shown as 示例)."""

    code = models.SlugField(_("指标代码"), max_length=40)
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("设定区划"), on_delete=models.PROTECT, related_name="+"
    )
    effective_from = models.DateField(_("生效日期"))
    name = models.CharField(_("指标名称"), max_length=100)
    rule = models.SlugField(_("判定规则"), max_length=40)
    watches = models.CharField(_("监测对象"), max_length=16, choices=WATCH_CHOICES)
    sources = models.JSONField(_("数据来源"), default=list)
    params = models.JSONField(_("条件与阈值"), default=dict, blank=True)
    example_params = models.JSONField(_("示例数值项"), default=list, blank=True)
    hardship_type = models.CharField(_("困难类型"), max_length=16, choices=HardshipType.choices)
    severity = models.CharField(_("预警等级"), max_length=8, choices=Severity.choices)
    check_working_days = models.PositiveSmallIntegerField(_("核查时限(工作日)"))
    active = models.BooleanField(_("启用"), default=True)
    note = models.CharField(_("说明"), max_length=300, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("登记时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("监测指标")
        verbose_name_plural = _("监测指标")
        ordering = ["code", "region", "-effective_from"]
        constraints = [
            models.UniqueConstraint(
                fields=["code", "region", "effective_from"], name="indicator_one_version_per_date"
            )
        ]
        indexes = [models.Index(fields=["region", "effective_from"], name="indicator_region_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class Scan(models.Model):
    """One run of the scan: what it looked at and what it found."""

    region_code = models.CharField(_("扫描区划"), max_length=12)
    indicator_code = models.CharField(_("指标"), max_length=40, blank=True)
    on = models.DateField(_("扫描基准日"))
    started_at = models.DateTimeField(_("开始时间"), auto_now_add=True)
    seconds = models.FloatField(_("用时(秒)"), default=0)
    alerts = models.PositiveIntegerField(_("命中预警"), default=0)
    new = models.PositiveIntegerField(_("新增预警"), default=0)
    closed = models.PositiveIntegerField(_("自动关闭"), default=0)
    batches = models.JSONField(_("读取的批次"), default=dict)
    trigger = models.CharField(_("触发方式"), max_length=20, default="manual")
    run_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("监测扫描")
        verbose_name_plural = _("监测扫描")
        ordering = ["-started_at", "-id"]

    def __str__(self) -> str:
        return f"扫描 {self.region_code} {self.on}"


class Alert(models.Model):
    """A person (or a household through its head, or someone not yet registered) meeting an
    indicator's condition in a period. ``subject_hash`` is the blind index of the ID number, so
    that a person on a department list who is not in the registry can be alerted too."""

    SCOPE_FIELD = "region_code"

    subject_hash = models.CharField(_("身份证号索引"), max_length=64)
    subject_name = models.CharField(_("姓名"), max_length=50, blank=True)
    person = models.ForeignKey(
        "registry.Person", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    indicator_code = models.SlugField(_("指标代码"), max_length=40)
    indicator = models.ForeignKey(
        Indicator, verbose_name=_("指标版本"), on_delete=models.PROTECT, related_name="+"
    )
    period = models.CharField(_("期别"), max_length=20)
    group = models.CharField(_("监测分组"), max_length=16, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=AlertStatus.choices, default=AlertStatus.OPEN
    )
    severity = models.CharField(_("预警等级"), max_length=8, choices=Severity.choices)
    hardship_type = models.CharField(_("困难类型"), max_length=16, choices=HardshipType.choices)
    # [{"source", "batch", "period", "row", "date", "amount", ...}]: the rows that fired it.
    evidence = models.JSONField(_("依据数据"), default=list)
    summary = models.CharField(_("预警说明"), max_length=300, blank=True)
    first_scan = models.ForeignKey(Scan, on_delete=models.PROTECT, related_name="+")
    last_scan = models.ForeignKey(Scan, on_delete=models.PROTECT, related_name="+")
    raised_on = models.DateField(_("预警日期"))
    closed_on = models.DateField(_("关闭日期"), null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("监测预警")
        verbose_name_plural = _("监测预警")
        ordering = ["-raised_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["subject_hash", "indicator_code", "period"], name="alert_once_per_period"
            )
        ]
        indexes = [
            models.Index(fields=["region_code", "status"], name="alert_region_status_idx"),
            models.Index(fields=["indicator_code", "region_code"], name="alert_indicator_idx"),
            models.Index(fields=["status", "raised_on"], name="alert_status_idx"),
            models.Index(fields=["household"], name="alert_household_idx"),
            models.Index(fields=["severity", "region_code"], name="alert_severity_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.indicator_code} {self.period} #{self.pk}"


class SurveyDraw(models.Model):
    """A county's reproducible random draw of watched households per township (随机调查)."""

    SCOPE_FIELD = "county_code"

    county_code = models.CharField(_("县(市、区)"), max_length=12)
    seed = models.BigIntegerField(_("随机种子"))
    per_township = models.PositiveIntegerField(_("每乡镇抽取户数"))
    drawn_on = models.DateField(_("抽取日期"))
    households = models.JSONField(_("抽中家庭"), default=list)
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("随机调查抽样")
        verbose_name_plural = _("随机调查抽样")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["county_code", "drawn_on"], name="survey_county_idx")]

    def __str__(self) -> str:
        return f"随机调查 {self.county_code} {self.drawn_on}"


class HomeCheck(models.Model):
    """A visit to make: for an alert, a random survey, a contracted follow-up or a periodic
    check. Due in working days; the township sees its own, a village assistant their village's,
    a social organisation only those assigned to it."""

    SCOPE_FIELD = "region_code"

    kind = models.CharField(_("类型"), max_length=12, choices=CheckKind.choices)
    alert = models.OneToOneField(
        Alert, null=True, blank=True, on_delete=models.PROTECT, related_name="home_check"
    )
    survey = models.ForeignKey(
        SurveyDraw, null=True, blank=True, on_delete=models.PROTECT, related_name="checks"
    )
    household = models.ForeignKey(
        "registry.Household",
        verbose_name=_("家庭"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    region_code = models.CharField(_("所属村(居)"), max_length=12)
    township_code = models.CharField(_("乡镇(街道)"), max_length=12)
    created_on = models.DateField(_("派发日期"))
    due_on = models.DateField(_("应走访日期"))
    status = models.CharField(
        _("状态"), max_length=10, choices=CheckStatus.choices, default=CheckStatus.DUE
    )
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("承接社会组织"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    escalated_on = models.DateField(_("逾期上报县级日期"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("入户核查")
        verbose_name_plural = _("入户核查")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["region_code", "status", "due_on"], name="check_region_idx"),
            models.Index(fields=["township_code", "status"], name="check_township_idx"),
            models.Index(fields=["status", "due_on"], name="check_due_idx"),
            models.Index(fields=["assigned_to", "status"], name="check_assigned_idx"),
            models.Index(fields=["escalated_on", "status"], name="check_escalated_idx"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(kind="alert") | Q(alert__isnull=False), name="check_alert_has_alert"
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"


class Visit(models.Model):
    """What the visit found and the one outcome it came to."""

    SCOPE_FIELD = "home_check__region_code"

    home_check = models.OneToOneField(HomeCheck, on_delete=models.PROTECT, related_name="visit")
    visited_on = models.DateField(_("走访日期"))
    staff = models.JSONField(_("走访人员"), default=list)
    findings = models.TextField(_("核查情况"))
    outcome = models.CharField(_("核查结论"), max_length=16, choices=Outcome.choices)
    referral_department = models.CharField(_("转办部门"), max_length=40, blank=True)
    # What the outcome set going, by id in the app that owns it (determination's application or
    # termination; this app's coordination case or data flag).
    application_id = models.BigIntegerField(_("认定申请"), null=True, blank=True)
    termination_id = models.BigIntegerField(_("终止救助"), null=True, blank=True)
    working_days = models.PositiveSmallIntegerField(_("预警至走访工作日"), null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("走访记录")
        verbose_name_plural = _("走访记录")
        ordering = ["-visited_on", "-id"]
        indexes = [models.Index(fields=["outcome", "visited_on"], name="visit_outcome_idx")]

    def __str__(self) -> str:
        return f"走访 {self.visited_on} {self.outcome}"


class VisitPhoto(models.Model):
    visit = models.ForeignKey(Visit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("照片"), upload_to="monitoring/photos/%Y/%m/")
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return str(self.file.name)


class DataFlag(models.Model):
    """A batch row the visit found wrong, flagged back to the department that sent it."""

    SCOPE_FIELD = "region_code"

    visit = models.ForeignKey(Visit, on_delete=models.PROTECT, related_name="flags")
    region_code = models.CharField(max_length=12)
    source = models.CharField(_("数据源"), max_length=40)
    batch_id = models.BigIntegerField(_("批次"))
    row_number = models.PositiveIntegerField(_("行号"))
    reason = models.CharField(_("错误说明"), max_length=300)
    resolved = models.BooleanField(_("部门已更正"), default=False)
    created_at = models.DateTimeField(auto_now_add=True)
    # Who settled the flag, when and how (the department corrected the row, or found it right).
    resolved_on = models.DateField(_("处理日期"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    resolution = models.CharField(_("处理情况"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("数据纠错")
        verbose_name_plural = _("数据纠错")
        indexes = [
            models.Index(fields=["source", "batch_id"], name="flag_batch_idx"),
            models.Index(fields=["region_code", "resolved"], name="flag_region_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.source} #{self.batch_id} 第{self.row_number}行"


class CoordinationCase(models.Model):
    """A special case the county decides one by one (一事一议)."""

    SCOPE_FIELD = "region_code"

    visit = models.OneToOneField(Visit, on_delete=models.PROTECT, related_name="coordination")
    region_code = models.CharField(max_length=12)
    county_code = models.CharField(_("县(市、区)"), max_length=12)
    summary = models.TextField(_("情况"))
    decided = models.BooleanField(_("已议定"), default=False)
    decision = models.TextField(_("议定结果"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("一事一议")
        verbose_name_plural = _("一事一议")
        indexes = [models.Index(fields=["county_code", "decided"], name="coordination_county_idx")]

    def __str__(self) -> str:
        return f"一事一议 #{self.pk}"
