"""The household's 评估 page: the proposed categories with every reason, beside the recorded
ones. A thin shell over ``policy.assessment``, which applies the region scope."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.core.dates import query_date
from safetynet.policy.assessment.selectors import assessment_viewed, household_assessment
from safetynet.policy.assessment.trying import EXPENSE_KINDS, TryInput, assessment_try


def _on(request: AuthenticatedRequest) -> tuple[dt.date, str]:
    """The date asked for with ``?on=YYYY-MM-DD`` (today if absent) and a problem, if any."""
    raw = request.GET.get("on", "").strip()
    on, readable = query_date(raw, default=timezone.localdate())
    return on, "" if readable else f"评估日期“{raw}”无效，应为 YYYY-MM-DD，已按今天评估"


@login_required
def household_assessment_view(request: AuthenticatedRequest, household_id: int) -> HttpResponse:
    if not request.user.has_capability(Capability.ASSESS_HOUSEHOLDS):
        raise PermissionDenied("您没有救助类别评估的权限")
    on, date_error = _on(request)
    assessment = household_assessment(user=request.user, household_id=household_id, on=on)
    assessment_viewed(actor=request.user, assessment=assessment, client=client_of(request))
    members = [
        (str(i), f"{m.name}（{m.id_number_masked}）") for i, m in enumerate(assessment.members)
    ]
    form = TryForm(request.GET if "try" in request.GET else None, members=members)
    tried = None
    if form.is_bound and form.is_valid():
        tried = assessment_try(assessment, form.input())
    return render(
        request,
        "policy/assessment.html",
        {"a": assessment, "date_error": date_error, "try_form": form, "tried": tried},
    )


class TryForm(forms.Form):
    """The figures to try; every one optional. Nothing typed here is saved."""

    member = forms.ChoiceField(label="成员", required=False)
    wages = forms.DecimalField(
        label="月工资性收入(元)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    expense_kind = forms.ChoiceField(
        label="刚性支出类别", required=False, choices=[("", "（不试算）"), *EXPENSE_KINDS.items()]
    )
    expense = forms.DecimalField(
        label="近12个月增加支出(元)", required=False, min_value=0, max_digits=12, decimal_places=2
    )
    financial = forms.DecimalField(
        label="家庭金融资产(元)", required=False, min_value=0, max_digits=14, decimal_places=2
    )
    vehicle = forms.DecimalField(
        label="新增机动车价值(元)", required=False, min_value=0, max_digits=12, decimal_places=2
    )

    def __init__(self, *args: Any, members: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["member"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = members

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("expense") is not None and not data.get("expense_kind"):
            self.add_error("expense_kind", "请选择支出类别")
        return data

    def input(self) -> TryInput:
        data = self.cleaned_data
        member = data.get("member")
        return TryInput(
            member=int(member) if member not in (None, "") else None,
            wages=data.get("wages"),
            expense_kind=data.get("expense_kind") or "",
            expense=data.get("expense"),
            financial=data.get("financial"),
            vehicle=data.get("vehicle"),
        )
