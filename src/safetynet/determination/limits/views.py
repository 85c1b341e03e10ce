"""The page of the time limits (办理时限): what is in force for a region on a date and where each
figure comes from, the versions of the region and the levels above it, and a new version.

Time limits are not personal data; a user looks only at regions in their scope and the levels
above it (like the local standards), and sets limits only where the service allows.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import PermissionDenied, require
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.core.dates import query_date, query_date_notice
from safetynet.determination.common import DeterminationError
from safetynet.determination.limits.forms import (
    TimeLimitsForm,
    initial_values,
    limit_display,
    limit_label,
)
from safetynet.determination.limits.selectors import (
    Limits,
    TimeLimitsMissing,
    limits_for_many,
    resolve,
    versions_in_force,
)
from safetynet.determination.limits.services import (
    limits_exported,
    settable,
    time_limits_create,
    time_limits_delete,
)
from safetynet.determination.models import TimeLimits
from safetynet.downloads import XLSX, download
from safetynet.policy.standards.selectors import (
    chain_codes,
    counties_in_scope,
    standards_default_region,
    standards_region_get,
)
from safetynet.regions.models import Level, Region
from safetynet.spreadsheets import Workbook


@dataclass(frozen=True)
class LimitRow:
    name: str
    label: str
    unit: str
    value: str
    version: TimeLimits  # the version the value comes from
    own: bool  # set by the region shown, not inherited


def _region(request: AuthenticatedRequest) -> Region | None:
    code = (request.POST.get("region") or request.GET.get("region") or "").strip()
    if code:
        # Outside the user's scope and the levels above it the region does not exist for them.
        return standards_region_get(user=request.user, region_code=code)
    return standards_default_region(user=request.user)


def _rows(region: Region, limits: Limits) -> list[LimitRow]:
    rows = []
    for name in TimeLimits.FIELDS:
        origin = limits.sources[name]
        label, unit = limit_label(name)
        rows.append(
            LimitRow(
                name=name,
                label=label,
                unit=unit,
                value=limit_display(name, getattr(limits, name)),
                version=origin,
                own=origin.region_id == region.code,
            )
        )
    return rows


def _parent_limits(region: Region, today: dt.date) -> Limits | None:
    """What a field left blank would inherit today (None for the province)."""
    chain = chain_codes(region.code)
    if region.level == Level.PROVINCE or len(chain) < 2:
        return None
    parent = chain[-2]
    try:
        return resolve(parent, today, versions_in_force(chain_codes(parent), today))
    except TimeLimitsMissing:
        return None


def _history(region: Region) -> list[TimeLimits]:
    return list(
        TimeLimits.objects.filter(region_id__in=chain_codes(region.code))
        .select_related("region", "created_by")
        # The region's own versions first, then the levels it inherits from.
        .order_by("-region_id", "-effective_from")
    )


@login_required
@require_http_methods(["GET", "POST"])
def limits_index(request: AuthenticatedRequest) -> HttpResponse:
    if request.method == "POST":
        require(request.user, Capability.CONFIGURE_TIME_LIMITS)
    region = _region(request)
    on, date_error = query_date_notice(
        request.GET.get("on"), default=timezone.localdate(), shown="今天执行的办理时限"
    )
    today = timezone.localdate()
    context: dict[str, Any] = {
        "region": region,
        "on": on,
        "today": today,
        "date_error": date_error,
        "scope_root": request.user.scope_region_id or "",
    }
    if region is None:
        return render(request, "determination/limits_index.html", context)

    can_add = settable(request.user, region)
    form: TimeLimitsForm | None = None
    general: list[str] = []
    if request.method == "POST":
        if not can_add:
            raise PermissionDenied("只能维护本级区划（省、市、县）的办理时限")
        form = TimeLimitsForm(request.POST, parent=_parent_limits(region, today))
        if form.is_valid():
            data = form.cleaned_data
            try:
                version = time_limits_create(
                    actor=request.user,
                    region=region,
                    effective_from=data["effective_from"],
                    values=form.values(),
                    source=data["source"],
                    note=data["note"],
                    client=client_of(request),
                )
            except DeterminationError as exc:
                if exc.field and exc.field in form.fields:
                    form.add_error(exc.field, exc.message)
                else:
                    general.append(exc.message)
            else:
                messages.success(
                    request,
                    f"已新增{region.name}自 {version.effective_from:%Y-%m-%d} 起执行的办理时限。",
                )
                query = f"?region={region.code}&on={version.effective_from:%Y-%m-%d}"
                return redirect(reverse("determination:limits") + query)
    elif can_add:
        own_today = versions_in_force([region.code], today).get(region.code)
        form = TimeLimitsForm(
            initial={"effective_from": today, **initial_values(own_today)},
            parent=_parent_limits(region, today),
        )

    versions = versions_in_force(chain_codes(region.code), on)
    try:
        limits = resolve(region.code, on, versions)
    except TimeLimitsMissing as exc:
        context["missing"] = str(exc)
    else:
        context["rows"] = _rows(region, limits)
    in_force_ids = {v.pk for v in versions.values()}
    context["history"] = [
        {
            "version": v,
            "in_force": v.pk in in_force_ids,
            "deletable": v.effective_from > today and settable(request.user, v.region),
            "values": [
                (limit_label(n)[0], limit_display(n, getattr(v, n)), limit_label(n)[1])
                for n in TimeLimits.FIELDS
                if getattr(v, n) is not None
            ],
        }
        for v in _history(region)
    ]
    context.update(form=form, general_errors=general, can_add=can_add)
    status = 400 if form is not None and request.method == "POST" else 200
    return render(request, "determination/limits_index.html", context, status=status)


@login_required
@require_POST
def limits_delete(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Withdraw a version not yet in force."""
    version = get_object_or_404(TimeLimits.objects.select_related("region"), pk=pk)
    # Outside the user's scope and the levels above it, the version does not exist for them.
    standards_region_get(user=request.user, region_code=version.region_id)
    try:
        time_limits_delete(actor=request.user, version=version, client=client_of(request))
    except DeterminationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(
            request,
            f"已删除{version.region.name}自 {version.effective_from:%Y-%m-%d} 起的办理时限版本。",
        )
    return redirect(reverse("determination:limits") + f"?region={version.region_id}")


