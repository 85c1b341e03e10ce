"""Statistics over the API: the figures of a region and month, each with its values for the
regions one level below (what the dashboard and the map show)."""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
from typing import Any

from ninja import Router, Schema

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.api_errors import ErrorOut
from safetynet.reports import figures as registry
from safetynet.reports import selectors

router = Router(tags=["统计分析"])
ERRORS: dict[int, Any] = {401: ErrorOut, 403: ErrorOut, 404: ErrorOut}


class FigureOut(Schema):
    key: str
    label: str
    unit: str
    group: str
    value: float
    below: dict[str, float]
    # For the amounts paid: the counties of the region without an issued roll of the month.
    note: str = ""


class FiguresOut(Schema):
    region_code: str
    region_name: str
    level: str
    month: str
    category: str
    residence: str
    figures: list[FigureOut]


@router.get("/figures", response={200: FiguresOut, **ERRORS}, summary="统计指标")
def figures(
    request: AuthenticatedRequest,
    region: str = "",
    month: str = "",
    category: str = "",
    residence: str = "",
) -> Any:
    """The figures of a region (default: the caller's own) for a month (YYYY-MM, default this
    month), optionally for one category and residence; ``below``: each region one level down."""
    require(request.user, Capability.VIEW_STATISTICS)
    q = selectors.query_from(
        request.user,
        {"region": region, "month": month, "category": category, "residence": residence},
    )
    coverage = selectors.paid_coverage(q.region, q.month)
    return {
        "region_code": q.region.code,
        "region_name": selectors.display_name(q.region.code, q.region.name),
        "level": q.region.level,
        "month": f"{q.month:%Y-%m}",
        "category": q.category,
        "residence": q.residence,
        "figures": [
            {
                "key": figure.key,
                "label": figure.label,
                "unit": figure.unit,
                "group": figure.group,
                "value": float(figure.value(q)),
                "below": {code: float(v) for code, v in figure.by_region(q).items()},
                "note": coverage.note(q.region.code) if coverage and figure.paid else "",
            }
            for figure in registry.available()
        ],
    }
