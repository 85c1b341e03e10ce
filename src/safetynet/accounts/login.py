"""The login form: django-axes locks a username at one address after AXES_FAILURE_LIMIT
failures; this adds the password-spray limit — one address trying many usernames (one common
password against every account) is refused once it has failed for ``AXES_SPRAY_USERNAMES``
different usernames within the cool-off time, whatever the next username."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from axes.helpers import get_client_ip_address
from axes.models import AccessAttempt
from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm
from django.utils import timezone

SPRAY_REFUSED = "该地址登录失败的账号过多，已暂停登录，请稍后再试或联系系统管理员"


def spray_from(ip_address: str) -> bool:
    cooloff = timedelta(hours=float(settings.AXES_COOLOFF_TIME))
    usernames = (
        AccessAttempt.objects.filter(
            ip_address=ip_address, attempt_time__gte=timezone.now() - cooloff
        )
        .values("username")
        .distinct()
        .count()
    )
    return usernames >= settings.AXES_SPRAY_USERNAMES


class LoginForm(AuthenticationForm):
    spray = False  # the login page says why, instead of "wrong username or password"

    def clean(self) -> dict[str, Any]:
        address = get_client_ip_address(self.request) if self.request is not None else None
        if address and spray_from(address):
            self.spray = True
            raise forms.ValidationError(SPRAY_REFUSED, code="spray")
        return super().clean()
