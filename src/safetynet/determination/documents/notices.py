"""The written notices of a case as PDF: acceptance receipt (受理回执), refusal notice (不予认定
通知书), decision notice (认定决定通知书), review outcome (复核结果通知书), and a township's
publicity list (公示名单, ID numbers masked), one or many in one file.

The ``*_content`` functions turn a case into the plain records of ``notices_layout``; the
``*_pdf`` functions check the user's capability and scope, render and audit. A notice is
rendered from the case as recorded (decision, dates, reasons), so a later download says what
was decided, whatever changed in the registry since; only the members' list of a decision
notice reads the household as it is now.

Issuer and remedies: a receipt, a publicity list and a notice on a delegated case come from the
township (街道办事处 / 乡镇人民政府); a county decision from the county civil-affairs bureau.
Either way an administrative reconsideration is heard by the county people's government.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from reportlab.platypus import Flowable

from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import in_scope, scope_queryset
from safetynet.accounts.staff.selectors import civil_affairs_phone
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination import selectors
from safetynet.determination.amounts import AmountError, dibao_amount
from safetynet.determination.deadlines import first_of_next_month, investigation_start_due
from safetynet.determination.documents import layout as layout
from safetynet.determination.documents.store import Content, NoticeStore, case_key, review_key
from safetynet.determination.limits.selectors import TimeLimitsMissing, limits_for, limits_for_many
from safetynet.determination.models import (
    Application,
    ApplicationType,
    DecisionLevel,
    Outcome,
    Publicity,
    ReviewOutcome,
    ReviewSchedule,
    Termination,
)
from safetynet.documents import DocumentMeta, render_many
from safetynet.policy.classifier import age_on
from safetynet.policy.selectors import StandardsMissing, standards_for
from safetynet.policy.types import Standards
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Level, Region
from safetynet.registry.choices import MEMBER_CATEGORIES, Category, IncomeKind
from safetynet.registry.models import Income, Membership
from safetynet.registry.relations import RELATION_NAMES

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


def receipt_content(
    application: Application, places: Places, generated_at: dt.datetime | None = None
) -> layout.ReceiptContent:
    if application.accepted_on is None:
        raise NoticeUnavailable(f"案件 {application.number} 尚未受理，没有受理回执")
    return layout.ReceiptContent(
        head=_head(
            NoticeKind.RECEIPT,
            application,
            places,
            issuer=places.township_office(application.region_id),
            on=application.accepted_on,
            generated_at=generated_at,
        ),
        applicant=_applicant(application),
        application_type=_type_label(application),
        case_number=application.number,
        applied_on=application.applied_on,
        accepted_on=application.accepted_on,
        member_count=application.household.member_count,
        attachments=[
            layout.AttachmentLine(
                kind=attachment.get_kind_display(),
                file_name=attachment.original_name,
                sha256=attachment.sha256,
            )
            for attachment in application.attachments.all()
            if attachment.home_visit_id is None
        ],
        investigation_due=_investigation_due(application),
        procedure_due=application.procedure_due_on,
    )


def _issuer(application: Application, places: Places, level: str) -> str:
    if level == DecisionLevel.TOWNSHIP:
        return places.township_office(application.region_id)
    return places.county_bureau(application.region_id)


def refusal_content(
    application: Application, places: Places, generated_at: dt.datetime | None = None
) -> layout.RefusalContent:
    decision = _decision(application)
    if decision is None or decision.outcome != Outcome.REFUSED:
        raise NoticeUnavailable(f"案件 {application.number} 未作出不予认定决定，没有不予认定通知书")
    return layout.RefusalContent(
        head=_head(
            NoticeKind.REFUSAL,
            application,
            places,
            issuer=_issuer(application, places, decision.level),
            on=decision.decided_on,
            generated_at=generated_at,
        ),
        applicant=_applicant(application),
        application_type=_type_label(application),
        case_number=application.number,
        applied_on=application.applied_on,
        decided_on=decision.decided_on,
        reasons=decision.reasons,
    )


def _covered_members(application: Application, category: str) -> list[layout.MemberLine]:
    memberships = getattr(application.household, "notice_members", None)
    if memberships is None:
        memberships = list(
            application.household.memberships.filter(
                left_on__isnull=True, co_resident=True
            ).select_related("person")
        )
    if category in MEMBER_CATEGORIES:
        # Destitute support and single-person dibao cover the applicant alone.
        memberships = [m for m in memberships if m.person_id == application.applicant_id]
    return [
        layout.MemberLine(
            name=m.person.name,
            id_masked=m.person.id_number_masked,
            relation=RELATION_NAMES.get(m.relation, m.relation),
        )
        for m in sorted(memberships, key=lambda m: (m.relation, m.person_id))
    ]


# The minus sign of the recorded rule is not in the cut font; the full-width hyphen-minus is.
_PRINTABLE_RULE = str.maketrans({"\u2212": "\uff0d"})


def _basis_text(basis: dict[str, Any]) -> str:
    rule = str(basis.get("rule", "")).translate(_PRINTABLE_RULE)
    if "income_per_head" in basis:
        return (
            f"计算依据：低保标准 {basis.get('standard', '—')} 元/人·月，家庭月人均收入 "
            f"{basis['income_per_head']} 元，共同生活成员 {basis.get('members', '—')} 人，"
            f"{rule}。"
        )
    if "basic_living" in basis:
        return (
            f"计算依据：基本生活标准 {basis['basic_living']} 元/月，照料护理标准 "
            f"{basis.get('care', '—')} 元/月，{rule}。"
        )
    return ""


def decision_content(
    application: Application, places: Places, generated_at: dt.datetime | None = None
) -> layout.DecisionContent:
    decision = _decision(application)
    if decision is None or decision.outcome != Outcome.CONFIRMED:
        raise NoticeUnavailable(f"案件 {application.number} 未作出认定决定，没有认定决定通知书")
    return layout.DecisionContent(
        head=_head(
            NoticeKind.DECISION,
            application,
            places,
            issuer=_issuer(application, places, decision.level),
            on=decision.decided_on,
            generated_at=generated_at,
        ),
        applicant=_applicant(application),
        application_type=_type_label(application),
        case_number=application.number,
        applied_on=application.applied_on,
        decided_on=decision.decided_on,
        category=_category_label(decision.category) or _type_label(application),
        monthly_amount=decision.monthly_amount,
        start_month=decision.start_month or decision.decided_on,
        members=_covered_members(application, decision.category),
        basis=_basis_text(decision.amount_basis or {}),
        one_off=application.type == ApplicationType.TEMPORARY_ASSISTANCE,
    )


def review_content(
    review: ReviewSchedule,
    places: Places,
    *,
    applicant: layout.Applicant,
    generated_at: dt.datetime | None = None,
) -> layout.ReviewContent:
    """The outcome of a completed review: continue, change (the new category, from the next
    month) or terminate (after a destitute publicity, from the month after; gradual exit)."""
    if review.done_on is None or not review.outcome:
        raise NoticeUnavailable("该复核尚未完成，没有复核结果通知书")
    decision = _decision(review.application) if review.application is not None else None
    category = review.category
    amount = decision.monthly_amount if decision is not None else None
    effective = ""
    gradual = 0
    if review.outcome == ReviewOutcome.CHANGE:
        category = review.new_category or category
        if review.monthly_amount is not None:
            amount = review.monthly_amount
        elif category != review.category:
            # No amount was set under the new category; the notice does not guess one.
            amount = None
        effective = layout.chinese_month(review.changes_from or first_of_next_month(review.done_on))
    elif review.outcome == ReviewOutcome.TERMINATE:
        termination = Termination.objects.filter(review=review).order_by("-id").first()
        gradual = termination.gradual_exit_months if termination else 0
        if termination is not None and termination.effective_from is not None:
            effective = f"自 {layout.chinese_month(termination.effective_from)}起"
        else:
            effective = "公示期满后的次月起"
    return layout.ReviewContent(
        head=layout.Letterhead(
            number=(
                f"{NUMBER_PREFIX[NoticeKind.REVIEW]}{review.region_id[:6]}-"
                f"{review.done_on:%Y}-{review.pk:06d}"
            ),
            issuer=places.township_office(review.region_id),
            issued_on=review.done_on,
            county=places.county(review.region_id),
            generated_at=generated_at,
        ),
        applicant=applicant,
        review_kind=review.get_kind_display(),
        reviewed_on=review.done_on,
        outcome=review.get_outcome_display(),
        category=_category_label(category),
        monthly_amount=amount,
        effective=effective,
        reasons=review.notes,
        terminated=review.outcome == ReviewOutcome.TERMINATE,
        gradual_exit_months=gradual,
    )


def _review_document(
    application: Application, places: Places, generated_at: dt.datetime | None
) -> layout.ReviewContent:
    review = _latest_review(application)
    if review is None:
        raise NoticeUnavailable(f"案件 {application.number} 没有已完成的复核，没有复核结果通知书")
    review.application = application
    return review_content(
        review, places, applicant=_applicant(application), generated_at=generated_at
    )


def _stored(
    store: NoticeStore | None,
    key: str,
    cls: type[Content],
    build: Callable[[], Content],
    *,
    kind: str,
    application: Application,
    review: ReviewSchedule | None = None,
    generated_at: dt.datetime | None,
) -> Content:
    if store is None:
        return build()
    return store.content(
        key,
        cls,
        build,
        kind=kind,
        application=application,
        review=review,
        generated_at=generated_at,
    )


def notice_keys(cases: Iterable[Application], kind: str) -> list[str]:
    """The ``IssuedNotice`` keys of one kind of notice for these cases."""
    if kind != NoticeKind.REVIEW:
        return [case_key(kind, case) for case in cases]
    return [review_key(r) for case in cases if (r := _latest_review(case)) is not None]


def notice_document(
    application: Application,
    kind: str,
    places: Places,
    generated_at: dt.datetime | None = None,
    store: NoticeStore | None = None,
) -> tuple[DocumentMeta, list[Flowable]]:
    """The notice of ``kind`` for a case (read through ``notice_queryset``) as meta and story;
    with a ``store``, as first issued (and issued now if it never was)."""
    common: dict[str, Any] = {
        "kind": kind,
        "application": application,
        "generated_at": generated_at,
    }
    if kind == NoticeKind.RECEIPT:
        receipt = _stored(
            store,
            case_key(kind, application),
            layout.ReceiptContent,
            lambda: receipt_content(application, places, generated_at),
            **common,
        )
        return layout.meta(layout.RECEIPT_TITLE, receipt.head), layout.receipt_story(receipt)
    if kind == NoticeKind.REFUSAL:
        refusal = _stored(
            store,
            case_key(kind, application),
            layout.RefusalContent,
            lambda: refusal_content(application, places, generated_at),
            **common,
        )
        return layout.meta(layout.REFUSAL_TITLE, refusal.head), layout.refusal_story(refusal)
    if kind == NoticeKind.DECISION:
        decided = _stored(
            store,
            case_key(kind, application),
            layout.DecisionContent,
            lambda: decision_content(application, places, generated_at),
            **common,
        )
        return layout.meta(layout.DECISION_TITLE, decided.head), layout.decision_story(decided)
    if kind == NoticeKind.REVIEW:
        latest = _latest_review(application)
        if latest is None:
            raise NoticeUnavailable(
                f"案件 {application.number} 没有已完成的复核，没有复核结果通知书"
            )
        review = _stored(
            store,
            review_key(latest),
            layout.ReviewContent,
            lambda: _review_document(application, places, generated_at),
            review=latest,
            **common,
        )
        return layout.meta(layout.REVIEW_TITLE, review.head), layout.review_story(review)
    raise NoticeUnavailable(f"文书类型“{kind}”不存在，应为：{'、'.join(NoticeKind.values)}")


# --- rendering for a user: scope, capability, audit -------------------------------------------


def _common_region(codes: Sequence[str]) -> str:
    """The smallest region holding every code, for the audit record of a batch."""
    for digits in (12, 9, 6, 4, 2):
        if len({code[:digits] for code in codes}) == 1:
            return codes[0][:digits].ljust(12, "0")
    return ""


def _scoped(user: User, pks: Iterable[int]) -> list[Application]:
    wanted = list(dict.fromkeys(int(pk) for pk in pks))
    found = {a.pk: a for a in scope_queryset(notice_queryset(), user=user).filter(pk__in=wanted)}
    missing = [pk for pk in wanted if pk not in found]
    if missing:
        # Outside the user's scope looks the same as not existing (accounts.scope).
        raise NoticeUnavailable(
            f"未找到案件，或不在您的管辖范围内：{'、'.join(str(pk) for pk in missing[:10])}"
        )
    return [found[pk] for pk in wanted]


def notice_pdf(
    *, user: User, application: Application, kind: str, client: Client | None = None
) -> bytes:
    """One notice of one case as PDF; the generation is audited. Raises Http404 outside the
    user's scope, like every case page."""
    _require(user)
    case = selectors.case_get(user=user, pk=application.pk)
    return notices_pdf(user=user, applications=[case], kind=kind, client=client)


