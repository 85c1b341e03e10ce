from __future__ import annotations

import secrets
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.regions.models import Level
from safetynet.registry import exports, identity, selectors, services
from safetynet.registry.forms import HouseholdFilterForm, HouseholdForm, MemberFormSet
from safetynet.registry.inputs import HouseholdInput


def _require(request: AuthenticatedRequest, capability: str) -> None:
    if not request.user.has_capability(capability):
        raise PermissionDenied("您没有执行此操作的权限")


# A whole ID number searched for on the list page never goes into the URL (hence the access log,
# the browser history, a Referer): the form posts, the number's blind index is kept in the session
# under a random token and the page redirects to ?qt=TOKEN. Names travel as ?q= as before.
ID_SEARCHES = "registry_id_searches"
ID_SEARCHES_KEPT = 20


def _id_search_token(request: AuthenticatedRequest, number: str) -> str:
    token = secrets.token_urlsafe(12)
    kept = dict(list(request.session.get(ID_SEARCHES, {}).items())[-(ID_SEARCHES_KEPT - 1) :])
    kept[token] = {"hash": identity.blind_index(number), "masked": identity.mask_id_number(number)}
    request.session[ID_SEARCHES] = kept
    return token


def _id_search(request: AuthenticatedRequest) -> dict[str, str] | None:
    token = request.GET.get("qt", "")
    if not token:
        return None
    # An unknown or expired token matches nobody rather than everybody.
    return request.session.get(ID_SEARCHES, {}).get(token) or {"hash": "-", "masked": ""}


def _filters(
    request: AuthenticatedRequest,
) -> tuple[HouseholdFilterForm, selectors.HouseholdFilters]:
    form = HouseholdFilterForm(request.GET or None)
    id_search = _id_search(request)
    if form.is_valid():
        data = form.cleaned_data
        return form, selectors.HouseholdFilters(
            q="" if id_search else data["q"],
            region_code=data["region"],
            category=data["category"],
            relapse_watch=data["relapse_watch"],
            id_hash=id_search["hash"] if id_search else "",
        )
    return form, selectors.HouseholdFilters()


def _search_redirect(request: AuthenticatedRequest) -> HttpResponse:
    """The posted filter form as the list's URL, a whole ID number replaced by a search token."""
    form = HouseholdFilterForm(request.POST)
    params: dict[str, str] = {}
    if form.is_valid():
        params = {key: str(value) for key, value in form.cleaned_data.items() if value}
        number = identity.full_id_number(params.get("q", ""))
        if number:
            del params["q"]
            params = {"qt": _id_search_token(request, number), **params}
    url = reverse("registry:list")
    return redirect(f"{url}?{urlencode(params)}" if params else url)


ID_IN_URL = "为保护个人信息，身份证号不能放在网址中：请在查询框中输入后点击“查询”"


def _id_in_url(request: AuthenticatedRequest) -> HttpResponse | None:
    """A whole ID number in ``?q=`` (a typed or bookmarked URL, never our form) is refused: not
    searched, not audited, not shown back; the list opens empty of it with a message."""
    if identity.full_id_number(request.GET.get("q", "")) is None:
        return None
    messages.warning(request, ID_IN_URL)
    return redirect(reverse("registry:list"))


def _number(request: AuthenticatedRequest, name: str) -> int | None:
    """A positive whole number from the query string (a page number or a household id), else
    None: a mangled link answers the first page, never an error."""
    value = request.GET.get(name, "")
    if not (value.isascii() and value.isdigit()) or len(value) > 18:
        return None
    return int(value) or None


def _without(request: AuthenticatedRequest, *names: str) -> str:
    """The query string without the pager's own parameters (the pager adds them back)."""
    params = request.GET.copy()
    for name in names:
        params.pop(name, None)
    return params.urlencode()


@login_required
def household_list(request: AuthenticatedRequest) -> HttpResponse:
    _require(request, Capability.VIEW_HOUSEHOLDS)
    if request.method == "POST":
        return _search_redirect(request)
    refused = _id_in_url(request)
    if refused is not None:
        return refused
    form, filters = _filters(request)
    id_search = _id_search(request)
    page = selectors.household_page(
        user=request.user,
        filters=filters,
        number=_number(request, "page") or 1,
        after=_number(request, "after"),
        before=_number(request, "before"),
    )
    if id_search and id_search["masked"]:
        services.id_number_searched(
            actor=request.user,
            id_number_hash=id_search["hash"],
            masked=id_search["masked"],
            found=page.count,
            client=client_of(request),
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
            "id_search": id_search,
            "query": request.GET.urlencode(),
            "pager_query": _without(request, "page", "after", "before"),
        },
    )


@login_required
@require_POST
def household_export(request: AuthenticatedRequest) -> HttpResponse:
    """The export button: the list's filters (its query string) become a background job; the
    job page shows progress and the download."""
    _require(request, Capability.EXPORT_HOUSEHOLDS)
    refused = _id_in_url(request)
    if refused is not None:
        return refused
    _, filters = _filters(request)
    job = exports.household_export_submit(
        user=request.user, filters=filters, client=client_of(request)
    )
    return redirect("jobs:status", pk=job.pk)


@login_required
def household_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    _require(request, Capability.VIEW_HOUSEHOLDS)
    detail = selectors.household_detail(user=request.user, pk=pk)
    services.household_viewed(
        actor=request.user, household=detail.household, client=client_of(request)
    )
    return render(request, "registry/household_detail.html", {"d": detail})


@login_required
@require_POST
def person_reveal(request: AuthenticatedRequest, pk: int) -> JsonResponse:
    person = selectors.person_get(user=request.user, pk=pk)
    try:
        number = services.person_reveal_id_number(
            actor=request.user, person=person, client=client_of(request)
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
                    actor=request.user, households=[household_input], client=client_of(request)
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
