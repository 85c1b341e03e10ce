"""Referral pages: the list (proposals to confirm, a department's inbox, the county's overdue
queue), one referral with its actions, a household's referrals and records, the department's
report of help given without a referral, and the feedback file import."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import allowed, require
from safetynet.accounts.roles import Capability, Department
from safetynet.assistance import catalogue
from safetynet.assistance.forms import AnswerForm, FeedbackImportForm, ProposeForm, ReportForm
from safetynet.assistance.models import ReferralStatus
from safetynet.assistance.referrals import imports, selectors, services
from safetynet.feeds.catalogue import FeedImportError
from safetynet.registry import selectors as registry_selectors


@login_required
def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    filters = selectors.ReferralFilters.from_query(request.GET)
    today = timezone.localdate()
    referrals = selectors.referral_list(user=request.user, filters=filters, today=today)
    page = Paginator(referrals, 50).get_page(request.GET.get("page"))
    for referral in page:
        referral.overdue = selectors.is_overdue(referral, today)  # type: ignore[attr-defined]
        referral.item_name = catalogue.item_name(referral.item)  # type: ignore[attr-defined]
    return render(
        request,
        "assistance/referral_list.html",
        {
            "page": page,
            "filters": filters,
            "statuses": ReferralStatus.choices,
            "departments": Department.choices,
            "all_departments": allowed(request.user, Capability.VIEW_ALL_REFERRALS),
            "can_send": allowed(request.user, Capability.SEND_REFERRALS),
            "can_handle": allowed(request.user, Capability.HANDLE_REFERRALS),
            "overdue_total": selectors.overdue_count(user=request.user, today=today),
        },
    )


@login_required
@require_POST
def referrals_send(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.SEND_REFERRALS)
    chosen = [
        selectors.referral_get(user=request.user, pk=pk)
        for pk in request.POST.getlist("referral")
        if pk.isdigit()
    ]
    if not chosen:
        messages.error(request, "请先勾选要推送的事项。")
    else:
        sent = services.referrals_send(actor=request.user, referrals=chosen)
        messages.success(request, f"已推送 {sent} 项至相关部门。")
    return redirect(request.POST.get("next") or "assistance:index")


@login_required
def referral_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    referral = selectors.referral_get(user=request.user, pk=pk)
    form = AnswerForm(request.POST or None)
    may_handle = services.may_handle(request.user, referral)
    if request.method == "POST":
        action = request.POST.get("action", "")
        try:
            if action == "acknowledge":
                services.referral_acknowledge(actor=request.user, referral=referral)
                messages.success(request, "已签收。")
                return redirect("assistance:referral", pk=referral.pk)
            if action == "withdraw":
                services.referral_withdraw(
                    actor=request.user, referral=referral, reason=request.POST.get("reason", "")
                )
                messages.success(request, "已撤回。")
                return redirect("assistance:referral", pk=referral.pk)
            if action == "send":
                services.referrals_send(actor=request.user, referrals=[referral])
                messages.success(request, "已推送。")
                return redirect("assistance:referral", pk=referral.pk)
            if action == "answer" and form.is_valid():
                data = form.cleaned_data
                given = None
                if data["given"]:
                    given = services.Given(
                        kind=data["kind"],
                        given_on=data["given_on"],
                        amount=data["amount"],
                        period_from=data["period_from"],
                        period_to=data["period_to"],
                        note=data["note"] or "",
                    )
                services.referral_answer(
                    actor=request.user,
                    referral=referral,
                    given=given,
                    declined_reason="" if given else data["note"],
                )
                messages.success(request, "已反馈，转办办结。")
                return redirect("assistance:referral", pk=referral.pk)
        except services.AssistanceError as exc:
            messages.error(request, exc.message)
    record = getattr(referral, "record", None) if referral.status == ReferralStatus.GIVEN else None
    return render(
        request,
        "assistance/referral_detail.html",
        {
            "r": referral,
            "item": catalogue.item(referral.item),
            "form": form,
            "may_handle": may_handle,
            "may_send": allowed(request.user, Capability.SEND_REFERRALS),
            "overdue": selectors.is_overdue(referral, timezone.localdate()),
            "record": record,
        },
    )


@login_required
def household_assistance(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    """A household's referrals and records; officers propose by circumstances or add one item."""
    require(request.user, Capability.VIEW_HOUSEHOLDS)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    form = ProposeForm(request.POST or None)
    if request.method == "POST":
        require(request.user, Capability.SEND_REFERRALS, household)
        try:
            if request.POST.get("action") == "add":
                services.referral_add(
                    actor=request.user,
                    household=household,
                    item=request.POST.get("item", ""),
                    reason=request.POST.get("reason", ""),
                )
                messages.success(request, "已提出转办，请确认推送。")
                return redirect("assistance:household", household_pk=household.pk)
            if form.is_valid():
                created = services.referrals_propose_by_hand(
                    actor=request.user,
                    household=household,
                    circumstances=form.cleaned_data["circumstances"],
                )
                messages.success(request, f"按政策提出 {len(created)} 项分类推送建议。")
                return redirect("assistance:household", household_pk=household.pk)
        except services.AssistanceError as exc:
            messages.error(request, exc.message)
    referrals = []
    if selectors.may_view(request.user):
        referrals = list(
            selectors.referral_list(
                user=request.user, filters=selectors.ReferralFilters(household=household.pk)
            )
        )
        for referral in referrals:
            referral.item_name = catalogue.item_name(referral.item)  # type: ignore[attr-defined]
    records = list(selectors.record_list(user=request.user, household=household.pk))
    for record in records:
        record.item_name = catalogue.item_name(record.item)  # type: ignore[attr-defined]
    return render(
        request,
        "assistance/household.html",
        {
            "household": household,
            "referrals": referrals,
            "records": records,
            "total": sum((r.amount or 0) for r in records),
            "form": form,
            "items": catalogue.item_choices(),
            "can_send": allowed(request.user, Capability.SEND_REFERRALS),
        },
    )


