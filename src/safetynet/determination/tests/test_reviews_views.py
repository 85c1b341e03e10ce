"""After the decision: the due and overdue review list, recording outcomes (continue, change of
category or amount, termination with publicity and gradual exit), reported changes, and the
scope and permission checks of every review URL. Time is frozen in Asia/Shanghai.
"""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import URLPattern, reverse

from safetynet.determination import services
from safetynet.determination.after.urls import urlpatterns
from safetynet.determination.models import (
    ApplicationType,
    CaseEvent,
    EventKind,
    ReviewKind,
    ReviewOutcome,
    ReviewSchedule,
    Termination,
    TerminationStatus,
)
from safetynet.registry.models import CategoryStatus, Person

pytestmark = pytest.mark.django_db

D = dt.date


@pytest.fixture
def clock_now(clock: Any) -> Any:
    clock.on(D(2026, 3, 2))
    return clock


@pytest.fixture
def near_dibao(clock_now: Any, jinshui_officer: Any, make_household: Any) -> ReviewSchedule:
    """A near-dibao household identified on 2025-02-01: its annual review was due 2026-02-01."""
    household = make_household(jinshui_officer, head_name="边缘户")
    clock_now.on(D(2025, 2, 1))  # included on its identification day: first review a year on
    services.direct_inclusion(
        actor=jinshui_officer,
        household=household,
        type=ApplicationType.NEAR_DIBAO,
        identified_on=D(2025, 2, 1),
    )
    clock_now.on(D(2026, 3, 2))
    return ReviewSchedule.objects.get(household=household)


@pytest.fixture
def destitute(clock_now: Any, jinshui_officer: Any, make_household: Any) -> ReviewSchedule:
    """A destitute member whose self-care changed: the re-assessment is due in 10 working days."""
    household = make_household(jinshui_officer, head_name="特困户")
    person = Person.objects.get(pk=household.head_id)
    services.direct_inclusion(
        actor=jinshui_officer,
        household=household,
        type=ApplicationType.DESTITUTE,
        identified_on=D(2025, 2, 1),
        person=person,
        care_tier="self",
    )
    return services.self_care_change_report(
        actor=jinshui_officer, household=household, person=person, note="卧床，不能自理"
    )


@pytest.fixture
def officer(client: Client, jinshui_officer: Any) -> Client:
    client.force_login(jinshui_officer)
    return client


def outcome(client: Client, review: ReviewSchedule, **fields: Any) -> Any:
    data = {"notes": "入户核实", "gradual_exit_months": "0", "done_on": "2026-03-02", **fields}
    return client.post(reverse("determination:review_record", args=[review.pk]), data)


# --- the list ----------------------------------------------------------------------------------


