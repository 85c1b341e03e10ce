from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, JsonResponse

from safetynet.regions import selectors


@login_required
def children(request: HttpRequest) -> JsonResponse:
    """Children of a region for the cascading picker. Region names are public reference data."""
    parent = request.GET.get("parent", "")
    try:
        rows = selectors.region_children(code=parent)
    except ValueError:
        return JsonResponse({"error": "区划代码无效"}, status=400)
    return JsonResponse(
        {"children": [{"code": r.code, "name": r.name, "level": r.level} for r in rows]}
    )
