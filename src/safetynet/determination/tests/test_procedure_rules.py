"""The procedure's guard rails: what each step requires, with the message the user sees."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings

from safetynet.determination import selectors, services
from safetynet.determination.models import ApplicationType, AttachmentKind, CaseEvent, Status
from safetynet.determination.tests.conftest import (
    PDF,
    authorise,
    investigate,
    publicise,
    submit_and_accept,
)

D = dt.date

pytestmark = pytest.mark.django_db


@pytest.fixture
def submitted(clock: Any, household: Any, jinshui_officer: Any) -> Any:
    clock.on(D(2026, 3, 2))
    return services.application_submit(
        actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
    )


def test_acceptance_needs_the_signed_authorisation(submitted: Any, jinshui_officer: Any) -> None:
    with pytest.raises(services.DeterminationError, match="核对授权书") as exc:
        services.application_accept(actor=jinshui_officer, application=submitted)
    assert exc.value.field == "attachments"
    assert submitted.status == Status.SUBMITTED


def test_attachment_keeps_its_sha256_under_media_root(submitted: Any, jinshui_officer: Any) -> None:
    authorise(jinshui_officer, submitted)
    attachment = submitted.attachments.get()
    assert attachment.sha256 == hashlib.sha256(PDF).hexdigest()
    path = Path(attachment.file.path)
    assert path.read_bytes() == PDF
    assert path.is_relative_to(Path(settings.MEDIA_ROOT) / "determination" / "2026")


def test_attachment_of_an_unsupported_type_is_refused(submitted: Any, jinshui_officer: Any) -> None:
    with pytest.raises(services.DeterminationError, match="不支持"):
        services.attachment_add(
            actor=jinshui_officer,
            application=submitted,
            kind="other",
            content=b"MZ",
            filename="a.exe",
            content_type="application/x-msdownload",
        )


def test_second_open_application_of_the_same_type_is_refused(
    submitted: Any, household: Any, jinshui_officer: Any
) -> None:
    with pytest.raises(services.DeterminationError, match="办理中"):
        services.application_submit(
            actor=jinshui_officer, household=household, type=ApplicationType.DIBAO
        )


def test_return_lists_missing_items_and_resubmission_reopens(
    submitted: Any, jinshui_officer: Any
) -> None:
    with pytest.raises(services.DeterminationError, match="补正"):
        services.application_return(
            actor=jinshui_officer, application=submitted, missing_items=[" "]
        )
    services.application_return(
        actor=jinshui_officer, application=submitted, missing_items=["户口簿", "收入证明"]
    )
    assert submitted.status == Status.RETURNED
    event = CaseEvent.objects.get(application=submitted, kind="returned")
    assert event.note == "户口簿；收入证明"
    services.application_resubmit(actor=jinshui_officer, application=submitted)
    assert submitted.status == Status.SUBMITTED


def test_home_visit_needs_two_staff(clock: Any, household: Any, jinshui_officer: Any) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    with pytest.raises(services.DeterminationError, match="不少于 2 名") as exc:
        services.home_visit_record(
            actor=jinshui_officer,
            application=app,
            visited_on=D(2026, 3, 2),
            staff=["王五", "王五"],
            findings="走访",
        )
    assert exc.value.field == "staff"


def test_home_visit_cannot_be_dated_in_the_future(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    with pytest.raises(services.DeterminationError, match="不能晚于今天"):
        services.home_visit_record(
            actor=jinshui_officer,
            application=app,
            visited_on=D(2026, 3, 3),
            staff=["甲", "乙"],
            findings="走访",
        )


def test_township_review_needs_the_data_check_answer(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    services.home_visit_record(
        actor=jinshui_officer,
        application=app,
        visited_on=D(2026, 3, 2),
        staff=["甲", "乙"],
        findings="走访",
    )
    services.data_check_request(actor=jinshui_officer, application=app)
    with pytest.raises(services.DeterminationError, match="核对尚未反馈"):
        services.township_review(actor=jinshui_officer, application=app, opinion="同意")


def test_township_officer_cannot_answer_the_data_check(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    check = services.data_check_request(actor=jinshui_officer, application=app)
    with pytest.raises(services.PermissionDenied):
        services.data_check_answer(actor=jinshui_officer, data_check=check, answer="无")


def test_publicity_cannot_close_before_its_last_day_has_passed(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    investigate(jinshui_officer, county_officer, app, clock, D(2026, 3, 3), D(2026, 3, 4))
    publicise(jinshui_officer, app, clock, D(2026, 3, 4))
    clock.on(D(2026, 3, 10))
    with pytest.raises(services.DeterminationError, match="2026-03-10 届满"):
        services.publicity_close(actor=jinshui_officer, application=app)


def test_objection_after_the_publicity_period_is_refused(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    investigate(jinshui_officer, county_officer, app, clock, D(2026, 3, 3), D(2026, 3, 4))
    publicise(jinshui_officer, app, clock, D(2026, 3, 4))
    clock.on(D(2026, 3, 11))
    with pytest.raises(services.DeterminationError, match="届满"):
        services.objection_record(actor=jinshui_officer, application=app, content="有异议")


def test_review_after_objection_needs_the_outcome(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    investigate(jinshui_officer, county_officer, app, clock, D(2026, 3, 3), D(2026, 3, 4))
    publicise(jinshui_officer, app, clock, D(2026, 3, 4))
    clock.on(D(2026, 3, 5))
    services.objection_record(actor=jinshui_officer, application=app, content="有车辆")
    with pytest.raises(services.DeterminationError, match="异议复查结论"):
        services.township_review(actor=jinshui_officer, application=app, opinion="同意")


def test_wrong_step_names_the_current_step(submitted: Any, jinshui_officer: Any) -> None:
    with pytest.raises(services.DeterminationError, match="“待受理”环节，不能开始公示"):
        services.publicity_start(actor=jinshui_officer, application=submitted)


def test_procedure_extended_only_once(clock: Any, household: Any, jinshui_officer: Any) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    services.procedure_extend(actor=jinshui_officer, application=app, reason="需补充调查")
    with pytest.raises(services.DeterminationError, match="延长过"):
        services.procedure_extend(actor=jinshui_officer, application=app, reason="再次")


def test_events_cannot_be_changed_or_deleted(submitted: Any) -> None:
    event = CaseEvent.objects.get(application=submitted)
    event.note = "篡改"
    with pytest.raises(ValueError):
        event.save()
    with pytest.raises(ValueError):
        event.delete()


def test_actions_are_audited(submitted: Any) -> None:
    from safetynet.audit.models import AuditRecord

    record = AuditRecord.objects.filter(object_type="application").latest("id")
    assert record.object_id == str(submitted.pk)
    assert "提出最低生活保障申请" in record.summary


def _report(household: Any, number: str) -> Any:
    from safetynet.feeds.models import VerificationPurpose, VerificationReport

    return VerificationReport.objects.create(
        number=number,
        household=household,
        region_id=household.region_id,
        purpose=VerificationPurpose.DETERMINATION,
        authorisation_reference="SQ-1",
    )


def test_data_check_answered_with_a_verification_report(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    check = services.data_check_request(actor=jinshui_officer, application=app)
    clock.on(D(2026, 3, 6))
    services.data_check_answer(
        actor=county_officer, data_check=check, verification_report=_report(household, "HD-1")
    )
    assert check.answer == "见家庭经济状况核对报告 HD-1"
    event = CaseEvent.objects.get(application=app, kind="data_check_answered")
    # Requested Mon 03-02, due Thu 03-05, answered Fri 03-06.
    assert event.data["late"] is True


def test_verification_report_of_another_household_is_refused(
    clock: Any, household: Any, make_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    check = services.data_check_request(actor=jinshui_officer, application=app)
    other = make_household(jinshui_officer)
    with pytest.raises(services.DeterminationError, match="不是本户"):
        services.data_check_answer(
            actor=county_officer, data_check=check, verification_report=_report(other, "HD-2")
        )


def test_missing_items_are_attached_while_the_case_is_returned(
    submitted: Any, jinshui_officer: Any
) -> None:
    services.application_return(
        actor=jinshui_officer, application=submitted, missing_items=["收入证明"]
    )

    attachment = services.attachment_add(
        actor=jinshui_officer,
        application=submitted,
        kind=AttachmentKind.OTHER,
        content=PDF,
        filename="收入证明.pdf",
        content_type="application/pdf",
    )

    assert attachment.application_id == submitted.pk
    assert "attachment_add" in selectors.actions_for(user=jinshui_officer, application=submitted)


def test_closing_the_publicity_late_does_not_extend_the_confirmation_limit(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    # The publicity of 2026-03-04 ends on 03-10; the county's 10 working days run from that day
    # (to 03-24) even when the township closes the publicity only on 03-20.
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 3, 2), D(2026, 3, 2)
    )
    investigate(jinshui_officer, county_officer, app, clock, D(2026, 3, 3), D(2026, 3, 4))
    publicise(jinshui_officer, app, clock, D(2026, 3, 4))
    clock.on(D(2026, 3, 20))
    services.publicity_close(actor=jinshui_officer, application=app)
    app.refresh_from_db()
    assert app.status == Status.CONFIRMING
    assert app.confirmation_requested_on == D(2026, 3, 20)
    assert app.step_due_on == D(2026, 3, 24)
    event = CaseEvent.objects.get(application=app, kind="publicity_closed")
    assert event.data["confirmation_due_on"] == "2026-03-24"
