"""Reading indicators: the version in force for a region and date, resolved like the standards
(the deepest of province → city → county with a version in force wins, per indicator code)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from safetynet.monitoring.models import Indicator
from safetynet.policy.standards.selectors import chain_codes


def _versions_in_force(codes: Iterable[str], on: dt.date) -> dict[tuple[str, str], Indicator]:
    """(indicator code, region code) → the latest version in force on ``on``."""
    found: dict[tuple[str, str], Indicator] = {}
    rows = Indicator.objects.filter(region_id__in=set(codes), effective_from__lte=on).order_by(
        "code", "region_id", "-effective_from", "-id"
    )
    for version in rows:
        found.setdefault((version.code, version.region_id), version)
    return found


def indicators_for_region(*, region_code: str, on: dt.date) -> dict[str, Indicator]:
    """Every indicator in force for a county (or any region below it), by code; the county's
    override beats the city's, which beats the province's. Inactive ones are included (a county
    may switch one off) — callers filter on ``active``. One query."""
    chain = chain_codes(region_code.ljust(12, "0"))
    in_force = _versions_in_force(chain, on)
    resolved: dict[str, Indicator] = {}
    for code in sorted({code for code, _ in in_force}):
        for region in reversed(chain):
            version = in_force.get((code, region))
            if version is not None:
                resolved[code] = version
                break
    return resolved


def indicators_for_counties(
    *, county_codes: Iterable[str], on: dt.date
) -> dict[str, dict[str, Indicator]]:
    """``indicators_for_region`` for many counties in one query."""
    counties = sorted(set(county_codes))
    chains = {county: chain_codes(county.ljust(12, "0")) for county in counties}
    in_force = _versions_in_force({c for chain in chains.values() for c in chain}, on)
    codes = sorted({code for code, _ in in_force})
    result: dict[str, dict[str, Indicator]] = {}
    for county, chain in chains.items():
        resolved: dict[str, Indicator] = {}
        for code in codes:
            for region in reversed(chain):
                version = in_force.get((code, region))
                if version is not None:
                    resolved[code] = version
                    break
        result[county] = resolved
    return result


def indicator_history(*, code: str) -> list[Indicator]:
    return list(Indicator.objects.filter(code=code).select_related("region"))
