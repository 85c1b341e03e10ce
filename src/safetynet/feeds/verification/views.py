"""Verification report pages: the request form reached from a household page, the issued
report (its comparison as issued, and the PDF), and the list of reports issued in scope."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.downloads import PDF, download
from safetynet.feeds.importing.selectors import BatchFileMissing
from safetynet.feeds.verification import selectors
from safetynet.feeds.verification.compare import household_members
from safetynet.feeds.verification.content import ReportContent
from safetynet.feeds.verification.forms import VerificationRequestForm
from safetynet.feeds.verification.services import (
    VerificationError,
    verification_report_issue,
    verification_report_pdf,
    verification_report_viewed,
)
from safetynet.registry import selectors as registry_selectors

PAGE_SIZE = 50


@login_required
def report_new(request: AuthenticatedRequest, household_pk: int) -> HttpResponse:
    require(request.user, Capability.VERIFY_HOUSEHOLDS)
    household = registry_selectors.household_get(user=request.user, pk=household_pk)
    members = [person for _, person in household_members(household)]
    form = VerificationRequestForm(request.POST or None, members=members)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            report, _ = verification_report_issue(
                actor=request.user,
                household=household,
                purpose=data["purpose"],
                authorisation_reference=data["authorisation_reference"],
                person=form.members.get(data["person"]) if data["person"] else None,
                client=client_of(request),
            )
        except VerificationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except BatchFileMissing as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(
                request, f"核对报告 {report.number} 已出具，发现 {report.differences} 项差异。"
            )
            return redirect("feeds:verification_detail", pk=report.pk)
    return render(
        request,
        "feeds/verification_form.html",
        {"household": household, "form": form, "members": members},
    )


@login_required
def report_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Capability.VERIFY_HOUSEHOLDS)
    report = selectors.verification_report_get(user=request.user, pk=pk)
    content: ReportContent | None = None
    problem = ""
    try:
        content = verification_report_viewed(
            actor=request.user, report=report, client=client_of(request)
        )
    except VerificationError as exc:
        problem = exc.message
    return render(
        request,
        "feeds/verification_detail.html",
        {"report": report, "content": content, "problem": problem},
    )


@login_required
def report_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Capability.VERIFY_HOUSEHOLDS)
    report = selectors.verification_report_get(user=request.user, pk=pk)
    try:
        pdf = verification_report_pdf(actor=request.user, report=report, client=client_of(request))
    except VerificationError as exc:
        messages.error(request, exc.message)
        return redirect("feeds:verification_detail", pk=report.pk)
    return download(pdf, f"核对报告-{report.number}.pdf", PDF)


@login_required
def report_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.VERIFY_HOUSEHOLDS)
    reports = selectors.verification_report_list(user=request.user)
    page = Paginator(reports, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "feeds/verification_list.html", {"page": page})
