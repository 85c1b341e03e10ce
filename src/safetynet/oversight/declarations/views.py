from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import audit_record, client_of
from safetynet.oversight import selectors, services
from safetynet.oversight.common import OversightError
from safetynet.oversight.forms import VisitForm
from safetynet.oversight.models import DeclarationStatus


@login_required
def declaration_list(request: AuthenticatedRequest) -> HttpResponse:
    status = request.GET.get("status", "")
    if status not in DeclarationStatus.values:
        status = ""
    overdue = request.GET.get("overdue") == "1"
    rows = selectors.declaration_list(user=request.user, status=status, overdue=overdue)
    page = Paginator(rows, 50).get_page(request.GET.get("page"))
    return render(
        request,
        "oversight/declaration_list.html",
        {
            "page": page,
            "places": selectors.place_names(d.region_code for d in page),
            "statuses": DeclarationStatus.choices,
            "status": status,
            "overdue": overdue,
            "today": timezone.localdate(),
        },
    )


@login_required
def declaration_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    declaration = selectors.declaration_access(user=request.user, pk=pk)
    can_handle = allowed(request.user, Capability.HANDLE_OVERSIGHT)
    form = VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.declaration_visit(
                actor=request.user,
                declaration=declaration,
                visited_on=data["visited_on"],
                staff=data["staff"],
                finding=data["finding"],
                note=data["note"],
                application_type=data["application_type"],
                client=client_of(request),
            )
        except OversightError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, str(exc))
        else:
            messages.success(request, "已记录入户核实结果。")
            return redirect("oversight:declaration_detail", pk=declaration.pk)
    household = services.registry_household_of(declaration)
    if household is not None and not in_scope(household.region_id, user=request.user):
        household = None
    audit_record(
        actor=request.user,
        action=Action.VIEW,
        object_type="oversight_declaration",
        object_id=declaration.pk,
        region_code=declaration.region_code,
        summary=f"查看自主申报 {declaration.number}",
        client=client_of(request),
    )
    return render(
        request,
        "oversight/declaration_detail.html",
        {
            "d": declaration,
            "place": selectors.place_names([declaration.region_code]).get(declaration.region_code),
            "form": form if can_handle else None,
            "household": household,
            "transitions": selectors.transitions_of(declaration),
            "today": timezone.localdate(),
        },
    )
