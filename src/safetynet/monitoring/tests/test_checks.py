"""Home checks: a visit to each kind of outcome, who may see and record which checks, random
survey draws, contracted visits, escalation of overdue checks."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.http import Http404

from conftest import make_user
from safetynet.accounts.permissions import PermissionDenied
from safetynet.accounts.roles import Role
from safetynet.determination.models import Application, Termination
from safetynet.monitoring.checks import selectors, services
from safetynet.monitoring.common import AlertStatus, CheckKind, CheckStatus, Outcome
from safetynet.monitoring.models import Alert, CoordinationCase, DataFlag, HomeCheck
from safetynet.regions.models import Level, Region

pytestmark = pytest.mark.django_db

JPEG = b"\xff\xd8\xff\xe0" + b"0" * 100


def _visit(outcome: str, **extra: Any) -> services.VisitInput:
    return services.VisitInput(
        visited_on=dt.date.today(),
        staff=["张干部", "李协理员"],
        findings="入户查看，核实情况。",
        outcome=outcome,
        **extra,
    )


@pytest.mark.parametrize(
    ("outcome", "extra"),
    [
        (Outcome.CONFIRMED, {"open_application": True, "application_type": "dibao"}),
        (Outcome.CONFIRMED, {}),
        (Outcome.REFERRED, {}),
        (Outcome.NO_CHANGE, {"photos": [("门口.jpg", JPEG)]}),
        (Outcome.DATA_WRONG, {"data_wrong_reason": "车辆已过户，登记信息过期"}),
        (Outcome.MAY_NOT_QUALIFY, {"termination_reason": "家庭拥有超值车辆"}),
        (Outcome.SPECIAL, {"special_summary": "车辆为残疾人代步，提请县级研究"}),
    ],
)
def test_a_visit_carries_out_its_outcome(
    vehicle_alert: Alert, jinshui_officer: Any, outcome: str, extra: dict[str, Any]
) -> None:
    check = HomeCheck.objects.get(alert=vehicle_alert)

    visit = services.visit_record(actor=jinshui_officer, check=check, data=_visit(outcome, **extra))

    vehicle_alert.refresh_from_db()
    check.refresh_from_db()
    assert vehicle_alert.status == AlertStatus.DONE and check.status == CheckStatus.DONE
    assert visit.working_days is not None and visit.working_days >= 0
    household = vehicle_alert.household
    applications = Application.objects.filter(household=household)
    if outcome == Outcome.CONFIRMED and extra:
        assert visit.application_id == applications.get().pk
        assert "动态监测" in applications.get().reason
    else:
        assert not applications.exists()
    if outcome == Outcome.REFERRED:
        assert visit.referral_department == "civil_affairs"  # eligibility → civil affairs
    flags = DataFlag.objects.filter(visit=visit)
    if outcome == Outcome.DATA_WRONG:
        [flag] = flags
        assert (flag.source, flag.batch_id, flag.row_number) == (
            "vehicles",
            vehicle_alert.evidence[0]["batch"],
            vehicle_alert.evidence[0]["row"],
        )
    else:
        assert not flags.exists()
    terminations = Termination.objects.filter(household=household)
    assert (
        (visit.termination_id == terminations.get().pk)
        if outcome == Outcome.MAY_NOT_QUALIFY
        else not terminations.exists()
    )
    assert CoordinationCase.objects.filter(visit=visit).exists() == (outcome == Outcome.SPECIAL)
    assert visit.photos.count() == (1 if outcome == Outcome.NO_CHANGE else 0)


def test_a_check_is_visited_once_and_a_rescan_leaves_the_done_alert(
    vehicle_alert: Alert, jinshui_officer: Any, county_officer: Any
) -> None:
    from safetynet.monitoring.scan.services import scan_run
    from safetynet.monitoring.tests.conftest import SCAN_ON

    check = HomeCheck.objects.get(alert=vehicle_alert)
    services.visit_record(actor=jinshui_officer, check=check, data=_visit(Outcome.NO_CHANGE))

    with pytest.raises(services.CheckError):
        services.visit_record(actor=jinshui_officer, check=check, data=_visit(Outcome.NO_CHANGE))
    again = scan_run(actor=county_officer, on=SCAN_ON, indicator_code="vehicle")
    assert (again.new, again.closed) == (0, 0)
    assert Alert.objects.get().status == AlertStatus.DONE


def test_missing_reasons_are_refused(vehicle_alert: Alert, jinshui_officer: Any) -> None:
    check = HomeCheck.objects.get(alert=vehicle_alert)
    for outcome, field in [
        (Outcome.MAY_NOT_QUALIFY, "termination_reason"),
        (Outcome.SPECIAL, "special_summary"),
        (Outcome.DATA_WRONG, "data_wrong_reason"),
    ]:
        with pytest.raises(services.CheckError) as caught:
            services.visit_record(actor=jinshui_officer, check=check, data=_visit(outcome))
        assert caught.value.field == field
    with pytest.raises(services.CheckError):
        services.visit_record(
            actor=jinshui_officer,
            check=check,
            data=_visit(Outcome.NO_CHANGE, photos=[("x.exe", b"MZ")]),
        )


def test_village_assistants_see_their_villages_checks_only(
    vehicle_alert: Alert, jinshui_township: Region
) -> None:
    village = Region.objects.get(code=vehicle_alert.region_code)
    other = (
        Region.objects.filter(code__startswith=jinshui_township.prefix, level=Level.VILLAGE)
        .exclude(code=village.code)
        .first()
    )
    own = make_user("va_own", Role.VILLAGE_ASSISTANT, village)
    stranger = make_user("va_other", Role.VILLAGE_ASSISTANT, other)

    assert list(selectors.check_list(user=own)) == [vehicle_alert.home_check]
    assert list(selectors.check_list(user=stranger)) == []
    with pytest.raises(Http404):
        selectors.check_get(user=stranger, pk=vehicle_alert.home_check.pk)


def test_a_social_organisation_sees_and_records_only_what_is_assigned(
    vehicle_alert: Alert, county_officer: Any, jinshui_township: Region
) -> None:
    org = make_user(
        "org", Role.SOCIAL_ORGANISATION, Region.objects.get(code=county_officer.scope_region_id)
    )
    check = vehicle_alert.home_check
    assert list(selectors.check_list(user=org)) == []
    with pytest.raises(Http404):
        selectors.check_get(user=org, pk=check.pk)

    services.check_assign(actor=county_officer, check=check, organisation=org)

    assert list(selectors.check_list(user=org)) == [check]
    visit = services.visit_record(
        actor=org, check=selectors.check_get(user=org, pk=check.pk), data=_visit(Outcome.NO_CHANGE)
    )
    assert visit.recorded_by == org
    with pytest.raises(PermissionDenied):
        from safetynet.monitoring.alerts.selectors import alert_list

        alert_list(user=org)


def test_only_social_organisations_take_assignments(
    vehicle_alert: Alert, county_officer: Any, jinshui_officer: Any
) -> None:
    with pytest.raises(services.CheckError):
        services.check_assign(
            actor=county_officer, check=vehicle_alert.home_check, organisation=jinshui_officer
        )
    with pytest.raises(PermissionDenied):
        services.check_assign(
            actor=jinshui_officer, check=vehicle_alert.home_check, organisation=jinshui_officer
        )


def test_a_random_survey_is_reproducible(
    make_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    from safetynet.registry import services as registry

    for i in range(6):
        household = make_household(jinshui_officer, head_name=f"抽样{i}")
        registry.category_set(
            actor=county_officer,
            household=household,
            category="near_dibao",
            effective_from=dt.date(2025, 1, 1),
            reason="测",
        )
    make_household(jinshui_officer, head_name="未在册")  # no category: not watched
    county = Region.objects.get(code=county_officer.scope_region_id)

    first = services.survey_draw(actor=county_officer, county=county, per_township=3, seed=42)
    second = services.survey_draw(actor=county_officer, county=county, per_township=3, seed=42)
    other = services.survey_draw(actor=county_officer, county=county, per_township=6, seed=7)

    assert first.households == second.households and len(first.households) == 3
    assert len(other.households) == 6
    assert HomeCheck.objects.filter(survey=first, kind=CheckKind.SURVEY).count() == 3
    with pytest.raises(PermissionDenied):
        services.survey_draw(actor=jinshui_officer, county=county, per_township=3, seed=1)


def test_overdue_checks_escalate_once(vehicle_alert: Alert, county_officer: Any) -> None:
    check = vehicle_alert.home_check
    assert services.escalate_overdue(on=check.due_on) == 0
    assert services.escalate_overdue(on=check.due_on + dt.timedelta(days=1)) == 1
    assert services.escalate_overdue(on=check.due_on + dt.timedelta(days=2)) == 0
    escalated = selectors.check_list(
        user=county_officer, filters=selectors.CheckFilters(escalated=True)
    )
    assert list(escalated) == [check]
    late = check.due_on + dt.timedelta(days=1)
    assert selectors.overdue_count(user=county_officer, today=late) == 1
    assert selectors.overdue_count(user=county_officer, today=check.due_on) == 0


def test_periodic_checks_for_near_dibao_households(
    make_household: Any, jinshui_officer: Any, county_officer: Any
) -> None:
    from safetynet.registry import services as registry

    old = make_household(jinshui_officer, head_name="边缘早")
    new = make_household(jinshui_officer, head_name="边缘新")
    registry.category_set(
        actor=county_officer,
        household=old,
        category="near_dibao",
        effective_from=dt.date(2025, 1, 1),
        reason="测",
    )
    registry.category_set(
        actor=county_officer,
        household=new,
        category="near_dibao",
        effective_from=dt.date.today(),
        reason="测",
    )

    assert services.periodic_checks_create(on=dt.date.today(), months=6) == 1
    assert services.periodic_checks_create(on=dt.date.today(), months=6) == 0
    assert HomeCheck.objects.get(kind=CheckKind.PERIODIC).household_id == old.pk


@pytest.fixture
def periodic_check(make_household: Any, jinshui_officer: Any, county_officer: Any) -> HomeCheck:
    """A near-dibao household of 金水区 (head 边缘户主) with its periodic check due."""
    from safetynet.registry import services as registry

    household = make_household(jinshui_officer, head_name="边缘户主")
    registry.category_set(
        actor=county_officer,
        household=household,
        category="near_dibao",
        effective_from=dt.date(2025, 1, 1),
        reason="测",
    )
    assert services.periodic_checks_create(on=dt.date.today(), months=6) == 1
    return HomeCheck.objects.get(kind=CheckKind.PERIODIC)


def test_periodic_checks_show_in_the_townships_review_queue(
    periodic_check: HomeCheck, jinshui_officer: Any, zhongyuan_officer: Any, client: Any
) -> None:
    """二(二): the periodic checks of near-dibao households stand beside the dibao reviews in
    determination's one queue (through the hook monitoring registers)."""
    from django.urls import reverse

    check = periodic_check
    client.force_login(jinshui_officer)
    body = client.get(reverse("determination:review_list")).content.decode()
    assert "定期核查（动态监测）" in body and "边缘户主" in body
    assert reverse("monitoring:check_detail", args=[check.pk]) in body
    # The queue's filter files it under 定期核查; another kind hides it.
    kind = client.get(reverse("determination:review_list"), {"kind": "annual_review"})
    assert "边缘户主" not in kind.content.decode()
    client.force_login(zhongyuan_officer)
    assert "边缘户主" not in client.get(reverse("determination:review_list")).content.decode()
    HomeCheck.objects.filter(pk=check.pk).update(status=CheckStatus.DONE)
    client.force_login(jinshui_officer)
    assert "边缘户主" not in client.get(reverse("determination:review_list")).content.decode()


