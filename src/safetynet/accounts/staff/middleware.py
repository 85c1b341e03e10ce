"""An account with a one-time password (new, or reset by an administrator) may do nothing but
change it: every page sends it to 修改密码 until it has."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse

ALLOWED_PREFIXES = ("/static/", "/favicon", "/api/")


class PasswordChangeRequiredMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "must_change_password", False):
            change, logout = reverse("password_change"), reverse("logout")
            path = request.path
            if path not in (change, logout) and not path.startswith(ALLOWED_PREFIXES):
                messages.warning(request, "您正在使用一次性密码，请先设置自己的新密码。")
                return redirect(change)
        return self.get_response(request)