def notices_pdf(
    *,
    user: User,
    applications: Sequence[Application | int],
    kind: str,
    client: Client | None = None,
) -> bytes:
    """The notice of ``kind`` of each case, one after the other in one file (to print at once).

    Every case must be in the user's scope and have that notice; otherwise nothing is rendered
    and the message names the cases concerned.
    """
    _require(user)
    if kind not in NoticeKind.values:
        raise NoticeUnavailable(f"文书类型“{kind}”不存在，应为：{'、'.join(NoticeKind.values)}")
    if not applications:
        raise NoticeUnavailable("请选择至少一个案件")
    if len(applications) > MAX_BATCH:
        raise NoticeUnavailable(f"一次最多打印 {MAX_BATCH} 份文书，请分批打印")
    cases = _scoped(user, [a if isinstance(a, int) else a.pk for a in applications])
    lacking = [case.number for case in cases if kind not in available_kinds(case)]
    if lacking:
        label = NoticeKind(kind).label
        raise NoticeUnavailable(f"以下案件没有{label}：{'、'.join(lacking[:10])}")
    places = Places.above(case.region_id for case in cases)
    if kind == NoticeKind.RECEIPT:
        attach_investigation_dues(cases)
    generated_at = timezone.now()
    store = NoticeStore(notice_keys(cases, kind))
    pdf = render_many(notice_document(case, kind, places, generated_at, store) for case in cases)
    store.save(actor=user)
    label = NoticeKind(kind).label
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="determination_application",
        object_id=cases[0].pk if len(cases) == 1 else "",
        region_code=_common_region([case.region_id for case in cases]),
        summary=(
            f"生成{label} {cases[0].number}"
            if len(cases) == 1
            else f"批量生成{label} {len(cases)} 份"
        ),
        detail={"kind": kind, "applications": [case.pk for case in cases]},
        client=client,
    )
    return pdf


