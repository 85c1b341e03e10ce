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


# The shipped map data is of 2017; counties renamed since keep their old feature ids there
# (偃师市→偃师区, 孟津县→孟津区 which took in 吉利区, 长垣县→长垣市, 许昌县→建安区, 淮阳县→淮阳区).
# Development zones (codes x71–x73) have no boundary of their own and are not on the map.
RENAMED: dict[str, tuple[str, ...]] = {
    "410307": ("410381",),
    "410308": ("410322", "410306"),
    "410783": ("410728",),
    "411003": ("411023",),
    "411603": ("411626",),
}


def feature_ids(map_id: str) -> list[str]:
    """The feature ids of the map data that show the region of ``map_id`` (6 digits)."""
    return [map_id, *RENAMED.get(map_id, ())]
