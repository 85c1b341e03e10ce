"""The termination notice (终止救助通知书) as PDF: the category ended, the reasons, the month from
which assistance stops (after a gradual exit where there is one), who decided, the legal basis
and the rights to object.

It exists once the termination is decided (``after.terminations``: by the county civil-affairs
bureau, or by the township where the county delegated confirmation) and is kept as first issued
(``IssuedNotice``, key ``terminate:<termination>``): printing it again, from the termination's
page or in the case archive, gives the same words.

Legal texts (ADR 0010):
- 《社会救助暂行办法》第十三条: the county civil-affairs department decides to stop dibao and
  states the reasons in writing; 第十八条: destitute support ends after the township's review
  and the county's approval, and is publicised; near-dibao and expenditure-hardship households
  follow the dibao procedure (豫政办〔2022〕103号 二(三)2).
- 第六十五条: a household may apply for administrative reconsideration or bring an administrative
  suit against the decision. 《中华人民共和国行政复议法》(2023 年修订) 第二十条: within 60 days
  of knowing of it; 第二十四条: heard by the county people's government (for its civil-affairs
  bureau and for a township government alike). 《中华人民共和国行政诉讼法》第四十六条: a suit
  within 6 months.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from reportlab.platypus import Flowable

from safetynet import documents as doc
from safetynet.accounts.models import User
from safetynet.accounts.permissions import require
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import scope_queryset
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination.documents import layout
from safetynet.determination.documents.notices import Places
from safetynet.determination.documents.store import NoticeStore
from safetynet.determination.models import (
    Application,
    DecisionLevel,
    Termination,
    TerminationStatus,
)
from safetynet.registry.choices import Category

KIND = "terminate"
NUMBER_PREFIX = "ZZ"
DECIDED = (TerminationStatus.SCHEDULED, TerminationStatus.DONE)
BASIS: dict[str, str] = {
    Category.DESTITUTE: "《社会救助暂行办法》第十八条",
    Category.DIBAO: "《社会救助暂行办法》第十三条",
    Category.INDIVIDUAL_DIBAO: "《社会救助暂行办法》第十三条",
}
# Near-dibao and expenditure hardship follow the dibao procedure (policy 二(三)2).
BASIS_BY_REFERENCE = "《社会救助暂行办法》第十三条（参照最低生活保障，豫政办〔2022〕103号 二(三)）"


class TerminationNoticeUnavailable(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def notice_key(termination: Termination) -> str:
    return f"{KIND}:{termination.pk}"


def _category_label(value: str) -> str:
    return str(Category(value).label) if value in Category.values else value


def _basis(category: str) -> str:
    return BASIS.get(category, BASIS_BY_REFERENCE)


def _applicant(termination: Termination) -> layout.Applicant:
    household = termination.household
    person = household.head or termination.person
    region = termination.region
    address = region.full_name or region.name
    if household.address and household.address not in address:
        address = f"{address}{household.address}"
    return layout.Applicant(
        name=person.name if person else "",
        id_masked=person.id_number_masked if person else "",
        address=address,
    )


def termination_content(
    termination: Termination, *, generated_at: dt.datetime | None = None
) -> layout.TerminationContent:
    """The notice of a decided termination, from the termination as recorded."""
    if termination.status not in DECIDED or termination.decided_on is None:
        raise TerminationNoticeUnavailable("该终止尚未作出决定，没有终止救助通知书")
    assert termination.effective_from is not None
    places = Places.above([termination.region_id])
    county_decides = termination.decision_level != DecisionLevel.TOWNSHIP
    issuer = (
        places.county_bureau(termination.region_id)
        if county_decides
        else places.township_office(termination.region_id)
    )
    return layout.TerminationContent(
        head=layout.Letterhead(
            number=(
                f"{NUMBER_PREFIX}{termination.region_id[:6]}-"
                f"{termination.decided_on:%Y}-{termination.pk:06d}"
            ),
            issuer=issuer,
            issued_on=termination.decided_on,
            county=places.county(termination.region_id),
            generated_at=generated_at,
        ),
        applicant=_applicant(termination),
        person=termination.person.name if termination.person_id and termination.person else "",
        category=_category_label(termination.category),
        reasons=termination.reason,
        started_on=termination.started_on,
        decided_on=termination.decided_on,
        decided_by=str(DecisionLevel(termination.decision_level or DecisionLevel.COUNTY).label),
        effective=layout.chinese_month(termination.effective_from),
        gradual_exit_months=termination.gradual_exit_months,
        basis=_basis(termination.category),
    )


def notice_document(
    termination: Termination, store: NoticeStore, generated_at: dt.datetime | None
) -> tuple[doc.DocumentMeta, list[Flowable]]:
    """The notice as first issued (stored on first rendering)."""
    content = store.content(
        notice_key(termination),
        layout.TerminationContent,
        lambda: termination_content(termination, generated_at=generated_at),
        kind=KIND,
        application=termination.application,
        review=termination.review,
        generated_at=generated_at,
    )
    return layout.meta(layout.TERMINATION_TITLE, content.head), layout.termination_story(content)


def decided_terminations(application: Application) -> list[Termination]:
    """The decided terminations of a case (for its archive), oldest first."""
    return list(
        Termination.objects.filter(application=application, status__in=DECIDED)
        .select_related("household__head", "person", "region", "application", "review")
        .order_by("decided_on", "id")
    )


def termination_notice_pdf(
    *, user: User, termination: Termination | int, client: Client | None = None
) -> bytes:
    """The notice of one decided termination in the user's scope; the download is audited."""
    require(user, Capability.VIEW_CASES, message="您没有查看认定案件文书的权限")
    pk = termination if isinstance(termination, int) else termination.pk
    found = (
        scope_queryset(Termination.objects.all(), user=user)
        .select_related("household__head", "person", "region", "application", "review")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise TerminationNoticeUnavailable("未找到该终止，或不在您的管辖范围内")
    store = NoticeStore([notice_key(found)])
    meta, story = notice_document(found, store, timezone.now())
    pdf = doc.render(meta, story)
    store.save(actor=user)
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="determination_termination",
        object_id=found.pk,
        region_code=found.region_id,
        summary=f"生成终止救助通知书 {meta.number}",
        detail={"termination": found.pk, "household": found.household_id},
        client=client,
    )
    return pdf
