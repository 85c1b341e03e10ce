"""急难社会救助 (四(三)): a township grants within its delegated limit at once (an assistance
record, paperwork due within the local deadline); above the limit it is refused at township level
and routed to the county, which grants or refuses."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from safetynet.accounts.permissions import PermissionDenied
from safetynet.assistance.emergency import services
from safetynet.assistance.models import AssistanceRecord, EmergencyStatus

pytestmark = pytest.mark.django_db


def test_within_the_township_limit_it_is_granted_at_once(
    settings: Any, jinshui_officer: Any, household: Any
) -> None:
    settings.ASSISTANCE_TOWNSHIP_EMERGENCY_LIMIT = {"urban": "2000.00", "rural": "2000.00"}
    grant = services.emergency_grant(
        actor=jinshui_officer, household=household, amount=Decimal("2000"), reason="房屋失火"
    )

    assert grant.status == EmergencyStatus.GRANTED
    assert grant.paperwork_due is not None and grant.paperwork_due > grant.requested_on
    record = AssistanceRecord.objects.get(pk=grant.record_id)
    assert (record.item, record.amount, record.source) == (
        "emergency_assistance",
        Decimal("2000.00"),
        "emergency",
    )


def test_above_the_limit_it_is_refused_and_routed_to_the_county(
    settings: Any, jinshui_officer: Any, county_officer: Any, household: Any
) -> None:
    settings.ASSISTANCE_TOWNSHIP_EMERGENCY_LIMIT = {"urban": "2000.00", "rural": "2000.00"}
    grant = services.emergency_grant(
        actor=jinshui_officer, household=household, amount=Decimal("2000.01"), reason="重病急需"
    )

    assert grant.status == EmergencyStatus.ROUTED and grant.record is None
    assert not AssistanceRecord.objects.filter(household=household).exists()
    routed = services.visible_grants(user=county_officer).filter(status=EmergencyStatus.ROUTED)
    assert list(routed) == [grant]
    with pytest.raises(PermissionDenied):
        services.county_decide(actor=jinshui_officer, grant=grant, approve=True, note="")
    decided = services.county_decide(
        actor=county_officer, grant=grant, approve=True, note="县级协调机制同意"
    )
    assert decided.status == EmergencyStatus.COUNTY_GRANTED
    assert AssistanceRecord.objects.get(pk=decided.record_id).amount == Decimal("2000.01")


def test_the_page_says_it_went_to_the_county(
    settings: Any, client: Client, jinshui_officer: Any, household: Any
) -> None:
    settings.ASSISTANCE_TOWNSHIP_EMERGENCY_LIMIT = {"urban": "2000.00", "rural": "2000.00"}
    client.force_login(jinshui_officer)

    response = client.post(
        reverse("assistance:emergency_new", args=[household.pk]),
        {"amount": "5000", "reason": "遭遇车祸"},
        follow=True,
    )

    page = response.content.decode()
    assert "超出乡镇审批权限" in page and "超出乡镇权限，已报县级" in page
