"""Users are named by real name and post on screens and documents, never by login name."""

from __future__ import annotations

from typing import Any

import pytest

from safetynet.accounts.models import User
from safetynet.accounts.services import demo_accounts_reset
from safetynet.feeds.verification_services import _issuer

pytestmark = pytest.mark.django_db


def test_signature_is_real_name_and_post(county_officer: Any) -> None:
    county_officer.real_name = "张丽"
    county_officer.post = "社会救助股股长"

    assert county_officer.display_name == "张丽"
    assert county_officer.signature == "张丽（社会救助股股长）"
    assert _issuer(county_officer) == "张丽（社会救助股股长）"


def test_without_a_real_name_the_username_stands_in(county_officer: Any) -> None:
    assert county_officer.signature == "county"


def test_demo_accounts_have_real_names_and_posts() -> None:
    demo_accounts_reset(county_code="410225")

    for user in User.objects.filter(username__startswith="demo_"):
        assert user.real_name and user.post, user.username
        assert user.username not in user.signature
