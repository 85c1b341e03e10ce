"""The watched population over the API: counts by township and group."""

# No `from __future__ import annotations`: ninja reads the parameter types at declaration.
from typing import Any

from ninja import Query, Router, Schema

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.api_errors import ErrorOut
from safetynet.monitoring.watched import selectors

router = Router(tags=["动态监测"])


class CountOut(Schema):
    township: str
    group: str
    label: str
    total: int


class WatchedFilterIn(Schema):
    group: str = ""
    region: str = ""


@router.get(
    "/watched",
    response={200: list[CountOut], 401: ErrorOut, 403: ErrorOut},
    summary="监测对象分组统计",
)
def watched_counts(request: AuthenticatedRequest, filters: Query[WatchedFilterIn]) -> Any:
    return selectors.watched_counts(
        user=request.user, filters=selectors.WatchedFilters(**filters.dict())
    )
