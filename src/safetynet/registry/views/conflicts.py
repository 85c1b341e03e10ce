"""The county's queue of refused registrations of persons registered outside the registrar's
scope (``IdConflict``): the registrar was told only to contact the county."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.registry import services


@login_required
def conflict_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.RESOLVE_ID_CONFLICTS)
    show_all = request.GET.get("all") == "1"
    conflicts = services.id_conflicts(actor=request.user, open_only=not show_all)
    page = Paginator(conflicts, 50).get_page(request.GET.get("page"))
    return render(request, "registry/id_conflicts.html", {"page": page, "show_all": show_all})


@login_required
@require_POST
def conflict_resolve(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Capability.RESOLVE_ID_CONFLICTS)
    try:
        services.id_conflict_resolve(
            actor=request.user,
            pk=pk,
            resolution=request.POST.get("resolution", ""),
            client=client_of(request),
        )
    except services.RegistryError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "已记录处理结果")
    return redirect("registry:conflicts")
