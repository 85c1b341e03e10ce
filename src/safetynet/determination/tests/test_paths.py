"""The acceptance walk: each application type through its paths with frozen time across the 2026
Spring Festival (holiday 02-15…02-23, working Saturdays 02-14 and 02-28) and the Mid-autumn /
National Day holidays (09-25…09-27 and 10-01…10-07, working 09-20 and Saturday 10-10).

Every expected date below was counted by hand on the State Council's 2026 schedule.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from conftest import new_id_number
from safetynet.accounts.roles import Role
from safetynet.determination import services
from safetynet.determination.models import (
    Application,
    ApplicationType,
    CaseEvent,
    DecisionLevel,
    EventKind,
    ReviewKind,
    ReviewSchedule,
    SpotCheckResult,
    Status,
)
from safetynet.determination.tests.conftest import (
    investigate,
    publicise,
    submit_and_accept,
    time_limits,
)
from safetynet.registry.inputs import IncomeInput, MemberInput
from safetynet.registry.models import CategoryStatus
from safetynet.registry.services import statuses_apply_due

D = dt.date

pytestmark = pytest.mark.django_db


def _reload(application: Application) -> Application:
    application.refresh_from_db()
    return application


# --- dibao -----------------------------------------------------------------------------------


def _dibao_to_confirmation(clock: Any, household: Any, township: Any, county: Any) -> Application:
    """Accepted Thu 02-12, just before the Spring Festival; publicised 03-02…03-08."""
    app = submit_and_accept(
        township, household, ApplicationType.DIBAO, clock, D(2026, 2, 11), D(2026, 2, 12)
    )
    investigate(township, county, app, clock, D(2026, 2, 24), D(2026, 2, 26))
    publicise(township, app, clock, D(2026, 3, 2))
    clock.on(D(2026, 3, 9))
    services.publicity_close(actor=township, application=app)
    return _reload(app)


def test_dibao_acceptance_sets_investigation_and_procedure_due_across_spring_festival(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 2, 11), D(2026, 2, 12)
    )
    assert app.status == Status.INVESTIGATING
    # 02-13 Fri, 02-14 working Saturday, then 02-15…02-23 off: the third is Tue 02-24.
    assert app.step_due_on == D(2026, 2, 24)
    assert app.procedure_due_on == D(2026, 4, 1)
    assert app.delegated is False


def test_dibao_data_check_is_due_three_working_days_after_request(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 2, 11), D(2026, 2, 12)
    )
    clock.on(D(2026, 2, 24))
    check = services.data_check_request(actor=jinshui_officer, application=app)
    assert check.due_on == D(2026, 2, 27)
    assert _reload(app).step_due_on == D(2026, 2, 27)


def test_dibao_publicity_runs_seven_calendar_days(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 2, 11), D(2026, 2, 12)
    )
    investigate(jinshui_officer, county_officer, app, clock, D(2026, 2, 24), D(2026, 2, 26))
    publicise(jinshui_officer, app, clock, D(2026, 3, 2))
    publicity = app.publicities.get()
    assert (publicity.starts_on, publicity.ends_on) == (D(2026, 3, 2), D(2026, 3, 8))
    assert app.status == Status.PUBLICITY
    assert app.step_due_on == D(2026, 3, 8)


def test_dibao_confirmation_is_due_ten_working_days_after_publicity(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _dibao_to_confirmation(clock, household, jinshui_officer, county_officer)
    assert app.status == Status.CONFIRMING
    assert app.confirmation_requested_on == D(2026, 3, 9)
    # Counted from the publicity's last day (03-08), not from the day it was closed.
    assert app.step_due_on == D(2026, 3, 20)
    assert app.spot_check_required is False


def test_dibao_confirmed_records_amount_category_and_periodic_check(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any, standards: Any
) -> None:
    app = _dibao_to_confirmation(clock, household, jinshui_officer, county_officer)
    clock.on(D(2026, 3, 20))
    decision = services.decision_confirm(
        actor=county_officer, application=app, income_unstable=True
    )
    # (700.33 − 300 / 2) × 2 = 1100.66, rounded up to the yuan.
    assert decision.monthly_amount == Decimal("1101.00")
    assert decision.start_month == D(2026, 4, 1)
    assert decision.level == DecisionLevel.COUNTY
    assert app.status == Status.CONFIRMED and app.closed_on == D(2026, 3, 20)
    status = CategoryStatus.objects.get(household=household, effective_to__isnull=True)
    assert (status.category, status.effective_from) == ("dibao", D(2026, 4, 1))
    review = ReviewSchedule.objects.get(household=household)
    # Income marked unstable: the check is half-yearly.
    assert (review.kind, review.due_on) == (ReviewKind.PERIODIC_CHECK, D(2026, 9, 20))


def test_dibao_extended_procedure_runs_45_working_days(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 2, 11), D(2026, 2, 12)
    )
    clock.on(D(2026, 3, 2))
    services.procedure_extend(
        actor=jinshui_officer, application=app, reason="申请人外出务工，需补充调查"
    )
    assert app.procedure_due_on == D(2026, 4, 23)
    assert app.extension_reason == "申请人外出务工，需补充调查"
    event = CaseEvent.objects.get(application=app, kind=EventKind.EXTENDED)
    assert event.data == {"from": "2026-04-01", "to": "2026-04-23"}


def test_dibao_refused_notice_due_on_working_saturday_after_national_day(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _dibao_refused(clock, household, jinshui_officer, county_officer)
    decision = app.decision
    # Decided Wed 09-30; 10-01…10-07 off: 10-08, 10-09 and the working Saturday 10-10.
    assert decision.refusal_notice_due_on == D(2026, 10, 10)
    assert app.status == Status.REFUSED and app.step_due_on == D(2026, 10, 10)
    clock.on(D(2026, 10, 9))
    services.refusal_notice_issue(actor=jinshui_officer, application=app)
    assert app.status == Status.CLOSED_REFUSED
    assert app.decision.refusal_notice_issued_on == D(2026, 10, 9)


def _dibao_refused(clock: Any, household: Any, township: Any, county: Any) -> Application:
    app = submit_and_accept(
        township, household, ApplicationType.DIBAO, clock, D(2026, 9, 11), D(2026, 9, 14)
    )
    assert (app.step_due_on, app.procedure_due_on) == (D(2026, 9, 17), D(2026, 10, 30))
    investigate(township, county, app, clock, D(2026, 9, 15), D(2026, 9, 16))
    publicise(township, app, clock, D(2026, 9, 17))
    clock.on(D(2026, 9, 24))
    services.publicity_close(actor=township, application=app)
    # From the publicity's last day, 09-23: 09-24, 09-28…09-30 (09-25…09-27 Mid-autumn),
    # 10-08…10-10 (10-01…10-07 National Day, 10-10 a working Saturday), 10-12…10-14.
    assert app.step_due_on == D(2026, 10, 14)
    clock.on(D(2026, 9, 30))
    services.decision_refuse(
        actor=county, application=_reload(app), reasons="家庭月人均收入高于当地低保标准"
    )
    return _reload(app)


def test_dibao_refused_then_transferred_to_near_dibao_due_in_three_working_days(
    clock: Any,
    make_household: Any,
    jinshui_officer: Any,
    county_officer: Any,
    standards: Any,
) -> None:
    # 1,600 a month for two: 800 a head, above dibao (700.33), below 1.5 × dibao.
    household = make_household(jinshui_officer, wages=Decimal("1600.00"))
    app = _dibao_refused(clock, household, jinshui_officer, county_officer)
    clock.on(D(2026, 10, 9))
    transfer = services.transfer_offer(actor=jinshui_officer, application=app)
    assert transfer.proposed_type == ApplicationType.NEAR_DIBAO
    services.transfer_consent(actor=jinshui_officer, transfer=transfer, consent=True)
    new = transfer.new_application
    assert new is not None and new.transferred_from == app
    assert new.status == Status.CONFIRMING
    # 10-09 Fri → 10-10 working Saturday, 10-12 Mon, 10-13 Tue.
    assert (new.step_due_on, new.procedure_due_on) == (D(2026, 10, 13), D(2026, 10, 13))
    clock.on(D(2026, 10, 12))
    decision = services.decision_confirm(actor=county_officer, application=new)
    assert decision.category == "near_dibao" and decision.monthly_amount is None
    review = ReviewSchedule.objects.get(application=new)
    assert (review.kind, review.due_on) == (ReviewKind.ANNUAL_REVIEW, D(2027, 10, 12))


def test_transfer_refused_when_classifier_proposes_nothing_to_transfer_to(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any, standards: Any
) -> None:
    # 150 a head is dibao level, not near-dibao: no transfer.
    app = _dibao_refused(clock, household, jinshui_officer, county_officer)
    clock.on(D(2026, 10, 9))
    with pytest.raises(services.DeterminationError, match="不符合转介"):
        services.transfer_offer(actor=jinshui_officer, application=app)


def test_transfer_declined_creates_no_application(
    clock: Any,
    make_household: Any,
    jinshui_officer: Any,
    county_officer: Any,
    standards: Any,
) -> None:
    # Two adults born on fixed dates: the default ID numbers' birth dates follow a sequence
    # shared by all tests, which could make both members minors (then the classifier proposes
    # destitute, not a transfer).
    household = make_household(
        jinshui_officer,
        members=[
            MemberInput(
                id_number=new_id_number("410105", born=D(1980, 4, 1)),
                name="张三",
                relation="02",
                incomes=[IncomeInput(kind="wages", monthly_amount=Decimal("1600.00"))],
            ),
            MemberInput(
                id_number=new_id_number("410105", born=D(1982, 6, 1), male=False),
                name="李四",
                relation="10",
            ),
        ],
    )
    app = _dibao_refused(clock, household, jinshui_officer, county_officer)
    clock.on(D(2026, 10, 9))
    transfer = services.transfer_offer(actor=jinshui_officer, application=app)
    services.transfer_consent(actor=jinshui_officer, transfer=transfer, consent=False)
    assert transfer.new_application is None
    assert Application.objects.filter(household=household).count() == 1


# --- destitute ---------------------------------------------------------------------------------


def _destitute_with_objection(
    clock: Any, household: Any, township: Any, county: Any
) -> Application:
    app = submit_and_accept(
        township, household, ApplicationType.DESTITUTE, clock, D(2026, 9, 18), D(2026, 9, 21)
    )
    assert (app.step_due_on, app.procedure_due_on) == (D(2026, 9, 24), D(2026, 11, 9))
    clock.on(D(2026, 9, 22))
    services.home_visit_record(
        actor=township,
        application=app,
        visited_on=D(2026, 9, 22),
        staff=["王五", "赵六"],
        findings="独居，无劳动能力。",
    )
    check = services.data_check_request(actor=township, application=app)
    # 09-23, 09-24, then 09-25…09-27 Mid-autumn: 09-28.
    assert check.due_on == D(2026, 9, 28)
    clock.on(D(2026, 9, 24))
    services.data_check_answer(actor=county, data_check=check, answer="无财产")
    publicise(township, _reload(app), clock, D(2026, 9, 24))
    assert app.publicities.get().ends_on == D(2026, 9, 30)
    clock.on(D(2026, 9, 29))
    objection = services.objection_record(
        actor=township, application=app, content="群众反映其子女有赡养能力"
    )
    # 09-30, 10-08, 10-09, 10-10 (Saturday, working), 10-12…10-16, 10-19…10-23, 10-26.
    assert objection.reinvestigation_due_on == D(2026, 10, 26)
    assert app.status == Status.INVESTIGATING and app.step_due_on == D(2026, 10, 26)
    clock.on(D(2026, 10, 9))
    services.township_review(
        actor=township,
        application=app,
        opinion="复查后仍符合特困条件",
        objection_outcome="子女均无赡养能力，异议不成立",
    )
    services.publicity_start(actor=township, application=app)
    clock.on(D(2026, 10, 16))
    services.publicity_close(actor=township, application=app)
    return _reload(app)


def test_destitute_objection_reopens_investigation_and_confirmation_takes_15_days(
    clock: Any, destitute_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _destitute_with_objection(clock, destitute_household, jinshui_officer, county_officer)
    assert app.status == Status.CONFIRMING
    assert app.step_due_on == D(2026, 11, 5)
    objection = app.objections.get()
    assert objection.resolved_on == D(2026, 10, 9)
    assert [p.interrupted for p in app.publicities.order_by("starts_on")] == [True, False]


def test_destitute_first_case_of_the_county_is_spot_checked_before_confirmation(
    clock: Any,
    destitute_household: Any,
    jinshui_officer: Any,
    county_officer: Any,
    standards: Any,
) -> None:
    app = _destitute_with_objection(clock, destitute_household, jinshui_officer, county_officer)
    assert app.spot_check_required and app.spot_check.sequence == 1
    clock.on(D(2026, 10, 20))
    with pytest.raises(services.DeterminationError, match="抽查"):
        services.decision_confirm(actor=county_officer, application=app, care_tier="full")
    services.spot_check_record(
        actor=county_officer, application=app, result=SpotCheckResult.CONSISTENT
    )
    decision = services.decision_confirm(actor=county_officer, application=app, care_tier="full")
    # 700.33 × 1.3 + 600 = 1510.429 → 1511.
    assert decision.monthly_amount == Decimal("1511.00")
    assert decision.start_month == D(2026, 11, 1)
    person = destitute_household.head
    status = CategoryStatus.objects.get(person=person, effective_to__isnull=True)
    assert (status.category, status.effective_from) == ("destitute", D(2026, 11, 1))


def test_destitute_refused_after_objection(
    clock: Any, destitute_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _destitute_with_objection(clock, destitute_household, jinshui_officer, county_officer)
    clock.on(D(2026, 10, 23))
    decision = services.decision_refuse(
        actor=county_officer, application=app, reasons="抽查发现有法定赡养人且具备赡养能力"
    )
    assert decision.refusal_notice_due_on == D(2026, 10, 28)


def test_destitute_extended_procedure_counts_45_days_from_acceptance(
    clock: Any, destitute_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _destitute_with_objection(clock, destitute_household, jinshui_officer, county_officer)
    services.procedure_extend(actor=county_officer, application=app, reason="异议复查耗时")
    assert app.procedure_due_on == D(2026, 11, 30)
    assert app.step_due_on == D(2026, 11, 5)


# --- near-dibao, expenditure hardship, temporary assistance ------------------------------------


def _without_publicity(
    clock: Any, household: Any, type: str, township: Any, county: Any
) -> Application:
    app = submit_and_accept(township, household, type, clock, D(2026, 9, 28), D(2026, 9, 29))
    # 09-30, 10-08, 10-09.
    assert app.step_due_on == D(2026, 10, 9)
    investigate(township, county, app, clock, D(2026, 9, 30), D(2026, 10, 8))
    clock.on(D(2026, 10, 9))
    services.township_review(actor=township, application=app, opinion="符合条件")
    return _reload(app)


def test_near_dibao_goes_to_confirmation_without_publicity(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _without_publicity(
        clock, household, ApplicationType.NEAR_DIBAO, jinshui_officer, county_officer
    )
    assert app.status == Status.CONFIRMING and not app.publicities.exists()
    # 10-10 (a working Saturday), 10-12…10-16, 10-19…10-22.
    assert app.step_due_on == D(2026, 10, 22)


def test_near_dibao_confirmed_schedules_annual_review_from_identification(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _without_publicity(
        clock, household, ApplicationType.NEAR_DIBAO, jinshui_officer, county_officer
    )
    clock.on(D(2026, 10, 12))
    services.decision_confirm(actor=county_officer, application=app)
    review = ReviewSchedule.objects.get(application=app)
    assert (review.kind, review.due_on) == (ReviewKind.ANNUAL_REVIEW, D(2027, 10, 12))
    # Recorded from November; the household's current category changes on 1 November.
    status = CategoryStatus.objects.get(household=household, category="near_dibao")
    assert status.effective_from == D(2026, 11, 1)
    assert household.__class__.objects.get(pk=household.pk).category == ""
    clock.on(D(2026, 11, 1))
    assert statuses_apply_due().category == 1
    assert household.__class__.objects.get(pk=household.pk).category == "near_dibao"


def test_expenditure_hardship_refused(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _without_publicity(
        clock,
        household,
        ApplicationType.EXPENDITURE_HARDSHIP,
        jinshui_officer,
        county_officer,
    )
    clock.on(D(2026, 10, 10))
    decision = services.decision_refuse(
        actor=county_officer, application=app, reasons="近12个月刚性支出未超过家庭收入"
    )
    # Saturday 10-10 is a working day: 10-12, 10-13, 10-14.
    assert decision.refusal_notice_due_on == D(2026, 10, 14)


def test_temporary_assistance_confirmed_with_one_off_amount(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _without_publicity(
        clock,
        household,
        ApplicationType.TEMPORARY_ASSISTANCE,
        jinshui_officer,
        county_officer,
    )
    clock.on(D(2026, 10, 12))
    with pytest.raises(services.DeterminationError, match="临时救助金额"):
        services.decision_confirm(actor=county_officer, application=app)
    decision = services.decision_confirm(
        actor=county_officer, application=app, amount=Decimal("2000")
    )
    assert decision.monthly_amount == Decimal("2000.00") and decision.category == ""
    assert not ReviewSchedule.objects.filter(application=app).exists()


# --- locally configured limits -----------------------------------------------------------------


def test_county_limits_25_and_40_override_the_province(
    clock: Any, household: Any, jinshui_officer: Any
) -> None:
    time_limits("410105000000", procedure_days=25, procedure_extended_days=40)
    app = submit_and_accept(
        jinshui_officer, household, ApplicationType.DIBAO, clock, D(2026, 2, 11), D(2026, 2, 12)
    )
    assert app.procedure_due_on == D(2026, 3, 25)
    assert app.step_due_on == D(2026, 2, 24)  # inherited from the province
    services.procedure_extend(actor=jinshui_officer, application=app, reason="需补充材料")
    assert app.procedure_due_on == D(2026, 4, 16)


def test_delegated_county_township_confirms_within_20_days(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    time_limits("410105000000", confirmation_delegated=True)
    app = _dibao_to_confirmation(clock, household, jinshui_officer, county_officer)
    assert app.delegated is True
    assert app.procedure_due_on == D(2026, 3, 18)
    clock.on(D(2026, 3, 10))
    decision = services.decision_confirm(actor=jinshui_officer, application=app)
    assert decision.level == DecisionLevel.TOWNSHIP


def test_township_officer_cannot_confirm_where_not_delegated(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    app = _dibao_to_confirmation(clock, household, jinshui_officer, county_officer)
    assert jinshui_officer.role == Role.TOWNSHIP_OFFICER
    with pytest.raises(services.PermissionDenied, match="县级"):
        services.decision_confirm(actor=jinshui_officer, application=app)


# --- the timeline ------------------------------------------------------------------------------


def test_every_step_is_an_event_on_the_household_chain(
    clock: Any, household: Any, jinshui_officer: Any, county_officer: Any, standards: Any
) -> None:
    app = _dibao_to_confirmation(clock, household, jinshui_officer, county_officer)
    clock.on(D(2026, 3, 20))
    services.decision_confirm(actor=county_officer, application=app)
    kinds = list(
        CaseEvent.objects.filter(household=household)
        .order_by("at", "id")
        .values_list("kind", flat=True)
    )
    assert kinds == [
        EventKind.SUBMITTED,
        EventKind.ATTACHMENT,
        EventKind.ACCEPTED,
        EventKind.HOME_VISIT,
        EventKind.DATA_CHECK_REQUESTED,
        EventKind.DATA_CHECK_ANSWERED,
        EventKind.TOWNSHIP_REVIEW,
        EventKind.PUBLICITY_STARTED,
        EventKind.PUBLICITY_CLOSED,
        EventKind.REVIEW_SCHEDULED,
        EventKind.CONFIRMED,
    ]
    assert app.version == 9
