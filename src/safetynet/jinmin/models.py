from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ExchangeKind(models.TextChoices):
    EXPORT = "export", _("导出至金民工程")
    IMPORT = "import", _("导入金民工程名单比对")


class Exchange(models.Model):
    """One exchange: what was sent or compared, for which region, by whom, with the manifest's
    counts and checksum; an import keeps its differences (counts by kind, a masked sample, and
    the full report file under ``JINMIN_DIR``)."""

    SCOPE_FIELD = "region_code"

    kind = models.CharField(_("方向"), max_length=6, choices=ExchangeKind.choices)
    region_code = models.CharField(_("地区"), max_length=12)
    format_version = models.CharField(_("格式版本"), max_length=10)
    since = models.DateField(_("变动起始日期"), null=True, blank=True)
    counts = models.JSONField(_("记录数"), default=dict)
    manifest_sha256 = models.CharField(_("清单校验值"), max_length=64)
    differences = models.JSONField(_("差异数"), default=dict, blank=True)
    sample = models.JSONField(_("差异示例"), default=list, blank=True)
    report_path = models.CharField(_("差异报告"), max_length=500, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(max_length=10, default="web")
    started_at = models.DateTimeField(_("开始时间"))
    finished_at = models.DateTimeField(_("完成时间"))

    class Meta:
        verbose_name = _("金民工程数据交换")
        verbose_name_plural = _("金民工程数据交换")
        ordering = ["-started_at", "-id"]
        indexes = [
            models.Index(fields=["region_code", "kind", "started_at"], name="exchange_region_idx")
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.region_code} {self.started_at:%Y-%m-%d}"

    @property
    def persons(self) -> int:
        return int(self.counts.get("persons.csv", 0))

    @property
    def households(self) -> int:
        return int(self.counts.get("households.csv", 0))

    @property
    def difference_total(self) -> int:
        return sum(int(v) for v in self.differences.values())
