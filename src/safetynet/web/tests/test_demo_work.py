"""`safetynet seed --county` leaves work to practise on (issue 11): cases in every step, a
publicity that has ended so the county can decide today, reviews due and overdue, a department
batch, a verification report and change reports, and the demo roles' workbenches show it."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

from safetynet.accounts.models import User
from safetynet.accounts.services import demo_accounts_reset
from safetynet.changes.models import ChangeReport
from safetynet.determination.models import Application, ReviewSchedule
from safetynet.feeds.models import FeedBatch, VerificationReport

pytestmark = pytest.mark.django_db
LANKAO = "410225"


def test_seed_adds_the_demo_work_once(make_household: Any) -> None:
    # Two families of the demo village who are not among the township's poorest.
    demo_accounts_reset(county_code=LANKAO)
    assistant = User.objects.get(username="demo_village")
    for _ in range(2):
        make_household(assistant, village=assistant.scope_region, wages=Decimal("6000.00"))
    out = io.StringIO()
    call_command("seed", county=LANKAO, households=700, seed=1, stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[-1] == "created=700 skipped=0"
    assert "submitted_by_village=1" in lines[-2]
    assert lines[-2].startswith("demo_work cases[")

    statuses = set(Application.objects.values_list("status", flat=True))
    assert {"submitted", "investigating", "publicity", "confirming", "confirmed"} <= statuses
    assert Application.objects.filter(status="confirming").count() >= 2
    assert ReviewSchedule.objects.count() >= 4
    assert FeedBatch.objects.count() == 1
    assert VerificationReport.objects.count() == 1
    assert ChangeReport.objects.count() == 4

    # Every demo role's workbench shows real work.
    client = Client()
    client.force_login(User.objects.get(username="demo_township"))
    home = client.get("/").context
    assert home["cases_due"] + home["cases_overdue"] > 0
    assert home["reviews_due"] > 0
    client.force_login(User.objects.get(username="demo_county"))
    home = client.get("/").context
    assert home["cases_due"] + home["cases_overdue"] > 0  # the two to decide
    client.force_login(User.objects.get(username="demo_village"))
    desk = client.get("/desk/")
    assert desk.status_code == 200
    assert len(desk.context["page"].object_list) == 1

    # A second run adds nothing.
    cases = Application.objects.count()
    again = io.StringIO()
    call_command("seed", county=LANKAO, households=700, seed=1, stdout=again)
    assert again.getvalue().splitlines()[-2].startswith("demo_work=skipped")
    assert Application.objects.count() == cases
