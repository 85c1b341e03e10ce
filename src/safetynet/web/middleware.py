"""Response headers that keep personal data where it belongs, the sessions' idle timeout, and the
maintenance switch (503 while keys rotate or a backup is restored).

- ``Cache-Control: no-store`` on every response to a signed-in caller (pages, exports, API
  answers, downloads): a shared or browser cache must not keep a household's data after the
  officer has gone (level-3 protection: no residual information).
- ``Content-Security-Policy``: scripts only from this site, inline ones only with the request's
  nonce (``request.csp_nonce``, used by the two page scripts); no plugins, no framing, forms post
  only here. Django 5.2 has no CSP of its own. Inline styles stay allowed (htmx's indicator style).
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from safetynet.core import maintenance
from safetynet.spreadsheets import exporter, exporter_label

CSP = (
    "default-src 'self'; script-src 'self' 'nonce-{nonce}'; style-src 'self' 'unsafe-inline'; "
    "img-src 'self' data:; font-src 'self'; connect-src 'self'; object-src 'none'; "
    "base-uri 'self'; form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        nonce = secrets.token_urlsafe(16)
        request.csp_nonce = nonce  # type: ignore[attr-defined]
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        # Who is named in the watermark of what this request exports (the API's token check
        # names its account itself, inside this block).
        with exporter(exporter_label(user) if signed_in else ""):
            response = self.get_response(request)
        user = getattr(request, "user", None)
        signed_in = bool(user is not None and user.is_authenticated)
        if signed_in or request.headers.get("Authorization", "").startswith("Bearer "):
            response["Cache-Control"] = "no-store, private"
            response["Pragma"] = "no-cache"
        if not any(request.path.startswith(p) for p in settings.CSP_EXEMPT_PATHS):
            response.setdefault("Content-Security-Policy", CSP.format(nonce=nonce))
        return response


SESSION_TOUCHED = "_touched"


class SessionTouchMiddleware:
    """The idle timeout without rewriting the session row on every request.

    A session expires ``SESSION_COOKIE_AGE`` after it was last saved. Instead of saving it on
    every request (``SESSION_SAVE_EVERY_REQUEST``: one UPDATE per page, poll and API call), this
    marks the session modified only when its last touch is older than ``SESSION_TOUCH_SECONDS``,
    so an active officer's session is rewritten at most once per that many seconds, and an idle
    one ends between ``SESSION_COOKIE_AGE - SESSION_TOUCH_SECONDS`` and ``SESSION_COOKIE_AGE``.
    """

    def __init__(
        self,
        get_response: Callable[[HttpRequest], HttpResponse],
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.get_response = get_response
        self.clock = clock

    def __call__(self, request: HttpRequest) -> HttpResponse:
        session = getattr(request, "session", None)
        user = getattr(request, "user", None)
        if session is not None and user is not None and user.is_authenticated:
            now = int(self.clock())
            touched = session.get(SESSION_TOUCHED)
            if not isinstance(touched, int) or now - touched >= settings.SESSION_TOUCH_SECONDS:
                session[SESSION_TOUCHED] = now
        return self.get_response(request)


MAINTENANCE_MESSAGE = "系统正在维护（更换密钥或恢复数据），请稍后再试"


class MaintenanceMiddleware:
    """503 on every request while ``core.maintenance`` is on (key rotation, restore)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not maintenance.active():
            return self.get_response(request)
        if request.path.startswith("/api/"):
            response: HttpResponse = JsonResponse({"detail": MAINTENANCE_MESSAGE}, status=503)
        else:
            response = render(
                request, "web/maintenance.html", {"message": MAINTENANCE_MESSAGE}, status=503
            )
        response["Retry-After"] = "600"
        return response
