from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.changes import selectors, services
from safetynet.changes.forms import ChangeFilterForm, ChangeReportForm
from safetynet.changes.models import HARDSHIP_KINDS, INCOME_KINDS, NEW_MEMBER_KINDS, ChangeKind
from safetynet.registry import selectors as registry_selectors
from safetynet.registry.models import Membership

# Which part of the form each kind needs (the page hides the rest).
FORM_PARTS: dict[str, list[str]] = {
    "person": [k for k in ChangeKind.values if k not in NEW_MEMBER_KINDS],
    "new_head": [ChangeKind.DEATH, ChangeKind.MEMBER_OUT],
    "new_member": sorted(NEW_MEMBER_KINDS),
    "income": sorted(INCOME_KINDS),
    "disability": [ChangeKind.DISABILITY],
    "illness": [ChangeKind.SERIOUS_ILLNESS],
    "school": [ChangeKind.SCHOOL_ENTRY],
}


@login_required
def change_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_HOUSEHOLDS)
    form = ChangeFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    reports = selectors.change_list(user=request.user, **criteria)
    page = Paginator(reports, 50).get_page(request.GET.get("page"))
    return render(request, "changes/change_list.html", {"form": form, "page": page})


@login_required
def change_new(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    require(request.user, Capability.EDIT_HOUSEHOLDS)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    members = [
        m.person
        for m in Membership.objects.filter(household=household, left_on__isnull=True)
        .select_related("person")
        .order_by("person__birth_date", "person_id")
    ]
    form = ChangeReportForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        try:
            report = services.change_report(
                actor=request.user,
                household=household,
                kind=form.cleaned_data["kind"],
                occurred_on=form.cleaned_data["occurred_on"],
                note=form.cleaned_data["note"],
                facts=form.facts(),
                request=request,
            )
        except services.ChangeError as exc:
            target = exc.field if exc.field in form.fields else None
            if exc.field == "new_member":
                target = "new_id_number"
            form.add_error(target, str(exc))
        else:
            queued = "，已列入乡镇(街道)核查" if report.check_review_id else ""
            messages.success(request, f"已登记：{report.get_kind_display()}{queued}。")
            return redirect("registry:detail", pk=household.pk)
    return render(
        request,
        "changes/change_form.html",
        {
            "household": household,
            "form": form,
            "parts": {name: " ".join(kinds) for name, kinds in FORM_PARTS.items()},
            "hardship": [ChangeKind(k).label for k in ChangeKind.values if k in HARDSHIP_KINDS],
            "today": timezone.localdate(),
        },
    )
