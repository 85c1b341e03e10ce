"""The working-day calendar page: one year's holidays and adjusted working days, a calculator
for every signed-in user, and the holiday table's editing forms for EDIT_CALENDAR users."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.audit.services import client_of
from safetynet.core.uploads import UploadField
from safetynet.downloads import XLSX, download
from safetynet.policy.calendar import services as calendar_services
from safetynet.policy.calendar import workdays
from safetynet.policy.calendar import xlsx as calendar_xlsx

MAX_N = workdays.MAX_WORKING_DAYS
YEAR_MIN = calendar_services.FIRST_YEAR
YEAR_MAX = calendar_services.LAST_YEAR
MAX_UPLOAD_BYTES = 1024 * 1024
DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class _Form(forms.Form):
    """Several forms share the page: each gets its own element ids."""

    id_prefix = ""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)


class DueDateForm(_Form):
    id_prefix = "due"
    start = forms.DateField(label="起算日期", widget=DATE_WIDGET)
    n = forms.IntegerField(
        label="工作日数",
        min_value=-MAX_N,
        max_value=MAX_N,
        help_text="起算日期当天不计入；负数表示之前第 N 个工作日。",
    )


class BetweenForm(_Form):
    id_prefix = "between"
    a = forms.DateField(label="开始日期（不计入）", widget=DATE_WIDGET)
    b = forms.DateField(label="结束日期（计入）", widget=DATE_WIDGET)


class DayForm(_Form):
    id_prefix = "day"
    date = forms.DateField(label="日期", widget=DATE_WIDGET)
    kind = forms.TypedChoiceField(
        label="安排",
        choices=[("0", "放假"), ("1", "调休上班")],
        coerce=lambda v: v == "1",
        widget=forms.RadioSelect,
    )
    name = forms.CharField(
        label="节日名称",
        max_length=calendar_services.NAME_MAX,
        required=False,
        help_text="如 春节、国庆节",
    )
    note = forms.CharField(label="说明", max_length=calendar_services.NOTE_MAX, required=False)


class DayDeleteForm(_Form):
    id_prefix = "delete"
    date = forms.DateField(widget=forms.HiddenInput)


class YearDeclareForm(_Form):
    id_prefix = "declare"
    year = forms.IntegerField(label="年份", min_value=YEAR_MIN, max_value=YEAR_MAX)
    source = forms.CharField(
        label="依据（国务院办公厅通知名称、文号）",
        max_length=calendar_services.SOURCE_MAX,
        help_text="如 国务院办公厅关于2026年部分节假日安排的通知（国办发明电〔2025〕7号）",
    )


class TableImportForm(_Form):
    id_prefix = "import"
    year = forms.IntegerField(label="年份", min_value=YEAR_MIN, max_value=YEAR_MAX)
    file = UploadField(
        label="节假日安排表（.xlsx）",
        suffixes=(".xlsx",),
        formats=".xlsx",
        max_bytes=MAX_UPLOAD_BYTES,
        advice="请确认是否选错了文件。",
    )
    source = forms.CharField(
        label="同时确认全年录入完整，依据",
        max_length=calendar_services.SOURCE_MAX,
        required=False,
        help_text="填写国务院办公厅通知文号即同时确认该年录入完整；留空则只导入日期。",
    )


class YearWithdrawForm(_Form):
    id_prefix = "withdraw"
    year = forms.IntegerField(widget=forms.HiddenInput, min_value=YEAR_MIN, max_value=YEAR_MAX)


def _year_param(request: AuthenticatedRequest) -> tuple[int, str]:
    today = timezone.localdate()
    raw = request.GET.get("year", "")
    if not raw:
        return today.year, ""
    try:
        year = int(raw)
    except ValueError:
        return today.year, f"年份格式错误：{raw}，已显示 {today.year} 年"
    if not YEAR_MIN <= year <= YEAR_MAX:
        return today.year, f"年份须在 {YEAR_MIN}—{YEAR_MAX} 之间，已显示 {today.year} 年"
    return year, ""


def _bound(form_class: type[forms.Form], request: AuthenticatedRequest, key: str) -> Any:
    """A calculator form, bound only when the user submitted that form (its first field)."""
    return form_class(request.GET if key in request.GET else None)


def _page(
    request: AuthenticatedRequest,
    year: int,
    *,
    year_error: str = "",
    day_form: DayForm | None = None,
    declare_form: YearDeclareForm | None = None,
    import_form: TableImportForm | None = None,
    import_result: calendar_xlsx.TableImportResult | None = None,
) -> HttpResponse:
    due_form = _bound(DueDateForm, request, "start")
    between_form = _bound(BetweenForm, request, "a")
    context: dict[str, Any] = {
        "year": year,
        "year_error": year_error,
        "schedule": workdays.year_schedule(year),
        "due_form": due_form,
        "between_form": between_form,
        "can_edit": request.user.has_capability(Capability.EDIT_CALENDAR),
        "years": range(max(YEAR_MIN, year - 2), min(YEAR_MAX, year + 2) + 1),
    }
    if due_form.is_bound and due_form.is_valid():
        try:
            context["due"] = workdays.due_date(
                due_form.cleaned_data["start"], due_form.cleaned_data["n"]
            )
        except ValueError as exc:
            due_form.add_error(None, str(exc))
    if between_form.is_bound and between_form.is_valid():
        context["count"] = workdays.count_working_days(
            between_form.cleaned_data["a"], between_form.cleaned_data["b"]
        )
    if context["can_edit"]:
        context["day_form"] = day_form or DayForm(initial={"kind": "0"})
        context["declare_form"] = declare_form or YearDeclareForm(initial={"year": year})
        context["import_form"] = import_form or TableImportForm(initial={"year": year})
        context["import_result"] = import_result
    return render(request, "policy/calendar.html", context)


@login_required
def calendar_year(request: AuthenticatedRequest) -> HttpResponse:
    year, error = _year_param(request)
    return _page(request, year, year_error=error)


def _require_edit(request: AuthenticatedRequest) -> None:
    if not request.user.has_capability(Capability.EDIT_CALENDAR):
        raise PermissionDenied("您没有维护节假日安排的权限")


def _back(year: int) -> HttpResponseRedirect:
    return HttpResponseRedirect(f"{reverse('policy:calendar')}?year={year}")


def _show_refusal(form: forms.Form, exc: calendar_services.CalendarError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, str(exc))


@login_required
@require_POST
def calendar_day_set(request: AuthenticatedRequest) -> HttpResponse:
    _require_edit(request)
    form = DayForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            calendar_services.calendar_day_set(
                actor=request.user,
                date=data["date"],
                is_working_day=data["kind"],
                name=data["name"],
                note=data["note"],
                client=client_of(request),
            )
        except calendar_services.CalendarError as exc:
            _show_refusal(form, exc)
        else:
            kind = "调休上班" if data["kind"] else "放假"
            messages.success(request, f"已录入：{data['date']:%Y-%m-%d} {kind}")
            return _back(data["date"].year)
    year = (
        form.cleaned_data["date"].year if "date" in form.cleaned_data else _year_param(request)[0]
    )
    return _page(request, year, day_form=form)


@login_required
@require_POST
def calendar_day_delete(request: AuthenticatedRequest) -> HttpResponse:
    _require_edit(request)
    form = DayDeleteForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效：缺少日期")
        return _back(timezone.localdate().year)
    day: dt.date = form.cleaned_data["date"]
    try:
        calendar_services.calendar_day_delete(
            actor=request.user, date=day, client=client_of(request)
        )
    except calendar_services.CalendarError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已删除 {day:%Y-%m-%d} 的录入，该日恢复按数据包或周末计算")
    return _back(day.year)


@login_required
@require_POST
def calendar_year_declare(request: AuthenticatedRequest) -> HttpResponse:
    _require_edit(request)
    form = YearDeclareForm(request.POST)
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            calendar_services.calendar_year_declare(
                actor=request.user,
                year=year,
                source=form.cleaned_data["source"],
                client=client_of(request),
            )
        except calendar_services.CalendarError as exc:
            _show_refusal(form, exc)
        else:
            messages.success(request, f"已确认 {year} 年节假日安排录入完整")
            return _back(year)
    year = form.cleaned_data.get("year") or _year_param(request)[0]
    return _page(request, year, declare_form=form)


@login_required
@require_POST
def calendar_year_withdraw(request: AuthenticatedRequest) -> HttpResponse:
    _require_edit(request)
    form = YearWithdrawForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请求无效：年份有误")
        return _back(timezone.localdate().year)
    year = form.cleaned_data["year"]
    try:
        calendar_services.calendar_year_withdraw(
            actor=request.user, year=year, client=client_of(request)
        )
    except calendar_services.CalendarError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"已撤销 {year} 年的完整确认，该年计算将给出提示")
    return _back(year)


@login_required
def calendar_template(request: AuthenticatedRequest) -> HttpResponse:
    """The year's table as the import template, filled with what the platform knows."""
    year, _error = _year_param(request)
    content = calendar_xlsx.template_workbook(year)
    calendar_xlsx.template_downloaded(actor=request.user, year=year, client=client_of(request))
    return download(content, f"{year}年节假日安排.xlsx", XLSX)


@login_required
@require_POST
def calendar_import(request: AuthenticatedRequest) -> HttpResponse:
    _require_edit(request)
    form = TableImportForm(request.POST, request.FILES)
    result = None
    if form.is_valid():
        year = form.cleaned_data["year"]
        try:
            result = calendar_xlsx.calendar_table_import(
                actor=request.user,
                year=year,
                content=form.cleaned_data["file"].read(),
                source=form.cleaned_data["source"],
                client=client_of(request),
            )
        except calendar_services.CalendarError as exc:
            _show_refusal(form, exc)
        else:
            if result.ok:
                declared = "，并已确认全年录入完整" if result.declared else ""
                messages.success(
                    request,
                    f"已导入 {year} 年节假日安排：保存 {result.stored} 天，"
                    f"与内置数据相同 {result.same_as_package} 天，"
                    f"删除原有 {result.removed} 天{declared}",
                )
                return _back(year)
    year = form.cleaned_data.get("year") or _year_param(request)[0]
    return _page(request, year, import_form=form, import_result=result)
