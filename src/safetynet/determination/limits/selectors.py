"""The time limits in force for a region on a date (办理时限), resolved like the local standards.

For each field the one resolver of versioned settings (``policy.common``, as for the local
standards) walks county → city → province and takes the first non-empty value, looking at each
level only at its latest ``TimeLimits`` version in force on the date (a township or village
resolves through its county). The province's version carries every field; the
national figures are shipped as its version of 2021-07-01 by a data migration.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from safetynet.determination.models import TimeLimits
from safetynet.policy import common as versioned
from safetynet.policy.assessment.rules import GRADUAL_EXIT_MAX_MONTHS
from safetynet.policy.common import chain_codes


class TimeLimitsMissing(Exception):
    """No provincial time limits are in force on the date (or they lack a field)."""


@dataclass(frozen=True)
class Limits:
    """Every time limit for one region on one date (working days unless named otherwise)."""

    investigation_start_days: int = 3
    data_check_days: int = 3
    publicity_days: int = 7  # calendar days
    objection_reinvestigation_days: int = 15
    confirmation_dibao_days: int = 10
    confirmation_destitute_days: int = 15
    spot_check_share: Decimal = Decimal("0.300")
    procedure_days: int = 30
    procedure_extended_days: int = 45
    procedure_delegated_days: int = 20
    refusal_notice_days: int = 3
    transfer_days: int = 3
    self_care_reassessment_days: int = 10
    death_recheck_months: int = 3
    annual_review_months: int = 12
    periodic_check_months: int = 12
    periodic_check_unstable_months: int = 6
    termination_publicity_days: int = 7  # calendar days
    gradual_exit_max_months: int = GRADUAL_EXIT_MAX_MONTHS
    confirmation_delegated: bool = False
    # field → "region code effective date source" of the version it came from.
    provenance: dict[str, str] = field(default_factory=dict, compare=False)
    # The version each figure comes from (the screens show 本级 or 继承自…).
    sources: dict[str, Any] = field(default_factory=dict, compare=False, repr=False)


# The national figures (the defaults above), as shipped for the province.
NATIONAL = Limits()


def _is_set(value: Any) -> bool:
    return value is not None  # False and 0 are figures too


def versions_in_force(codes: Iterable[str], on: dt.date) -> dict[str, TimeLimits]:
    """Each region's latest version in force on the date, keyed by region code (one query)."""
    return versioned.versions_in_force(TimeLimits, codes, on)


def _provenance(version: TimeLimits) -> str:
    parts = (version.region_id[:6], f"{version.effective_from:%Y-%m-%d}", version.source)
    return " ".join(part for part in parts if part)


def resolve(code: str, on: dt.date, in_force: dict[str, TimeLimits]) -> Limits:
    """The limits for a 12-digit region code from the versions in force (no query), by the one
    resolver of versioned settings (``policy.common``)."""
    chain = chain_codes(code)
    province = chain[0]
    if province not in in_force:
        raise TimeLimitsMissing(
            f"{on:%Y-%m-%d} 没有生效的省级办理时限：请先录入 {province[:6]} 自该日或更早生效的版本"
        )
    try:
        sources = versioned.resolve_fields(chain, in_force, TimeLimits.FIELDS, set_test=_is_set)
    except versioned.FieldUnset as exc:
        raise TimeLimitsMissing(f"省级办理时限缺少“{exc.name}”") from exc
    return Limits(
        **{name: getattr(version, name) for name, version in sources.items()},
        provenance={name: _provenance(version) for name, version in sources.items()},
        sources=dict(sources),
    )


def limits_for(*, region_code: str, on: dt.date) -> Limits:
    """The time limits in force for a region (any level, 12-digit code) on a date."""
    return resolve(region_code, on, versions_in_force(chain_codes(region_code), on))


def limits_for_many(*, region_codes: Iterable[str], on: dt.date) -> dict[str, Limits]:
    """Limits for many regions in one query, keyed by the given codes."""
    codes = set(region_codes)
    chain = {c for code in codes for c in chain_codes(code)}
    versions = versions_in_force(chain, on)
    return {code: resolve(code, on, versions) for code in codes}
