"""The action forms of a case: each calls one service, shows its refusals on the form, and tells
the second of two officers acting on the same version that the case changed."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from conftest import make_user
from safetynet.accounts.roles import Role
from safetynet.determination import services
from safetynet.determination.models import (
    Application,
    ApplicationType,
    Attachment,
    AttachmentKind,
    CaseEvent,
    Decision,
    HomeVisit,
    Status,
)
from safetynet.determination.tests.conftest import (
    authorise,
    investigate,
    publicise,
    submit_and_accept,
    time_limits,
)

D = dt.date

pytestmark = pytest.mark.django_db

CASE_CHANGED = "该案件已被他人更新，请刷新后重试"


@pytest.fixture(autouse=True)
def _long_sessions(settings: Any) -> None:
    """The tests move the clock by days; a 30-minute session would log the officer out."""
    settings.SESSION_COOKIE_AGE = 365 * 24 * 3600


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _act(client: Client, application: Application, slug: str, **data: Any) -> Any:
    data.setdefault("version", Application.objects.get(pk=application.pk).version)
    return client.post(f"/determination/cases/{application.pk}/do/{slug}/", data)


def _status(application: Application) -> str:
    return Application.objects.get(pk=application.pk).status


@pytest.fixture
def submitted(clock: Any, household: Any, jinshui_officer: Any) -> Application:
    clock.on(D(2026, 3, 2))
    return services.application_submit(
        actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
    )


@pytest.fixture
def accepted(clock: Any, household: Any, jinshui_officer: Any) -> Application:
    return submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )


@pytest.fixture
def investigated(
    clock: Any, jinshui_officer: Any, county_officer: Any, accepted: Application
) -> Application:
    investigate(jinshui_officer, county_officer, accepted, clock, D(2026, 3, 3), D(2026, 3, 4))
    return accepted


@pytest.fixture
def confirming(
    clock: Any, jinshui_officer: Any, investigated: Application, standards: Any
) -> Application:
    publicise(jinshui_officer, investigated, clock, D(2026, 3, 5))
    clock.on(D(2026, 3, 12))
    services.publicity_close(actor=jinshui_officer, application=investigated)
    investigated.refresh_from_db()
    return investigated


# --- acceptance ---------------------------------------------------------------------------------


def test_accept_form_prefills_today_and_carries_the_version(
    jinshui_officer: Any, submitted: Application
) -> None:
    response = _client(jinshui_officer).get(f"/determination/cases/{submitted.pk}/do/accept/")
    form = response.context["form"]
    assert form.initial["accepted_on"] == D(2026, 3, 2)
    assert form.initial["version"] == submitted.version


def test_accepting_moves_the_case_to_investigation_and_says_when_it_must_start(
    jinshui_officer: Any, submitted: Application
) -> None:
    authorise(jinshui_officer, submitted)
    client = _client(jinshui_officer)
    response = _act(client, submitted, "accept", accepted_on="2026-03-02")
    assert response["Location"] == f"/determination/cases/{submitted.pk}/"
    assert _status(submitted) == Status.INVESTIGATING
    page = client.get(response["Location"]).content.decode()
    assert "已受理。调查应于 2026-03-05 前启动。" in page


def test_accepting_without_the_authorisation_shows_the_service_refusal(
    jinshui_officer: Any, submitted: Application
) -> None:
    response = _act(_client(jinshui_officer), submitted, "accept", accepted_on="2026-03-02")
    assert response.status_code == 200
    assert "尚未上传家庭经济状况核对授权书" in response.content.decode()
    assert _status(submitted) == Status.SUBMITTED


def test_return_lists_each_missing_item_one_per_line(
    jinshui_officer: Any, submitted: Application
) -> None:
    _act(_client(jinshui_officer), submitted, "return", missing_items="户口簿\n\n收入证明\n")
    assert Application.objects.get(pk=submitted.pk).missing_items == ["户口簿", "收入证明"]


def test_village_assistant_cannot_accept(village_assistant: Any, submitted: Application) -> None:
    response = _act(_client(village_assistant), submitted, "accept", accepted_on="2026-03-02")
    assert response.status_code == 403
    assert _status(submitted) == Status.SUBMITTED


def test_unknown_action_is_not_found(jinshui_officer: Any, submitted: Application) -> None:
    response = _client(jinshui_officer).get(f"/determination/cases/{submitted.pk}/do/approve/")
    assert response.status_code == 404


# --- two officers on one case -------------------------------------------------------------------


def test_second_officer_submitting_the_same_version_is_told_the_case_changed(
    jinshui_officer: Any, submitted: Application
) -> None:
    authorise(jinshui_officer, submitted)
    colleague = make_user("jinshui2", Role.TOWNSHIP_OFFICER, jinshui_officer.scope_region)
    seen = Application.objects.get(pk=submitted.pk).version
    first = _act(
        _client(jinshui_officer), submitted, "accept", version=seen, accepted_on="2026-03-02"
    )
    second = _act(_client(colleague), submitted, "return", version=seen, missing_items="户口簿")
    assert first.status_code == 302
    assert second.status_code == 409
    assert CASE_CHANGED in second.content.decode()
    stored = Application.objects.get(pk=submitted.pk)
    assert (stored.status, stored.missing_items) == (Status.INVESTIGATING, [])


def test_case_changed_by_a_race_after_the_form_check_is_reported_the_same_way(
    jinshui_officer: Any, submitted: Application, monkeypatch: Any
) -> None:
    authorise(jinshui_officer, submitted)
    from safetynet.determination import selectors

    real = selectors.case_for_action

    def stale(**kwargs: Any) -> Application:
        # Another officer accepts between the view's check and the service's update.
        application = real(**kwargs)
        services.application_return(
            actor=jinshui_officer,
            application=real(**kwargs),
            missing_items=["户口簿"],
        )
        return application

    monkeypatch.setattr(selectors, "case_for_action", stale)
    response = _act(_client(jinshui_officer), submitted, "accept", accepted_on="2026-03-02")
    assert response.status_code == 409
    assert CASE_CHANGED in response.content.decode()
    assert _status(submitted) == Status.RETURNED


# --- investigation ------------------------------------------------------------------------------


def test_home_visit_records_staff_findings_and_photos(
    jinshui_officer: Any, accepted: Application
) -> None:
    photos = [
        SimpleUploadedFile("堂屋.jpg", b"\xff\xd8\xff one", content_type="image/jpeg"),
        SimpleUploadedFile("厨房.jpg", b"\xff\xd8\xff two", content_type="image/jpeg"),
    ]
    response = _act(
        _client(jinshui_officer),
        accepted,
        "home-visit",
        visited_on="2026-03-02",
        staff="王五、赵六",
        findings="家中无劳动力。",
        photos=photos,
    )
    assert response.status_code == 302
    visit = HomeVisit.objects.get(application=accepted)
    assert visit.staff_names == ["王五", "赵六"]
    stored = Attachment.objects.filter(home_visit=visit, kind=AttachmentKind.PHOTO)
    assert sorted(stored.values_list("original_name", flat=True)) == ["厨房.jpg", "堂屋.jpg"]


def test_home_visit_by_one_person_is_refused_on_the_staff_field(
    jinshui_officer: Any, accepted: Application
) -> None:
    response = _act(
        _client(jinshui_officer),
        accepted,
        "home-visit",
        visited_on="2026-03-02",
        staff="王五",
        findings="家中无劳动力。",
    )
    assert "不少于 2 名工作人员" in str(response.context["form"].errors["staff"])
    assert not HomeVisit.objects.filter(application=accepted).exists()


def test_data_check_button_becomes_the_answer_button_for_the_county(
    jinshui_officer: Any, county_officer: Any, accepted: Application
) -> None:
    _act(_client(jinshui_officer), accepted, "data-check", requested_on="2026-03-02")
    page = _client(county_officer).get(f"/determination/cases/{accepted.pk}/")
    assert [a.slug for a in page.context["actions"]] == ["data-check-answer", "extend"]
    township_page = _client(jinshui_officer).get(f"/determination/cases/{accepted.pk}/")
    assert "data-check" not in [a.slug for a in township_page.context["actions"]]


def test_county_answers_the_data_check_by_hand(
    jinshui_officer: Any, county_officer: Any, accepted: Application
) -> None:
    _act(_client(jinshui_officer), accepted, "data-check", requested_on="2026-03-02")
    response = _act(
        _client(county_officer),
        accepted,
        "data-check-answer",
        answer="未发现不符合条件的财产。",
        answered_on="2026-03-02",
    )
    assert response.status_code == 302
    check = accepted.data_checks.get()
    assert (check.answer, check.answered_by) == ("未发现不符合条件的财产。", county_officer)


def test_review_before_any_home_visit_is_refused_with_the_reason(
    jinshui_officer: Any, accepted: Application
) -> None:
    response = _act(
        _client(jinshui_officer), accepted, "review", opinion="符合条件", reviewed_on="2026-03-02"
    )
    assert "尚未登记入户调查" in response.content.decode()


# --- publicity ----------------------------------------------------------------------------------


def test_publicity_then_objection_reopens_the_investigation(
    clock: Any, jinshui_officer: Any, investigated: Application
) -> None:
    client = _client(jinshui_officer)
    clock.on(D(2026, 3, 5))
    _act(client, investigated, "review", opinion="符合条件", reviewed_on="2026-03-05")
    _act(client, investigated, "publicity", starts_on="2026-03-05", place="村务公开栏")
    assert _status(investigated) == Status.PUBLICITY
    clock.on(D(2026, 3, 6))
    response = _act(
        client, investigated, "objection", content="有人反映其有车辆", received_on="2026-03-06"
    )
    assert response.status_code == 302
    assert _status(investigated) == Status.INVESTIGATING
    # Objection on Friday 03-06: 15 working days → Friday 03-27.
    assert Application.objects.get(pk=investigated.pk).step_due_on == D(2026, 3, 27)


def test_review_after_an_objection_asks_for_the_reinvestigation_outcome(
    clock: Any, jinshui_officer: Any, investigated: Application
) -> None:
    publicise(jinshui_officer, investigated, clock, D(2026, 3, 5))
    services.objection_record(
        actor=jinshui_officer,
        application=Application.objects.get(pk=investigated.pk),
        content="有人反映其有车辆",
    )
    form = _client(jinshui_officer).get(f"/determination/cases/{investigated.pk}/do/review/")
    assert "objection_outcome" in form.context["form"].fields


def test_closing_the_publicity_before_it_ends_is_refused_on_the_date(
    clock: Any, jinshui_officer: Any, investigated: Application
) -> None:
    publicise(jinshui_officer, investigated, clock, D(2026, 3, 5))
    clock.on(D(2026, 3, 9))
    response = _act(
        _client(jinshui_officer), investigated, "publicity-close", closed_on="2026-03-09"
    )
    assert "届满后方可结束公示" in str(response.context["form"].errors["closed_on"])


# --- decision -----------------------------------------------------------------------------------


def test_confirm_form_shows_the_amount_and_start_month_it_will_record(
    county_officer: Any, confirming: Application
) -> None:
    response = _client(county_officer).get(f"/determination/cases/{confirming.pk}/do/confirm/")
    dibao = next(p for p in response.context["amounts"] if p.category == "dibao")
    # (700.33 − 300 / 2) × 2 = 1,100.66, rounded up to 1,101.
    assert dibao.amount.monthly == Decimal("1101.00")
    assert dibao.start_month == D(2026, 4, 1)
    assert response.context["classification"].result.category == "dibao"


def test_county_confirms_and_the_case_is_closed_with_its_decision(
    county_officer: Any, confirming: Application
) -> None:
    response = _act(
        _client(county_officer),
        confirming,
        "confirm",
        category="dibao",
        reasons="符合低保条件",
        decided_on="2026-03-12",
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=confirming)
    assert (decision.monthly_amount, decision.start_month) == (Decimal("1101.00"), D(2026, 4, 1))
    assert _status(confirming) == Status.CONFIRMED


def test_township_officer_has_no_confirm_button_without_delegation(
    jinshui_officer: Any, confirming: Application
) -> None:
    page = _client(jinshui_officer).get(f"/determination/cases/{confirming.pk}/")
    slugs = [a.slug for a in page.context["actions"]]
    assert "confirm" not in slugs and "refuse" not in slugs


def test_township_officer_posting_a_confirmation_without_delegation_is_forbidden(
    jinshui_officer: Any, confirming: Application
) -> None:
    response = _act(
        _client(jinshui_officer), confirming, "confirm", category="dibao", decided_on="2026-03-12"
    )
    assert response.status_code == 403
    assert _status(confirming) == Status.CONFIRMING


def test_refusal_then_transfer_prompt_and_consent_create_the_new_case(
    clock: Any,
    make_household: Any,
    jinshui_officer: Any,
    county_officer: Any,
    standards: Any,
) -> None:
    # 800 a head: above the dibao standard (700.33), below 1.5 times it — near-dibao.
    household = make_household(jinshui_officer, wages=Decimal("1600.00"))
    application = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    investigate(jinshui_officer, county_officer, application, clock, D(2026, 3, 3), D(2026, 3, 4))
    publicise(jinshui_officer, application, clock, D(2026, 3, 5))
    clock.on(D(2026, 3, 12))
    services.publicity_close(actor=jinshui_officer, application=application)
    _act(
        _client(county_officer),
        application,
        "refuse",
        reasons="人均收入高于低保标准",
        decided_on="2026-03-12",
    )
    township = _client(jinshui_officer)
    page = township.get(f"/determination/cases/{application.pk}/")
    assert page.context["transfer_prompt"]
    offer = township.get(f"/determination/cases/{application.pk}/do/transfer/")
    assert offer.context["classification"].result.category == "near_dibao"
    _act(township, application, "transfer", informed_on="2026-03-12")
    response = _act(
        township, application, "transfer-consent", consent="yes", answered_on="2026-03-12"
    )
    assert response.status_code == 302
    new = Application.objects.get(transferred_from=application)
    assert (new.type, new.status) == (ApplicationType.NEAR_DIBAO, Status.CONFIRMING)


def test_refusal_notice_served_closes_the_case(
    county_officer: Any, jinshui_officer: Any, confirming: Application
) -> None:
    _act(
        _client(county_officer), confirming, "refuse", reasons="不符合条件", decided_on="2026-03-12"
    )
    _act(_client(jinshui_officer), confirming, "refusal-notice", issued_on="2026-03-12")
    assert _status(confirming) == Status.CLOSED_REFUSED


def test_extension_moves_the_whole_procedure_due_date_and_hides_the_button(
    jinshui_officer: Any, accepted: Application
) -> None:
    client = _client(jinshui_officer)
    response = _act(client, accepted, "extend", reason="家庭成员在外地务工，需异地核实")
    assert response.status_code == 302
    # Accepted Monday 03-02: 30 working days end on 04-14 (Qingming 04-04…06 off); 45 on 05-08
    # (May Day 05-01…05 off, working Saturday 05-09 comes after).
    stored = Application.objects.get(pk=accepted.pk)
    assert stored.extension_reason == "家庭成员在外地务工，需异地核实"
    assert stored.procedure_due_on == D(2026, 5, 8)
    page = client.get(f"/determination/cases/{accepted.pk}/")
    assert "extend" not in [a.slug for a in page.context["actions"]]
    assert CaseEvent.objects.filter(application=accepted, kind="extended").count() == 1


def test_temporary_assistance_is_confirmed_with_the_sum_entered(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any, standards: Any
) -> None:
    application = submit_and_accept(
        jinshui_officer,
        household,
        ApplicationType.TEMPORARY_ASSISTANCE,
        clock,
        D(2026, 3, 2),
        D(2026, 3, 2),
    )
    investigate(jinshui_officer, county_officer, application, clock, D(2026, 3, 3), D(2026, 3, 4))
    services.township_review(actor=jinshui_officer, application=application, opinion="突发困难")
    response = _act(
        _client(county_officer),
        application,
        "confirm",
        category="",
        amount="2000.00",
        decided_on="2026-03-04",
    )
    assert response.status_code == 302
    decision = Decision.objects.get(application=application)
    assert (decision.category, decision.monthly_amount) == ("", Decimal("2000.00"))


def test_county_answers_the_data_check_with_a_verification_report(
    jinshui_officer: Any, county_officer: Any, accepted: Application
) -> None:
    from safetynet.feeds.services import verification_report_issue

    _act(_client(jinshui_officer), accepted, "data-check", requested_on="2026-03-02")
    report, _ = verification_report_issue(
        actor=county_officer,
        household=accepted.household,
        purpose="determination",
        authorisation_reference="SQ-2026-001",
    )
    client = _client(county_officer)
    form = client.get(f"/determination/cases/{accepted.pk}/do/data-check-answer/")
    assert report.pk in form.context["form"].reports
    _act(
        client,
        accepted,
        "data-check-answer",
        verification_report=report.pk,
        answered_on="2026-03-02",
    )
    check = accepted.data_checks.get()
    assert check.verification_report == report
    assert check.answer == f"见家庭经济状况核对报告 {report.number}"


@pytest.fixture
def destitute_confirming(
    clock: Any,
    destitute_household: Any,
    jinshui_officer: Any,
    county_officer: Any,
    standards: Any,
) -> Application:
    application = submit_and_accept(
        jinshui_officer,
        destitute_household,
        ApplicationType.DESTITUTE,
        clock,
        D(2026, 3, 2),
        D(2026, 3, 2),
    )
    investigate(jinshui_officer, county_officer, application, clock, D(2026, 3, 3), D(2026, 3, 4))
    publicise(jinshui_officer, application, clock, D(2026, 3, 5))
    clock.on(D(2026, 3, 12))
    services.publicity_close(actor=jinshui_officer, application=application)
    return application


def test_county_records_the_spot_check_before_confirming_a_destitute_case(
    county_officer: Any, destitute_confirming: Application
) -> None:
    client = _client(county_officer)
    page = client.get(f"/determination/cases/{destitute_confirming.pk}/")
    assert [a.slug for a in page.context["actions"]][:1] == ["spot-check"]
    _act(client, destitute_confirming, "spot-check", result="consistent", checked_on="2026-03-12")
    page = client.get(f"/determination/cases/{destitute_confirming.pk}/")
    assert "spot-check" not in [a.slug for a in page.context["actions"]]


def test_confirming_a_sampled_destitute_case_before_its_spot_check_is_refused(
    county_officer: Any, destitute_confirming: Application
) -> None:
    response = _act(
        _client(county_officer),
        destitute_confirming,
        "confirm",
        category="destitute",
        care_tier="full",
        decided_on="2026-03-12",
    )
    assert "请先登记抽查结果" in response.content.decode()
    assert _status(destitute_confirming) == Status.CONFIRMING


def test_township_confirms_where_the_county_delegated_it(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any, standards: Any
) -> None:
    time_limits("410105000000", confirmation_delegated=True)
    application = submit_and_accept(
        jinshui_officer,
        household,
        ApplicationType.NEAR_DIBAO,
        clock,
        D(2026, 3, 2),
        D(2026, 3, 2),
    )
    investigate(jinshui_officer, county_officer, application, clock, D(2026, 3, 3), D(2026, 3, 4))
    services.township_review(actor=jinshui_officer, application=application, opinion="符合条件")
    client = _client(jinshui_officer)
    page = client.get(f"/determination/cases/{application.pk}/")
    assert {"confirm", "refuse"} <= {a.slug for a in page.context["actions"]}
    _act(client, application, "confirm", category="near_dibao", decided_on="2026-03-04")
    assert Decision.objects.get(application=application).level == "township"
