"""Finding 5 of issue 12: what a fuzzer sent that became a 500 or an HTML page under /api/ — a
422 on a multipart endpoint, a page number no database takes, a non-integer ID in a path — now
answers a JSON 4xx, and 422 is documented on every operation that can answer it."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

pytestmark = pytest.mark.django_db

HUGE = "9223372036854775807"


@pytest.fixture
def officer(client: Client, county_officer: Any) -> Client:
    client.force_login(county_officer)
    return client


def test_attachment_with_a_bad_kind_is_422_not_500(officer: Client) -> None:
    response = officer.post(
        "/api/cases/1/attachments",
        {"kind": "nonsense", "file": SimpleUploadedFile("a.pdf", b"%PDF-1.4\n")},
    )
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["value"]) == ("kind", "nonsense")


def test_attachment_without_a_file_is_422_not_500(officer: Client) -> None:
    response = officer.post("/api/cases/1/attachments", {"kind": "photo"})
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")


def test_batch_upload_without_source_is_422_not_500(officer: Client) -> None:
    response = officer.post(
        "/api/feeds/batches", {"period": "2026-01", "file": SimpleUploadedFile("a.csv", b"x")}
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "source"


@pytest.mark.parametrize("path", ["/api/households", "/api/persons", "/api/feeds/batches"])
def test_a_page_number_no_database_takes_is_422(officer: Client, path: str) -> None:
    response = officer.get(path, {"page": HUGE})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "page"


@pytest.mark.parametrize(
    "path", ["/api/households/abc", "/api/persons/1.5", "/api/cases/x/attachments", "/api/nothing"]
)
def test_unmatched_api_paths_answer_json_404(officer: Client, path: str) -> None:
    response = officer.get(path)
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["detail"]


def test_pages_outside_the_api_keep_the_html_404(officer: Client) -> None:
    response = officer.get("/households/abc/")
    assert response.status_code == 404 and "<html" in response.content.decode()


def test_list_operations_document_422(officer: Client) -> None:
    document = officer.get("/api/openapi.json").json()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if method == "get" and operation.get("parameters"):
                assert "422" in operation["responses"], (method, path)
