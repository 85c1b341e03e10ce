"""Pages of system management (系统设置 › 用户管理、接口令牌、部门单位). Thin: forms carry the
input, ``staff.services`` checks and writes, ``staff.selectors`` reads within the actor's region.

A one-time password or a new token is shown on the page that answers the POST, once: it is not
put in a message, a session or a redirect URL.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from safetynet.accounts import second_factor
from safetynet.accounts.http import AuthenticatedRequest
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import ROLE_CAPABILITIES, Capability, Role
from safetynet.accounts.services import AccountError
from safetynet.accounts.staff import selectors, services
from safetynet.accounts.staff.forms import (
    DisableForm,
    OfficeForm,
    TokenForm,
    UserFilterForm,
    UserForm,
)
from safetynet.audit.services import client_of
from safetynet.regions.models import Region

PAGE_SIZE = 50


def _region(request: AuthenticatedRequest, code: str) -> Region | None:
    """The region picked; the administrator's own region when none is picked."""
    code = code.strip() or (request.user.scope_region_id or "")
    return Region.objects.filter(code=code).first() if code else None


def _grantable_roles(user: Any) -> list[tuple[str, str]]:
    """The roles whose capabilities ``user`` holds, all of them (services check it again)."""
    return [
        (value, str(label))
        for value, label in Role.choices
        if all(user.has_capability(c) for c in ROLE_CAPABILITIES.get(value, frozenset()))
    ]


def _role_choices(form: UserForm, choices: list[tuple[str, str]]) -> None:
    field = form.fields["role"]
    assert isinstance(field, forms.ChoiceField)
    field.choices = choices


def _base(request: AuthenticatedRequest) -> dict[str, Any]:
    return {"scope_root": request.user.scope_region_id or ""}


@login_required
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_USERS)
    form = UserFilterForm(request.GET or None)
    criteria = form.cleaned_data if form.is_valid() else {}
    users = selectors.users_list(actor=request.user, **criteria)
    page = Paginator(users, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff/user_list.html",
        {**_base(request), "form": form, "page": page, "region": criteria.get("region", "")},
    )


