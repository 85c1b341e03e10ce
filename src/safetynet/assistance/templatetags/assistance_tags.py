"""``{% household_timeline household %}``: the household page's one chain, added by this app
(the registry page knows nothing of assistance; it only loads this tag library)."""

from __future__ import annotations

from typing import Any

from django import template

from safetynet.assistance.selectors import household_timeline as timeline_for

register = template.Library()


@register.inclusion_tag("assistance/_timeline.html", takes_context=True)
def household_timeline(context: Any, household: Any) -> dict[str, Any]:
    user = context["request"].user
    return {
        "events": timeline_for(user=user, household=household),
        "household": household,
        "can": context.get("can", {}),
    }
