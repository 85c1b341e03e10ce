"""The one permission layer: refusals by capability, the scope check on an object, and the Chinese
answers of the web and the API."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404
from django.test import Client

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied, require
from safetynet.accounts.roles import Capability
from safetynet.regions.models import Region


def test_require_refuses_a_capability_the_role_lacks(village_assistant: User) -> None:
    with pytest.raises(PermissionDenied, match="审核确认"):
        require(village_assistant, Capability.CONFIRM_DETERMINATION)


def test_require_passes_a_capability_the_role_holds(jinshui_officer: User) -> None:
    require(jinshui_officer, Capability.ACCEPT_APPLICATIONS)


def test_require_refuses_an_inactive_user(jinshui_officer: User) -> None:
    jinshui_officer.is_active = False
    with pytest.raises(PermissionDenied):
        require(jinshui_officer, Capability.VIEW_HOUSEHOLDS)


def test_require_answers_not_found_for_an_object_outside_scope(
    jinshui_officer: User, zhongyuan_township: Region
) -> None:
    with pytest.raises(Http404):
        require(jinshui_officer, Capability.VIEW_HOUSEHOLDS, zhongyuan_township)


def test_require_passes_an_object_inside_scope(
    jinshui_officer: User, jinshui_township: Region
) -> None:
    require(jinshui_officer, Capability.VIEW_HOUSEHOLDS, jinshui_township)


def test_refusal_is_djangos_permission_denied() -> None:
    from django.core.exceptions import PermissionDenied as DjangoPermissionDenied

    assert issubclass(PermissionDenied, DjangoPermissionDenied)


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_web_refusal_is_a_chinese_page(village_assistant: User, settings: Any) -> None:
    settings.DEBUG = False
    response = _client(village_assistant).get("/audit/")
    assert response.status_code == 403
    text = response.content.decode()
    assert "无权操作" in text
    assert "Forbidden" not in text


def test_missing_page_is_a_chinese_page(jinshui_officer: User, settings: Any) -> None:
    settings.DEBUG = False
    response = _client(jinshui_officer).get("/households/999999999/")
    assert response.status_code == 404
    assert "未找到该页面或记录" in response.content.decode()


def test_csrf_refusal_is_a_chinese_page(jinshui_officer: User) -> None:
    client = Client(enforce_csrf_checks=True)
    client.force_login(jinshui_officer)
    response = client.post("/households/new/", {})
    assert response.status_code == 403
    assert "CSRF" in response.content.decode()
    assert "刷新页面" in response.content.decode()
