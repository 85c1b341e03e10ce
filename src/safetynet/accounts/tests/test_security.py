from __future__ import annotations

import os
import subprocess
import sys
from typing import Any

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import Client

from conftest import PASSWORD
from safetynet.accounts.scope import scope_queryset
from safetynet.registry.models import Household

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("password", ["short1", "onlyletterslong", "1234567890123", "password123"])
def test_weak_passwords_are_refused(password: str) -> None:
    with pytest.raises(ValidationError):
        validate_password(password)


def test_password_with_letters_and_digits_is_accepted() -> None:
    validate_password("Xiangzhen-2026-ok")


def test_login_locks_after_five_failures(client: Client, jinshui_officer: Any) -> None:
    for _ in range(5):
        client.post("/accounts/login/", {"username": "jinshui", "password": "wrong-9999"})
    response = client.post("/accounts/login/", {"username": "jinshui", "password": PASSWORD})
    assert response.status_code == 429
    assert "锁定" in response.content.decode()


def test_correct_password_logs_in(client: Client, jinshui_officer: Any) -> None:
    response = client.post("/accounts/login/", {"username": "jinshui", "password": PASSWORD})
    assert (response.status_code, response["Location"]) == (302, "/")


def test_sessions_expire_when_idle_and_with_the_browser() -> None:
    assert (
        settings.SESSION_COOKIE_AGE,
        settings.SESSION_SAVE_EVERY_REQUEST,
        settings.SESSION_EXPIRE_AT_BROWSER_CLOSE,
    ) == (1800, False, True)


def test_scope_filter_refuses_models_without_a_scope_field(jinshui_officer: Any) -> None:
    from safetynet.regions.models import Region

    with pytest.raises(TypeError):
        scope_queryset(Region.objects.all(), user=jinshui_officer)


def test_inactive_user_is_scoped_to_nothing(jinshui_officer: Any, make_household: Any) -> None:
    make_household(jinshui_officer)
    jinshui_officer.is_active = False
    assert not scope_queryset(Household.objects.all(), user=jinshui_officer).exists()


def test_check_deploy_is_clean_under_production_settings() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k != "DJANGO_ALLOW_ASYNC_UNSAFE"},
        "DJANGO_SETTINGS_MODULE": "config.settings.production",
        "SECRET_KEY": "p" * 30 + "-production-secret-for-the-deploy-check-0123456789",
        "FIELD_ENCRYPTION_KEYS": "ZGV2LW9ubHktZmllbGQta2V5LXN5bnRoZXRpYy1kYXQ=",
        "BLIND_INDEX_KEY": "deploy-check-blind-index-key",
        "ALLOWED_HOSTS": "safetynet.example.gov.cn",
    }
    result = subprocess.run(
        [sys.executable, "-m", "safetynet.cli", "check", "--deploy", "--fail-level", "DEBUG"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_its_keys() -> None:
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "FIELD_ENCRYPTION_KEYS", "BLIND_INDEX_KEY"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.production"
    result = subprocess.run(
        [sys.executable, "-m", "safetynet.cli", "check"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
