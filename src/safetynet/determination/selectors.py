"""Reads of the determination procedure. Every query goes through ``accounts.scope``; none runs a
query per case (due dates are stored on the case, working days are counted in memory).

Capabilities (VIEW_CASES …) are the caller's check; these functions only apply the scope. Views
that show one case call ``services.case_viewed`` to audit the reading.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from safetynet.accounts.models import User
from safetynet.accounts.permissions import allowed
from safetynet.accounts.roles import Capability
from safetynet.accounts.scope import access_scoped, in_scope, scope_queryset
from safetynet.determination.common import acts_for_township
from safetynet.determination.deadlines import is_overdue, working_days_left
from safetynet.determination.models import (
    OPEN_STATUSES,
    PROCEDURE_STATUSES,
    TERMINATION_OPEN,
    Application,
    CaseEvent,
    Decision,
    ReviewSchedule,
    Status,
    Termination,
    TerminationStatus,
    Transfer,
)
from safetynet.regions.codes import normalise_code, prefix_bounds
from safetynet.regions.models import SIGNIFICANT_DIGITS, Region


@dataclass(frozen=True)
class QueueRow:
    """One case on a work queue."""

    application: Application
    step: str  # Status value
    step_label: str
    due_on: dt.date | None  # the current step's due date
    days_left: int | None  # working days to ``due_on``; negative when overdue
    procedure_due_on: dt.date | None
    procedure_days_left: int | None
    overdue: bool  # the step or the whole procedure is past its due date
    spot_check_pending: bool = False

    @property
    def worst_days_left(self) -> int | None:
        values = [v for v in (self.days_left, self.procedure_days_left) if v is not None]
        return min(values) if values else None

    @property
    def effective_due_on(self) -> dt.date | None:
        """The earlier of the step's and the whole procedure's due dates."""
        dates = [d for d in (self.due_on, self.procedure_due_on) if d is not None]
        return min(dates) if dates else None

    @property
    def effective_days_left(self) -> int | None:
        due = self.effective_due_on
        if due is None:
            return None
        return self.procedure_days_left if due == self.procedure_due_on else self.days_left


def _row(application: Application, today: dt.date) -> QueueRow:
    due = application.step_due_on
    procedure_due = (
        application.procedure_due_on if application.status in PROCEDURE_STATUSES else None
    )
    spot_pending = False
    if application.spot_check_required and application.status == Status.CONFIRMING:
        # select_related("spot_check") made this free.
        spot = getattr(application, "spot_check", None)
        spot_pending = spot is not None and not spot.result
    return QueueRow(
        application=application,
        step=application.status,
        step_label=application.get_status_display(),
        due_on=due,
        days_left=working_days_left(due, today) if due else None,
        procedure_due_on=procedure_due,
        procedure_days_left=working_days_left(procedure_due, today) if procedure_due else None,
        overdue=is_overdue(due, today) or is_overdue(procedure_due, today),
        spot_check_pending=spot_pending,
    )


def _region_filter(queryset: QuerySet[Application], region_code: str | None) -> Any:
    if not region_code:
        return queryset
    try:
        code = normalise_code(region_code)
    except ValueError as exc:
        raise Http404(str(exc)) from exc
    region = Region.objects.filter(code=code).first()
    if region is None:
        raise Http404(f"区划代码不存在：{region_code}")
    lo, hi = prefix_bounds(code[: SIGNIFICANT_DIGITS[region.level]])
    return queryset.filter(region_id__gte=lo, region_id__lte=hi)


def _overdue_q(today: dt.date) -> Q:
    return Q(step_due_on__lt=today) | Q(status__in=PROCEDURE_STATUSES, procedure_due_on__lt=today)


def open_cases(*, user: User, region_code: str | None = None) -> QuerySet[Application]:
    queryset = scope_queryset(
        Application.objects.filter(status__in=OPEN_STATUSES).select_related(
            "household", "household__head", "applicant", "region", "spot_check"
        ),
        user=user,
    )
    return _region_filter(queryset, region_code)


def case_queue(
    *,
    user: User,
    today: dt.date,
    region_code: str | None = None,
    step: str | None = None,
    overdue: bool | None = None,
    type: str | None = None,
) -> list[QueueRow]:
    """The township work queue: open cases by step, each with its due date and working days
    left, soonest first (cases without a due date — waiting for acceptance — last)."""
    queryset = open_cases(user=user, region_code=region_code)
    if step:
        queryset = queryset.filter(status=step)
    if type:
        queryset = queryset.filter(type=type)
    if overdue is True:
        queryset = queryset.filter(_overdue_q(today))
    elif overdue is False:
        queryset = queryset.exclude(_overdue_q(today))
    rows = [_row(a, today) for a in queryset.order_by("step_due_on", "id")]
    rows.sort(key=lambda r: (r.due_on is None, r.due_on or today, r.application.pk))
    return rows


def county_queue(*, user: User, today: dt.date, region_code: str | None = None) -> list[QueueRow]:
    """Cases waiting for the county's confirmation (not delegated to the township), with the
    spot checks still to do flagged."""
    queryset = open_cases(user=user, region_code=region_code).filter(
        status=Status.CONFIRMING, delegated=False
    )
    return [_row(a, today) for a in queryset.order_by("step_due_on", "id")]


def escalations(*, user: User, today: dt.date, region_code: str | None = None) -> list[QueueRow]:
    """Overdue open cases (督办), most overdue first."""
    queryset = open_cases(user=user, region_code=region_code).filter(_overdue_q(today))
    rows = [_row(a, today) for a in queryset]
    rows.sort(key=lambda r: (r.worst_days_left or 0, r.application.pk))
    return rows


@dataclass(frozen=True)
class DueSummary:
    due: list[QueueRow]  # due within the horizon, not overdue
    overdue: list[QueueRow]


def cases_due(
    *, user: User, today: dt.date, region_code: str | None = None, within: int = 3
) -> DueSummary:
    """Open cases due within ``within`` working days (by the earlier of the step's and the whole
    procedure's due dates), and the overdue ones, each list soonest first."""
    due: list[QueueRow] = []
    late: list[QueueRow] = []
    for row in case_queue(user=user, today=today, region_code=region_code):
        left = row.effective_days_left
        if row.overdue:
            late.append(row)
        elif left is not None and left <= within:
            due.append(row)
    key = lambda r: (r.effective_due_on, r.application.pk)  # noqa: E731
    return DueSummary(due=sorted(due, key=key), overdue=sorted(late, key=key))


@dataclass(frozen=True)
class ReviewRow:
    review: ReviewSchedule
    days_left: int  # calendar days; negative when overdue
    overdue: bool


def reviews_due(
    *, user: User, today: dt.date, within_days: int = 30, region_code: str | None = None
) -> list[ReviewRow]:
    """Reviews, checks and re-assessments not yet done, due within ``within_days`` calendar
    days or overdue, soonest first."""
    queryset = _reviews_due(user=user, today=today, within_days=within_days).select_related(
        "household", "household__head", "person", "region", "application"
    )
    if region_code:
        queryset = _region_filter(queryset, region_code)  # type: ignore[arg-type]
    return [
        ReviewRow(review=r, days_left=(r.due_on - today).days, overdue=r.due_on < today)
        for r in queryset.order_by("due_on", "id")
    ]


def reviews_due_count(*, user: User, today: dt.date, within_days: int = 30) -> int:
    """How many ``reviews_due`` lists, counted in the database (the workbench: a county has
    thousands of annual reviews due in a month, each a row of five joined tables)."""
    return _reviews_due(user=user, today=today, within_days=within_days).count()


def _reviews_due(*, user: User, today: dt.date, within_days: int) -> QuerySet[ReviewSchedule]:
    return scope_queryset(
        ReviewSchedule.objects.filter(
            done_on__isnull=True, due_on__lte=today + dt.timedelta(days=within_days)
        ),
        user=user,
    )


def terminations_pending(*, user: User, today: dt.date) -> list[Termination]:
    """Terminations in publicity, waiting for the county's confirmation or to take effect."""
    return list(
        scope_queryset(
            Termination.objects.filter(status__in=TERMINATION_OPEN).select_related(
                "household", "household__head", "person"
            ),
            user=user,
        ).order_by("effective_from", "publicity_ends_on", "id")
    )


def case_get(*, user: User, pk: Any) -> Application:
    """One case in the user's scope (404 outside it)."""
    return access_scoped(
        Application.objects.select_related(
            "household", "household__head", "applicant", "region", "entered_by", "accepted_by"
        ),
        user=user,
        pk=pk,
    )


def case_for_action(*, user: User, pk: Any, version: Any) -> Application:
    """The case to act on, carrying the version the user saw (from the form or the request), so
    that the service refuses the action if someone else acted in between."""
    application = case_get(user=user, pk=pk)
    try:
        application.version = int(version)
    except (TypeError, ValueError) as exc:
        raise Http404("版本号无效") from exc
    return application


def case_timeline(*, user: User, pk: Any) -> list[CaseEvent]:
    """The events of one case, oldest first."""
    application = case_get(user=user, pk=pk)
    return list(
        CaseEvent.objects.filter(application=application)
        .select_related("actor")
        .order_by("at", "id")
    )


@dataclass(frozen=True)
class HouseholdChain:
    applications: list[Application]
    events: list[CaseEvent]
    reviews: list[ReviewSchedule]
    terminations: list[Termination]


def household_chain(*, user: User, household_id: Any) -> HouseholdChain:
    """A household's whole assistance chain: its cases, every event, reviews, terminations."""
    from safetynet.registry.models import Household

    household = access_scoped(Household.objects.all(), user=user, pk=household_id)
    return HouseholdChain(
        applications=list(
            Application.objects.filter(household=household)
            .select_related("applicant")
            .order_by("-id")
        ),
        events=list(
            CaseEvent.objects.filter(household=household)
            .select_related("application")
            .order_by("at", "id")
        ),
        reviews=list(ReviewSchedule.objects.filter(household=household).order_by("due_on")),
        terminations=list(Termination.objects.filter(household=household).order_by("-id")),
    )


# Service name → the capabilities any of which allows it (the services check the same).
ACTION_CAPABILITIES: dict[str, tuple[str, ...]] = {
    "attachment_add": (
        Capability.ENTER_APPLICATIONS,
        Capability.ACCEPT_APPLICATIONS,
        Capability.INVESTIGATE,
    ),
    "application_accept": (Capability.ACCEPT_APPLICATIONS,),
    "application_return": (Capability.ACCEPT_APPLICATIONS,),
    "application_withdraw": (Capability.ACCEPT_APPLICATIONS,),
    "application_resubmit": (Capability.ENTER_APPLICATIONS, Capability.ACCEPT_APPLICATIONS),
    "home_visit_record": (Capability.INVESTIGATE,),
    "data_check_request": (Capability.INVESTIGATE,),
    "data_check_answer": (Capability.VERIFY_HOUSEHOLDS,),
    "township_review": (Capability.INVESTIGATE,),
    "publicity_start": (Capability.INVESTIGATE,),
    "objection_record": (Capability.INVESTIGATE,),
    "publicity_close": (Capability.INVESTIGATE,),
    "procedure_extend": (Capability.ACCEPT_APPLICATIONS, Capability.CONFIRM_DETERMINATION),
    "spot_check_record": (Capability.CONFIRM_DETERMINATION,),
    "decision_confirm": (Capability.CONFIRM_DETERMINATION,),
    "decision_refuse": (Capability.CONFIRM_DETERMINATION,),
    "refusal_notice_issue": (Capability.ACCEPT_APPLICATIONS, Capability.CONFIRM_DETERMINATION),
    "transfer_offer": (Capability.ACCEPT_APPLICATIONS,),
}

_STEP_ACTIONS: dict[str, tuple[str, ...]] = {
    Status.SUBMITTED: (
        "attachment_add",
        "application_accept",
        "application_return",
        "application_withdraw",
    ),
    # The family brings the missing items while the case is returned.
    Status.RETURNED: ("attachment_add", "application_resubmit", "application_withdraw"),
    Status.INVESTIGATING: (
        "attachment_add",
        "home_visit_record",
        "data_check_request",
        "data_check_answer",
        "township_review",
        "procedure_extend",
        "application_withdraw",
    ),
    Status.REVIEWED: ("publicity_start", "procedure_extend", "application_withdraw"),
    Status.PUBLICITY: (
        "objection_record",
        "publicity_close",
        "procedure_extend",
        "application_withdraw",
    ),
    Status.CONFIRMING: (
        "spot_check_record",
        "decision_confirm",
        "decision_refuse",
        "procedure_extend",
    ),
    Status.REFUSED: ("refusal_notice_issue", "transfer_offer"),
    Status.CLOSED_REFUSED: ("transfer_offer",),
}

_CONFIRMER_ACTIONS = frozenset({"spot_check_record", "decision_confirm", "decision_refuse"})


def actions_for(*, user: User, application: Application) -> list[str]:
    """The service names this user may call on the case now: the one answer for the case page's
    buttons and the API's ``actions``.

    Step × capability first, then what the case holds (only one data check open at a time, a
    drawn spot check not yet recorded, a transfer offered once and answered once). The services
    remain the authority: they check the same rules and refuse with a message.
    """
    if not in_scope(application.region_id, user=user):
        return []
    names = [
        name
        for name in _STEP_ACTIONS.get(application.status, ())
        if _step_allows(user, application, name)
    ]
    if application.status in (Status.REFUSED, Status.CLOSED_REFUSED):
        names = _transfer_actions(user, application, names)
    if {"data_check_request", "data_check_answer"} & set(names):
        pending = application.data_checks.filter(answered_on__isnull=True).exists()
        unavailable = "data_check_request" if pending else "data_check_answer"
        names = [n for n in names if n != unavailable]
    if "spot_check_record" in names:
        spot = getattr(application, "spot_check", None)
        if spot is None or spot.result:
            names.remove("spot_check_record")
    return names


def _step_allows(user: User, application: Application, name: str) -> bool:
    if not any(allowed(user, c) for c in ACTION_CAPABILITIES[name]):
        return False
    if (
        name in _CONFIRMER_ACTIONS
        and acts_for_township(user)
        and (not application.delegated or name == "spot_check_record")
    ):
        return False
    if name == "spot_check_record" and not application.spot_check_required:
        return False
    return not (
        name == "procedure_extend"
        and (application.extension_reason or application.status not in PROCEDURE_STATUSES)
    )


def _transfer_actions(user: User, application: Application, names: list[str]) -> list[str]:
    """A transfer is offered once; the applicant's answer is recorded once."""
    transfers = list(
        Transfer.objects.filter(application=application).values_list("consent", flat=True)
    )
    if transfers:
        names = [n for n in names if n != "transfer_offer"]
    may_transfer = any(allowed(user, c) for c in ACTION_CAPABILITIES["transfer_offer"])
    if may_transfer and any(consent is None for consent in transfers):
        names.append("transfer_consent")
    return names


# --- for the apps above determination (assistance) ------------------------------------------------


@dataclass(frozen=True)
class DecisionFacts:
    decision_id: int
    household_id: int
    category: str
    monthly_amount: Decimal | None
    decided_on: dt.date


def decision_model() -> type:
    """The decision model, for an app above that listens for confirmed decisions (post_save)."""
    return Decision


def decision_facts(*, decision_id: Any) -> DecisionFacts | None:
    """A confirming decision's household, category and amount (None if refused or unknown)."""
    from safetynet.determination.models import Outcome

    decision = (
        Decision.objects.select_related("application")
        .filter(pk=decision_id, outcome=Outcome.CONFIRMED)
        .first()
        if decision_id is not None
        else None
    )
    if decision is None or not decision.category:
        return None
    return DecisionFacts(
        decision_id=decision.pk,
        household_id=decision.application.household_id,
        category=decision.category,
        monthly_amount=decision.monthly_amount,
        decided_on=decision.decided_on,
    )


# Categories paid monthly (the payment roll, assistance app).
PAID_CATEGORIES = ("dibao", "individual_dibao", "destitute")


@dataclass(frozen=True)
class AmountChange:
    """From ``starts`` on, the household's monthly amount is ``amount`` (None: assistance ended)."""

    household_id: int
    starts: dt.date
    amount: Decimal | None
    category: str
    order: int  # within a day: decision 0, review 1, termination 2


def amount_history(
    *, prefix: str, until: dt.date, household_id: int | None = None
) -> list[AmountChange]:
    """Every change of the monthly amount of the paid categories of a region's households up to
    ``until``: confirmed decisions (from their start month), reviews that changed the amount
    (from their ``changes_from``), and terminations (from their effective date). Three queries,
    no query per household. With ``household_id`` only that household's (its page's timeline),
    read by the household's indexes rather than a server-side cursor over the region."""
    from safetynet.determination.models import Outcome

    lo, hi = prefix_bounds(prefix)
    one = household_id is not None

    def rows(queryset: QuerySet[Any], household_field: str) -> Iterable[Any]:
        if one:
            return list(queryset.filter(**{household_field: household_id}))
        return queryset.iterator(chunk_size=10000)

    changes: list[AmountChange] = [
        AmountChange(household, start, amount, category, 0)
        for household, start, amount, category in rows(
            Decision.objects.filter(
                outcome=Outcome.CONFIRMED,
                category__in=PAID_CATEGORIES,
                monthly_amount__isnull=False,
                start_month__isnull=False,
                start_month__lte=until,
                application__region_id__gte=lo,
                application__region_id__lte=hi,
            ).values_list("application__household_id", "start_month", "monthly_amount", "category"),
            "application__household_id",
        )
        if start is not None
    ]
    changes.extend(
        AmountChange(household, start, amount, new_category or category, 1)
        for household, start, amount, category, new_category in rows(
            ReviewSchedule.objects.filter(
                region_id__gte=lo,
                region_id__lte=hi,
                monthly_amount__isnull=False,
                changes_from__isnull=False,
                changes_from__lte=until,
            ).values_list(
                "household_id", "changes_from", "monthly_amount", "category", "new_category"
            ),
            "household_id",
        )
        if start is not None
    )
    changes.extend(
        AmountChange(household, start, None, category, 2)
        for household, start, category in rows(
            Termination.objects.filter(
                region_id__gte=lo,
                region_id__lte=hi,
                status__in=(TerminationStatus.SCHEDULED, TerminationStatus.DONE),
                effective_from__isnull=False,
                effective_from__lte=until,
                category__in=PAID_CATEGORIES,
            ).values_list("household_id", "effective_from", "category"),
            "household_id",
        )
        if start is not None
    )
    changes.sort(key=lambda c: (c.household_id, c.starts, c.order))
    return changes
