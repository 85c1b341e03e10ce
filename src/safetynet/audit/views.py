from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit import selectors
from safetynet.audit.models import Action
from safetynet.audit.object_types import OBJECT_TYPES
from safetynet.audit.services import audit_flush
from safetynet.regions.models import Region


class AuditSearchForm(forms.Form):
    actor = forms.CharField(label="操作人账号", required=False)
    action = forms.ChoiceField(
        label="操作", required=False, choices=[("", "全部"), *Action.choices]
    )
    object_type = forms.ChoiceField(
        label="对象类型",
        required=False,
        choices=[("", "全部"), *OBJECT_TYPES.items()],
    )
    object_id = forms.CharField(label="对象编号", required=False)
    date_from = forms.DateField(
        label="起始日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    date_to = forms.DateField(
        label="截止日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )


@login_required
def search(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_AUDIT)
    form = AuditSearchForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    audit_flush()  # the reads of the last seconds too
    records = selectors.audit_search(user=request.user, **criteria).select_related("actor")
    page = Paginator(records, 50).get_page(request.GET.get("page"))
    # Region names for the page in one query: the trail shows names, not 12-digit codes.
    codes = {r.region_code for r in page if r.region_code}
    regions = dict(Region.objects.filter(code__in=codes).values_list("code", "name"))
    rows = [(record, regions.get(record.region_code, record.region_code)) for record in page]
    return render(request, "audit/search.html", {"form": form, "page": page, "rows": rows})
