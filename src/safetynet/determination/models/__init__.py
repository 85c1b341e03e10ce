"""The determination procedure (认定审批): applications (cases), their steps, decisions and what
follows a decision. See docs/adr/0010-determination-procedure.md.

Every row that holds a household's data declares ``SCOPE_FIELD`` (a village code) so that
``accounts.scope`` can restrict it. ``Application.status`` moves only through the services, each
move a conditional UPDATE on ``Application.version`` (optimistic concurrency), and each move is
appended to ``CaseEvent``, the household's timeline.

One module per part (``limits``, ``cases``, ``steps``, ``after``); every name is re-exported
here, so ``from safetynet.determination.models import X`` keeps working.
"""

from __future__ import annotations

from safetynet.determination.models.after import (
    TERMINATION_OPEN,
    IssuedNotice,
    ReviewKind,
    ReviewOutcome,
    ReviewSchedule,
    Termination,
    TerminationStatus,
)
from safetynet.determination.models.cases import (
    OPEN_STATUSES,
    PROCEDURE_STATUSES,
    PUBLICITY_TYPES,
    Application,
    ApplicationType,
    Attachment,
    AttachmentKind,
    CaseEvent,
    EventKind,
    Status,
    attachment_path,
)
from safetynet.determination.models.limits import (
    TimeLimits,
)
from safetynet.determination.models.steps import (
    CareTier,
    DataCheck,
    Decision,
    DecisionLevel,
    HomeVisit,
    Objection,
    Outcome,
    Publicity,
    SpotCheck,
    SpotCheckResult,
    Transfer,
)

__all__ = [
    "OPEN_STATUSES",
    "PROCEDURE_STATUSES",
    "PUBLICITY_TYPES",
    "TERMINATION_OPEN",
    "Application",
    "ApplicationType",
    "Attachment",
    "AttachmentKind",
    "CareTier",
    "CaseEvent",
    "DataCheck",
    "Decision",
    "DecisionLevel",
    "EventKind",
    "HomeVisit",
    "IssuedNotice",
    "Objection",
    "Outcome",
    "Publicity",
    "ReviewKind",
    "ReviewOutcome",
    "ReviewSchedule",
    "SpotCheck",
    "SpotCheckResult",
    "Status",
    "Termination",
    "TerminationStatus",
    "TimeLimits",
    "Transfer",
    "attachment_path",
]
