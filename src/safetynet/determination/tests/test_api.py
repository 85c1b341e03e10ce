"""The cases API: scope isolation for every endpoint (built from the OpenAPI document, session and
bearer token), the procedure through the API, the version conflict (409), permissions (403),
refused inputs (422 naming the field), the reviews due and their outcome.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from safetynet.accounts.services import api_token_create
from safetynet.api import api
from safetynet.audit.models import Action, AuditRecord
from safetynet.determination import services
from safetynet.determination.models import (
    Application,
    ApplicationType,
    ReviewOutcome,
    ReviewSchedule,
    Status,
)
from safetynet.determination.services import CASE_CHANGED
from safetynet.determination.tests.conftest import PDF, authorise
from safetynet.policy.calendar import workdays

pytestmark = pytest.mark.django_db

D = dt.date
PREFIX = "/api/cases"
AUTH_MODES = ["session", "token"]

# A valid body for every write, so that a refusal is the scope's doing and not the body's.
BODIES: dict[str, dict[str, Any]] = {
    "/api/cases/reviews/{review_id}": {"outcome": "continue", "notes": "情况无变化"},
    "/api/cases/{case_id}/accept": {"version": 1},
    "/api/cases/{case_id}/return": {"version": 1, "missing_items": ["户口簿"]},
    "/api/cases/{case_id}/resubmit": {"version": 1},
    "/api/cases/{case_id}/withdraw": {"version": 1, "reason": "申请人撤回"},
    "/api/cases/{case_id}/home-visits": {
        "version": 1,
        "visited_on": "2026-03-02",
        "staff": ["王五", "赵六"],
        "findings": "属实",
    },
    "/api/cases/{case_id}/data-checks": {"version": 1},
    "/api/cases/{case_id}/data-checks/{check_id}/answer": {"version": 1, "answer": "无财产"},
    "/api/cases/{case_id}/township-review": {"version": 1, "opinion": "符合条件"},
    "/api/cases/{case_id}/publicity": {"version": 1, "place": "村务公开栏"},
    "/api/cases/{case_id}/objections": {"version": 1, "content": "有车"},
    "/api/cases/{case_id}/publicity/close": {"version": 1},
    "/api/cases/{case_id}/spot-check": {"version": 1, "result": "consistent"},
    "/api/cases/{case_id}/confirm": {"version": 1},
    "/api/cases/{case_id}/refuse": {"version": 1, "reasons": "收入超标"},
    "/api/cases/{case_id}/refusal-notice": {"version": 1},
    "/api/cases/{case_id}/extend": {"version": 1, "reason": "需补充调查"},
    "/api/cases/{case_id}/transfer": {"version": 1},
    "/api/cases/{case_id}/transfer/consent": {"version": 1, "consent": True},
}
MULTIPART = {"/api/cases/{case_id}/attachments"}


def api_client(user: Any, how: str) -> Client:
    if how == "session":
        client = Client()
        client.force_login(user)
        return client
    raw = api_token_create(user=user, name="测试系统", actor=user)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def post(client: Client, path: str, body: dict[str, Any]) -> Any:
    return client.post(path, data=json.dumps(body), content_type="application/json")


def call(client: Client, method: str, template: str, ids: dict[str, int]) -> Any:
    path = template.format(**ids)
    if method == "get":
        return client.get(path)
    if template in MULTIPART:
        return client.post(path, {"kind": "other", "file": _upload()})
    return post(client, path, BODIES[template])


def _upload() -> Any:
    return SimpleUploadedFile("材料.pdf", PDF, content_type="application/pdf")


def case_operations() -> list[tuple[str, str]]:
    paths = api.get_openapi_schema()["paths"]
    return [
        (method, path)
        for path, operations in paths.items()
        if path.startswith(PREFIX)
        for method in operations
    ]


def id_operations() -> list[tuple[str, str]]:
    return [(method, path) for method, path in case_operations() if "{" in path]


@pytest.fixture(autouse=True)
def _frozen(clock: Any) -> None:
    clock.on(D(2026, 3, 2))


@pytest.fixture
def case(jinshui_officer: Any, household: Any) -> Application:
    """A dibao application accepted, with a data check requested."""
    application = services.application_submit(
        actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
    )
    authorise(jinshui_officer, application)
    services.application_accept(actor=jinshui_officer, application=application)
    services.data_check_request(actor=jinshui_officer, application=application)
    application.refresh_from_db()
    return application


@pytest.fixture
def review(jinshui_officer: Any, make_household: Any) -> ReviewSchedule:
    household = make_household(jinshui_officer, head_name="复核户")
    services.direct_inclusion(
        actor=jinshui_officer,
        household=household,
        type=ApplicationType.NEAR_DIBAO,
        identified_on=D(2025, 2, 1),
    )
    return ReviewSchedule.objects.get(household=household)


@pytest.fixture
def ids(case: Application, review: ReviewSchedule) -> dict[str, int]:
    return {
        "case_id": case.pk,
        "check_id": case.data_checks.get().pk,
        "review_id": review.pk,
    }


@pytest.fixture
def officer(jinshui_officer: Any) -> Client:
    return api_client(jinshui_officer, "token")


# --- scope isolation ---------------------------------------------------------------------------


def test_every_case_endpoint_is_in_the_matrix(ids: dict[str, int]) -> None:
    for method, path in id_operations():
        path.format(**ids)
        assert method == "get" or path in BODIES or path in MULTIPART, (method, path)


@pytest.mark.parametrize("how", AUTH_MODES)
def test_other_township_gets_404_from_every_case_endpoint(
    zhongyuan_officer: Any, ids: dict[str, int], how: str
) -> None:
    client = api_client(zhongyuan_officer, how)
    for method, path in id_operations():
        response = call(client, method, path, ids)
        assert response.status_code == 404, (method, path, response.status_code)
        assert "张三" not in response.content.decode(), (method, path)


def test_other_township_actions_change_nothing(
    zhongyuan_officer: Any, case: Application, ids: dict[str, int]
) -> None:
    client = api_client(zhongyuan_officer, "token")
    before = case.version
    for method, path in id_operations():
        call(client, method, path, ids)
    case.refresh_from_db()
    assert (case.version, case.status, case.attachments.count()) == (
        before,
        Status.INVESTIGATING,
        1,
    )
    assert ReviewSchedule.objects.get(pk=ids["review_id"]).done_on is None


def test_other_township_lists_are_empty(zhongyuan_officer: Any, ids: dict[str, int]) -> None:
    client = api_client(zhongyuan_officer, "token")
    cases = client.get(PREFIX).json()
    reviews = client.get(f"{PREFIX}/reviews", {"within_days": 366}).json()
    assert (cases["count"], reviews["count"]) == (0, 0)


def test_other_township_cannot_apply_for_a_household_outside_its_scope(
    zhongyuan_officer: Any, household: Any
) -> None:
    client = api_client(zhongyuan_officer, "token")
    response = post(client, PREFIX, {"household_id": household.pk, "type": "dibao"})
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_unauthenticated_caller_gets_401(client: Client, case: Application) -> None:
    assert client.get(f"{PREFIX}/{case.pk}").status_code == 401


# --- reads -------------------------------------------------------------------------------------


def test_queue_lists_the_case_with_its_due_date_and_working_days_left(
    officer: Client, case: Application
) -> None:
    [item] = officer.get(PREFIX).json()["items"]
    assert (item["id"], item["status"], item["step_due_on"], item["version"]) == (
        case.pk,
        "investigating",
        case.step_due_on.isoformat(),
        case.version,
    )
    assert item["step_days_left"] >= 0


def test_queue_query_count_does_not_grow_with_cases(
    officer: Client, jinshui_officer: Any, make_household: Any, case: Application
) -> None:
    officer.get(PREFIX)  # the token is loaded and the day's tasks run once
    workdays.refresh()  # a slow first request must not make the calendar's re-check fall due
    with CaptureQueriesContext(connection) as one:
        officer.get(PREFIX)
    for _ in range(4):
        services.application_submit(
            actor=jinshui_officer,
            household=make_household(jinshui_officer),
            type=ApplicationType.NEAR_DIBAO,
        )
    workdays.refresh()
    with CaptureQueriesContext(connection) as five:
        response = officer.get(PREFIX)
    assert (response.json()["count"], len(five)) == (5, len(one))


def test_queue_filters_by_step(officer: Client, case: Application) -> None:
    assert officer.get(PREFIX, {"step": "publicity"}).json()["count"] == 0
    assert officer.get(PREFIX, {"step": "investigating"}).json()["count"] == 1


def test_detail_shows_the_timeline_and_allowed_actions(officer: Client, case: Application) -> None:
    detail = officer.get(f"{PREFIX}/{case.pk}").json()
    assert [e["kind"] for e in detail["timeline"]] == [
        "submitted",
        "attachment",
        "accepted",
        "data_check_requested",
    ]
    assert "home_visit_record" in detail["actions"]
    assert detail["attachments"][0]["kind"] == "authorisation"


def test_detail_read_is_audited(officer: Client, jinshui_officer: Any, case: Application) -> None:
    officer.get(f"{PREFIX}/{case.pk}")
    record = AuditRecord.objects.get(action=Action.VIEW, object_type="application")
    assert (record.object_id, record.channel, record.actor) == (
        str(case.pk),
        "api",
        jinshui_officer,
    )


def test_village_assistant_without_view_cases_gets_403(
    village_assistant: Any, case: Application
) -> None:
    response = api_client(village_assistant, "token").get(f"{PREFIX}/{case.pk}")
    assert response.status_code == 403


# --- the procedure -----------------------------------------------------------------------------


def test_application_submitted_through_the_api(officer: Client, household: Any) -> None:
    response = post(officer, PREFIX, {"household_id": household.pk, "type": "dibao"})
    assert response.status_code == 201
    assert (response.json()["status"], response.json()["head_name"]) == ("submitted", "张三")


def test_attachment_upload_keeps_its_sha256(officer: Client, household: Any) -> None:
    case_id = post(officer, PREFIX, {"household_id": household.pk, "type": "dibao"}).json()["id"]
    response = officer.post(
        f"{PREFIX}/{case_id}/attachments", {"kind": "authorisation", "file": _upload()}
    )
    assert response.status_code == 201
    assert response.json()["sha256"] == hashlib.sha256(PDF).hexdigest()


def test_acceptance_through_the_api_moves_the_case_on(officer: Client, household: Any) -> None:
    created = post(officer, PREFIX, {"household_id": household.pk, "type": "dibao"}).json()
    officer.post(
        f"{PREFIX}/{created['id']}/attachments", {"kind": "authorisation", "file": _upload()}
    )
    response = post(officer, f"{PREFIX}/{created['id']}/accept", {"version": created["version"]})
    assert response.status_code == 200
    assert (response.json()["status"], response.json()["version"]) == (
        "investigating",
        created["version"] + 1,
    )


def test_stale_version_gets_409_and_the_case_changed_message(
    officer: Client, case: Application
) -> None:
    body = {**BODIES["/api/cases/{case_id}/home-visits"], "version": case.version - 1}
    response = post(officer, f"{PREFIX}/{case.pk}/home-visits", body)
    assert (response.status_code, response.json()["detail"]) == (409, CASE_CHANGED)
    assert not case.home_visits.exists()


def test_two_officers_with_the_same_version_one_wins(
    officer: Client, county_officer: Any, case: Application
) -> None:
    county = api_client(county_officer, "token")
    body = {**BODIES["/api/cases/{case_id}/home-visits"], "version": case.version}
    first = post(officer, f"{PREFIX}/{case.pk}/home-visits", body)
    second = post(county, f"{PREFIX}/{case.pk}/extend", {"version": case.version, "reason": "x"})
    case.refresh_from_db()
    assert (first.status_code, second.status_code, case.extension_reason) == (200, 409, "")


def test_action_the_role_may_not_take_gets_403(village_assistant: Any, case: Application) -> None:
    client = api_client(village_assistant, "token")
    body = {**BODIES["/api/cases/{case_id}/home-visits"], "version": case.version}
    assert post(client, f"{PREFIX}/{case.pk}/home-visits", body).status_code == 403


def test_input_the_service_refuses_gets_422_naming_the_field(
    officer: Client, household: Any
) -> None:
    body = {"household_id": household.pk, "type": "dibao", "applied_on": "2026-03-03"}
    response = post(officer, PREFIX, body)
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert (error["field"], error["value"], error["reason"]) == (
        "applied_on",
        "2026-03-03",
        "申请日期不能晚于今天",
    )


def test_one_visitor_only_gets_422_on_staff(officer: Client, case: Application) -> None:
    body = {**BODIES["/api/cases/{case_id}/home-visits"], "version": case.version}
    body["staff"] = ["王五"]
    response = post(officer, f"{PREFIX}/{case.pk}/home-visits", body)
    assert (response.status_code, response.json()["errors"][0]["field"]) == (422, "staff")


def test_action_the_step_does_not_allow_gets_400(officer: Client, case: Application) -> None:
    response = post(officer, f"{PREFIX}/{case.pk}/publicity/close", {"version": case.version})
    assert response.status_code == 400
    assert "调查核实" in response.json()["detail"]


def test_county_answers_the_data_check(county_officer: Any, case: Application) -> None:
    client = api_client(county_officer, "token")
    check = case.data_checks.get()
    response = post(
        client,
        f"{PREFIX}/{case.pk}/data-checks/{check.pk}/answer",
        {"version": case.version, "answer": "未发现不符合条件的财产"},
    )
    check.refresh_from_db()
    assert (response.status_code, check.answer) == (200, "未发现不符合条件的财产")


# --- reviews -----------------------------------------------------------------------------------


def test_reviews_due_lists_the_annual_review(officer: Client, review: ReviewSchedule) -> None:
    items = officer.get(f"{PREFIX}/reviews", {"within_days": 366}).json()["items"]
    assert [(i["id"], i["kind"], i["due_on"]) for i in items] == [
        (review.pk, "annual_review", review.due_on.isoformat())
    ]


def test_review_outcome_through_the_api(officer: Client, review: ReviewSchedule) -> None:
    response = post(
        officer,
        f"{PREFIX}/reviews/{review.pk}",
        {"outcome": "continue", "notes": "收入未变化"},
    )
    review.refresh_from_db()
    assert (response.status_code, review.outcome) == (200, ReviewOutcome.CONTINUE)


def test_openapi_document_lists_the_case_paths(client: Client) -> None:
    paths = client.get("/api/openapi.json").json()["paths"]
    assert {"/api/cases", "/api/cases/{case_id}", "/api/cases/reviews"} <= set(paths)


def test_review_changing_the_amount_through_the_api(
    officer: Client, review: ReviewSchedule
) -> None:
    response = post(
        officer,
        f"{PREFIX}/reviews/{review.pk}",
        {"outcome": "change", "notes": "务工收入增加", "monthly_amount": "380.00"},
    )
    review.refresh_from_db()
    body = response.json()
    assert response.status_code == 200
    assert (body["monthly_amount"], body["new_category"]) == ("380.00", "")
    assert body["changes_from"] == review.changes_from.isoformat()
    assert review.monthly_amount == Decimal("380.00")


def test_review_amount_with_continue_is_refused_through_the_api(
    officer: Client, review: ReviewSchedule
) -> None:
    response = post(
        officer,
        f"{PREFIX}/reviews/{review.pk}",
        {"outcome": "continue", "notes": "情况无变化", "monthly_amount": "380.00"},
    )
    review.refresh_from_db()
    assert response.status_code in (400, 409, 422)
    assert "monthly_amount" in response.content.decode()
    assert review.done_on is None
