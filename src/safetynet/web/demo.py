"""Work to practise on (issue 11): after `safetynet seed --county`, the demo township and county
get cases in every step of the procedure, a publicity period that has ended (so the county can
decide today), reviews due and overdue, a department batch, a verification report and change
reports, so that each demo role's workbench shows real work.

Everything goes through the apps' own services with dates counted back from today (the seeded
households are deterministic; the work is placed around the day it is loaded on). It runs once
per county: when the county already has a case, nothing is added.
"""

from __future__ import annotations

import datetime as dt
import logging
import tempfile
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import DecimalField, F, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.services import demo_accounts_reset
from safetynet.changes import services as changes
from safetynet.changes.models import ChangeKind
from safetynet.determination import services as determination
from safetynet.determination.models import Application, ApplicationType, AttachmentKind
from safetynet.feeds import services as feeds
from safetynet.regions.codes import prefix_bounds
from safetynet.registry.choices import COUNTED_INCOME_KINDS
from safetynet.registry.identity import decrypt_id_number
from safetynet.registry.models import Household, Income

logger = logging.getLogger(__name__)

AUTHORISATION = b"%PDF-1.4\n% demo: signed authorisation scan\n%%EOF\n"
STAFF = ["王建华", "李秀英"]


@dataclass
class DemoWork:
    cases: dict[str, int] = field(default_factory=dict)
    reviews: int = 0
    batches: int = 0
    reports: int = 0
    changes: int = 0
    skipped: str = ""

    def summary(self) -> str:
        if self.skipped:
            return f"demo_work=skipped ({self.skipped})"
        steps = " ".join(f"{k}={v}" for k, v in sorted(self.cases.items()))
        return (
            f"demo_work cases[{steps}] reviews={self.reviews} batches={self.batches} "
            f"verification_reports={self.reports} change_reports={self.changes}"
        )


def _staff(county_code: str) -> tuple[User, User, User]:
    """The demo village assistant, township and county officers (created, with throwaway
    passwords, when the demo accounts do not exist yet; `safetynet demo_accounts` prints fresh
    ones)."""
    names = ("demo_village", "demo_township", "demo_county")
    users = {u.username: u for u in User.objects.filter(username__in=names)}
    if len(users) < 3 or (users["demo_county"].scope_region_id or "")[:6] != county_code[:6]:
        demo_accounts_reset(county_code=county_code)
        users = {u.username: u for u in User.objects.filter(username__in=names)}
    return users["demo_village"], users["demo_township"], users["demo_county"]


def _households(township: User, count: int) -> list[Household]:
    """The township's ``count`` poorest households without a category (counted income per
    head, lowest first): those who would apply, and whom the rules let the county confirm."""
    region = township.scope_region
    assert region is not None
    lo, hi = prefix_bounds(region.prefix)
    counted = (
        Income.objects.filter(household=OuterRef("pk"), kind__in=COUNTED_INCOME_KINDS)
        .values("household")
        .annotate(total=Sum("monthly_amount"))
        .values("total")
    )
    return list(
        Household.objects.filter(
            region_id__gte=lo, region_id__lte=hi, category="", member_count__gt=0
        )
        .annotate(
            income=Coalesce(Subquery(counted), Value(Decimal(0), output_field=DecimalField()))
        )
        .annotate(per_head=F("income") / F("member_count"))
        .select_related("head")
        .order_by("per_head", "id")[:count]
    )


def demo_work_seed(*, county_code: str, today: dt.date | None = None) -> DemoWork:
    """Place the practice work in the county's demo township (see the module docstring)."""
    work = DemoWork()
    village, township, county = _staff(county_code)
    lo, hi = prefix_bounds(county_code[:6])
    if Application.objects.filter(region_id__gte=lo, region_id__lte=hi).exists():
        work.skipped = "the county already has cases"
        return work
    today = today or timezone.localdate()
    families = _households(township, 24)
    if len(families) < 24:
        work.skipped = "fewer than 24 households without a category in the demo township"
        return work
    take = iter(families)
    with transaction.atomic():
        _cases(work, township, county, take, today)
        _reviews(work, township, take, today)
        _verification(work, county, next(take))
        _changes(work, township, take, today)
        _village(work, village, exclude={h.pk for h in families}, today=today)
    # The batch reads a file of its own and stores Parquet: outside the transaction above.
    _batch(work, county, families[:6], today)
    return work


