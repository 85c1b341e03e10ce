"""The kinds of notice, and reading a case with everything its notices print in a fixed
number of queries (the places above its village, its decision, its latest review)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext_lazy as _

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.determination.deadlines import investigation_start_due
from safetynet.determination.documents import layout as layout
from safetynet.determination.limits.selectors import TimeLimitsMissing, limits_for, limits_for_many
from safetynet.determination.models import (
    Application,
    ApplicationType,
    Outcome,
    ReviewSchedule,
)
from safetynet.regions.models import Region
from safetynet.registry.choices import Category
from safetynet.registry.models import Membership

MAX_BATCH = 500


class NoticeKind(models.TextChoices):
    RECEIPT = "receipt", _("受理回执")
    REFUSAL = "refusal", _("不予认定通知书")
    DECISION = "decision", _("认定决定通知书")
    REVIEW = "review", _("复核结果通知书")


NUMBER_PREFIX = {
    NoticeKind.RECEIPT: "SL",
    NoticeKind.REFUSAL: "BY",
    NoticeKind.DECISION: "RD",
    NoticeKind.REVIEW: "FH",
}
PUBLICITY_PREFIX = "GS"
TITLES = {
    NoticeKind.RECEIPT: layout.RECEIPT_TITLE,
    NoticeKind.REFUSAL: layout.REFUSAL_TITLE,
    NoticeKind.DECISION: layout.DECISION_TITLE,
    NoticeKind.REVIEW: layout.REVIEW_TITLE,
}


class NoticeUnavailable(Exception):
    """The notice asked for does not exist for this case (yet), with a Chinese message."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def _require(user: User) -> None:
    require(user, Capability.VIEW_CASES, message="您没有查看认定案件文书的权限")


# --- reading a case with everything its notices print, in a fixed number of queries ----------


def notice_queryset() -> QuerySet[Application]:
    members = Membership.objects.filter(left_on__isnull=True, co_resident=True).select_related(
        "person"
    )
    reviews = ReviewSchedule.objects.filter(done_on__isnull=False).order_by("-done_on", "-id")
    return Application.objects.select_related(
        "applicant", "household", "region", "decision"
    ).prefetch_related(
        "attachments",
        Prefetch("household__memberships", queryset=members, to_attr="notice_members"),
        Prefetch("reviews", queryset=reviews, to_attr="notice_reviews"),
    )


@dataclass(frozen=True)
class Places:
    """Names of the townships and counties above a set of villages (one query for a batch)."""

    names: dict[str, Region]

    @classmethod
    def above(cls, village_codes: Iterable[str]) -> Places:
        wanted: set[str] = set()
        for code in village_codes:
            wanted |= {f"{code[:9]}000", f"{code[:6]}000000", f"{code[:4]}00000000"}
        return cls({region.code: region for region in Region.objects.filter(code__in=wanted)})

    def _name(self, code: str) -> str:
        region = self.names.get(code)
        return region.name if region else ""

    def county(self, village_code: str) -> str:
        """``郑州市金水区``: city and county, as a notice names the county government."""
        city = self._name(f"{village_code[:4]}00000000")
        county = self._name(f"{village_code[:6]}000000")
        return county if county.startswith(city) else f"{city}{county}"

    def township(self, village_code: str) -> str:
        return self._name(f"{village_code[:9]}000")

    def township_office(self, village_code: str) -> str:
        """The township's government: a sub-district (街道) has an office (办事处)."""
        name = self.township(village_code)
        suffix = "办事处" if name.endswith("街道") else "人民政府"
        return f"{self.county(village_code)}{name}{suffix}"

    def county_bureau(self, village_code: str) -> str:
        return f"{self.county(village_code)}民政局"


def _applicant(application: Application) -> layout.Applicant:
    household = application.household
    address = application.region.full_name or application.region.name
    if household.address and household.address not in address:
        address = f"{address}{household.address}"
    return layout.Applicant(
        name=application.applicant.name,
        id_masked=application.applicant.id_number_masked,
        address=address,
    )


def _type_label(application: Application) -> str:
    return str(ApplicationType(application.type).label)


def _category_label(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value


def notice_number(kind: str, application: Application, on: dt.date) -> str:
    """Stable per case and kind, so that printing a notice again gives the same number."""
    return (
        f"{NUMBER_PREFIX[NoticeKind(kind)]}{application.region_id[:6]}-{on:%Y}-{application.pk:06d}"
    )


def _head(
    kind: str,
    application: Application,
    places: Places,
    *,
    issuer: str,
    on: dt.date,
    generated_at: dt.datetime | None,
) -> layout.Letterhead:
    return layout.Letterhead(
        number=notice_number(kind, application, on),
        issuer=issuer,
        issued_on=on,
        county=places.county(application.region_id),
        generated_at=generated_at,
    )


def _decision(application: Application) -> Any:
    try:
        return application.decision
    except Application.decision.RelatedObjectDoesNotExist:
        return None


def available_kinds(application: Application) -> list[str]:
    """The notices this case has, in procedure order (read from ``notice_queryset`` rows)."""
    kinds: list[str] = []
    if application.accepted_on is not None:
        kinds.append(NoticeKind.RECEIPT)
    decision = _decision(application)
    if decision is not None:
        kinds.append(
            NoticeKind.DECISION if decision.outcome == Outcome.CONFIRMED else NoticeKind.REFUSAL
        )
    if _latest_review(application) is not None:
        kinds.append(NoticeKind.REVIEW)
    return kinds


def _latest_review(application: Application) -> ReviewSchedule | None:
    reviews = getattr(application, "notice_reviews", None)
    if reviews is None:
        reviews = list(
            application.reviews.filter(done_on__isnull=False).order_by("-done_on", "-id")[:1]
        )
    return reviews[0] if reviews else None


def _investigation_due(application: Application) -> dt.date | None:
    """The start of the investigation as due at acceptance (set in bulk by
    ``attach_investigation_dues`` for a batch; read here for one case)."""
    if hasattr(application, "notice_investigation_due"):
        due: dt.date | None = application.notice_investigation_due
        return due
    if application.accepted_on is None:
        return None
    try:
        rules = limits_for(region_code=application.region_id, on=application.accepted_on)
    except TimeLimitsMissing:
        return None
    return investigation_start_due(application.accepted_on, rules)


def attach_investigation_dues(cases: Sequence[Application]) -> None:
    """Compute the receipts' investigation due dates with one limits query per acceptance day."""
    by_day: dict[dt.date, list[Application]] = defaultdict(list)
    for case in cases:
        if case.accepted_on is not None:
            by_day[case.accepted_on].append(case)
        else:
            case.notice_investigation_due = None  # type: ignore[attr-defined]
    for day, group in by_day.items():
        try:
            rules = limits_for_many(region_codes={c.region_id for c in group}, on=day)
        except TimeLimitsMissing:
            rules = {}
        for case in group:
            found = rules.get(case.region_id)
            case.notice_investigation_due = (  # type: ignore[attr-defined]
                investigation_start_due(day, found) if found is not None else None
            )
