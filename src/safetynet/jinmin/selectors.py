"""Exchange reads: the record of exchanges of the user's scope, one by id (404 outside it)."""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.jinmin.models import Exchange


def exchange_list(*, user: User) -> QuerySet[Exchange]:
    """The exchanges of the user's region: seen by those who oversee them (``view_jinmin``);
    exporting and importing need ``exchange_jinmin`` (the services check it)."""
    require(user, Capability.VIEW_JINMIN)
    return scope_queryset(Exchange.objects.all(), user=user).select_related("actor")


def exchange_access(*, user: User, pk: Any) -> Exchange:
    require(user, Capability.VIEW_JINMIN)
    return access_scoped(Exchange.objects.all(), user=user, pk=pk)
