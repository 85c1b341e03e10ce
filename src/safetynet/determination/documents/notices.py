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

One module per part, every name re-exported here: ``reading`` (the kinds of notice and
reading a case with everything its notices print), ``contents`` (a case's notices as content
records), ``rendering`` (for a user: scope, capability, audit) and ``publicity`` (the list).
"""

from __future__ import annotations

from safetynet.determination.documents.contents import (
    decision_content,
    notice_document,
    notice_keys,
    receipt_content,
    refusal_content,
    review_content,
)
from safetynet.determination.documents.publicity import (
    ADULT_AGE,
    MINOR_NAME,
    OBJECTION_PHONE_UNSET,
    objection_contact,
    public_identity,
    publicity_content,
    publicity_list_pdf,
)
from safetynet.determination.documents.reading import (
    MAX_BATCH,
    NUMBER_PREFIX,
    PUBLICITY_PREFIX,
    TITLES,
    NoticeKind,
    NoticeUnavailable,
    Places,
    attach_investigation_dues,
    available_kinds,
    notice_number,
    notice_queryset,
)
from safetynet.determination.documents.rendering import (
    notice_pdf,
    notices_pdf,
    review_notice_pdf,
)

__all__ = [
    "ADULT_AGE",
    "MAX_BATCH",
    "MINOR_NAME",
    "NUMBER_PREFIX",
    "OBJECTION_PHONE_UNSET",
    "PUBLICITY_PREFIX",
    "TITLES",
    "NoticeKind",
    "NoticeUnavailable",
    "Places",
    "attach_investigation_dues",
    "available_kinds",
    "decision_content",
    "notice_document",
    "notice_keys",
    "notice_number",
    "notice_pdf",
    "notice_queryset",
    "notices_pdf",
    "objection_contact",
    "public_identity",
    "publicity_content",
    "publicity_list_pdf",
    "receipt_content",
    "refusal_content",
    "review_content",
    "review_notice_pdf",
]
