"""Reads of data flags: through the one scope filter, and for an officer without
FEEDS_ALL_DEPARTMENTS only the flags of their own department's sources."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.feeds.common import sources_visible
from safetynet.monitoring.models import DataFlag


def _visible(user: Any) -> QuerySet[DataFlag]:
    require(user, Capability.VIEW_FEEDS)
    codes = [spec.code for spec in sources_visible(user=user)]
    flags = scope_queryset(DataFlag.objects.all(), user=user).filter(source__in=codes)
    return flags.select_related("visit", "resolved_by")


def flags_list(*, user: Any, status: str = "open", source: str = "") -> QuerySet[DataFlag]:
    flags = _visible(user)
    if status == "open":
        flags = flags.filter(resolved=False)
    elif status == "resolved":
        flags = flags.filter(resolved=True)
    if source:
        flags = flags.filter(source=source)
    return flags.order_by("resolved", "-created_at", "-id")


def flag_get(*, user: Any, pk: Any) -> DataFlag:
    return access_scoped(_visible(user), user=user, pk=pk)
