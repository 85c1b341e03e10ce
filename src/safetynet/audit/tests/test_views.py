from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_auditor_finds_views_of_a_household(
    client: Client, auditor: Any, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    officer = Client()
    officer.force_login(jinshui_officer)
    officer.get(f"/households/{household.pk}/")
    client.force_login(auditor)
    response = client.get("/audit/", {"action": "view", "object_id": household.pk})
    records = list(response.context["page"].object_list)
    assert [(r.actor_username, r.object_id) for r in records] == [("jinshui", str(household.pk))]


def test_township_officer_cannot_search_the_audit_log(client: Client, jinshui_officer: Any) -> None:
    client.force_login(jinshui_officer)
    assert client.get("/audit/").status_code == 403


def test_audit_record_keeps_the_client_address(
    client: Client, jinshui_officer: Any, make_household: Any
) -> None:
    from safetynet.audit.models import AuditRecord

    household = make_household(jinshui_officer)
    client.force_login(jinshui_officer)
    client.get(f"/households/{household.pk}/", REMOTE_ADDR="10.1.2.3")
    assert AuditRecord.objects.latest("id").ip_address == "10.1.2.3"


def test_a_search_by_full_id_number_is_audited_without_the_number(
    client: Client, auditor: Any, jinshui_officer: Any, make_household: Any
) -> None:
    from safetynet.registry.identity import decrypt_id_number
    from safetynet.registry.models import Person

    household = make_household(jinshui_officer)
    number = decrypt_id_number(Person.objects.get(pk=household.head_id).id_number_encrypted)
    officer = Client()
    officer.force_login(jinshui_officer)
    # The list page takes a whole ID number by POST and shows it under a search token.
    officer.get(officer.post("/households/", {"q": number})["Location"])
    client.force_login(auditor)

    response = client.get("/audit/", {"action": "search"})

    records = list(response.context["page"].object_list)
    assert [(r.actor_username, r.object_type) for r in records] == [("jinshui", "household_search")]
    assert "找到 1 条" in records[0].summary
    assert number not in str(records[0].summary) + str(records[0].detail)


def test_a_search_by_name_is_not_an_id_search(
    client: Client, auditor: Any, jinshui_officer: Any, make_household: Any
) -> None:
    make_household(jinshui_officer)
    officer = Client()
    officer.force_login(jinshui_officer)
    officer.get("/households/", {"q": "张"})
    client.force_login(auditor)

    assert list(client.get("/audit/", {"action": "search"}).context["page"].object_list) == []
