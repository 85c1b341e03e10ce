"""The vendored map data of Henan (static/vendor/echarts-maps/henan, scripts/vendor.sh): which
file draws a region's children and the map name it registers with ECharts. URLs go through the
static storage, so they carry the hashed names in production (WhiteNoise manifest)."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from django.contrib.staticfiles import finders
from django.templatetags.static import static

FOLDER = "vendor/echarts-maps/henan"


@cache
def names() -> dict[str, str]:
    """Map file (6-digit code) → the name the file registers (``郑州``)."""
    found = finders.find(f"{FOLDER}/manifest.json")
    if not found:
        return {}
    path = Path(found if isinstance(found, str) else found[0])
    data: dict[str, str] = json.loads(path.read_text(encoding="utf-8"))
    return data


def map_for(file: str) -> dict[str, str] | None:
    """The URL and registered name of one map file, or None if none is shipped."""
    name = names().get(file)
    if not file or name is None:
        return None
    return {"url": static(f"{FOLDER}/{file}.js"), "name": name}