def test_a_periodic_check_due_is_listed_alike_by_the_review_page_and_the_api(
    periodic_check: HomeCheck, jinshui_officer: Any, client: Any
) -> None:
    """The reviews API lists determination's one queue, as the page does: monitoring's periodic
    check appears in both, with the same rows in the same order."""
    from django.urls import reverse

    check = periodic_check
    client.force_login(jinshui_officer)

    page = client.get(reverse("determination:review_list"), {"within": 366}).context["rows"]
    api = client.get("/api/cases/reviews", {"within_days": 366}).json()["items"]

    listed = [(row["household_id"], row["due_on"].isoformat(), row["url"]) for row in page]
    assert listed == [(item["household_id"], item["due_on"], item["url"]) for item in api]
    link = reverse("monitoring:check_detail", args=[check.pk])
    assert (check.household_id, check.due_on.isoformat(), link) in listed


@pytest.mark.parametrize(
    ("name", "content", "stored"),
    [
        ("门口.html", JPEG, ".jpg"),  # a JPEG named .html is stored as .jpg
        ("x.png", b"\x89PNG\r\n\x1a\n" + b"0" * 50, ".png"),
    ],
)
def test_a_photo_is_stored_under_the_type_its_bytes_show(
    name: str, content: bytes, stored: str
) -> None:
    from safetynet.monitoring.checks.services import photo_extension

    assert f".{photo_extension(content)}" == stored
    assert photo_extension(b"\x89PNG-not-really") is None
    assert photo_extension(b"<html>") is None
