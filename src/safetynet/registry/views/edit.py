"""Editing pages of one household, each reached from its detail page.

Every view checks the capability (403), fetches the household through the scoped selectors
(404 outside the user's region), picks members only from that household, calls one service and
shows what the service refused beside the field it concerns.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.roles import Capability
from safetynet.registry import selectors, services
from safetynet.registry.edit_forms import (
    AssetFormSet,
    CategoryForm,
    ExpenditureFormSet,
    HeadChangeForm,
    HouseholdEditForm,
    IncomeFormSet,
    MemberAddForm,
    MemberEditForm,
    MemberRemoveForm,
    RelapseWatchForm,
    RowFormSet,
    SupporterForm,
)
from safetynet.registry.models import Household, Person
from safetynet.registry.relations import HEAD
from safetynet.registry.selectors import HouseholdDetail, MemberView

# Service field names that differ from the form field showing them (used when the form has no
# field of the service's name).
FIELD_ALIASES = {"region_id": "region", "reason": "reason_kind"}


def _require(request: AuthenticatedRequest, capability: str) -> None:
    if not request.user.has_capability(capability):
        raise PermissionDenied("您没有执行此操作的权限")


def _detail(request: AuthenticatedRequest, pk: int, capability: str) -> HouseholdDetail:
    _require(request, capability)
    return selectors.household_detail(user=request.user, pk=pk)


def _household(request: AuthenticatedRequest, pk: int, capability: str) -> Household:
    _require(request, capability)
    return selectors.household_get(user=request.user, pk=pk)


def _member(detail: HouseholdDetail, person_id: int) -> MemberView:
    for member in detail.members:
        if member.person.pk == person_id:
            return member
    raise Http404("该人员不是本户现有成员。")


def _label(member: MemberView) -> str:
    return f"{member.person.name}（{member.membership.get_relation_display()}）"


def _current_people(detail: HouseholdDetail) -> list[tuple[Person, str]]:
    return [(m.person, _label(m)) for m in detail.members]


def _people_with_former(detail: HouseholdDetail) -> list[tuple[Person, str]]:
    """Current members, then those who left (an asset or a bill of theirs stays on record)."""
    people = _current_people(detail)
    seen = {person.pk for person, _ in people}
    for membership in detail.former_members:
        if membership.person_id not in seen:
            seen.add(membership.person_id)
            people.append((membership.person, f"{membership.person.name}（已离开）"))
    return people


def _show_error(form: forms.Form, exc: services.RegistryError) -> None:
    """Put a service refusal on the field it names, or on the form as a whole."""
    if isinstance(exc, services.PermissionDenied):
        raise PermissionDenied(str(exc)) from exc
    if isinstance(exc, services.HouseholdValidationError):
        for problem in exc.problems:
            name = problem.field.removeprefix("income_")
            form.add_error(name if name in form.fields else None, problem.reason)
        return
    field = exc.field if exc.field in form.fields else FIELD_ALIASES.get(exc.field or "")
    form.add_error(field if field in form.fields else None, str(exc))


def _refusal(exc: services.RegistryError) -> str:
    if isinstance(exc, services.PermissionDenied):
        raise PermissionDenied(str(exc)) from exc
    return str(exc)


def _done(request: AuthenticatedRequest, household: Household, message: str) -> HttpResponse:
    messages.success(request, message)
    return redirect("registry:detail", pk=household.pk)


@login_required
def household_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, Capability.EDIT_HOUSEHOLDS)
    if request.method == "POST":
        form = HouseholdEditForm(request.POST)
        if form.is_valid():
            try:
                services.household_update(
                    actor=request.user, household=household, data=form.changes(), request=request
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                return _done(request, household, "家庭信息已保存。")
    else:
        form = HouseholdEditForm(
            initial={
                "region": household.region_id,
                "residence": household.residence,
                "address": household.address,
                "phone": household.phone,
                "income_before_drop_monthly": household.income_before_drop_monthly,
                "income_before_drop_on": household.income_before_drop_on,
            }
        )
    return render(request, "registry/edit_household.html", {"household": household, "form": form})


@login_required
def member_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    household = _household(request, pk, Capability.EDIT_HOUSEHOLDS)
    if request.method == "POST":
        form = MemberAddForm(request.POST)
        if form.is_valid():
            try:
                person = services.member_add(
                    actor=request.user, household=household, member=form.to_input(), request=request
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                return _done(request, household, f"已新增成员 {person.name}。")
    else:
        form = MemberAddForm()
    return render(request, "registry/edit_member_add.html", {"household": household, "form": form})


@login_required
def member_edit(request: AuthenticatedRequest, pk: int, person_id: int) -> HttpResponse:
    detail = _detail(request, pk, Capability.EDIT_HOUSEHOLDS)
    member = _member(detail, person_id)
    is_head = member.membership.relation == HEAD
    if request.method == "POST":
        form = MemberEditForm(request.POST, is_head=is_head)
        if form.is_valid():
            try:
                services.member_update(
                    actor=request.user,
                    household=detail.household,
                    person=member.person,
                    data=form.changes(),
                    request=request,
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                return _done(request, detail.household, f"已保存 {member.person.name} 的信息。")
    else:
        person = member.person
        form = MemberEditForm(
            is_head=is_head,
            initial={
                "name": person.name,
                "relation": member.membership.relation,
                "co_resident": member.membership.co_resident,
                "phone": person.phone,
                "disability_type": person.disability_type,
                "disability_grade": person.disability_grade,
                "health_status": person.health_status,
                "illness_name": person.illness_name,
                "labour_capacity": person.labour_capacity,
                "school_stage": person.school_stage,
                "legal_status": person.legal_status,
                "other_inability": person.other_inability,
            },
        )
    return render(
        request,
        "registry/edit_member.html",
        {"household": detail.household, "member": member, "form": form},
    )


@login_required
def member_remove(request: AuthenticatedRequest, pk: int, person_id: int) -> HttpResponse:
    """GET shows the form; only a POST ends the membership."""
    detail = _detail(request, pk, Capability.EDIT_HOUSEHOLDS)
    member = _member(detail, person_id)
    if request.method == "POST":
        form = MemberRemoveForm(request.POST)
        if form.is_valid():
            try:
                services.member_remove(
                    actor=request.user,
                    household=detail.household,
                    person=member.person,
                    reason=form.reason,
                    left_on=form.cleaned_data["left_on"],
                    request=request,
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                return _done(
                    request, detail.household, f"{member.person.name} 已移出本户，记录仍保留。"
                )
    else:
        form = MemberRemoveForm()
    return render(
        request,
        "registry/edit_member_remove.html",
        {"household": detail.household, "member": member, "form": form},
    )


@login_required
def household_change_head(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk, Capability.EDIT_HOUSEHOLDS)
    people = [(m.person, _label(m)) for m in detail.members if m.membership.relation != HEAD]
    if request.method == "POST":
        form = HeadChangeForm(request.POST, people=people)
        if form.is_valid():
            try:
                services.household_change_head(
                    actor=request.user,
                    household=detail.household,
                    new_head=form.cleaned_data["new_head"],
                    old_head_relation=form.cleaned_data["old_head_relation"],
                    request=request,
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                return _done(
                    request,
                    detail.household,
                    "户主已变更。请逐一核对其他成员与新户主的关系。",
                )
    else:
        form = HeadChangeForm(people=people)
    return render(
        request,
        "registry/edit_head.html",
        {"household": detail.household, "detail": detail, "form": form},
    )


def _rows_page(
    request: AuthenticatedRequest,
    *,
    detail: HouseholdDetail,
    formset_class: type[RowFormSet],
    prefix: str,
    people: list[tuple[Person, str]],
    initial: list[dict[str, Any]],
    save: Any,
    title: str,
    hint: str,
) -> HttpResponse:
    """One page for incomes, assets and expenditures: a formset whose save replaces the rows."""
    errors: list[str] = []
    if request.method == "POST":
        formset = formset_class(request.POST, prefix=prefix, form_kwargs={"people": people})
        if formset.is_valid():
            try:
                save(
                    actor=request.user,
                    household=detail.household,
                    rows=formset.rows(),
                    request=request,
                )
            except services.RegistryError as exc:
                errors.append(_refusal(exc))
            else:
                return _done(request, detail.household, f"{title}已保存。")
    else:
        formset = formset_class(initial=initial, prefix=prefix, form_kwargs={"people": people})
    return render(
        request,
        "registry/edit_rows.html",
        {
            "household": detail.household,
            "formset": formset,
            "prefix": prefix,
            "title": title,
            "hint": hint,
            "errors": errors,
        },
    )


@login_required
def incomes_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk, Capability.EDIT_HOUSEHOLDS)
    initial = [
        {
            "person": str(income.person_id),
            "kind": income.kind,
            "monthly_amount": income.monthly_amount,
            "description": income.description,
        }
        for member in detail.members
        for income in member.incomes
    ]
    return _rows_page(
        request,
        detail=detail,
        formset_class=IncomeFormSet,
        prefix="income",
        people=_current_people(detail),
        initial=initial,
        save=services.incomes_replace,
        title="收入",
        hint="按成员逐项填写月收入。“不计入家庭收入”的项目保留登记，但不计入家庭收入。",
    )


@login_required
def assets_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk, Capability.EDIT_HOUSEHOLDS)
    initial = [
        {
            "kind": asset.kind,
            "value": asset.value,
            "person": str(asset.person_id) if asset.person_id else "",
            "description": asset.description,
            "for_disability": asset.for_disability,
            "area_m2": asset.area_m2,
        }
        for asset in detail.assets
    ]
    return _rows_page(
        request,
        detail=detail,
        formset_class=AssetFormSet,
        prefix="asset",
        people=_people_with_former(detail),
        initial=initial,
        save=services.assets_replace,
        title="财产",
        hint="机动车如为残疾人功能性补偿代步车请勾选；房产请填写面积。",
    )


@login_required
def expenditures_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk, Capability.EDIT_HOUSEHOLDS)
    initial = [
        {
            "kind": item.kind,
            "amount": item.amount,
            "incurred_on": item.incurred_on,
            "person": str(item.person_id) if item.person_id else "",
            "description": item.description,
        }
        for item in detail.expenditures
    ]
    return _rows_page(
        request,
        detail=detail,
        formset_class=ExpenditureFormSet,
        prefix="expenditure",
        people=_people_with_former(detail),
        initial=initial,
        save=services.expenditures_replace,
        title="刚性支出",
        hint="医疗、教育、残疾康复及灾害、意外事故等刚性支出，按实际发生逐笔登记。",
    )


@login_required
def supporter_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Add a legal supporter; the page also lists the registered ones, each with a remove button."""
    detail = _detail(request, pk, Capability.EDIT_HOUSEHOLDS)
    people = _current_people(detail)
    if request.method == "POST":
        form = SupporterForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                supporter = services.supporter_add(
                    actor=request.user,
                    household=detail.household,
                    name=data["name"],
                    id_number=data["id_number"],
                    relation=data["relation"],
                    able_to_support=bool(data["able_to_support"]),
                    supported_person=data["supported_person"],
                    note=data["note"].strip(),
                    request=request,
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                return _done(
                    request, detail.household, f"已登记法定赡(抚、扶)养人 {supporter.name}。"
                )
    else:
        form = SupporterForm(people=people)
    return render(
        request,
        "registry/edit_supporters.html",
        {"household": detail.household, "detail": detail, "form": form},
    )


@login_required
@require_POST
def supporter_remove(request: AuthenticatedRequest, pk: int, supporter_id: int) -> HttpResponse:
    household = _household(request, pk, Capability.EDIT_HOUSEHOLDS)
    # Looked up through the scoped household: another household's supporter is a 404.
    supporter = household.supporters.filter(pk=supporter_id).first()
    if supporter is None:
        raise Http404("未找到该赡(抚、扶)养人。")
    try:
        services.supporter_remove(
            actor=request.user, household=household, supporter=supporter, request=request
        )
    except services.RegistryError as exc:
        messages.error(request, _refusal(exc))
        return redirect("registry:detail", pk=household.pk)
    return _done(request, household, f"已删除法定赡(抚、扶)养人 {supporter.name}。")


@login_required
def category_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk, Capability.SET_CATEGORY)
    people = _current_people(detail)
    if request.method == "POST":
        form = CategoryForm(request.POST, people=people)
        if form.is_valid():
            data = form.cleaned_data
            try:
                status = services.category_set(
                    actor=request.user,
                    household=detail.household,
                    category=data["category"],
                    effective_from=data["effective_from"],
                    reason=data["reason"],
                    person=data["person"],
                    request=request,
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                shown = status.get_category_display() or "无（已终止）"
                return _done(
                    request,
                    detail.household,
                    f"已登记救助类别：{shown}，自 {status.effective_from:%Y-%m-%d} 起生效。",
                )
    else:
        form = CategoryForm(people=people)
    return render(
        request,
        "registry/edit_category.html",
        {"household": detail.household, "detail": detail, "form": form},
    )


@login_required
def relapse_watch_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    detail = _detail(request, pk, Capability.SET_CATEGORY)
    if request.method == "POST":
        form = RelapseWatchForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                status = services.relapse_watch_set(
                    actor=request.user,
                    household=detail.household,
                    watch_type=data["watch_type"],
                    effective_from=data["effective_from"],
                    reason=data["reason"],
                    request=request,
                )
            except services.RegistryError as exc:
                _show_error(form, exc)
            else:
                shown = status.get_watch_type_display() or "解除监测"
                return _done(
                    request,
                    detail.household,
                    f"已登记防返贫监测：{shown}，自 {status.effective_from:%Y-%m-%d} 起生效。",
                )
    else:
        form = RelapseWatchForm()
    return render(
        request,
        "registry/edit_relapse_watch.html",
        {"household": detail.household, "detail": detail, "form": form},
    )
