"""A township officer of 中原区 gets nothing of a 金水区 case through any determination screen
(work queues, case pages, actions; the documents, inclusion and review screens have their own).

The matrix is built from ``urls_web``, with every action slug, so a new screen that takes an id
is covered (or fails the completeness test) without anyone remembering to add it.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, reverse

from safetynet.determination import services
from safetynet.determination.models import Application, ApplicationType, Attachment
from safetynet.determination.procedure.urls import urlpatterns as web_urls
from safetynet.determination.procedure.views.actions import ACTIONS
from safetynet.determination.tests.conftest import authorise
from safetynet.registry.identity import decrypt_id_number

pytestmark = pytest.mark.django_db


def _patterns() -> list[URLPattern]:
    return [p for p in web_urls if isinstance(p, URLPattern) and "<int:" in str(p.pattern)]


@pytest.fixture
def foreign(clock: Any, jinshui_officer: Any, make_household: Any) -> dict[str, Any]:
    clock.on(dt.date(2026, 3, 2))
    household = make_household(jinshui_officer, head_name="欧阳秘密")
    application = services.application_submit(
        actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
    )
    authorise(jinshui_officer, application)
    attachment = Attachment.objects.get(application=application)
    return {
        "application": application,
        "kwargs": {
            "pk": application.pk,
            "household_pk": household.pk,
            "attachment_id": attachment.pk,
        },
        "secrets": [
            "欧阳秘密",
            household.head.id_number_masked,
            decrypt_id_number(household.head.id_number_encrypted),
        ],
    }


@pytest.fixture
def outsider(client: Client, zhongyuan_officer: Any) -> Client:
    client.force_login(zhongyuan_officer)
    return client


def _urls(foreign: dict[str, Any]) -> list[tuple[str, str]]:
    urls = []
    for pattern in _patterns():
        wanted = set(pattern.pattern.regex.groupindex)
        kwargs = {k: v for k, v in foreign["kwargs"].items() if k in wanted}
        if "action" in wanted:
            for slug in ACTIONS:
                url = reverse(f"determination:{pattern.name}", kwargs={**kwargs, "action": slug})
                urls.append((f"{pattern.name}:{slug}", url))
        else:
            urls.append(
                (str(pattern.name), reverse(f"determination:{pattern.name}", kwargs=kwargs))
            )
    return urls


def test_every_id_url_is_reachable_by_the_matrix(foreign: dict[str, Any]) -> None:
    for pattern in _patterns():
        wanted = set(pattern.pattern.regex.groupindex) - {"action"}
        assert wanted <= set(foreign["kwargs"]), pattern.name


def test_matrix_covers_the_case_screens(foreign: dict[str, Any]) -> None:
    names = {name.split(":")[0] for name, _ in _urls(foreign)}
    assert {
        "case",
        "action",
        "attachment_upload",
        "attachment_download",
        "application_new",
        "household_chain",
    } <= names


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_township_gets_404_or_403_from_every_case_url(
    outsider: Client, foreign: dict[str, Any], method: str
) -> None:
    for name, url in _urls(foreign):
        response = getattr(outsider, method)(url, {"version": foreign["application"].version})
        assert response.status_code in (403, 404, 405), (name, response.status_code)
        body = response.content.decode(errors="replace")
        for secret in foreign["secrets"]:
            assert secret not in body, name


def test_other_township_post_changes_nothing(outsider: Client, foreign: dict[str, Any]) -> None:
    application = foreign["application"]
    for _, url in _urls(foreign):
        outsider.post(
            url,
            {
                "version": application.version,
                "accepted_on": "2026-03-02",
                "missing_items": "户口簿",
                "reason": "篡改",
                "type": "destitute",
            },
        )
    stored = Application.objects.get(pk=application.pk)
    assert (stored.status, stored.version) == (application.status, application.version)
    assert Application.objects.filter(household=application.household).count() == 1


def test_other_township_queues_do_not_list_it(outsider: Client, foreign: dict[str, Any]) -> None:
    for url in ("/determination/", "/determination/county/", "/determination/escalations/"):
        response = outsider.get(url, {"region": foreign["application"].region_id})
        assert response.status_code in (200, 404), url
        if response.status_code == 200:
            assert list(response.context["page"].object_list) == [], url