def _days(today: dt.date, n: int) -> dt.date:
    return today - dt.timedelta(days=n)


def _case(
    work: DemoWork,
    step: str,
    township: User,
    household: Household,
    applied_on: dt.date,
    type: str = ApplicationType.DIBAO,
) -> Application:
    application = determination.application_submit(
        actor=township, household=household, type=type, applied_on=applied_on
    )
    work.cases[step] = work.cases.get(step, 0) + 1
    return application


def _accept(township: User, application: Application, on: dt.date) -> None:
    determination.attachment_add(
        actor=township,
        application=application,
        kind=AttachmentKind.AUTHORISATION,
        content=AUTHORISATION,
        filename="核对授权书.pdf",
        content_type="application/pdf",
    )
    determination.application_accept(actor=township, application=application, accepted_on=on)
    application.refresh_from_db()


def _investigate(
    township: User, county: User, application: Application, on: dt.date, *, answer: bool = True
) -> None:
    determination.home_visit_record(
        actor=township,
        application=application,
        visited_on=on,
        staff=STAFF,
        findings="家中人口与登记一致，收入来源单一，住房简陋。",
    )
    check = determination.data_check_request(
        actor=township, application=application, requested_on=on
    )
    if answer:
        determination.data_check_answer(
            actor=county, data_check=check, answer="未发现不一致。", answered_on=on
        )
    application.refresh_from_db()


def _cases(work: DemoWork, township: User, county: User, take: Any, today: dt.date) -> None:
    # Decided by the county a week ago.
    application = _case(work, "decided", township, next(take), _days(today, 30))
    _accept(township, application, _days(today, 30))
    _investigate(township, county, application, _days(today, 28))
    determination.township_review(
        actor=township, application=application, opinion="符合条件。", reviewed_on=_days(today, 27)
    )
    application.refresh_from_db()
    determination.publicity_start(
        actor=township, application=application, starts_on=_days(today, 26)
    )
    application.refresh_from_db()
    determination.publicity_close(
        actor=township, application=application, closed_on=_days(today, 18)
    )
    application.refresh_from_db()
    determination.decision_confirm(
        actor=county, application=application, decided_on=_days(today, 7)
    )
    # Just handed in at the township, waiting to be accepted.
    for _ in range(2):
        _case(work, "submitted", township, next(take), _days(today, 1))
    # Accepted, investigation due.
    application = _case(work, "investigating", township, next(take), _days(today, 3))
    _accept(township, application, _days(today, 3))
    # Visited, the economic-status check still with the county.
    application = _case(work, "data_check_pending", township, next(take), _days(today, 8))
    _accept(township, application, _days(today, 8))
    _investigate(township, county, application, _days(today, 6), answer=False)
    # Investigated, waiting for the township's review (overdue: accepted five weeks ago).
    application = _case(work, "investigated_overdue", township, next(take), _days(today, 36))
    _accept(township, application, _days(today, 36))
    _investigate(township, county, application, _days(today, 34))
    # Reviewed, publicity running (started three days ago).
    application = _case(work, "publicity", township, next(take), _days(today, 12))
    _accept(township, application, _days(today, 12))
    _investigate(township, county, application, _days(today, 10))
    determination.township_review(
        actor=township, application=application, opinion="符合条件。", reviewed_on=_days(today, 4)
    )
    application.refresh_from_db()
    determination.publicity_start(
        actor=township, application=application, starts_on=_days(today, 3)
    )
    # Publicity ended without objection and closed: the county can decide today.
    for _ in range(2):
        application = _case(work, "awaiting_county", township, next(take), _days(today, 20))
        _accept(township, application, _days(today, 20))
        _investigate(township, county, application, _days(today, 18))
        determination.township_review(
            actor=township,
            application=application,
            opinion="符合条件，建议纳入。",
            reviewed_on=_days(today, 16),
        )
        application.refresh_from_db()
        determination.publicity_start(
            actor=township, application=application, starts_on=_days(today, 15)
        )
        application.refresh_from_db()
        determination.publicity_close(
            actor=township, application=application, closed_on=_days(today, 1)
        )


