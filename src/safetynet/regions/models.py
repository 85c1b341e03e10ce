from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Level(models.TextChoices):
    PROVINCE = "province", _("省")
    CITY = "city", _("市")
    COUNTY = "county", _("县(区)")
    TOWNSHIP = "township", _("乡镇(街道)")
    VILLAGE = "village", _("村(居)委会")


class UrbanRural(models.TextChoices):
    URBAN = "urban", _("城市")
    RURAL = "rural", _("农村")


# How many leading digits of the 12-digit code identify a region of each level; the rest are
# zeros. A region's subtree is every code that starts with its significant digits.
SIGNIFICANT_DIGITS: dict[str, int] = {
    Level.PROVINCE: 2,
    Level.CITY: 4,
    Level.COUNTY: 6,
    Level.TOWNSHIP: 9,
    Level.VILLAGE: 12,
}

LEVEL_ORDER: list[str] = [
    Level.PROVINCE,
    Level.CITY,
    Level.COUNTY,
    Level.TOWNSHIP,
    Level.VILLAGE,
]


class Region(models.Model):
    code = models.CharField(_("区划代码"), max_length=12, primary_key=True)
    name = models.CharField(_("名称"), max_length=100)
    level = models.CharField(_("层级"), max_length=10, choices=Level.choices)
    parent = models.ForeignKey(
        "self",
        verbose_name=_("上级"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        db_column="parent_code",
    )
    # Empty above village level: only villages/communities are classed urban or rural.
    urban_rural = models.CharField(
        _("城乡分类"), max_length=5, choices=UrbanRural.choices, blank=True
    )
    urban_rural_overridden = models.BooleanField(
        _("城乡分类已人工调整"),
        default=False,
        help_text=_("人工调整后，重新加载区划数据不会覆盖该分类。"),
    )
    full_name = models.CharField(_("全称"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("行政区划")
        verbose_name_plural = _("行政区划")
        ordering = ["code"]
        indexes = [models.Index(fields=["parent", "code"], name="region_parent_code_idx")]

    def __str__(self) -> str:
        return f"{self.name}（{self.code}）"

    @property
    def prefix(self) -> str:
        return self.code[: SIGNIFICANT_DIGITS[self.level]]
