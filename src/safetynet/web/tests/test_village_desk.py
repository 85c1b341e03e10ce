"""The village desk: register a household in its village, apply, follow its applications."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from conftest import new_id_number
from safetynet.determination.models import Application
from safetynet.registry.models import Household

pytestmark = pytest.mark.django_db


def _household_post(village_code: str = "") -> dict[str, str]:
    data = {
        "region": village_code,
        "residence": "",
        "address": "一组 3 号",
        "phone": "",
        "m-TOTAL_FORMS": "1",
        "m-INITIAL_FORMS": "0",
        "m-MIN_NUM_FORMS": "0",
        "m-MAX_NUM_FORMS": "1000",
        "m-0-name": "王大山",
        "m-0-id_number": new_id_number("410105"),
        "m-0-relation": "02",
        "m-0-co_resident": "on",
        "m-0-health_status": "healthy",
        "m-0-labour_capacity": "full",
        "m-0-school_stage": "none",
    }
    return data


def test_new_household_form_preselects_the_assistants_village(
    client: Client, village_assistant: Any
) -> None:
    client.force_login(village_assistant)

    response = client.get("/households/new/")

    assert response.context["form"]["region"].value() == village_assistant.scope_region_id
    assert village_assistant.scope_region.name in response.content.decode()


def test_village_assistant_registers_a_household_without_choosing_a_village(
    client: Client, village_assistant: Any
) -> None:
    client.force_login(village_assistant)

    response = client.post("/households/new/", _household_post())

    assert response.status_code == 302, response.context["form"].errors
    household = Household.objects.get()
    assert household.region_id == village_assistant.scope_region_id


def test_village_assistant_follows_the_application_it_submitted(
    client: Client, village_assistant: Any, make_household: Any
) -> None:
    household = make_household(village_assistant)
    client.force_login(village_assistant)

    response = client.post(
        f"/determination/apply/{household.pk}/",
        {"type": "dibao", "applicant": household.head_id, "applied_on": "2026-03-02"},
    )

    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/determination/cases/{application.pk}/"
    case = client.get(response["Location"])
    assert case.status_code == 200
    assert "上传材料" in case.content.decode()
    desk = client.get("/desk/").content.decode()
    assert application.number in desk and "共 1 条" in desk


def test_village_assistant_cannot_open_a_case_it_did_not_submit(
    client: Client, village_assistant: Any, jinshui_officer: Any, make_household: Any
) -> None:
    from safetynet.determination import services

    household = make_household(village_assistant)
    application = services.application_submit(
        actor=jinshui_officer, household=household, type="dibao"
    )
    client.force_login(village_assistant)

    response = client.get(f"/determination/cases/{application.pk}/")

    assert response.status_code == 403
    assert "本人提交的申请" in response.content.decode()
