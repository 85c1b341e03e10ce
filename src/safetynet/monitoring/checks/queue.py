"""The periodic checks (定期核查, 二(二)) of near-dibao and expenditure-hardship households in
determination's one queue of reviews and checks (``determination.after.queue``), registered by
``MonitoringConfig.ready``: a township sees them beside the dibao reviews, soonest first, and
records the visit on the home check's page."""

from __future__ import annotations

import datetime as dt

from django.http import Http404
from django.urls import reverse

from safetynet.accounts.models import User
from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.determination.after.queue import QueueCheck
from safetynet.determination.models import ReviewKind
from safetynet.monitoring.common import CheckKind, CheckStatus
from safetynet.monitoring.models import HomeCheck
from safetynet.regions.codes import normalise_code, prefix_bounds
from safetynet.regions.models import SIGNIFICANT_DIGITS, Region

KIND = "定期核查（动态监测）"


def periodic_checks_due(*, user: User, until: dt.date, region_code: str | None) -> list[QueueCheck]:
    """The open periodic checks in the user's scope due by ``until`` (none without the
    capability to see home checks)."""
    if not allowed(user, Capability.VIEW_MONITORING):
        return []
    checks = scope_queryset(
        HomeCheck.objects.filter(
            kind=CheckKind.PERIODIC, status=CheckStatus.DUE, due_on__lte=until
        ).select_related("household__head"),
        user=user,
    )
    if region_code:
        try:
            code = normalise_code(region_code)
        except ValueError as exc:
            raise Http404(str(exc)) from exc
        region = Region.objects.filter(code=code).first()
        if region is None:
            raise Http404(f"区划代码不存在：{region_code}")
        lo, hi = prefix_bounds(code[: SIGNIFICANT_DIGITS[region.level]])
        checks = checks.filter(region_code__gte=lo, region_code__lte=hi)
    rows = list(checks.order_by("due_on", "id"))
    villages = dict(
        Region.objects.filter(code__in={c.region_code for c in rows}).values_list("code", "name")
    )
    may_record = allowed(user, Capability.RECORD_HOME_CHECKS)
    return [
        QueueCheck(
            kind=KIND,
            review_kind=ReviewKind.PERIODIC_CHECK,
            household_id=check.household_id,
            head_name=(
                check.household.head.name if check.household and check.household.head else ""
            ),
            person="",
            village=villages.get(check.region_code, ""),
            region_code=check.region_code,
            category=check.household.category if check.household else "",
            due_on=check.due_on,
            url=reverse("monitoring:check_detail", args=[check.pk]) if may_record else "",
            action="登记走访",
        )
        for check in rows
    ]
