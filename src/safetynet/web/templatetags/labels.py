"""Chinese names for stored codes, for templates that hold a bare code (``{% load labels %}``)."""

from __future__ import annotations

from django import template

from safetynet.audit.object_types import CHANNELS
from safetynet.registry.choices import Category

register = template.Library()


@register.filter
def category_label(code: str | None) -> str:
    """``near_dibao`` → 低保边缘家庭; empty → 无."""
    if not code:
        return "无"
    try:
        return str(Category(code).label)
    except ValueError:
        return str(code)


@register.filter
def channel_label(code: str | None) -> str:
    return CHANNELS.get(code or "", code or "")