@login_required
def record_report(request: AuthenticatedRequest) -> HttpResponse:
    """五(二): a department reports help given without a referral."""
    require(request.user, Capability.HANDLE_REFERRALS)
    form = ReportForm(request.POST or None, department=request.user.department)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        household = selectors.household_by_id_number(user=request.user, number=data["id_number"])
        if household is None:
            form.add_error("id_number", "未找到该身份证号的在库家庭，或不在管辖范围内")
        else:
            try:
                services.record_report(
                    actor=request.user,
                    household=household,
                    item=data["item"],
                    given=services.Given(
                        kind=data["kind"],
                        given_on=data["given_on"],
                        amount=data["amount"],
                        period_from=data["period_from"],
                        period_to=data["period_to"],
                        note=data["note"] or "",
                    ),
                )
            except services.AssistanceError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "已报送帮扶记录。")
                return redirect("assistance:report")
    return render(request, "assistance/report.html", {"form": form})


@login_required
def feedback_import(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.HANDLE_REFERRALS)
    form = FeedbackImportForm(request.POST or None, request.FILES or None)
    result = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / Path(upload.name).name
            with path.open("wb") as handle:
                for chunk in upload.chunks():
                    handle.write(chunk)
            try:
                result = imports.feedback_import(actor=request.user, path=path)
            except FeedImportError as exc:
                form.add_error("file", str(exc))
    return render(
        request,
        "assistance/feedback_import.html",
        {"form": form, "result": result, "columns": imports.FEEDBACK_SPEC.columns},
    )


@login_required
def catalogue_page(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VIEW_HOUSEHOLDS)
    rows = [
        {
            "item": entry,
            "categories": "、".join(
                str(label) for value, label in _category_choices() if value in entry.categories
            ),
            "residence": "、".join(
                str(label) for value, label in _residence_choices() if value in entry.residence
            )
            or "城乡",
            "circumstances": "、".join(
                str(catalogue.Circumstance(c).label)
                for c in catalogue.Circumstance.values
                if c in entry.circumstances
            )
            or "—",
        }
        for entry in catalogue.items()
    ]
    return render(request, "assistance/catalogue.html", {"rows": rows})


def _category_choices() -> list[tuple[str, str]]:
    from safetynet.registry.choices import Category

    return [(value, str(label)) for value, label in Category.choices]


def _residence_choices() -> list[tuple[str, str]]:
    from safetynet.registry.choices import Residence

    return [(value, str(label)) for value, label in Residence.choices]


@login_required
def delivery(request: AuthenticatedRequest) -> HttpResponse:
    """三(三): households that qualify for help they have neither been referred for nor had."""
    from safetynet.assistance.delivery import MAX_ROWS, undelivered

    gaps = undelivered(user=request.user)
    return render(request, "assistance/delivery.html", {"gaps": gaps, "limit": MAX_ROWS})
