"""The one resolver of settings versioned by region (local standards, time limits).

A setting is a model with ``region`` (province, city or county), ``effective_from`` and nullable
fields. For a region on a date each field comes from the deepest level of its chain (county →
city → province) whose latest version in force on the date sets it; a township or village
resolves through its county, and the province's version must set every field. The callers word
their own "missing" messages and keep their own result types.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar

from django.db.models import Model

from safetynet.regions.models import SIGNIFICANT_DIGITS, Level

V = TypeVar("V", bound=Model)

# The levels that may set versioned settings, from the top; their code prefix lengths.
SETTING_LEVELS = (Level.PROVINCE, Level.CITY, Level.COUNTY)
_CHAIN_DIGITS = tuple(SIGNIFICANT_DIGITS[level] for level in SETTING_LEVELS)


class FieldUnset(Exception):
    """No version of the chain sets ``name`` (the province's lacks it)."""

    def __init__(self, name: str) -> None:
        super().__init__(name)
        self.name = name


def chain_codes(code: str) -> list[str]:
    """The 12-digit codes of the levels that set settings for a region, province first.

    Every county's parent is the city with the same first four digits (济源 sits under
    419000 省直辖县级行政区划), so the chain follows from the code alone: the padded 2-, 4- and
    6-digit prefixes, of which a city's or province's own code is the last.
    """
    codes: list[str] = []
    for digits in _CHAIN_DIGITS:
        candidate = code[:digits].ljust(12, "0")
        if candidate not in codes:
            codes.append(candidate)
    return codes


def versions_in_force(model: type[V], codes: Iterable[str], on: dt.date) -> dict[str, V]:
    """Each region's latest version in force on the date, keyed by region code (one query)."""
    latest: dict[str, V] = {}
    for version in (
        model._default_manager.filter(region_id__in=set(codes), effective_from__lte=on)
        .select_related("region")
        .order_by("region_id", "-effective_from")
    ):
        latest.setdefault(version.region_id, version)  # type: ignore[attr-defined]
    return latest


def is_set(value: Any) -> bool:
    return value is not None and value != ""


def resolve_fields(
    chain: Sequence[str],
    in_force: Mapping[str, V],
    fields: Iterable[str],
    *,
    set_test: Callable[[Any], bool] = is_set,
) -> dict[str, V]:
    """For each field the version it comes from: the deepest of ``chain`` (codes, province
    first) whose version in force sets it. No query; ``FieldUnset`` names a field none sets."""
    deepest_first = [in_force[code] for code in reversed(chain) if code in in_force]
    origins: dict[str, V] = {}
    for name in fields:
        origin = next((v for v in deepest_first if set_test(getattr(v, name))), None)
        if origin is None:
            raise FieldUnset(name)
        origins[name] = origin
    return origins
