"""The case page, attachments, the new application and the household's assistance chain."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from safetynet.audit.models import Action, AuditRecord
from safetynet.determination import services
from safetynet.determination.models import (
    Application,
    ApplicationType,
    Attachment,
    AttachmentKind,
    Status,
)
from safetynet.determination.tests.conftest import PDF, authorise, submit_and_accept
from safetynet.registry.identity import decrypt_id_number

D = dt.date

pytestmark = pytest.mark.django_db


def _login(client: Client, user: Any) -> Client:
    client.force_login(user)
    return client


@pytest.fixture
def submitted(clock: Any, household: Any, jinshui_officer: Any) -> Application:
    clock.on(D(2026, 3, 2))
    return services.application_submit(
        actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
    )


@pytest.fixture
def accepted(clock: Any, household: Any, jinshui_officer: Any) -> Application:
    return submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 3)
    )


def _page(client: Client, application: Application) -> Any:
    response = client.get(f"/determination/cases/{application.pk}/")
    assert response.status_code == 200
    return response


def test_case_page_shows_members_with_masked_id_numbers_only(
    client: Client, jinshui_officer: Any, submitted: Application
) -> None:
    body = _page(_login(client, jinshui_officer), submitted).content.decode()
    head = submitted.household.head
    assert head.id_number_masked in body
    assert decrypt_id_number(head.id_number_encrypted) not in body


def test_case_page_shows_step_due_date_and_working_days_left(
    client: Client, clock: Any, jinshui_officer: Any, accepted: Application
) -> None:
    # Accepted Tuesday 03-03: the investigation must start by Friday 03-06; seen on 03-04.
    clock.on(D(2026, 3, 4))
    response = _page(_login(client, jinshui_officer), accepted)
    step = response.context["step"]
    assert (step.due_on, step.days_left, step.overdue) == (D(2026, 3, 6), 2, False)
    assert '剩余 <span class="days">2</span> 个工作日' in response.content.decode()


def test_case_page_marks_an_overdue_step_in_red(
    client: Client, clock: Any, jinshui_officer: Any, accepted: Application
) -> None:
    clock.on(D(2026, 3, 10))
    body = _page(_login(client, jinshui_officer), accepted).content.decode()
    assert 'class="deadline overdue" id="step-deadline"' in body
    assert '已超期 <span class="days">2</span> 个工作日' in body


def test_case_page_warns_when_the_due_date_lies_in_a_year_without_a_holiday_schedule(
    client: Client, clock: Any, household: Any, jinshui_officer: Any
) -> None:
    application = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 12, 21), D(2026, 12, 21)
    )
    response = _page(_login(client, jinshui_officer), application)
    assert response.context["procedure"].due_on.year == 2027
    assert "2027 年节假日安排尚未录入，按周末推算" in response.content.decode()


def test_case_page_timeline_lists_every_step(
    client: Client, jinshui_officer: Any, accepted: Application
) -> None:
    response = _page(_login(client, jinshui_officer), accepted)
    kinds = [event.kind for event in response.context["timeline"]]
    assert kinds == ["submitted", "attachment", "accepted"]


def test_reading_a_case_is_audited(
    client: Client, jinshui_officer: Any, submitted: Application
) -> None:
    _page(_login(client, jinshui_officer), submitted)
    assert AuditRecord.objects.filter(
        action=Action.VIEW, object_type="application", object_id=str(submitted.pk)
    ).exists()


def test_township_officer_sees_acceptance_buttons_on_a_submitted_case(
    client: Client, jinshui_officer: Any, submitted: Application
) -> None:
    slugs = [a.slug for a in _page(_login(client, jinshui_officer), submitted).context["actions"]]
    assert slugs == ["accept", "return", "withdraw"]


def test_auditor_sees_the_case_without_any_action_button(
    client: Client, auditor: Any, submitted: Application
) -> None:
    response = _page(_login(client, auditor), submitted)
    assert response.context["actions"] == []
    assert not response.context["can_upload"]


def test_county_officer_sees_no_township_step_buttons(
    client: Client, county_officer: Any, accepted: Application
) -> None:
    slugs = [a.slug for a in _page(_login(client, county_officer), accepted).context["actions"]]
    assert "home-visit" not in slugs and "review" not in slugs


def test_village_assistant_cannot_open_a_case_page(
    client: Client, village_assistant: Any, submitted: Application
) -> None:
    response = _login(client, village_assistant).get(f"/determination/cases/{submitted.pk}/")
    assert response.status_code == 403


def test_case_page_shows_attachment_hash_and_download_is_audited(
    client: Client, jinshui_officer: Any, submitted: Application
) -> None:
    authorise(jinshui_officer, submitted)
    attachment = Attachment.objects.get(application=submitted)
    _login(client, jinshui_officer)
    assert attachment.sha256 in _page(client, submitted).content.decode()
    response = client.get(f"/determination/cases/{submitted.pk}/attachments/{attachment.pk}/")
    assert b"".join(response.streaming_content) == PDF
    assert AuditRecord.objects.filter(
        action=Action.EXPORT, object_type="application_attachment", object_id=str(attachment.pk)
    ).exists()


def test_attachment_of_another_case_is_not_served_through_this_one(
    client: Client, clock: Any, jinshui_officer: Any, submitted: Application, make_household: Any
) -> None:
    other = services.application_submit(
        actor=jinshui_officer,
        household=make_household(jinshui_officer),
        type=ApplicationType.DIBAO,
    )
    authorise(jinshui_officer, other)
    attachment = Attachment.objects.get(application=other)
    response = _login(client, jinshui_officer).get(
        f"/determination/cases/{submitted.pk}/attachments/{attachment.pk}/"
    )
    assert response.status_code == 404


def test_upload_stores_several_files_with_their_hashes(
    client: Client, jinshui_officer: Any, submitted: Application
) -> None:
    files = [
        SimpleUploadedFile("户口簿.pdf", PDF, content_type="application/pdf"),
        SimpleUploadedFile("照片.png", b"\x89PNG\r\n\x1a\nxx", content_type="image/png"),
    ]
    response = _login(client, jinshui_officer).post(
        f"/determination/cases/{submitted.pk}/attachments/",
        {"kind": AttachmentKind.ID_COPY, "uploads": files},
    )
    assert response.status_code == 302
    names = sorted(
        Attachment.objects.filter(application=submitted).values_list("original_name", flat=True)
    )
    assert names == ["户口簿.pdf", "照片.png"]


def test_upload_of_an_unsupported_file_says_which_file_and_why(
    client: Client, jinshui_officer: Any, submitted: Application
) -> None:
    upload = SimpleUploadedFile("说明.docx", b"PK..", content_type="application/msword")
    response = _login(client, jinshui_officer).post(
        f"/determination/cases/{submitted.pk}/attachments/",
        {"kind": AttachmentKind.OTHER, "uploads": [upload]},
    )
    assert response.status_code == 200
    assert "文件“说明.docx”的类型 application/msword 不支持" in response.content.decode()
    assert not Attachment.objects.filter(application=submitted).exists()


# --- the new application ----------------------------------------------------------------------


def test_household_page_offers_the_application_and_the_chain(
    client: Client, jinshui_officer: Any, household: Any
) -> None:
    body = _login(client, jinshui_officer).get(f"/households/{household.pk}/").content.decode()
    assert f"/determination/apply/{household.pk}/" in body
    assert f"/determination/households/{household.pk}/" in body


def test_township_officer_submits_an_application_with_its_authorisation(
    client: Client, clock: Any, jinshui_officer: Any, household: Any
) -> None:
    clock.on(D(2026, 3, 2))
    response = _login(client, jinshui_officer).post(
        f"/determination/apply/{household.pk}/",
        {
            "type": ApplicationType.DIBAO,
            "applicant": household.head_id,
            "applied_on": "2026-03-02",
            "reason": "因病致贫",
            "authorisation": SimpleUploadedFile("授权书.pdf", PDF, content_type="application/pdf"),
        },
    )
    application = Application.objects.get(household=household)
    assert response["Location"] == f"/determination/cases/{application.pk}/"
    assert application.status == Status.SUBMITTED
    assert application.attachments.get().kind == AttachmentKind.AUTHORISATION


def test_village_assistant_enters_an_application_and_follows_it_on_the_case_page(
    client: Client, clock: Any, village_assistant: Any, make_household: Any
) -> None:
    clock.on(D(2026, 3, 2))
    household = make_household(village_assistant)
    response = _login(client, village_assistant).post(
        f"/determination/apply/{household.pk}/",
        {"type": ApplicationType.DIBAO, "applicant": household.head_id, "applied_on": "2026-03-02"},
    )
    application = Application.objects.get(household=household)
    assert response["Location"] == f"/determination/cases/{application.pk}/"
    assert application.entered_by == village_assistant


def test_second_open_application_of_the_same_type_is_refused_on_the_type_field(
    client: Client, jinshui_officer: Any, submitted: Application
) -> None:
    household = submitted.household
    response = _login(client, jinshui_officer).post(
        f"/determination/apply/{household.pk}/",
        {"type": ApplicationType.DIBAO, "applicant": household.head_id, "applied_on": "2026-03-02"},
    )
    assert "该家庭已有一件办理中的最低生活保障申请" in str(response.context["form"].errors["type"])


def test_household_chain_lists_the_cases_and_their_events(
    client: Client, jinshui_officer: Any, accepted: Application
) -> None:
    response = _login(client, jinshui_officer).get(
        f"/determination/households/{accepted.household_id}/"
    )
    assert [a.pk for a in response.context["chain"].applications] == [accepted.pk]
    assert accepted.number in response.content.decode()