def test_overdue_annual_review_is_listed_in_red(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    body = officer.get(reverse("determination:review_list")).content.decode()
    assert '<tr class="overdue error">' in body
    assert "边缘户" in body and "超期 29 天" in body
    assert 'id="overdue-count">已超期 1 项' in body


def test_state_filter_keeps_only_reviews_not_yet_overdue(
    officer: Client, near_dibao: ReviewSchedule, destitute: ReviewSchedule
) -> None:
    response = officer.get(reverse("determination:review_list"), {"state": "due"})
    assert [row["review_id"] for row in response.context["rows"]] == [destitute.pk]


def test_kind_filter(
    officer: Client, near_dibao: ReviewSchedule, destitute: ReviewSchedule
) -> None:
    response = officer.get(reverse("determination:review_list"), {"kind": "annual_review"})
    assert [row["review_id"] for row in response.context["rows"]] == [near_dibao.pk]


def test_other_township_sees_no_review(
    client: Client, zhongyuan_officer: Any, near_dibao: ReviewSchedule
) -> None:
    client.force_login(zhongyuan_officer)
    response = client.get(reverse("determination:review_list"), {"within": "366"})
    assert response.context["page"].paginator.count == 0
    assert "边缘户" not in response.content.decode()


def test_county_officer_sees_due_and_overdue_counts_per_township(
    client: Client, county_officer: Any, near_dibao: ReviewSchedule, destitute: ReviewSchedule
) -> None:
    client.force_login(county_officer)
    response = client.get(reverse("determination:review_list"))
    township = f"{near_dibao.region_id[:9]}000"
    assert [(t["code"], t["due"], t["overdue"]) for t in response.context["townships"]] == [
        (township, 1, 1)
    ]


def test_list_is_forbidden_without_view_cases(client: Client, village_assistant: Any) -> None:
    client.force_login(village_assistant)
    assert client.get(reverse("determination:review_list")).status_code == 403


def test_list_query_count_does_not_grow_with_reviews(
    officer: Client, jinshui_officer: Any, make_household: Any, clock_now: Any
) -> None:
    def include() -> None:
        household = make_household(jinshui_officer)
        clock_now.on(D(2025, 2, 1))  # included on its identification day: overdue by 2026-03-02
        services.direct_inclusion(
            actor=jinshui_officer,
            household=household,
            type=ApplicationType.NEAR_DIBAO,
            identified_on=D(2025, 2, 1),
        )
        clock_now.on(D(2026, 3, 2))

    include()
    officer.get(reverse("determination:review_list"))  # session and user loaded once
    with CaptureQueriesContext(connection) as one:
        officer.get(reverse("determination:review_list"))
    for _ in range(5):
        include()
    with CaptureQueriesContext(connection) as six:
        response = officer.get(reverse("determination:review_list"))
    assert (len(response.context["rows"]), len(six)) == (6, len(one))


# --- recording an outcome ----------------------------------------------------------------------


def test_record_page_shows_the_household_with_masked_id(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    body = officer.get(reverse("determination:review_record", args=[near_dibao.pk])).content
    head = near_dibao.household.head
    assert "边缘户" in body.decode() and head.id_number_masked in body.decode()
    assert "低保边缘" in body.decode()


def test_continue_schedules_the_next_annual_review(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    response = outcome(officer, near_dibao, outcome="continue")
    near_dibao.refresh_from_db()
    following = ReviewSchedule.objects.filter(done_on__isnull=True).get()
    assert response.status_code == 302
    assert (near_dibao.outcome, following.kind, following.due_on) == (
        ReviewOutcome.CONTINUE,
        ReviewKind.ANNUAL_REVIEW,
        D(2027, 3, 2),
    )


def test_change_of_category_takes_effect_next_month(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    outcome(officer, near_dibao, outcome="change", new_category="dibao")
    status = CategoryStatus.objects.get(household=near_dibao.household, effective_to__isnull=True)
    assert (status.category, status.effective_from) == ("dibao", D(2026, 4, 1))


def test_change_of_amount_is_appended_to_the_timeline(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    outcome(officer, near_dibao, outcome="change", monthly_amount="420.50")
    event = CaseEvent.objects.filter(kind=EventKind.REVIEW_RECORDED).latest("id")
    assert event.data["monthly_amount"] == "420.50"
    assert event.data["effective_from"] == "2026-04-01"
    assert Decimal(event.data["monthly_amount"]) == Decimal("420.50")


def test_change_with_nothing_to_change_is_refused_beside_the_category(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    response = outcome(officer, near_dibao, outcome="change")
    near_dibao.refresh_from_db()
    assert response.status_code == 200
    assert response.context["form"].errors["new_category"] == [
        "变更须填写新的救助类别或新的月救助金额"
    ]
    assert near_dibao.done_on is None


def test_amount_with_continue_is_refused(officer: Client, near_dibao: ReviewSchedule) -> None:
    response = outcome(officer, near_dibao, outcome="continue", monthly_amount="100")
    assert "monthly_amount" in response.context["form"].errors


def test_terminating_destitute_support_is_publicised_first(
    officer: Client, destitute: ReviewSchedule
) -> None:
    outcome(officer, destitute, outcome="terminate", notes="已由子女赡养")
    termination = Termination.objects.get()
    assert (termination.status, termination.publicity_ends_on, termination.effective_from) == (
        TerminationStatus.PUBLICITY,
        D(2026, 3, 8),
        None,
    )


def test_destitute_termination_takes_effect_the_month_after_publicity(
    officer: Client,
    jinshui_officer: Any,
    county_officer: Any,
    destitute: ReviewSchedule,
    clock_now: Any,
) -> None:
    outcome(officer, destitute, outcome="terminate", notes="已由子女赡养")
    termination = Termination.objects.get()
    clock_now.on(D(2026, 3, 9))
    officer.force_login(jinshui_officer)  # sessions last 30 minutes
    officer.post(reverse("determination:termination_publicity_close", args=[termination.pk]))
    officer.force_login(county_officer)
    officer.post(reverse("determination:termination_confirm", args=[termination.pk]))
    clock_now.on(D(2026, 4, 1))
    officer.force_login(jinshui_officer)
    officer.post(reverse("determination:termination_complete", args=[termination.pk]))
    termination.refresh_from_db()
    ended = CategoryStatus.objects.get(person=destitute.person, category="destitute")
    assert (termination.status, termination.effective_from, ended.effective_to) == (
        TerminationStatus.DONE,
        D(2026, 4, 1),
        D(2026, 3, 31),
    )


def test_publicity_cannot_close_before_seven_days(
    officer: Client, destitute: ReviewSchedule
) -> None:
    outcome(officer, destitute, outcome="terminate", notes="已由子女赡养")
    termination = Termination.objects.get()
    response = officer.post(
        reverse("determination:termination_publicity_close", args=[termination.pk]), follow=True
    )
    termination.refresh_from_db()
    assert termination.status == TerminationStatus.PUBLICITY
    assert "届满后方可结束公示" in response.content.decode()


def test_gradual_exit_is_refused_for_a_near_dibao_household(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    # 渐退期 only for dibao households whose income rose above the standard (ADR 0005).
    response = outcome(
        officer,
        near_dibao,
        outcome="terminate",
        notes="就业后收入超过标准",
        gradual_exit_months="6",
    )
    assert "gradual_exit_months" in response.context["form"].errors
    assert not Termination.objects.exists()


def test_gradual_exit_longer_than_six_months_is_refused(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    response = outcome(officer, near_dibao, outcome="terminate", gradual_exit_months="7")
    assert "gradual_exit_months" in response.context["form"].errors
    assert not Termination.objects.exists()


def test_auditor_may_see_the_list_but_not_record(
    client: Client, auditor: Any, near_dibao: ReviewSchedule
) -> None:
    client.force_login(auditor)
    assert client.get(reverse("determination:review_list")).status_code == 200
    url = reverse("determination:review_record", args=[near_dibao.pk])
    assert client.get(url).status_code == 403


# --- reported changes --------------------------------------------------------------------------


def test_reported_death_schedules_a_recheck_in_three_months(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    household = near_dibao.household
    member = household.memberships.exclude(person_id=household.head_id).get().person
    response = officer.post(
        reverse("determination:review_report", args=[household.pk]),
        {"kind": "death", "person": member.pk, "died_on": "2026-02-20"},
    )
    recheck = ReviewSchedule.objects.get(kind=ReviewKind.DEATH_RECHECK)
    assert (response.status_code, recheck.due_on, recheck.person_id) == (
        302,
        D(2026, 6, 2),
        member.pk,
    )


def test_death_report_without_the_date_is_refused(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    household = near_dibao.household
    response = officer.post(
        reverse("determination:review_report", args=[household.pk]),
        {"kind": "death", "person": household.head_id},
    )
    assert response.context["form"].errors["died_on"] == ["请填写死亡日期"]


# --- scope -------------------------------------------------------------------------------------


def _id_patterns() -> list[URLPattern]:
    return [p for p in urlpatterns if isinstance(p, URLPattern) and "<int:" in str(p.pattern)]


@pytest.fixture
def foreign(officer: Client, destitute: ReviewSchedule) -> dict[str, int]:
    """Ids of a 金水区 review, household and termination."""
    outcome(officer, destitute, outcome="terminate", notes="已由子女赡养")
    return {
        "pk": destitute.pk,
        "household_id": destitute.household_id,
        "termination": Termination.objects.get().pk,
    }


def _url(pattern: URLPattern, ids: dict[str, int]) -> str:
    wanted = set(pattern.pattern.regex.groupindex)
    kwargs = {k: ids[k] for k in wanted if k in ids}
    if pattern.name and pattern.name.startswith("termination_"):
        kwargs["pk"] = ids["termination"]
    return reverse(f"determination:{pattern.name}", kwargs=kwargs)


def test_every_id_url_is_in_the_matrix() -> None:
    for pattern in _id_patterns():
        assert set(pattern.pattern.regex.groupindex) <= {"pk", "household_id"}, pattern.name


@pytest.mark.parametrize("method", ["get", "post"])
def test_other_township_gets_404_from_every_review_url(
    client: Client, zhongyuan_officer: Any, foreign: dict[str, int], method: str
) -> None:
    client.force_login(zhongyuan_officer)
    for pattern in _id_patterns():
        response = getattr(client, method)(_url(pattern, foreign))
        assert response.status_code in (404, 405), (pattern.name, response.status_code)
        assert "特困户" not in response.content.decode(errors="replace"), pattern.name


def test_other_township_posts_change_nothing(
    client: Client, zhongyuan_officer: Any, foreign: dict[str, int]
) -> None:
    client.force_login(zhongyuan_officer)
    events = CaseEvent.objects.count()
    for pattern in _id_patterns():
        client.post(_url(pattern, foreign), {"outcome": "continue", "notes": "x"})
    assert Termination.objects.get().status == TerminationStatus.PUBLICITY
    assert CaseEvent.objects.count() == events


# --- the amounts beside the review form --------------------------------------------------------


@pytest.fixture
def dibao(clock_now: Any, jinshui_officer: Any, make_household: Any) -> ReviewSchedule:
    """A dibao household of two, 300 yuan of wages, paid 1,000 yuan since 2025-02; standard 700."""
    from safetynet.policy.models import StandardVersion

    StandardVersion.objects.create(
        region_id="410105000000",
        effective_from=D(2026, 1, 1),
        dibao_urban_monthly=Decimal("700.00"),
        dibao_rural_monthly=Decimal("700.00"),
    )
    household = make_household(jinshui_officer, head_name="低保户", wages=Decimal("300.00"))
    services.direct_inclusion(
        actor=jinshui_officer,
        household=household,
        type=ApplicationType.DIBAO,
        identified_on=D(2025, 2, 1),
        monthly_amount=Decimal("1000.00"),
    )
    return ReviewSchedule.objects.get(household=household)


def _amounts(page: Any) -> str:
    found = re.search(r'<dl class="facts" id="review-amounts">(.*?)</dl>', page, re.S)
    assert found is not None
    return " ".join(re.sub(r"<[^>]+>", " ", found[1]).split())


def test_review_page_shows_the_decided_amount_and_the_estimate_by_todays_standards(
    officer: Client, dibao: ReviewSchedule
) -> None:
    page = officer.get(reverse("determination:review_record", args=[dibao.pk])).content.decode()

    amounts = _amounts(page)
    assert "认定时月救助金额 1000.00 元" in amounts
    # (700 − 300 / 2) × 2 = 1,100 by the standard in force today.
    assert "按现行标准测算 1100.00 元" in amounts
    assert "最近一次复核调整" not in amounts


def test_after_an_amount_change_the_next_review_shows_it(
    officer: Client, dibao: ReviewSchedule, clock_now: Any
) -> None:
    outcome(officer, dibao, outcome="change", monthly_amount="1100.00")
    dibao.refresh_from_db()
    assert (dibao.monthly_amount, dibao.changes_from) == (Decimal("1100.00"), D(2026, 4, 1))
    following = ReviewSchedule.objects.filter(household=dibao.household, done_on__isnull=True).get()

    page = officer.get(reverse("determination:review_record", args=[following.pk]))

    assert "最近一次复核调整 1100.00 元（2026-04-01 起）" in _amounts(page.content.decode())


def test_near_dibao_review_says_there_is_no_amount_to_estimate(
    officer: Client, near_dibao: ReviewSchedule
) -> None:
    page = officer.get(reverse("determination:review_record", args=[near_dibao.pk]))

    assert "该类别没有按标准测算的月金额" in _amounts(page.content.decode())


def test_the_queue_lists_the_checks_other_apps_register_beside_the_reviews(
    officer: Client, dibao: ReviewSchedule, monkeypatch: Any
) -> None:
    """Apps above determination add their checks through ``after.queue.register``; the queue
    shows them with the reviews, soonest first, with their own link."""
    from safetynet.determination.after import queue

    ReviewSchedule.objects.filter(pk=dibao.pk).update(due_on=D(2026, 3, 10))
    seen: list[Any] = []

    def provider(*, user: Any, until: dt.date, region_code: str | None) -> list[queue.QueueCheck]:
        seen.append((user, until, region_code))
        return [
            queue.QueueCheck(
                kind="外来核查",
                review_kind="",
                household_id=dibao.household_id,
                head_name="核查户主",
                person="",
                village="某村",
                region_code=dibao.region_id,
                category="低保边缘",
                due_on=D(2026, 3, 9),
                url="/elsewhere/1/",
                action="去登记",
            )
        ]

    monkeypatch.setattr(queue, "_providers", {"test": provider})
    body = officer.get(reverse("determination:review_list")).content.decode()
    assert seen and seen[0][2] is None
    table = body.split('id="review-table"', 1)[1]
    assert table.index("核查户主") < table.index(dibao.household.head.name)
    assert 'href="/elsewhere/1/">去登记</a>' in table
    assert "共 2 项" in body
