"""Home-check pages: the queue (township, village, county's escalated, a social organisation's
own), one check with its visit form, the county's random survey draw and contracted assignment."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods, require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.models import User
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability, roles_with
from safetynet.monitoring.checks import selectors, services
from safetynet.monitoring.checks.forms import AssignForm, SurveyForm, VisitForm
from safetynet.monitoring.common import CheckKind, CheckStatus
from safetynet.regions.models import Level, Region

PAGE_SIZE = 50


def _organisations(user: User) -> QuerySet[User]:
    """The social organisations whose scope lies within the assigning user's scope."""
    if user.scope_region is None:
        return User.objects.none()
    return User.objects.filter(
        role__in=sorted(roles_with(Capability.RECORD_CONTRACTED_VISITS)),
        is_active=True,
        scope_region__code__startswith=user.scope_region.prefix,
    ).order_by("username")


@login_required
def check_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.CheckFilters.from_query(request.GET)
    checks = selectors.check_list(user=request.user, filters=filters)
    page = Paginator(checks, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "monitoring/check_list.html",
        {
            "page": page,
            "filters": filters,
            "kinds": CheckKind.choices,
            "statuses": CheckStatus.choices,
            "can_draw": allowed(request.user, Capability.ASSIGN_HOME_CHECKS),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def check_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    check = selectors.check_get(user=request.user, pk=pk)
    form = VisitForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        if not services.may_record(request.user, check):
            require(request.user, Capability.RECORD_HOME_CHECKS, check)
        if form.is_valid():
            data = form.cleaned_data
            photos = [(f.name or "photo", f.read()) for f in request.FILES.getlist("photos")]
            try:
                services.visit_record(
                    actor=request.user,
                    check=check,
                    data=services.VisitInput(
                        visited_on=data["visited_on"],
                        staff=form.staff_list(),
                        findings=data["findings"],
                        outcome=data["outcome"],
                        referral_department=data["referral_department"],
                        open_application=data["open_application"],
                        application_type=data["application_type"] or "dibao",
                        termination_reason=data["termination_reason"],
                        special_summary=data["special_summary"],
                        data_wrong_reason=data["data_wrong_reason"],
                        photos=photos,
                    ),
                )
            except services.CheckError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "走访记录已保存。")
                return redirect("monitoring:check_detail", pk=check.pk)
    assign = None
    if allowed(request.user, Capability.ASSIGN_HOME_CHECKS) and check.status == CheckStatus.DUE:
        assign = AssignForm(organisations=_organisations(request.user))
    return render(
        request,
        "monitoring/check_detail.html",
        {
            "check": check,
            "visit": getattr(check, "visit", None),
            "form": form,
            "assign": assign,
            "can_record": services.may_record(request.user, check)
            and check.status == CheckStatus.DUE,
        },
    )


@login_required
@require_POST
def check_assign(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    check = selectors.check_get(user=request.user, pk=pk)
    require(request.user, Capability.ASSIGN_HOME_CHECKS, check)
    form = AssignForm(request.POST, organisations=_organisations(request.user))
    if form.is_valid():
        try:
            services.check_assign(
                actor=request.user, check=check, organisation=form.cleaned_data["organisation"]
            )
        except services.CheckError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已委托社会组织走访。")
    else:
        messages.error(request, "请选择承接的社会组织。")
    return redirect("monitoring:check_detail", pk=check.pk)


@login_required
@require_http_methods(["GET", "POST"])
def survey(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.ASSIGN_HOME_CHECKS)
    region = request.user.scope_region
    county = None
    if region is not None and region.level == Level.COUNTY:
        county = region
    elif region is not None and region.code[:6] and region.level in (Level.TOWNSHIP, Level.VILLAGE):
        county = Region.objects.filter(code=region.code[:6].ljust(12, "0")).first()
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and county is not None:
        try:
            draw = services.survey_draw(
                actor=request.user,
                county=county,
                per_township=form.cleaned_data["per_township"],
                seed=form.cleaned_data["seed"],
                working_days=form.cleaned_data["working_days"],
            )
        except services.CheckError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, f"已抽取 {len(draw.households)} 户，生成随机调查走访任务。")
            return redirect(f"{_list_url()}?kind=survey")
    return render(request, "monitoring/survey.html", {"form": form, "county": county})


def _list_url() -> str:
    from django.urls import reverse

    return reverse("monitoring:check_list")
