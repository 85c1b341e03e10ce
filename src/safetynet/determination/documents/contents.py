"""A case's notices as the plain content records of ``layout`` (receipt, refusal, decision,
review outcome), kept as first issued through ``store``."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from typing import Any

from reportlab.platypus import Flowable

from safetynet.determination.deadlines import first_of_next_month
from safetynet.determination.documents import layout as layout
from safetynet.determination.documents.reading import (
    NUMBER_PREFIX,
    NoticeKind,
    NoticeUnavailable,
    Places,
    _applicant,
    _category_label,
    _decision,
    _head,
    _investigation_due,
    _latest_review,
    _type_label,
)
from safetynet.determination.documents.store import Content, NoticeStore, case_key, review_key
from safetynet.determination.models import (
    Application,
    ApplicationType,
    DecisionLevel,
    Outcome,
    ReviewOutcome,
    ReviewSchedule,
    Termination,
)
from safetynet.documents import DocumentMeta
from safetynet.registry.choices import MEMBER_CATEGORIES
from safetynet.registry.relations import RELATION_NAMES


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
