"""Rendering notices for a user: capability and scope checked, PDF made, issue stored,
audited."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.scope import scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination import selectors
from safetynet.determination.documents import layout as layout
from safetynet.determination.documents.contents import notice_document, notice_keys, review_content
from safetynet.determination.documents.reading import (
    MAX_BATCH,
    NoticeKind,
    NoticeUnavailable,
    Places,
    _require,
    attach_investigation_dues,
    available_kinds,
    notice_queryset,
)
from safetynet.determination.documents.store import NoticeStore, review_key
from safetynet.determination.models import (
    Application,
    ReviewSchedule,
)
from safetynet.documents import render_many

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
