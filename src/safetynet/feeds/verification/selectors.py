"""Reads of issued verification reports. They hold households, so every query of them goes
through the region scope. (The department rows a report compares come from
``feeds.importing.selectors``.)"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.db.models import QuerySet

from safetynet.accounts.scope import access_scoped, scope_queryset
from safetynet.feeds.models import VerificationReport

if TYPE_CHECKING:
    from safetynet.accounts.models import User


def verification_report_list(*, user: User) -> QuerySet[VerificationReport]:
    return scope_queryset(
        VerificationReport.objects.select_related(
            "household__head", "person", "region", "created_by"
        ),
        user=user,
    ).order_by("-created_at", "-id")


def verification_report_get(*, user: User, pk: Any) -> VerificationReport:
    return access_scoped(
        VerificationReport.objects.select_related(
            "household__head", "person", "region", "created_by"
        ),
        user=user,
        pk=pk,
    )