def _reviews(work: DemoWork, township: User, take: Any, today: dt.date) -> None:
    """Households of an existing dibao register included directly: their first review falls on
    the anniversary of the register's date, so registers of a year ago are due now."""
    for days_ago in (365 + 20, 365 + 5, 365 - 3, 365 - 10):  # two overdue, two due soon
        determination.direct_inclusion(
            actor=township,
            household=next(take),
            type=ApplicationType.DIBAO,
            identified_on=_days(today, days_ago),
            source="原低保名册（演示）",
        )
        work.reviews += 1


def _verification(work: DemoWork, county: User, household: Household) -> None:
    feeds.verification_report_issue(
        actor=county,
        household=household,
        purpose="determination",
        authorisation_reference="演示-授权-001",
    )
    work.reports += 1


def _changes(work: DemoWork, township: User, take: Any, today: dt.date) -> None:
    for kind, days_ago, note, facts in (
        (ChangeKind.JOB_LOST, 6, "户主所在工厂停产，失去工作。", {"monthly_income": Decimal(0)}),
        (ChangeKind.SERIOUS_ILLNESS, 4, "户主确诊重病，住院治疗。", {"illness_name": "尿毒症"}),
        (ChangeKind.DISASTER, 2, "暴雨致房屋部分倒塌。", {}),
    ):
        household = next(take)
        changes.change_report(
            actor=township,
            household=household,
            kind=kind,
            occurred_on=_days(today, days_ago),
            note=note,
            facts=changes.ChangeFacts(person=household.head, **facts),
            reported_on=today,
        )
        work.changes += 1


def _village(work: DemoWork, village: User, *, exclude: set[int], today: dt.date) -> None:
    """The village desk: an application the assistant entered and a change it reported."""
    region = village.scope_region
    assert region is not None
    households = (
        Household.objects.filter(region_id=region.code, category="")
        .exclude(pk__in=exclude)
        .select_related("head")
        .order_by("id")[:2]
    )
    if len(households) < 2:
        return
    _case(work, "submitted_by_village", village, households[0], _days(today, 2))
    changes.change_report(
        actor=village,
        household=households[1],
        kind=ChangeKind.INCOME_DOWN,
        occurred_on=_days(today, 10),
        note="户主务工收入减少。",
        facts=changes.ChangeFacts(person=households[1].head, monthly_income=Decimal(300)),
        reported_on=today,
    )
    work.changes += 1


def _batch(work: DemoWork, county: User, households: list[Household], today: dt.date) -> None:
    """A vehicle register of last month naming the head of a seeded household (a car worth more
    than the dibao rules allow: the monitoring scan raises an alert on it)."""
    head = households[-1].head
    assert head is not None
    number = decrypt_id_number(head.id_number_encrypted)
    month = (today.replace(day=1) - dt.timedelta(days=1)).strftime("%Y-%m")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vehicles.csv"
        path.write_text(
            "身份证号码,号牌号码,车辆类型,初次登记日期,车辆价值\n"
            f"{number},豫B12345,轿车,{today.year - 2}-03-05,86000\n",
            encoding="utf-8",
        )
        feeds.batch_import(source="vehicles", path=path, period=month, actor=county, channel="cli")
    work.batches += 1