def review_notice_pdf(
    *, user: User, review: ReviewSchedule | int, client: Client | None = None
) -> bytes:
    """The outcome notice of one completed review (also of households included directly)."""
    _require(user)
    pk = review if isinstance(review, int) else review.pk
    found = (
        scope_queryset(ReviewSchedule.objects.all(), user=user)
        .select_related("household__head", "application__decision", "region")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise NoticeUnavailable("未找到该复核，或不在您的管辖范围内")
    person = (found.person_id and found.person) or found.household.head
    if person is None:
        raise NoticeUnavailable("该家庭没有户主，无法生成复核结果通知书")
    household = found.household
    address = found.region.full_name or found.region.name
    if household.address and household.address not in address:
        address = f"{address}{household.address}"
    applicant = layout.Applicant(
        name=person.name, id_masked=person.id_number_masked, address=address
    )
    generated_at = timezone.now()
    store = NoticeStore([review_key(found)])
    content = store.content(
        review_key(found),
        layout.ReviewContent,
        lambda: review_content(
            found, Places.above([found.region_id]), applicant=applicant, generated_at=generated_at
        ),
        kind=NoticeKind.REVIEW,
        application=found.application,
        review=found,
        generated_at=generated_at,
    )
    pdf = render_many(
        [(layout.meta(layout.REVIEW_TITLE, content.head), layout.review_story(content))]
    )
    store.save(actor=user)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="determination_review",
        object_id=found.pk,
        region_code=found.region_id,
        summary=f"生成复核结果通知书 {content.head.number}",
        detail={"review": found.pk, "household": found.household_id},
        client=client,
    )
    return pdf


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
