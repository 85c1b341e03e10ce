"""The 批量评估 page: classify every household of a region on a date in one pass, show the
recorded × proposed cross table and the differing households, and export them. A thin shell
over ``policy.bulk``, which applies the capability and the region scope."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.jobs.views import export_started
from safetynet.policy import bulk

PAGE_SIZE = 50


class BulkForm(forms.Form):
    region = forms.CharField(label="区划", required=False, widget=forms.HiddenInput)
    on = forms.DateField(
        label="评估日期",
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"invalid": "评估日期无效，应为 YYYY-MM-DD"},
    )


def assessment_url(household_id: int) -> str:
    """The household's 评估 page, or its registry page where the policy part has none."""
    try:
        return reverse("policy:assessment", args=[household_id])
    except NoReverseMatch:
        return reverse("registry:detail", args=[household_id])


class _DifferencePages(Sequence[bulk.DifferenceRow]):
    """The differences as a sequence for the paginator: a page's slice fetches the names and
    villages of those households only, in one query."""

    def __init__(self, user: Any, result: bulk.BulkResult) -> None:
        self.user = user
        self.table = result.differences
        self.members = result.members

    def __len__(self) -> int:
        return self.table.num_rows

    def __getitem__(self, index: Any) -> Any:
        if isinstance(index, slice):
            start, stop, _ = index.indices(self.table.num_rows)
            return bulk.difference_rows(
                user=self.user,
                table=self.table.slice(start, max(stop - start, 0)),
                members=self.members,
            )
        return bulk.difference_rows(
            user=self.user, table=self.table.slice(index, 1), members=self.members
        )[0]


def _without_page(request: AuthenticatedRequest) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def _require(request: AuthenticatedRequest) -> None:
    if not request.user.has_capability(Capability.ASSESS_HOUSEHOLDS):
        raise PermissionDenied("您没有救助类别评估的权限")


def _parameters(request: AuthenticatedRequest) -> tuple[BulkForm, str, dt.date] | None:
    form = BulkForm(request.GET or None)
    if not request.GET or not form.is_valid():
        return None
    region = form.cleaned_data["region"] or request.user.scope_region_id or ""
    return form, region, form.cleaned_data["on"] or timezone.localdate()


@login_required
def bulk_classify_view(request: AuthenticatedRequest) -> HttpResponse:
    _require(request)
    parameters = _parameters(request)
    context: dict[str, Any] = {}
    if parameters is None:
        form = BulkForm(
            request.GET or None,
            initial={"region": request.user.scope_region_id, "on": timezone.localdate()},
        )
        context["form"] = form
        return render(request, "policy/bulk.html", context)
    form, region, on = parameters
    context["form"] = form
    try:
        result = bulk.classify_region(user=request.user, region_code=region, on=on)
    except bulk.BulkPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    except bulk.BulkError as exc:
        context["error"] = str(exc)
        return render(request, "policy/bulk.html", context)
    bulk.result_viewed(user=request.user, result=result, client=client_of(request))
    page = Paginator(_DifferencePages(request.user, result), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    crosstab = result.crosstab()
    context.update(
        {
            "result": result,
            "crosstab_rows": [
                (bulk.CATEGORY_LABELS[recorded], cells, total)
                for recorded, cells, total in crosstab.rows()
            ],
            "column_totals": crosstab.column_totals(),
            "headers": [bulk.CATEGORY_LABELS[c] for c in bulk.CATEGORY_ORDER],
            "page": page,
            "rows": [(row, assessment_url(row.household_id)) for row in page],
            "standards": sorted(result.standards.items()),
            "query": _without_page(request),
        }
    )
    return render(request, "policy/bulk.html", context)


@login_required
def bulk_export_view(request: AuthenticatedRequest) -> HttpResponse:
    """导出 Excel: checked as the page is (a region outside the scope is 404), then a job."""
    _require(request)
    parameters = _parameters(request)
    if parameters is None:
        return HttpResponse("请先选择区划和评估日期", status=400, content_type="text/plain")
    _, region, on = parameters
    if not request.user.has_capability(Capability.EXPORT_HOUSEHOLDS):
        raise PermissionDenied("您没有导出家庭清单的权限")
    try:
        found = bulk.classification_region(user=request.user, region_code=region)
    except bulk.BulkPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from exc
    params = {"region": region, "on": on.isoformat()}
    return export_started(request, bulk.bulk_export_write, params, region_code=found.code)
