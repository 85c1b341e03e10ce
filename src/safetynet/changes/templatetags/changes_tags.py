"""``{% household_pending household %}``: the household page's panel of what awaits it (checks
queued, terminations under way, categories ending) and its latest reported changes."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from safetynet.changes.selectors import household_pending as pending_for

register = template.Library()


@register.inclusion_tag("changes/_household_pending.html")
def household_pending(household: Any) -> dict[str, Any]:
    today = timezone.localdate()
    return {"pending": pending_for(household=household, today=today), "today": today}
