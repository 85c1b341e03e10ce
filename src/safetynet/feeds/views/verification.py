"""Verification report pages: the request form reached from a household page, the issued
report (its comparison as issued, and the PDF), and the list of reports issued in scope."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.downloads import PDF, download
from safetynet.feeds import selectors
from safetynet.feeds.models import VerificationPurpose
from safetynet.feeds.verification import ReportContent, household_members
from safetynet.feeds.verification_services import (
    VerificationError,
    verification_report_issue,
    verification_report_pdf,
    verification_report_viewed,
)
from safetynet.registry import selectors as registry_selectors
from safetynet.registry.models import Person

PAGE_SIZE = 50


class VerificationRequestForm(forms.Form):
    purpose = forms.ChoiceField(label="用途", choices=VerificationPurpose.choices)
    authorisation_reference = forms.CharField(
        label="核对授权书编号",
        max_length=100,
        help_text="申请人及共同生活家庭成员签署的经济状况核对授权书的编号，无授权书不得核对。",
    )
    person = forms.TypedChoiceField(
        label="申请人",
        required=False,
        coerce=int,
        empty_value=None,
        help_text="法律援助经济困难核对须选择申请人；低保等认定核对以全户为对象，可不选。",
    )

    def __init__(self, *args: Any, members: list[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.members = {person.pk: person for person in members}
        person_field = self.fields["person"]
        assert isinstance(person_field, forms.TypedChoiceField)
        person_field.choices = [("", "（全户）")] + [
            (person.pk, f"{person.name}（{person.id_number_masked}）") for person in members
        ]


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
                request=request,
            )
        except VerificationError as exc:
            form.add_error(exc.field if exc.field in form.fields else None, exc.message)
        except selectors.BatchFileMissing as exc:
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
        content = verification_report_viewed(actor=request.user, report=report, request=request)
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
        pdf = verification_report_pdf(actor=request.user, report=report, request=request)
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
