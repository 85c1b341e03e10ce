"""Finding 7 of issue 12: no caching of what a signed-in officer sees, a Content-Security-Policy
that the pages' own scripts live with, the password-spray limit on logins, and attachments whose
content must be the type they claim."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from conftest import PASSWORD, make_user
from safetynet.accounts.login import SPRAY_REFUSED
from safetynet.accounts.roles import Role
from safetynet.determination import services as determination
from safetynet.determination.models import AttachmentKind
from safetynet.registry.tests.exporting import export_job

pytestmark = pytest.mark.django_db

SRC = Path(determination.__file__).resolve().parents[2]  # src/safetynet


@pytest.fixture
def officer(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


def test_pages_exports_and_api_answers_of_a_signed_in_caller_are_not_stored(
    officer: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    job_id = export_job(officer)
    for path in (
        "/households/",
        f"/households/{household.pk}/",
        f"/jobs/{job_id}/download/",
        f"/api/households/{household.pk}",
    ):
        response = officer.get(path)
        assert response.status_code == 200, path
        assert "no-store" in response["Cache-Control"], path


def test_every_page_carries_a_csp_and_the_inline_script_its_nonce(
    officer: Client, jinshui_officer: Any, make_household: Any
) -> None:
    household = make_household(jinshui_officer)
    response = officer.get(f"/households/{household.pk}/")
    policy = response["Content-Security-Policy"]
    assert "object-src 'none'" in policy and "frame-ancestors 'none'" in policy
    nonce = re.search(r"'nonce-([^']+)'", policy)
    assert nonce is not None
    assert f'<script nonce="{nonce.group(1)}">' in response.content.decode()
    assert "Content-Security-Policy" in Client().get("/accounts/login/")


def test_no_template_relies_on_what_the_policy_blocks() -> None:
    """Inline handlers, javascript: links and inline scripts without the nonce would not run."""
    offenders = []
    for path in SRC.rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        if re.search(r"\son[a-z]+\s*=\s*[\"']", text) or "javascript:" in text:
            offenders.append(str(path))
        for tag in re.findall(r"<script\b[^>]*>", text):
            if "src=" not in tag and "csp_nonce" not in tag:
                offenders.append(f"{path}: {tag}")
    assert offenders == []


def _login(client: Client, username: str, password: str, address: str) -> Any:
    return client.post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
    )


def test_one_address_trying_many_usernames_is_stopped(settings: Any) -> None:
    settings.AXES_SPRAY_USERNAMES = 5
    make_user("real", Role.TOWNSHIP_OFFICER, None)
    client = Client()
    for n in range(5):
        _login(client, f"guess{n}", "Spring2026!", "10.0.0.9")
    refused = _login(client, "real", PASSWORD, "10.0.0.9")
    assert SPRAY_REFUSED in refused.content.decode()
    assert "_auth_user_id" not in client.session
    elsewhere = Client()
    assert _login(elsewhere, "real", PASSWORD, "10.0.0.10").status_code == 302


def test_random_bytes_claimed_as_pdf_are_refused(jinshui_officer: Any, make_household: Any) -> None:
    household = make_household(jinshui_officer)
    application = determination.application_submit(
        actor=jinshui_officer, household=household, type="dibao"
    )
    with pytest.raises(determination.DeterminationError, match="内容不是 PDF 文件"):
        determination.attachment_add(
            actor=jinshui_officer,
            application=application,
            kind=AttachmentKind.AUTHORISATION,
            content=b"\x00\x13\x37random bytes, not a document",
            filename="授权书.pdf",
            content_type="application/pdf",
        )