@login_required
@require_GET
def limits_export(request: AuthenticatedRequest) -> HttpResponse:
    """The limits each county in the user's scope applies on a date, one row per county."""
    on, _ = query_date(request.GET.get("on"), default=timezone.localdate())
    counties = counties_in_scope(request.user)
    if not counties:
        raise Http404("您的管辖范围内没有县级区划。")
    labels = [limit_label(name) for name in TimeLimits.FIELDS]
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("办理时限")
    sheet.append([f"{on:%Y-%m-%d} 执行的办理时限（未填写的项继承市、省级版本）"])
    sheet.append(
        [
            "区划代码",
            "县(区)",
            *[f"{label}（{unit}）" if unit else label for label, unit in labels],
            "本县自定项",
            "依据",
        ]
    )
    try:
        resolved = limits_for_many(region_codes=[c.code for c in counties], on=on)
    except TimeLimitsMissing as exc:
        resolved = {}
        sheet.append(["", "", str(exc)])
    for county in counties:
        limits = resolved.get(county.code)
        if limits is None:
            continue
        own = [
            label
            for name, (label, _unit) in zip(TimeLimits.FIELDS, labels, strict=True)
            if limits.sources[name].region_id == county.code
        ]
        sources = sorted({v.source for v in limits.sources.values() if v.source})
        sheet.append(
            [
                county.code[:6],
                county.full_name or county.name,
                *[limit_display(name, getattr(limits, name)) for name in TimeLimits.FIELDS],
                "、".join(own) or "—",
                "；".join(sources),
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    limits_exported(actor=request.user, on=on, counties=len(counties), client=client_of(request))
    return download(buffer.getvalue(), f"time-limits-{on:%Y%m%d}.xlsx", XLSX)
