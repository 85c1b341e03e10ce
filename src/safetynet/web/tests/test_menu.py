"""The side menu: grouped by work, only what the role may do, the current page marked."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safetynet.web.menu import breadcrumbs, menu_for

pytestmark = pytest.mark.django_db


def _labels(user: Any, path: str = "/") -> dict[str, list[str]]:
    return {s.label: [e.label for e in s.entries] for s in menu_for(user, path)}


def test_village_assistant_sees_its_desk_but_not_the_county_work(village_assistant: Any) -> None:
    menu = _labels(village_assistant)

    assert menu["对象管理"] == ["家庭档案", "新增家庭"]
    assert "审计日志" not in menu["系统设置"]
    assert "部门数据" not in menu
    assert all("县级审核" not in entries for entries in menu.values())


def test_auditor_sees_the_audit_log_and_no_editing(auditor: Any) -> None:
    menu = _labels(auditor)

    assert "审计日志" in menu["系统设置"]
    assert "新增家庭" not in menu["对象管理"]


def test_groups_follow_the_order_of_the_work(county_officer: Any) -> None:
    order = list(_labels(county_officer))

    assert order[:3] == ["工作台", "对象管理", "认定办理"]
    assert order.index("部门数据") < order.index("系统设置")


def test_the_current_page_is_marked_and_in_the_breadcrumbs(jinshui_officer: Any) -> None:
    sections = menu_for(jinshui_officer, "/households/12/edit/")
    current = [e.label for s in sections for e in s.entries if e.current]

    assert current == ["家庭档案"]
    assert [c.label for c in breadcrumbs(sections)] == ["首页", "对象管理", "家庭档案"]


def test_new_household_is_current_on_its_own_page_not_the_list(jinshui_officer: Any) -> None:
    sections = menu_for(jinshui_officer, reverse("registry:create"))

    assert [e.label for s in sections for e in s.entries if e.current] == ["新增家庭"]


def test_the_page_renders_the_side_menu(client: Client, jinshui_officer: Any) -> None:
    client.force_login(jinshui_officer)

    html = client.get(reverse("registry:list")).content.decode()

    assert 'class="sidebar"' in html
    assert 'aria-current="page">家庭档案<' in html
    assert "共 0 条" in html
