"""Authentication of API requests: a bearer token for department systems, the login session for
the browser (with Django's CSRF check on unsafe methods).

Both mark the request so that audit records it causes carry the channel "api", and both make
``request.user`` the acting user so that the scope filter and capability checks see who it is.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone
from ninja.security import HttpBearer, SessionAuth

from safetynet.accounts.models import ApiToken, User
from safetynet.spreadsheets import exporter_label, exporter_set

# last_used_at is a hint for administrators ("is this token still in use?"), not a log; writing
# it at most once a minute keeps a busy department system from costing a write per request.
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)

API_CHANNEL = "api"


def _mark(request: HttpRequest, user: User) -> User:
    request.user = user
    request.audit_channel = API_CHANNEL  # type: ignore[attr-defined]
    exporter_set(exporter_label(user))  # the watermark of what this call exports
    return user


class ApiTokenAuth(HttpBearer):
    """``Authorization: Bearer <token>``; tokens are created with `safetynet api_token create`."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        token = token.strip()
        if not token:
            return None
        api_token = (
            ApiToken.objects.select_related("user", "user__scope_region")
            .filter(token_hash=ApiToken.hash(token), revoked_at__isnull=True)
            .first()
        )
        if api_token is None or not api_token.user.is_active:
            return None
        now = timezone.now()
        stale = now - LAST_USED_RESOLUTION
        if api_token.last_used_at is None or api_token.last_used_at <= stale:
            # Conditional so that concurrent requests write it once.
            ApiToken.objects.filter(pk=api_token.pk).filter(
                Q(last_used_at__isnull=True) | Q(last_used_at__lte=stale)
            ).update(last_used_at=now)
        return _mark(request, api_token.user)


class ApiSessionAuth(SessionAuth):
    """ninja's ``django_auth`` (session cookie, CSRF enforced on unsafe methods), marking the
    request as an API request for the audit trail."""

    def _get_key(self, request: HttpRequest) -> str | None:
        # Without a session cookie there is no session to forge: answer 401, not a CSRF 403.
        if self.param_name not in request.COOKIES:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        if key is None:
            return None
        user = super().authenticate(request, key)
        if user is None or not user.is_active:
            return None
        return _mark(request, user)


# Bearer first: a department system sends no cookie, so it never meets the CSRF check.
API_AUTH = [ApiTokenAuth(), ApiSessionAuth()]
