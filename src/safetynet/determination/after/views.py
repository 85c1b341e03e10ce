"""After the decision: the due and overdue reviews of a township (annual reviews, periodic checks,
self-care re-assessments, death re-checks), recording a review's outcome, reporting a death or a
change in self-care, and moving terminations on (publicity over, in effect).

Every view checks the capability (403) and fetches through the scope (404 outside it); each POST
calls one service and shows what the service refused beside the field it concerns.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped
from safetynet.audit.services import client_of
from safetynet.determination import selectors, services
from safetynet.determination.after import queue
from safetynet.determination.common import show_refusal
from safetynet.determination.models import (
    ReviewKind,
    ReviewOutcome,
    ReviewSchedule,
)
from safetynet.regions.models import Region
from safetynet.registry import selectors as registry_selectors
from safetynet.registry.choices import Category

PAGE_SIZE = 50
HORIZONS = [(7, "7 天内"), (30, "30 天内"), (90, "90 天内"), (366, "一年内")]


def _category_label(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value


# --- the list ----------------------------------------------------------------------------------


class ReviewFilterForm(forms.Form):
    region = forms.CharField(label="区划", required=False, widget=forms.HiddenInput)
    kind = forms.ChoiceField(
        label="复核类型", required=False, choices=[("", "全部"), *ReviewKind.choices]
    )
    state = forms.ChoiceField(
        label="状态",
        required=False,
        choices=[("", "全部"), ("overdue", "已超期"), ("due", "未超期")],
    )
    within = forms.TypedChoiceField(label="到期范围", required=False, coerce=int, choices=HORIZONS)


@login_required
def review_list(request: AuthenticatedRequest) -> HttpResponse:
    """One queue of the reviews and checks due or overdue (``after.queue``: with the checks other
    apps register), soonest first, and the terminations under way."""
    require(request.user, Capability.VIEW_CASES)
    form = ReviewFilterForm(request.GET or None)
    filters: dict[str, Any] = form.cleaned_data if form.is_valid() else {}
    today = timezone.localdate()
    rows = _queue(request, filters, today)
    if filters.get("kind"):
        rows = [row for row in rows if row["review_kind"] == filters["kind"]]
    if filters.get("state"):
        rows = [row for row in rows if row["overdue"] == (filters["state"] == "overdue")]
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "determination/review_list.html",
        {
            "form": form,
            "page": page,
            "rows": list(page),
            "overdue_count": sum(1 for row in rows if row["overdue"]),
            "townships": _by_township(rows),
            "terminations": [
                (t, _category_label(t.category))
                for t in selectors.terminations_pending(user=request.user, today=today)
            ],
        },
    )


def _queue(
    request: AuthenticatedRequest, filters: dict[str, Any], today: dt.date
) -> list[dict[str, Any]]:
    checks = queue.review_queue(
        user=request.user,
        today=today,
        within_days=filters.get("within") or 30,
        region_code=filters.get("region") or None,
    )
    return [
        _row(**{**vars(check), "category": _category_label(check.category), "today": today})
        for check in checks
    ]


def _row(*, due_on: dt.date, today: dt.date, **fields: Any) -> dict[str, Any]:
    days = (due_on - today).days
    return {**fields, "due_on": due_on, "overdue": days < 0, "days": abs(days)}


def _by_township(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Due and overdue counts per township (a village code's first 9 digits), in code order."""
    counts: dict[str, list[int]] = {}
    for row in rows:
        code = f"{row['region_code'][:9]}000"
        due_overdue = counts.setdefault(code, [0, 0])
        due_overdue[1 if row["overdue"] else 0] += 1
    names = dict(Region.objects.filter(code__in=list(counts)).values_list("code", "name"))
    return [
        {"code": code, "name": names.get(code, code), "due": due, "overdue": overdue}
        for code, (due, overdue) in sorted(counts.items())
    ]


# --- one review --------------------------------------------------------------------------------


class ReviewOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(
        label="复核结果", choices=ReviewOutcome.choices, widget=forms.RadioSelect
    )
    notes = forms.CharField(
        label="复核情况", max_length=2000, widget=forms.Textarea(attrs={"rows": 4})
    )
    new_category = forms.ChoiceField(
        label="变更后的救助类别",
        required=False,
        choices=[("", "（不变）"), *Category.choices],
        help_text="自复核的次月起生效。",
    )
    monthly_amount = forms.DecimalField(
        label="变更后的月救助金额（元）",
        required=False,
        min_value=0,
        max_digits=12,
        decimal_places=2,
        help_text="自复核的次月起执行。",
    )
    income_unstable = forms.BooleanField(
        label="收入不稳定或有劳动能力成员（低保每半年核查一次）", required=False
    )
    gradual_exit_months = forms.IntegerField(
        label="渐退期（月）",
        required=False,
        min_value=0,
        max_value=6,
        initial=0,
        help_text="因就业增收超过标准而终止的，可给予不超过 6 个月的渐退期；"
        "特困人员终止须公示 7 天，均自次月起生效。",
    )
    done_on = forms.DateField(label="复核日期", widget=forms.DateInput(attrs={"type": "date"}))


def _review(request: AuthenticatedRequest, pk: int) -> ReviewSchedule:
    return access_scoped(
        ReviewSchedule.objects.select_related(
            "household", "household__head", "person", "region", "application"
        ),
        user=request.user,
        pk=pk,
    )


@login_required
def review_record(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    require(request.user, Capability.INVESTIGATE)
    review = _review(request, pk)
    if request.method == "POST":
        form = ReviewOutcomeForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.review_record(
                    actor=request.user,
                    review=review,
                    outcome=data["outcome"],
                    notes=data["notes"],
                    new_category=data["new_category"],
                    monthly_amount=data["monthly_amount"],
                    income_unstable=data["income_unstable"],
                    gradual_exit_months=data["gradual_exit_months"] or 0,
                    done_on=data["done_on"],
                    client=client_of(request),
                )
            except services.DeterminationError as exc:
                show_refusal(form, exc)
            else:
                messages.success(
                    request,
                    f"已登记{review.household.head.name if review.household.head else ''}户的"
                    f"{review.get_kind_display()}结果：{review.get_outcome_display()}。",
                )
                return redirect("determination:review_list")
    else:
        form = ReviewOutcomeForm(initial={"done_on": timezone.localdate()})
    history = ReviewSchedule.objects.filter(household=review.household).order_by("-due_on")[:20]
    return render(
        request,
        "determination/review_record.html",
        {
            "review": review,
            "form": form,
            "history": history,
            "category": _category_label(review.category),
            "amounts": services.review_amounts(review) if review.done_on is None else None,
        },
    )


# --- reporting a change ------------------------------------------------------------------------


class ChangeReportForm(forms.Form):
    kind = forms.ChoiceField(
        label="报告事项",
        choices=[
            ("death", "成员死亡（3 个月内复核）"),
            ("self_care", "特困人员自理能力变化（10 个工作日内复评）"),
        ],
        widget=forms.RadioSelect,
    )
    person = forms.TypedChoiceField(label="成员", coerce=int)
    died_on = forms.DateField(
        label="死亡日期", required=False, widget=forms.DateInput(attrs={"type": "date"})
    )
    note = forms.CharField(
        label="变化情况", required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 3})
    )

    def __init__(self, *args: Any, people: list[tuple[int, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["person"].choices = people  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("kind") == "death" and not data.get("died_on"):
            self.add_error("died_on", "请填写死亡日期")
        if data.get("kind") == "self_care" and not (data.get("note") or "").strip():
            self.add_error("note", "请填写变化情况")
        return data


@login_required
def review_report(request: AuthenticatedRequest, household_id: int) -> HttpResponse:
    """A member's death or a destitute person's changed self-care: the re-check it triggers."""
    require(request.user, Capability.INVESTIGATE)
    detail = registry_selectors.household_detail(user=request.user, pk=household_id)
    members = {m.person.pk: m.person for m in detail.members}
    people = [(pk, f"{p.name}（{p.id_number_masked}）") for pk, p in members.items()]
    form = ChangeReportForm(request.POST or None, people=people)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = members[data["person"]]
        try:
            if data["kind"] == "death":
                review = services.member_death_report(
                    actor=request.user,
                    household=detail.household,
                    person=person,
                    died_on=data["died_on"],
                    client=client_of(request),
                )
            else:
                review = services.self_care_change_report(
                    actor=request.user,
                    household=detail.household,
                    person=person,
                    note=data["note"],
                    client=client_of(request),
                )
        except services.DeterminationError as exc:
            show_refusal(form, exc)
        else:
            messages.success(
                request,
                f"已登记，{review.get_kind_display()}应于 {review.due_on:%Y-%m-%d} 前完成。",
            )
            return redirect("determination:review_list")
    return render(
        request,
        "determination/review_report.html",
        {"household": detail.household, "form": form},
    )
