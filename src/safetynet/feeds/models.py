from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class SourceDefinition(models.Model):
    """A source an administrator added by describing its columns (the built-in sources are in
    ``safetynet.feeds.catalogue``). ``columns`` is a list of
    ``{"name", "label", "kind", "required", "aliases": [...], "choices": [...]}``.
    """

    code = models.SlugField(_("数据源代码"), max_length=40, unique=True)
    name = models.CharField(_("数据源名称"), max_length=100)
    department = models.CharField(_("提供部门"), max_length=40, blank=True)
    description = models.CharField(_("每行含义"), max_length=200, blank=True)
    columns = models.JSONField(_("字段"), default=list)
    keeps_name = models.BooleanField(_("保留姓名"), default=False)
    active = models.BooleanField(_("启用"), default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("自定义数据源")
        verbose_name_plural = _("自定义数据源")
        ordering = ["code"]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"


class BatchStatus(models.TextChoices):
    STORED = "stored", _("已入库")
    REJECTED = "rejected", _("未入库(有错误行)")


class FeedBatch(models.Model):
    """One file a department handed in for one source and period.

    Stored batches live under ``settings.FEEDS_DIR`` as ``<source>/<period>/<id>.parquet`` (the
    accepted rows; the ID number replaced by ``id_hash``, the registry's blind index) and
    ``<source>/<period>/<id>.quarantine.parquet`` (rejected rows with their reasons, kept for
    the record). A rejected batch keeps only its metadata and error report.
    """

    source = models.CharField(_("数据源"), max_length=40)
    period = models.CharField(_("数据期别(YYYY-MM)"), max_length=7)
    status = models.CharField(_("状态"), max_length=10, choices=BatchStatus.choices)
    file_name = models.CharField(_("文件名"), max_length=255)
    file_sha256 = models.CharField(_("文件SHA-256"), max_length=64)
    file_size = models.PositiveBigIntegerField(_("文件大小(字节)"), default=0)
    rows_total = models.PositiveIntegerField(_("数据行数"), default=0)
    rows_accepted = models.PositiveIntegerField(_("接收行数"), default=0)
    rows_rejected = models.PositiveIntegerField(_("拒收行数"), default=0)
    rows_duplicate = models.PositiveIntegerField(_("重复行数"), default=0)
    parquet_path = models.CharField(_("数据文件"), max_length=300, blank=True)
    quarantine_path = models.CharField(_("隔离文件"), max_length=300, blank=True)
    report_path = models.CharField(_("错误报告"), max_length=300, blank=True)
    channel = models.CharField(_("渠道"), max_length=10, default="web")
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("导入人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    imported_at = models.DateTimeField(_("导入时间"), auto_now_add=True)
    # The county whose batch this is (the importer's scope when the batch was imported, a county
    # or below); "" for a province-level batch. Its rows are read by that county (issue 12).
    region_code = models.CharField(_("所属县(区)"), max_length=12, blank=True, default="")
    duration_seconds = models.FloatField(_("用时(秒)"), default=0)

    class Meta:
        verbose_name = _("部门数据批次")
        verbose_name_plural = _("部门数据批次")
        ordering = ["-imported_at", "-id"]
        indexes = [
            models.Index(fields=["source", "period"], name="feedbatch_source_period_idx"),
            models.Index(fields=["status", "imported_at"], name="feedbatch_status_idx"),
        ]
        constraints = [
            # Same file, same source and period: stored once.
            models.UniqueConstraint(
                fields=["source", "period", "file_sha256"],
                condition=Q(status="stored"),
                name="feedbatch_stored_once",
            )
        ]

    def __str__(self) -> str:
        return f"{self.source} {self.period} #{self.pk}"


class VerificationPurpose(models.TextChoices):
    DETERMINATION = "determination", _("低收入人口认定(家庭经济状况核对)")
    LEGAL_AID = "legal_aid", _("法律援助经济困难核对")
    REVIEW = "review", _("复核、定期核查")


class VerificationReport(models.Model):
    """A household economic-status verification report (核对报告) as issued: who asked, on
    whose authorisation, which batches it drew on, and the SHA-256 of the PDF handed out.
    """

    SCOPE_FIELD = "region_id"

    number = models.CharField(_("报告编号"), max_length=30, unique=True)
    household = models.ForeignKey(
        "registry.Household", verbose_name=_("家庭"), on_delete=models.PROTECT, related_name="+"
    )
    # The applicant the report is about (legal aid is per person); null means the whole household.
    person = models.ForeignKey(
        "registry.Person",
        verbose_name=_("申请人"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Denormalised from the household for the scope filter.
    region = models.ForeignKey(
        "regions.Region", verbose_name=_("所属村(居)"), on_delete=models.PROTECT, related_name="+"
    )
    purpose = models.CharField(_("用途"), max_length=20, choices=VerificationPurpose.choices)
    authorisation_reference = models.CharField(_("核对授权书编号"), max_length=100)
    # {source: {"batch": id, "period": "YYYY-MM", "imported_at": iso}} for each source consulted.
    sources = models.JSONField(_("数据来源"), default=dict)
    differences = models.PositiveIntegerField(_("差异项数"), default=0)
    pdf_sha256 = models.CharField(_("报告文件SHA-256"), max_length=64, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("出具人"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    created_at = models.DateTimeField(_("出具时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("家庭经济状况核对报告")
        verbose_name_plural = _("家庭经济状况核对报告")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["region", "created_at"], name="verification_region_idx"),
            models.Index(fields=["household", "created_at"], name="verification_household_idx"),
        ]

    def __str__(self) -> str:
        return self.number
