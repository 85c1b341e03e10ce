"""Shared pieces of oversight: case numbers, the county's settings (resolved like the local
standards through ``policy.common``), the public pages' rate limit, and errors."""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from safetynet.oversight.models import OversightSettings, PublicAttempt
from safetynet.policy.common import FieldUnset, chain_codes, resolve_fields, versions_in_force

# Unambiguous characters (no 0/O, 1/I/L): a case number read out on the telephone.
_ALPHABET = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"
DECLARATION_PREFIX = "SB"
TIPOFF_PREFIX = "JB"


class OversightError(Exception):
    """A refused action, with a Chinese reason and the form field it concerns."""

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def case_number(prefix: str, on: dt.date) -> str:
    """``SB20261207-7K3QX9MP``: the date and 8 random characters (31⁸ ≈ 8.5×10¹¹), so that a
    number cannot be guessed to follow up somebody else's tip-off."""
    tail = "".join(secrets.choice(_ALPHABET) for _ in range(8))
    return f"{prefix}{on:%Y%m%d}-{tail}"


def normalise_number(text: str) -> str:
    return text.strip().upper().replace(" ", "")


# --- the county's settings ----------------------------------------------------------------------


@dataclass(frozen=True)
class Settings:
    tipoff_phone: str
    declaration_visit_days: int
    tipoff_days: int
    is_example: bool


FIELDS = ("tipoff_phone", "declaration_visit_days", "tipoff_days")
# Used when no version is stored at all (a fresh database before the data migration).
FALLBACK = Settings(
    tipoff_phone="12345", declaration_visit_days=10, tipoff_days=15, is_example=True
)


def settings_for(code: str, on: dt.date | None = None) -> Settings:
    """The settings for a region (any level) on a date: each field from the deepest of county,
    city and province that sets it."""
    on = on or timezone.localdate()
    chain = chain_codes(code)
    in_force = versions_in_force(OversightSettings, chain, on)
    try:
        origins = resolve_fields(chain, in_force, FIELDS)
    except FieldUnset:
        return FALLBACK
    return Settings(
        tipoff_phone=origins["tipoff_phone"].tipoff_phone,
        declaration_visit_days=int(origins["declaration_visit_days"].declaration_visit_days or 0),
        tipoff_days=int(origins["tipoff_days"].tipoff_days or 0),
        # The 示例 mark the pages print beside the telephone: where the number comes from.
        is_example=origins["tipoff_phone"].is_example,
    )


# --- the public pages' rate limit ---------------------------------------------------------------


def address_hash(address: str) -> str:
    """A keyed hash of the caller's address: enough to count, nothing to read back."""
    key = (settings.BLIND_INDEX_KEY or settings.SECRET_KEY).encode()
    return hmac.new(key, f"public:{address}".encode(), hashlib.sha256).hexdigest()


def rate_limited(
    *, page: str, address: str, now: dt.datetime | None = None, limit: int | None = None
) -> bool:
    """Whether ``address`` already made ``OVERSIGHT_PUBLIC_LIMIT`` submissions (or ``limit``
    requests) of ``page`` in the last hour. Counted in the database, so that every web process
    shares the count."""
    now = now or timezone.now()
    recent = PublicAttempt.objects.filter(
        page=page, address_hash=address_hash(address), at__gte=now - timedelta(hours=1)
    ).count()
    return recent >= (limit if limit is not None else settings.OVERSIGHT_PUBLIC_LIMIT_PER_HOUR)


def attempt_record(*, page: str, address: str, now: dt.datetime | None = None) -> None:
    now = now or timezone.now()
    PublicAttempt.objects.create(page=page, address_hash=address_hash(address), at=now)
    # Keep the table small: a day's attempts are all the limit ever reads.
    PublicAttempt.objects.filter(at__lt=now - timedelta(days=1)).delete()
