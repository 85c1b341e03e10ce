"""Work queues: the township's cases by step with due dates and working days left, the county's
confirmations, the escalation list, filters, paging, query counts and the audited export."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from safetynet.audit.models import Action, AuditRecord
from safetynet.determination import services
from safetynet.determination.models import Application, ApplicationType
from safetynet.determination.procedure.views import queues
from safetynet.determination.tests.conftest import investigate, submit_and_accept
from safetynet.jobs.tests.exporting import exported_file
from safetynet.policy.calendar import workdays
from safetynet.spreadsheets import data_rows

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _long_sessions(settings: Any) -> None:
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def cases(clock: Any, make_household: Any, jinshui_officer: Any) -> dict[str, Application]:
    """One case waiting for acceptance (03-02), one accepted 03-02 (start due 03-05), one
    accepted 03-09 (start due 03-12)."""
    waiting_household = make_household(jinshui_officer, head_name="王待受理")
    clock.on(D(2026, 3, 2))
    waiting = services.application_submit(
        actor=jinshui_officer, household=waiting_household, type=ApplicationType.DIBAO
    )
    early = submit_and_accept(
        jinshui_officer,
        make_household(jinshui_officer, head_name="张超期"),
        ApplicationType.DIBAO,
        clock,
        D(2026, 3, 2),
        D(2026, 3, 2),
    )
    late = submit_and_accept(
        jinshui_officer,
        make_household(jinshui_officer, head_name="李按期"),
        ApplicationType.NEAR_DIBAO,
        clock,
        D(2026, 3, 9),
        D(2026, 3, 9),
    )
    clock.on(D(2026, 3, 10))
    return {"waiting": waiting, "early": early, "late": late}


def _rows(response: Any) -> list[Any]:
    return list(response.context["page"].object_list)


def test_township_queue_orders_cases_by_due_date_with_working_days_left(
    jinshui_officer: Any, cases: dict[str, Application]
) -> None:
    rows = _rows(_client(jinshui_officer).get("/determination/"))
    assert [(r.application.pk, r.due_on, r.days_left) for r in rows] == [
        (cases["early"].pk, D(2026, 3, 5), -3),
        (cases["late"].pk, D(2026, 3, 12), 2),
        (cases["waiting"].pk, None, None),
    ]


def test_overdue_case_is_shown_in_red(jinshui_officer: Any, cases: dict[str, Application]) -> None:
    body = _client(jinshui_officer).get("/determination/").content.decode()
    assert f'<tr class="overdue" data-case="{cases["early"].pk}">' in body
    assert f'<tr class="" data-case="{cases["late"].pk}">' in body
    assert "超期 3" in body


def test_queue_filters_by_step(jinshui_officer: Any, cases: dict[str, Application]) -> None:
    rows = _rows(_client(jinshui_officer).get("/determination/", {"step": "submitted"}))
    assert [r.application.pk for r in rows] == [cases["waiting"].pk]


def test_queue_filters_by_type(jinshui_officer: Any, cases: dict[str, Application]) -> None:
    rows = _rows(_client(jinshui_officer).get("/determination/", {"type": "near_dibao"}))
    assert [r.application.pk for r in rows] == [cases["late"].pk]


def test_queue_filters_overdue_only(jinshui_officer: Any, cases: dict[str, Application]) -> None:
    rows = _rows(_client(jinshui_officer).get("/determination/", {"overdue": "yes"}))
    assert [r.application.pk for r in rows] == [cases["early"].pk]


def test_queue_pages(jinshui_officer: Any, cases: dict[str, Application], monkeypatch: Any) -> None:
    monkeypatch.setattr(queues, "PAGE_SIZE", 2)
    client = _client(jinshui_officer)
    second = client.get("/determination/", {"page": 2})
    assert [r.application.pk for r in _rows(second)] == [cases["waiting"].pk]
    assert second.context["page"].paginator.num_pages == 2


def test_queue_costs_the_same_queries_for_more_cases(
    clock: Any, jinshui_officer: Any, make_household: Any, cases: dict[str, Application]
) -> None:
    client = _client(jinshui_officer)
    client.get("/determination/")  # warm the session and run the day's tasks
    workdays.refresh()  # a slow first request must not make the calendar's re-check fall due
    with CaptureQueriesContext(connection) as three:
        client.get("/determination/")
    for name in ("赵一", "钱二", "孙三"):
        submit_and_accept(
            jinshui_officer,
            make_household(jinshui_officer, head_name=name),
            ApplicationType.DIBAO,
            clock,
            D(2026, 3, 10),
            D(2026, 3, 10),
        )
    workdays.refresh()
    with CaptureQueriesContext(connection) as six:
        response = client.get("/determination/")
    assert len(_rows(response)) == 6
    assert len(six) == len(three)


def test_escalation_list_holds_only_overdue_cases(
    jinshui_officer: Any, cases: dict[str, Application]
) -> None:
    rows = _rows(_client(jinshui_officer).get("/determination/escalations/"))
    assert [r.application.pk for r in rows] == [cases["early"].pk]


def test_county_queue_lists_cases_waiting_for_confirmation(
    clock: Any, jinshui_officer: Any, county_officer: Any, cases: dict[str, Application]
) -> None:
    application = cases["late"]
    investigate(jinshui_officer, county_officer, application, clock, D(2026, 3, 10), D(2026, 3, 10))
    services.township_review(actor=jinshui_officer, application=application, opinion="符合条件")
    rows = _rows(_client(county_officer).get("/determination/county/"))
    # Near-dibao has no publicity: sent for confirmation 03-10, 10 working days → 03-24.
    assert [(r.application.pk, r.due_on) for r in rows] == [(application.pk, D(2026, 3, 24))]


def test_queue_is_forbidden_without_the_case_capability(
    village_assistant: Any, cases: dict[str, Application]
) -> None:
    assert _client(village_assistant).get("/determination/").status_code == 403


def test_other_township_queue_is_empty(
    zhongyuan_officer: Any, cases: dict[str, Application]
) -> None:
    assert _rows(_client(zhongyuan_officer).get("/determination/")) == []


def test_export_holds_the_filtered_queue_and_is_audited(
    jinshui_officer: Any, cases: dict[str, Application]
) -> None:
    content = exported_file(
        _client(jinshui_officer), "/determination/export/township.xlsx", {"overdue": "yes"}
    )
    rows = data_rows(load_workbook(io.BytesIO(content)).active.iter_rows(values_only=True))
    early = cases["early"]
    assert [row[0] for row in rows[1:]] == [early.number]
    assert rows[1][3] == early.applicant.id_number_masked
    record = AuditRecord.objects.exclude(summary__startswith="下载").get(
        action=Action.EXPORT, object_type="application_queue"
    )
    assert record.detail["cases"] == 1 and record.detail["filters"] == {"overdue": "yes"}


def test_export_of_an_unknown_queue_is_not_found(jinshui_officer: Any) -> None:
    assert _client(jinshui_officer).post("/determination/export/other.xlsx").status_code == 404


def test_navigation_links_the_queue_for_case_officers(jinshui_officer: Any) -> None:
    body = _client(jinshui_officer).get("/").content.decode()
    assert '<a href="/determination/">办理队列</a>' in body
