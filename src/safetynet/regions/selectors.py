"""Reads of the region tree."""

from __future__ import annotations

from django.db.models import Count, QuerySet
from django.http import Http404

from safetynet.regions.codes import normalise_code, prefix_bounds
from safetynet.regions.models import LEVEL_ORDER, Level, Region


def region_get(*, code: str) -> Region:
    try:
        return Region.objects.select_related("parent").get(code=normalise_code(code))
    except (Region.DoesNotExist, ValueError) as exc:
        raise Http404(f"区划代码不存在：{code}") from exc


def region_ancestors(*, region: Region) -> list[Region]:
    """Parents from the province down, excluding the region itself."""
    chain: list[Region] = []
    current = region.parent
    while current is not None:
        chain.append(current)
        current = current.parent
    return list(reversed(chain))


def region_descendant_counts(*, region: Region) -> dict[str, int]:
    """How many regions of each level lie below ``region``, ordered from the top level down."""
    lo, hi = prefix_bounds(region.prefix)
    rows = (
        Region.objects.filter(code__gte=lo, code__lte=hi)
        .exclude(code=region.code)
        .values("level")
        .annotate(n=Count("code"))
    )
    counts = {row["level"]: row["n"] for row in rows}
    return {level: counts[level] for level in LEVEL_ORDER if level in counts}


def region_children(*, code: str) -> QuerySet[Region]:
    return Region.objects.filter(parent_id=normalise_code(code)).order_by("code")


def region_subtree(*, region: Region) -> QuerySet[Region]:
    lo, hi = prefix_bounds(region.prefix)
    return Region.objects.filter(code__gte=lo, code__lte=hi)


def county_get(*, code: str) -> Region:
    """The county-level region for a code typed by a user, or ``ValueError`` saying why not.

    County level includes 济源 (419001, directly under the province) and development zones
    (xx71–xx73), which the published tree places at that level.
    """
    full = normalise_code(code)
    region = Region.objects.filter(code=full).first()
    if region is None:
        raise ValueError(f"区划代码不存在：{code}")
    if region.level != Level.COUNTY:
        raise ValueError(
            f"{region.full_name or region.name}（{region.code}）是{region.get_level_display()}，"
            "不是县级区划（县、县级市、市辖区、济源市或开发区）；请给出县级代码，如 410225"
        )
    return region
