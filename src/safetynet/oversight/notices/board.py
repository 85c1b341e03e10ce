"""The notice board (公示栏) of a township or one of its villages for a period: the households
proposed (determination's publicity list, ID numbers masked, minors anonymised), the households
confirmed in the period with their monthly amounts, the objections recorded against the cases,
where to object, and the county's tip-off telephone (五(四))."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from safetynet.accounts.models import User
from safetynet.accounts.scope import scope_queryset
from safetynet.determination.documents.layout import PublicityContent, PublicityLine
from safetynet.determination.documents.notices import (
    NoticeUnavailable,
    public_identity,
    publicity_content,
)
from safetynet.determination.models import (
    Application,
    ApplicationType,
    Decision,
    Objection,
    Outcome,
)
from safetynet.oversight.common import Settings, settings_for
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Region

BoardUnavailable = NoticeUnavailable


@dataclass(frozen=True)
class ConfirmedLine:
    name: str
    id_masked: str
    village: str
    category: str
    member_count: int
    amount: str
    decided_on: dt.date


@dataclass(frozen=True)
class ObjectionLine:
    application_id: int
    received_on: dt.date
    due_on: dt.date
    resolved_on: dt.date | None


@dataclass
class Board:
    township: Region
    village: Region | None
    starts_from: dt.date
    starts_to: dt.date
    proposed: PublicityContent
    confirmed: list[ConfirmedLine] = field(default_factory=list)
    objections: list[ObjectionLine] = field(default_factory=list)
    settings: Settings | None = None

    @property
    def proposed_lines(self) -> list[PublicityLine]:
        if self.village is None:
            return list(self.proposed.lines)
        return [line for line in self.proposed.lines if line.village == self.village.name]


def notice_board(
    *,
    user: User,
    township_code: str,
    starts_from: dt.date,
    starts_to: dt.date,
    village_code: str = "",
) -> Board:
    proposed = publicity_content(
        user=user, township_code=township_code, starts_from=starts_from, starts_to=starts_to
    )
    township = Region.objects.get(code=township_code)
    village = None
    prefix = township.prefix
    if village_code:
        village = Region.objects.filter(code=village_code, parent_id=township_code).first()
        if village is None:
            raise NoticeUnavailable("该村(居)不属于所选乡镇(街道)")
        prefix = village.code
    lo, hi = prefix_bounds(prefix)
    cases = scope_queryset(Application.objects.all(), user=user).filter(
        region_id__gte=lo, region_id__lte=hi
    )
    decisions = (
        Decision.objects.filter(
            application__in=cases,
            outcome=Outcome.CONFIRMED,
            decided_on__gte=starts_from,
            decided_on__lte=starts_to,
        )
        .select_related("application__applicant", "application__region", "application__household")
        .order_by("application__region_id", "decided_on", "id")
    )
    confirmed = []
    for decision in decisions:
        application = decision.application
        applicant = application.applicant
        name, id_masked = public_identity(
            applicant.name, applicant.id_number_masked, applicant.birth_date, decision.decided_on
        )
        confirmed.append(
            ConfirmedLine(
                name=name,
                id_masked=id_masked,
                village=application.region.name,
                category=str(ApplicationType(application.type).label),
                member_count=application.household.member_count,
                amount=f"{decision.monthly_amount:.2f}" if decision.monthly_amount else "—",
                decided_on=decision.decided_on,
            )
        )
    objections = [
        ObjectionLine(
            application_id=o.application_id,
            received_on=o.received_on,
            due_on=o.reinvestigation_due_on,
            resolved_on=o.resolved_on,
        )
        for o in Objection.objects.filter(
            application__in=cases, received_on__gte=starts_from, received_on__lte=starts_to
        ).order_by("received_on", "id")
    ]
    return Board(
        township=township,
        village=village,
        starts_from=starts_from,
        starts_to=starts_to,
        proposed=proposed,
        confirmed=confirmed,
        objections=objections,
        settings=settings_for(township.code, starts_to),
    )
