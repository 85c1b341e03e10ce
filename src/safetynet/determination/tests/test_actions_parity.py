"""The case page and ``GET /api/cases/{id}`` offer the same actions for the same case and user:
both come from ``selectors.actions_for``. Checked over cases at several steps (including a data
check waiting for its answer, a refusal with a transfer offered) and users of several roles."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client

from safetynet.determination import services
from safetynet.determination.models import Application, ApplicationType, Transfer
from safetynet.determination.procedure.views.actions import ACTIONS
from safetynet.determination.tests.conftest import (
    authorise,
    investigate,
    publicise,
    submit_and_accept,
)

pytestmark = pytest.mark.django_db

D = dt.date
DATA_ACTION = re.compile(r'data-action="([\w-]+)"')


def _page_actions(user: Any, application: Application) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/determination/cases/{application.pk}/")
    assert response.status_code == 200
    slugs = DATA_ACTION.findall(response.content.decode())
    return {"attachment_add" if s == "upload" else ACTIONS[s].service for s in slugs}


def _api_actions(user: Any, application: Application) -> set[str]:
    client = Client()
    client.force_login(user)
    response = client.get(f"/api/cases/{application.pk}")
    assert response.status_code == 200
    return set(response.json()["actions"])


def _assert_parity(users: list[Any], application: Application) -> None:
    application.refresh_from_db()
    for user in users:
        page, api = _page_actions(user, application), _api_actions(user, application)
        assert page == api, (user.username, application.status)


def test_page_and_api_offer_the_same_actions_at_every_step(
    clock: Any,
    household: Any,
    jinshui_officer: Any,
    county_officer: Any,
) -> None:
    users = [jinshui_officer, county_officer]
    clock.on(D(2026, 3, 2))
    submitted = services.application_submit(
        actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
    )
    _assert_parity(users, submitted)
    authorise(jinshui_officer, submitted)
    app = services.application_accept(actor=jinshui_officer, application=submitted)
    _assert_parity(users, app)
    # A data check waiting for its answer: the township may not ask again, the county answers.
    services.data_check_request(actor=jinshui_officer, application=app)
    _assert_parity(users, app)
    assert "data_check_answer" in _api_actions(county_officer, app)
    assert "data_check_request" not in _api_actions(jinshui_officer, app)


def test_page_and_api_agree_through_publicity_confirmation_and_transfer(
    clock: Any, make_household: Any, jinshui_officer: Any, county_officer: Any, standards: Any
) -> None:
    users = [jinshui_officer, county_officer]
    # 800 a head: above the dibao standard (700.33), below 1.5 times it — a transfer to
    # near-dibao is offered after the refusal.
    household = make_household(jinshui_officer, wages=Decimal("1600.00"))
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    investigate(jinshui_officer, county_officer, app, clock, D(2026, 3, 3), D(2026, 3, 4))
    _assert_parity(users, app)
    publicise(jinshui_officer, app, clock, D(2026, 3, 5))
    _assert_parity(users, app)
    clock.on(D(2026, 3, 12))
    services.publicity_close(actor=jinshui_officer, application=app)
    _assert_parity(users, app)
    assert {"decision_confirm", "decision_refuse"} <= _api_actions(county_officer, app)
    assert not {"decision_confirm", "decision_refuse"} & _api_actions(jinshui_officer, app)
    services.decision_refuse(actor=county_officer, application=app, reasons="收入超过低保标准。")
    _assert_parity(users, app)
    app.refresh_from_db()
    services.transfer_offer(actor=jinshui_officer, application=app)
    assert Transfer.objects.filter(application=app, consent__isnull=True).exists()
    _assert_parity(users, app)
    assert "transfer_consent" in _api_actions(jinshui_officer, app)
    assert "transfer_offer" not in _api_actions(jinshui_officer, app)
