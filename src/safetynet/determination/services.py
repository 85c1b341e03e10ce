"""Every feature's writes in one place, the app's entry for views, the API and other apps (a
feature module imports its own feature's services and ``common``, never this module).

Plain keyword-only functions, each taking ``actor=``,
checking the case's step, the actor's capability and scope, running in one transaction, bumping
the case's version (optimistic lock: a stale version raises ``CaseChanged``), appending a
``CaseEvent`` and an audit record.

A view or the API loads the case with ``selectors.case_for_action(user=, pk=, version=)`` (the
version the user saw) and passes it on; every function raises ``DeterminationError`` (with
``.field`` where it is about one input), ``PermissionDenied`` or ``CaseChanged``.

- procedure.services: application_submit, attachment_add, application_return, application_resubmit,
  application_withdraw, application_accept, case_viewed (audits reading a case),
  home_visit_record, data_check_request, data_check_answer, township_review, publicity_start,
  objection_record, publicity_close
- procedure.decisions: spot_check_record, decision_confirm, decision_refuse, refusal_notice_issue,
  procedure_extend; procedure.transfers: transfer_offer, transfer_consent;
  procedure.decision_amounts: review_amounts (read: what a review weighs)
- inclusion.services: direct_inclusion, direct_inclusion_many; inclusion.watches:
  watch_inclusion_many (existing registers, 二; rules in its docstring)
- after.services: schedule_after_decision, review_record, self_care_change_report,
  member_death_report
- after.terminations: termination_start, termination_publicity_close, termination_confirm,
  termination_decline, termination_complete (who decides: its docstring, ADR 0010)
- limits.services: time_limits_create
"""

from safetynet.determination.after.services import (
    member_death_report,
    review_record,
    schedule_after_decision,
    self_care_change_report,
)
from safetynet.determination.after.terminations import (
    termination_complete,
    termination_confirm,
    termination_decline,
    termination_publicity_close,
    termination_start,
)
from safetynet.determination.common import (
    CASE_CHANGED,
    CaseChanged,
    DeterminationError,
    PermissionDenied,
)
from safetynet.determination.inclusion.services import (
    Inclusion,
    InclusionRefused,
    direct_inclusion,
    direct_inclusion_many,
)
from safetynet.determination.inclusion.watches import WatchInclusion, watch_inclusion_many
from safetynet.determination.limits.services import time_limits_create
from safetynet.determination.procedure.decision_amounts import ReviewAmounts, review_amounts
from safetynet.determination.procedure.decisions import (
    decision_confirm,
    decision_refuse,
    procedure_extend,
    refusal_notice_issue,
    spot_check_record,
)
from safetynet.determination.procedure.services import (
    application_accept,
    application_resubmit,
    application_return,
    application_submit,
    application_withdraw,
    attachment_add,
    case_viewed,
    data_check_answer,
    data_check_request,
    home_visit_record,
    objection_record,
    publicity_close,
    publicity_start,
    township_review,
)
from safetynet.determination.procedure.transfers import transfer_consent, transfer_offer

__all__ = [
    "CASE_CHANGED",
    "CaseChanged",
    "DeterminationError",
    "Inclusion",
    "InclusionRefused",
    "PermissionDenied",
    "ReviewAmounts",
    "WatchInclusion",
    "application_accept",
    "application_resubmit",
    "application_return",
    "application_submit",
    "application_withdraw",
    "attachment_add",
    "case_viewed",
    "data_check_answer",
    "data_check_request",
    "decision_confirm",
    "decision_refuse",
    "direct_inclusion",
    "direct_inclusion_many",
    "home_visit_record",
    "member_death_report",
    "objection_record",
    "procedure_extend",
    "publicity_close",
    "publicity_start",
    "refusal_notice_issue",
    "review_amounts",
    "review_record",
    "schedule_after_decision",
    "self_care_change_report",
    "spot_check_record",
    "termination_complete",
    "termination_confirm",
    "termination_decline",
    "termination_publicity_close",
    "termination_start",
    "time_limits_create",
    "township_review",
    "transfer_consent",
    "transfer_offer",
    "watch_inclusion_many",
]
