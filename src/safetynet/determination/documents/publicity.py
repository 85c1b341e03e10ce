"""A township's publicity list (公示名单): ID numbers masked, minors as 未成年人, the
objection address and telephone."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.scope import in_scope, scope_queryset
from safetynet.accounts.staff.selectors import civil_affairs_phone
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination.amounts import AmountError, dibao_amount
from safetynet.determination.documents import layout as layout
from safetynet.determination.documents.reading import (
    PUBLICITY_PREFIX,
    NoticeUnavailable,
    Places,
    _decision,
    _require,
)
from safetynet.determination.models import (
    Application,
    ApplicationType,
    Outcome,
    Publicity,
)
from safetynet.documents import render_many
from safetynet.policy.assessment.terms import age_on
from safetynet.policy.common import Standards
from safetynet.policy.standards.selectors import StandardsMissing, standards_for
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry.choices import IncomeKind
from safetynet.registry.models import Income, Membership

# --- publicity list ----------------------------------------------------------------------------


# Printed when no telephone is configured anywhere: the list still says where the number
# belongs, so that an unconfigured deployment is visible on its first list (issue 11).
OBJECTION_PHONE_UNSET = "未登记（示例：请县级民政部门在“系统设置—部门单位”登记民政单位联系电话）"


def objection_contact(office: str, township_code: str = "") -> tuple[str, str]:
    """Where to object: the deployment's settings if it set them, else the township office;
    the telephone from the settings, else the nearest civil-affairs office registered under
    系统设置—部门单位 (the township's, then the county's, city's, province's)."""
    address = settings.DETERMINATION_OBJECTION_ADDRESS or f"{office}社会救助窗口"
    phone = settings.DETERMINATION_OBJECTION_PHONE
    if not phone and township_code:
        phone = civil_affairs_phone(township_code)
    return address, phone or OBJECTION_PHONE_UNSET


def _proposed_amounts(publicities: Sequence[Publicity]) -> dict[int, str]:
    """The monthly amount each listed case would get, as the list prints it.

    A decided case prints its decision. Before the decision (the usual case: publicity comes
    first) dibao is computed as the decision will compute it, (standard − counted income per
    head) × members, from the co-resident members' incomes read in one query for the whole
    list; destitute support prints the basic-living standard, the care supplement depending on
    the tier set at confirmation.
    """
    amounts: dict[int, str] = {}
    pending: dict[int, Application] = {}
    for publicity in publicities:
        application = publicity.application
        decision = _decision(application)
        if decision is not None and decision.outcome == Outcome.CONFIRMED:
            amounts[application.pk] = layout.yuan(decision.monthly_amount)
        elif application.type in (ApplicationType.DIBAO, ApplicationType.DESTITUTE):
            pending[application.pk] = application
        else:
            amounts[application.pk] = "—"
    if not pending:
        return amounts
    household_ids = {a.household_id for a in pending.values()}
    members: dict[int, set[int]] = defaultdict(set)
    for household_id, person_id in Membership.objects.filter(
        household_id__in=household_ids, left_on__isnull=True, co_resident=True
    ).values_list("household_id", "person_id"):
        members[household_id].add(person_id)
    income: dict[int, Decimal] = defaultdict(Decimal)
    for household_id, person_id, amount in (
        Income.objects.filter(household_id__in=household_ids)
        .exclude(kind=IncomeKind.EXCLUDED)
        .values_list("household_id", "person_id", "monthly_amount")
    ):
        if person_id in members[household_id]:
            income[household_id] += amount
    standards: dict[tuple[str, str], Standards | None] = {}
    for publicity in publicities:
        pending_case = pending.get(publicity.application_id)
        if pending_case is None:
            continue
        application = pending_case
        household = application.household
        key = (household.region_id, household.residence)
        if key not in standards:
            try:
                standards[key] = standards_for(
                    region_code=key[0], on=publicity.starts_on, residence=key[1]
                )
            except StandardsMissing:
                standards[key] = None
        standard = standards[key]
        if standard is None:
            amounts[application.pk] = "待核定"
        elif application.type == ApplicationType.DESTITUTE:
            amounts[application.pk] = f"{layout.yuan(standard.destitute_monthly)}+护理"
        else:
            try:
                gap = dibao_amount(
                    standard=standard.dibao_monthly,
                    income_total=income[household.pk],
                    members=len(members[household.pk]),
                )
            except AmountError:
                amounts[application.pk] = "—"
            else:
                amounts[application.pk] = layout.yuan(gap.monthly)
    return amounts


MINOR_NAME = "未成年人"
ADULT_AGE = 18


def public_identity(name: str, id_masked: str, birth_date: dt.date, on: dt.date) -> tuple[str, str]:
    """The name and ID a public list may print for a person on ``on``.

    A minor's name and ID never go on a notice board (未成年人保护法 art. 4: privacy and
    personal information): the list says 未成年人 and keeps only the region digits of the
    masked ID."""
    if age_on(birth_date, on) >= ADULT_AGE:
        return name, id_masked
    return MINOR_NAME, id_masked[:3].ljust(len(id_masked), "*")


def _publicity_line(publicity: Publicity, amount: str) -> layout.PublicityLine:
    application = publicity.application
    applicant = application.applicant
    name, id_masked = public_identity(
        applicant.name, applicant.id_number_masked, applicant.birth_date, publicity.starts_on
    )
    return layout.PublicityLine(
        name=name,
        id_masked=id_masked,
        village=application.region.name,
        category=str(ApplicationType(application.type).label),
        member_count=application.household.member_count,
        amount=amount,
    )


def publicity_content(
    *,
    user: User,
    township_code: str,
    starts_from: dt.date,
    starts_to: dt.date,
    generated_at: dt.datetime | None = None,
) -> layout.PublicityContent:
    """The cases of a township whose publicity started in the period, villages in code order."""
    township = Region.objects.filter(code=township_code, level=Level.TOWNSHIP).first()
    if township is None or not in_scope(township.code, user=user):
        raise NoticeUnavailable("未找到该乡镇(街道)，或不在您的管辖范围内")
    if starts_to < starts_from:
        raise NoticeUnavailable("公示开始日期的截止日不能早于起始日")
    lo, hi = prefix_bounds(township.prefix)
    publicities = list(
        Publicity.objects.filter(
            application__in=scope_queryset(Application.objects.all(), user=user),
            application__region_id__gte=lo,
            application__region_id__lte=hi,
            starts_on__gte=starts_from,
            starts_on__lte=starts_to,
        )
        .select_related(
            "application__applicant",
            "application__region",
            "application__household",
            "application__decision",
        )
        .order_by("application__region_id", "starts_on", "application_id")
    )
    amounts = _proposed_amounts(publicities)
    places = Places.above([township.code[:9] + "000"])
    office = places.township_office(township.code)
    address, phone = objection_contact(office, township.code)
    lines = [_publicity_line(p, amounts[p.application_id]) for p in publicities]
    starts = min((p.starts_on for p in publicities), default=starts_from)
    ends = max((p.ends_on for p in publicities), default=starts_to)
    number = f"{PUBLICITY_PREFIX}{township.code[:9]}-{starts_from:%Y%m%d}-{starts_to:%Y%m%d}"
    return layout.PublicityContent(
        head=layout.Letterhead(
            number=number,
            issuer=office,
            issued_on=starts,
            county=places.county(township.code),
            generated_at=generated_at,
        ),
        township=township.name,
        starts_on=starts,
        ends_on=ends,
        lines=lines,
        objection_address=address,
        objection_phone=phone,
    )


def publicity_list_pdf(
    *,
    user: User,
    township_code: str,
    starts_from: dt.date,
    starts_to: dt.date,
    client: Client | None = None,
) -> bytes:
    """A township's publicity list for a period as PDF (ID numbers masked); audited."""
    _require(user)
    content = publicity_content(
        user=user,
        township_code=township_code,
        starts_from=starts_from,
        starts_to=starts_to,
        generated_at=timezone.now(),
    )
    title = f"{content.kind}{layout.PUBLICITY_TITLE}"
    pdf = render_many([(layout.meta(title, content.head), layout.publicity_story(content))])
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="determination_publicity",
        object_id=content.head.number,
        region_code=township_code,
        summary=f"生成公示名单 {content.township}（{len(content.lines)} 户）",
        detail={
            "township": township_code,
            "starts_from": starts_from.isoformat(),
            "starts_to": starts_to.isoformat(),
            "rows": len(content.lines),
        },
        client=client,
    )
    return pdf


# --- the public notice board (oversight's page without login) ----------------------------------


def publicity_in_force(*, prefix: str, on: dt.date) -> list[tuple[Publicity, layout.PublicityLine]]:
    """The publicities of a township's or village's cases running on ``on`` (started, not past
    their last day, not closed or interrupted by an objection), each with the line a publicity
    list prints: the name (未成年人 for a minor), the masked ID, the village, the type, the
    members and the proposed amount. No scope: what a notice board posts publicly."""
    from safetynet.determination.models import Status

    lo, hi = prefix_bounds(prefix)
    publicities = list(
        Publicity.objects.filter(
            application__region_id__gte=lo,
            application__region_id__lte=hi,
            application__status=Status.PUBLICITY,
            starts_on__lte=on,
            ends_on__gte=on,
            closed_on__isnull=True,
            interrupted=False,
        )
        .select_related(
            "application__applicant",
            "application__region",
            "application__household",
            "application__decision",
        )
        .order_by("application__region_id", "starts_on", "application_id")
    )
    amounts = _proposed_amounts(publicities)
    return [(p, _publicity_line(p, amounts[p.application_id])) for p in publicities]