@login_required
def user_new(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_USERS)
    form = UserForm(request.POST or None)
    _role_choices(form, [("", "（请选择）"), *_grantable_roles(request.user)])
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            user, password = services.user_create(
                actor=request.user,
                username=data["username"],
                real_name=data["real_name"],
                post=data["post"],
                phone=data["phone"],
                role=data["role"],
                department=data["department"],
                scope_region=_region(request, data["scope_region"]),
                client=client_of(request),
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            return render(
                request,
                "accounts/staff/password_once.html",
                {"account": user, "password": password, "created": True},
            )
    return render(
        request,
        "accounts/staff/user_form.html",
        {**_base(request), "form": form, "region_value": form["scope_region"].value() or ""},
    )


@login_required
def user_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(actor=request.user, pk=pk)
    initial = {
        "real_name": account.real_name,
        "post": account.post,
        "phone": account.phone,
        "role": account.role,
        "department": account.department,
        "scope_region": account.scope_region_id or "",
    }
    form = UserForm(request.POST or None, initial=initial, editing=True)
    _role_choices(form, _grantable_roles(request.user))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        changes = {
            "real_name": data["real_name"],
            "post": data["post"],
            "phone": data["phone"],
            "role": data["role"],
            "department": data["department"],
            "scope_region": _region(request, data["scope_region"]),
        }
        try:
            changed = services.user_update(
                actor=request.user, user=account, changes=changes, client=client_of(request)
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(
                request, "已保存：" + "、".join(changed) if changed else "没有需要保存的修改"
            )
            return redirect("system:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/staff/user_detail.html",
        {
            **_base(request),
            "account": account,
            "form": form,
            "region_value": form["scope_region"].value() or "",
            "tokens": selectors.tokens_list(actor=request.user, user=account),
            "token_form": TokenForm(initial={"user": account.pk}),
            "disable_form": DisableForm(),
            "own": account.pk == request.user.pk,
            "second_factor": second_factor.enrolled(account),
        },
    )


@login_required
@require_POST
def user_active(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(actor=request.user, pk=pk)
    active = request.POST.get("active") == "1"
    form = DisableForm(request.POST)
    reason = form.data.get("reason", "")
    try:
        services.user_set_active(
            actor=request.user,
            user=account,
            active=active,
            reason=str(reason),
            client=client_of(request),
        )
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, f"账号 {account.username} 已{'启用' if active else '停用'}")
    return redirect("system:user_detail", pk=account.pk)


@login_required
@require_POST
def user_password(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(actor=request.user, pk=pk)
    try:
        password = services.user_password_reset(
            actor=request.user, user=account, client=client_of(request)
        )
    except AccountError as exc:
        messages.error(request, str(exc))
        return redirect("system:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/staff/password_once.html",
        {"account": account, "password": password, "created": False},
    )


@login_required
@require_POST
def user_second_factor(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    account = selectors.user_get(actor=request.user, pk=pk)
    try:
        services.user_second_factor_reset(
            actor=request.user, user=account, client=client_of(request)
        )
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(
            request, f"已重置账号 {account.username} 的二次验证，该用户下次登录时须重新绑定。"
        )
    return redirect("system:user_detail", pk=account.pk)


@login_required
def token_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_USERS)
    page = Paginator(selectors.tokens_list(actor=request.user), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(request, "accounts/staff/token_list.html", {"page": page})


@login_required
@require_POST
def token_new(request: AuthenticatedRequest) -> HttpResponse:
    form = TokenForm(request.POST)
    if not form.is_valid():
        require(request.user, Capability.MANAGE_USERS)
        messages.error(request, "请填写令牌用途")
        return redirect("system:tokens")
    account = selectors.user_get(actor=request.user, pk=form.cleaned_data["user"])
    try:
        raw = services.token_create(
            actor=request.user, user=account, name=form.cleaned_data["name"]
        )
    except AccountError as exc:
        messages.error(request, str(exc))
        return redirect("system:user_detail", pk=account.pk)
    return render(
        request,
        "accounts/staff/token_once.html",
        {"account": account, "token": raw, "name": form.cleaned_data["name"]},
    )


@login_required
@require_POST
def token_revoke(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    token = selectors.token_get(actor=request.user, pk=pk)
    services.token_revoke(actor=request.user, token=token)
    messages.success(request, f"接口令牌 #{token.pk}（{token.name}）已撤销")
    target = request.POST.get("back", "")
    if target == "user":
        return redirect("system:user_detail", pk=token.user_id)
    return redirect("system:tokens")


@login_required
def office_list(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_USERS)
    department = request.GET.get("department", "")
    offices = selectors.offices_list(actor=request.user, department=department)
    page = Paginator(offices, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "accounts/staff/office_list.html",
        {
            "page": page,
            "counts": selectors.department_counts(actor=request.user),
            "department": department,
        },
    )


def _office_form(request: AuthenticatedRequest, office: Any) -> HttpResponse:
    initial: dict[str, Any] = {"is_active": True}
    if office is not None:
        initial = {
            "name": office.name,
            "department": office.department,
            "phone": office.phone,
            "address": office.address,
            "is_active": office.is_active,
            "region": office.region_id,
        }
    form = OfficeForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        region = _region(request, data.pop("region"))
        try:
            saved = services.office_save(
                actor=request.user,
                office=office,
                region=region,
                data=data,
                client=client_of(request),
            )
        except AccountError as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"已保存：{saved.name}")
            return redirect("system:offices")
    return render(
        request,
        "accounts/staff/office_form.html",
        {
            **_base(request),
            "form": form,
            "office": office,
            "region_value": form["region"].value() or "",
        },
    )


@login_required
def office_new(request: AuthenticatedRequest) -> HttpResponse:
    require(request.user, Capability.MANAGE_USERS)
    return _office_form(request, None)


@login_required
def office_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _office_form(request, selectors.office_get(actor=request.user, pk=pk))
