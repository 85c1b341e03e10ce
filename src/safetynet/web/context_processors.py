from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from safetynet.accounts.roles import Capability
from safetynet.web.menu import breadcrumbs, menu_for


def navigation(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"can": {}, "menu": [], "breadcrumbs": []}
    sections = menu_for(user, request.path)
    return {
        "can": {cap: user.has_capability(cap) for cap in Capability.values},
        "menu": sections,
        "breadcrumbs": breadcrumbs(sections),
    }
