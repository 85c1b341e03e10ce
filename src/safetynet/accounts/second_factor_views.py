"""The enrolment, code and password pages of ``second_factor`` (ADR 0017)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme

from safetynet.accounts import second_factor

RECOVERY_USED = "您使用了恢复码登录；如手机丢失，请联系管理员重置二次验证"


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or "/"
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return "/"
    return target


@login_required
def enrol(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if second_factor.enrolled(user):
        return redirect("/accounts/second-factor/")
    error = ""
    if request.method == "POST":
        codes = second_factor.enrolment_confirm(user, request.POST.get("code", ""))
        if codes is not None:
            request.session[second_factor.VERIFIED] = True
            return render(
                request,
                "registration/recovery_codes.html",
                {"codes": codes, "next": _next(request)},
            )
        error = "动态口令不正确，请核对手机时间后重新输入"
    secret, svg = second_factor.enrolment_start(user)
    return render(
        request,
        "registration/enrol.html",
        {"secret": secret, "qr_svg": svg, "error": error, "next": _next(request)},
    )


@login_required
def code(request: HttpRequest) -> HttpResponse:
    user: Any = request.user
    if not second_factor.enrolled(user):
        return redirect("/accounts/enrol/")
    error = ""
    if request.method == "POST":
        used = second_factor.verify(user, request.POST.get("code", ""))
        if used:
            request.session.cycle_key()
            request.session[second_factor.VERIFIED] = True
            if used == "recovery":
                messages.warning(
                    request, "您使用了恢复码登录；如手机丢失，请联系管理员重置二次验证"
                )
            return redirect(_next(request))
        error = "动态口令或恢复码不正确"
    return render(
        request, "registration/second_factor.html", {"error": error, "next": _next(request)}
    )
