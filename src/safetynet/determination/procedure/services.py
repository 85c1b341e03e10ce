"""From application to the request for confirmation, one module per part: ``application``
(submit, attachments, return, resubmit, withdraw, accept, reading a case), ``investigation``
(home visit, data check) and ``review`` (township review, publicity, objections). Every name is
re-exported here."""

from __future__ import annotations

from safetynet.determination.procedure.application import (
    ATTACHMENT_SIGNATURES,
    ATTACHMENT_TYPES,
    MAX_ATTACHMENT_BYTES,
    application_accept,
    application_resubmit,
    application_return,
    application_submit,
    application_withdraw,
    attachment_add,
    case_viewed,
)
from safetynet.determination.procedure.investigation import (
    MIN_VISIT_STAFF,
    data_check_answer,
    data_check_request,
    home_visit_record,
    investigation_step_due,
)
from safetynet.determination.procedure.review import (
    objection_record,
    publicity_close,
    publicity_start,
    township_review,
)

__all__ = [
    "ATTACHMENT_SIGNATURES",
    "ATTACHMENT_TYPES",
    "MAX_ATTACHMENT_BYTES",
    "MIN_VISIT_STAFF",
    "application_accept",
    "application_resubmit",
    "application_return",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "case_viewed",
    "data_check_answer",
    "data_check_request",
    "home_visit_record",
    "investigation_step_due",
    "objection_record",
    "publicity_close",
    "publicity_start",
    "township_review",
]
