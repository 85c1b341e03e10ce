from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.regions.models import Level
from safetynet.registry import exports, selectors, services
from safetynet.registry.forms import HouseholdFilterForm, HouseholdForm, MemberFormSet
from safetynet.registry.inputs import HouseholdInput


def _require(request: AuthenticatedRequest, capability: str) -> None:
    if not request.user.has_capability(capability):
        raise PermissionDenied("您没有执行此操作的权限")


def _filters(
    request: AuthenticatedRequest,
) -> tuple[HouseholdFilterForm, selectors.HouseholdFilters]:
    form = HouseholdFilterForm(request.GET or None)
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.HouseholdFilters(
            q=data["q"],
            region_code=data["region"],
            category=data["category"],
            relapse_watch=data["relapse_watch"],
        )
    return form, selectors.HouseholdFilters()


@login_required
def household_list(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Capability.VIEW_HOUSEHOLDS)
    form, filters = _filters(request)
    households = selectors.household_list(user=request.user, filters=filters)
    page = Paginator(households, 50).get_page(request.GET.get("page"))
    searched = selectors.full_id_number(filters.q)
    if searched:
        services.id_number_searched(
            actor=request.user, id_number=searched, found=page.paginator.count, request=request
        )
    members = selectors.member_categories(page, on=timezone.localdate())
    rows = [(household, members.get(household.pk, [])) for household in page]
    return render(
        request,
        "registry/household_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "filters": filters,
            "query": request.GET.urlencode(),
        },
    )


@login_required
def household_export(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Capability.EXPORT_HOUSEHOLDS)
    _, filters = _filters(request)
    return exports.household_list_xlsx_response(user=request.user, filters=filters, request=request)


@login_required
def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require(request, Capability.VIEW_HOUSEHOLDS)
    detail = selectors.household_detail(user=request.user, pk=pk)
    services.household_viewed(actor=request.user, household=detail.household, request=request)
    return render(request, "registry/household_detail.html", {"d": detail})


@login_required
@require_POST
def person_reveal(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    try:
        number = services.person_reveal_id_number(
            actor=request.user, person=person, request=request
        )
    except services.PermissionDenied as exc:
        return JsonResponse({"error": str(exc)}, status=403)
    return JsonResponse({"id_number": number})


def problems_to_forms(
    problems: list[services.Problem], household_form: HouseholdForm, member_forms: list
) -> list[str]:
    """Attach service-level problems to the form fields they concern; return the rest."""
    general = []
    for problem in problems:
        if problem.member is not None and problem.member < len(member_forms):
            form = member_forms[problem.member]
            field = problem.field if problem.field in form.fields else None
            form.add_error(field, problem.reason)
        elif problem.field == "region_code":
            household_form.add_error("region", problem.reason)
        elif problem.field in household_form.fields:
            household_form.add_error(problem.field, problem.reason)
        else:
            general.append(problem.reason)
    return general


def own_village(user: object) -> str:
    """The village code of a user scoped to one village (the village assistant): the only place
    it may register a household, so the form pre-selects it instead of offering a picker with
    nothing below the village."""
    region = getattr(user, "scope_region", None)
    return region.code if region is not None and region.level == Level.VILLAGE else ""


@login_required
def household_create(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Capability.EDIT_HOUSEHOLDS)
    general: list[str] = []
    village = own_village(request.user)
    if request.method == "POST":
        posted = request.POST.copy()
        if village and not posted.get("region"):
            posted["region"] = village
        form = HouseholdForm(posted)
        members = MemberFormSet(request.POST, prefix="m")
        if form.is_valid() and members.is_valid():
            data = form.cleaned_data
            household_input = HouseholdInput(
                region_code=data["region"],
                residence=data["residence"],
                address=data["address"],
                phone=data["phone"],
                members=[m.to_input() for m in members.forms],
            )
            try:
                result = services.households_create(
                    actor=request.user, households=[household_input], request=request
                )
            except services.HouseholdValidationError as exc:
                general = problems_to_forms(exc.problems, form, members.forms)
            else:
                messages.success(request, "家庭已建档。")
                return redirect("registry:detail", pk=result.households[0].pk)
    else:
        form = HouseholdForm(initial={"region": village} if village else None)
        members = MemberFormSet(prefix="m", initial=[{"relation": "02"}])
    return render(
        request,
        "registry/household_form.html",
        {"form": form, "members": members, "general_errors": general, "village": village},
    )
