"""Writes to the region tree: loading the published division codes and manual class overrides."""

from __future__ import annotations

import csv
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import transaction

from safetynet.regions.models import Level, Region, UrbanRural


@dataclass(frozen=True)
class LoadResult:
    created: int
    updated: int


def default_regions_file() -> Path:
    return Path(settings.DATA_DIR) / "regions" / "henan.csv"


def _read_rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    valid_levels = set(Level.values)
    for number, row in enumerate(rows, start=2):
        if len(row["code"]) != 12 or not row["code"].isdigit():
            raise ValueError(f"{path}:{number}: bad code {row['code']!r}")
        if row["level"] not in valid_levels:
            raise ValueError(f"{path}:{number}: bad level {row['level']!r}")
    rows.sort(key=lambda row: row["code"])
    return rows


def regions_load(*, path: Path | None = None, model: Any = Region) -> LoadResult:
    """Create or refresh the tree from the CSV extract; manual urban/rural overrides survive.

    ``model`` lets the data migration pass its historical model.
    """
    rows = _read_rows(path or default_regions_file())
    names = {row["code"]: row["name"] for row in rows}
    parents = {row["code"]: row["parent_code"] for row in rows}

    def full_name(code: str) -> str:
        parts = []
        current: str | None = code
        while current:
            parts.append(names[current])
            current = parents[current] or None
        return "".join(reversed(parts))

    existing = {region.code: region for region in model.objects.all()}
    to_create = []
    to_update = []
    for row in rows:
        code = row["code"]
        fields = {
            "name": row["name"],
            "level": row["level"],
            "parent_id": row["parent_code"] or None,
            "full_name": full_name(code),
        }
        region = existing.get(code)
        if region is None:
            to_create.append(model(code=code, urban_rural=row["urban_rural"], **fields))
            continue
        changed = False
        for field, value in fields.items():
            if getattr(region, field) != value:
                setattr(region, field, value)
                changed = True
        if not region.urban_rural_overridden and region.urban_rural != row["urban_rural"]:
            region.urban_rural = row["urban_rural"]
            changed = True
        if changed:
            to_update.append(region)
    with transaction.atomic():
        model.objects.bulk_create(to_create, batch_size=2000)
        model.objects.bulk_update(
            to_update,
            ["name", "level", "parent_id", "full_name", "urban_rural"],
            batch_size=2000,
        )
    return LoadResult(created=len(to_create), updated=len(to_update))


def region_set_urban_rural(*, region: Region, urban_rural: str) -> Region:
    """Override the name-derived class of a village (a 村委会 inside a built-up area, say)."""
    if region.level != Level.VILLAGE:
        raise ValueError("只有村(居)委会可以设置城乡分类")
    if urban_rural not in UrbanRural.values:
        raise ValueError(f"城乡分类无效：{urban_rural!r}")
    region.urban_rural = urban_rural
    region.urban_rural_overridden = True
    region.save(update_fields=["urban_rural", "urban_rural_overridden"])
    return region
