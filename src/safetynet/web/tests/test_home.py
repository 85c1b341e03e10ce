"""The workbench: what a signed-in officer sees first."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safetynet.determination.tests.notice_cases import accepted_case, at

pytestmark = pytest.mark.django_db


def test_workbench_counts_the_officers_overdue_cases(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    # Accepted on 1 April 2026: the investigation was due to start within 3 working days.
    accepted_case(officer=jinshui_officer, household=make_household(jinshui_officer))
    client.force_login(jinshui_officer)

    with at(dt.date(2026, 5, 20)):
        response = client.get(reverse("web:home"))

    assert response.context["cases_overdue"] == 1
    assert "件已超期" in response.content.decode()


def test_another_districts_cases_are_not_counted(
    client: Client, jinshui_officer: Any, zhongyuan_officer: Any, make_household: Any
) -> None:
    accepted_case(officer=jinshui_officer, household=make_household(jinshui_officer))
    client.force_login(zhongyuan_officer)

    with at(dt.date(2026, 5, 20)):
        response = client.get(reverse("web:home"))

    assert response.context["cases_overdue"] == 0


def test_workbench_without_case_capability_shows_no_case_counts(
    client: Client, village_assistant: Any
) -> None:
    client.force_login(village_assistant)

    response = client.get(reverse("web:home"))

    assert "cases_overdue" not in response.context
