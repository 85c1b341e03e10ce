"""REST endpoints for the administrative tree: a region with its parents and how many regions
of each level lie below it, and a region's children (for cascading pickers in other systems).

Regions are public reference data, not personal data: any signed-in caller may read any region.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Field, Router, Schema

from safetynet.api_errors import ErrorOut
from safetynet.regions import selectors
from safetynet.regions.models import Level, Region, UrbanRural

router = Router(tags=["行政区划"])

ERRORS: dict[int, Any] = {401: ErrorOut, 404: ErrorOut}


class RegionOut(Schema):
    code: str = Field(description="12 位统计用区划代码")
    name: str
    level: Level = Field(description="层级")
    level_display: str
    urban_rural: UrbanRural | None = Field(description="城乡分类（仅村(居)委会）")
    full_name: str = Field(description="全称，含上级名称")
    parent_code: str | None


def _region_out(region: Region) -> RegionOut:
    return RegionOut(
        code=region.code,
        name=region.name,
        level=Level(region.level),
        level_display=str(region.get_level_display()),
        urban_rural=UrbanRural(region.urban_rural) if region.urban_rural else None,
        full_name=region.full_name,
        parent_code=region.parent_id,
    )


class LevelCountOut(Schema):
    level: Level
    level_display: str
    count: int


class RegionDetailOut(RegionOut):
    parents: list[RegionOut] = Field(description="各级上级，从省开始")
    counts_below: list[LevelCountOut] = Field(description="下辖各层级区划数量，从上到下")


@router.get(
    "/{code}",
    response={200: RegionDetailOut, **ERRORS},
    summary="区划详情",
    description="区划代码可为 2、4、6、9 或 12 位（如 41、4101、410105）。",
)
def region_detail(request: HttpRequest, code: str) -> Any:
    region = selectors.region_get(code=code)
    labels = dict(Level.choices)
    counts = selectors.region_descendant_counts(region=region)
    return RegionDetailOut(
        **_region_out(region).model_dump(),
        parents=[_region_out(p) for p in selectors.region_ancestors(region=region)],
        counts_below=[
            LevelCountOut(level=Level(level), level_display=str(labels[level]), count=count)
            for level, count in counts.items()
        ],
    )


@router.get(
    "/{code}/children",
    response={200: list[RegionOut], **ERRORS},
    summary="下一级区划",
    description="直接下级，按代码排序。",
)
def region_children(request: HttpRequest, code: str) -> Any:
    region = selectors.region_get(code=code)
    return [_region_out(child) for child in selectors.region_children(code=region.code)]
