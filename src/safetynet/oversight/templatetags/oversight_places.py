"""``{{ places|place:code }}``: a village's name from the dict a list view read in one query."""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


@register.filter
def place(places: dict[str, str], code: Any) -> str:
    return places.get(str(code), str(code))
