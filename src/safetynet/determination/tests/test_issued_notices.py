"""Notices as first issued: a reprint renders the content stored at the first print, whatever
changed in the registry since; only the print time differs."""

from __future__ import annotations

import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from safetynet.determination.documents import layout as layout
from safetynet.determination.documents import notices
from safetynet.determination.documents.notices import NoticeKind
from safetynet.determination.documents.store import content_from_json, content_to_json
from safetynet.determination.models import IssuedNotice
from safetynet.determination.tests.notice_cases import at, decided_case
from safetynet.documents.tests.pdf_text import pdf_flat_text
from safetynet.registry.models import Person

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings: Any, tmp_path: Any) -> None:
    settings.MEDIA_ROOT = str(tmp_path / "media")


@pytest.fixture
def confirmed(make_household: Any, jinshui_officer: Any, county_officer: Any) -> Any:
    household = make_household(jinshui_officer, head_name="张建国", wages=Decimal("500.00"))
    return decided_case(officer=jinshui_officer, county=county_officer, household=household)


def _text(user: Any, case: Any, kind: str) -> str:
    pdf = notices.notice_pdf(user=user, application=case, kind=kind)
    return pdf_flat_text(pdf).replace(" ", "")


def test_content_survives_the_round_trip_through_json() -> None:
    head = layout.Letterhead(
        number="RD410105-2026-000001",
        issuer="金水区民政局",
        issued_on=dt.date(2026, 3, 9),
        county="金水区",
        generated_at=dt.datetime(2026, 3, 9, 10, tzinfo=dt.UTC),
    )
    content = layout.DecisionContent(
        head=head,
        applicant=layout.Applicant(name="张三", id_masked="4101**********0012", address="某村"),
        application_type="最低生活保障",
        case_number="SQ-1",
        applied_on=dt.date(2026, 3, 2),
        decided_on=dt.date(2026, 3, 9),
        category="低保",
        monthly_amount=Decimal("1100.00"),
        start_month=dt.date(2026, 4, 1),
        members=(layout.MemberLine(name="张三", id_masked="4101**0012", relation="户主"),),
    )

    assert content_from_json(layout.DecisionContent, content_to_json(content)) == content


def test_reprint_shows_the_notice_as_first_issued(jinshui_officer: Any, confirmed: Any) -> None:
    first = _text(jinshui_officer, confirmed, NoticeKind.DECISION)
    issued = IssuedNotice.objects.get(key=f"decision:{confirmed.pk}")
    assert issued.number in first
    assert issued.issued_by == jinshui_officer
    assert len(issued.content_sha256) == 64

    # The head of the household is renamed in the registry after the notice was issued.
    Person.objects.filter(pk=confirmed.household.head_id).update(name="张新名")
    again = _text(jinshui_officer, confirmed, NoticeKind.DECISION)

    assert "张建国" in again and "张新名" not in again
    assert IssuedNotice.objects.filter(key=f"decision:{confirmed.pk}").count() == 1


def test_a_notice_never_printed_is_issued_with_todays_registry(
    jinshui_officer: Any, confirmed: Any
) -> None:
    Person.objects.filter(pk=confirmed.household.head_id).update(name="张新名")
    assert "张新名" in _text(jinshui_officer, confirmed, NoticeKind.DECISION)


def test_batch_print_issues_each_notice_once(
    jinshui_officer: Any, county_officer: Any, make_household: Any
) -> None:
    cases = [
        decided_case(
            officer=jinshui_officer,
            county=county_officer,
            household=make_household(jinshui_officer, wages=Decimal("400.00")),
        )
        for _ in range(2)
    ]
    notices.notices_pdf(user=jinshui_officer, applications=cases, kind=NoticeKind.RECEIPT)
    notices.notices_pdf(user=jinshui_officer, applications=cases, kind=NoticeKind.RECEIPT)

    keys = set(IssuedNotice.objects.values_list("key", flat=True))
    assert keys == {f"receipt:{case.pk}" for case in cases}


def test_each_review_has_its_own_issued_notice(jinshui_officer: Any, confirmed: Any) -> None:
    from safetynet.determination import services

    review = confirmed.reviews.order_by("due_on").first()
    with at(review.due_on):
        services.review_record(
            actor=jinshui_officer, review=review, outcome="continue", notes="第一次复核。"
        )
    assert "第一次复核。" in _text(jinshui_officer, confirmed, NoticeKind.REVIEW)
    following = confirmed.reviews.filter(done_on__isnull=True).order_by("due_on").first()
    with at(following.due_on):
        services.review_record(
            actor=jinshui_officer, review=following, outcome="continue", notes="第二次复核。"
        )

    text = _text(jinshui_officer, confirmed, NoticeKind.REVIEW)

    assert "第二次复核。" in text and "第一次复核。" not in text
    assert set(IssuedNotice.objects.filter(kind="review").values_list("key", flat=True)) == {
        f"review:{review.pk}",
        f"review:{following.pk}",
    }


def test_stored_content_does_not_hold_the_print_time(jinshui_officer: Any, confirmed: Any) -> None:
    _text(jinshui_officer, confirmed, NoticeKind.DECISION)
    stored = IssuedNotice.objects.get(key=f"decision:{confirmed.pk}").content
    assert stored["head"]["generated_at"] is None
    decoded = content_from_json(layout.DecisionContent, stored)
    assert dataclasses.replace(decoded.head, generated_at=None) == decoded.head
