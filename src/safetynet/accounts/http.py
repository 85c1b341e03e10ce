"""Request type for views behind ``login_required``: ``request.user`` is our User."""

from __future__ import annotations

from django.http import HttpRequest

from safetynet.accounts.models import User


class AuthenticatedRequest(HttpRequest):
    user: User
