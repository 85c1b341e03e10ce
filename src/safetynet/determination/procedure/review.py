"""The township's review, the publicity (7 days, objections reinvestigated) and the request
for confirmation."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from safetynet.accounts.models import User
from safetynet.accounts.roles import Capability
from safetynet.audit.services import Client
from safetynet.determination import deadlines
from safetynet.determination.common import (
    DeterminationError,
    audit,
    bump,
    check_date,
    event,
    limits,
    require_any,
    require_scope,
    require_status,
    today,
)
from safetynet.determination.models import (
    PUBLICITY_TYPES,
    Application,
    ApplicationType,
    EventKind,
    Objection,
    Publicity,
    SpotCheck,
    Status,
)
from safetynet.regions.codes import prefix_bounds
from safetynet.regions.models import Region


def _request_confirmation(
    application: Application, on: dt.date, *, due_from: dt.date | None = None
) -> dict[str, Any]:
    """Fields that send the case for confirmation on ``on``; a destitute case confirmed by the
    county is sampled for a spot check by its order among the county's cases of the year.

    The county's time limit runs from ``due_from`` when given: after a publicity that is the
    day the publicity period ended, so that closing it late never lengthens the limit."""
    rules = limits(application.region_id, on)
    fields: dict[str, Any] = {
        "confirmation_requested_on": on,
        "step_due_on": deadlines.confirmation_due(due_from or on, application.type, rules),
    }
    if application.type == ApplicationType.DESTITUTE and not application.delegated:
        county = application.region_id[:6]
        # The county's region row serialises the numbering: two cases sent at the same moment
        # must not draw the same number.
        Region.objects.select_for_update().filter(code=county.ljust(12, "0")).first()
        lo, hi = prefix_bounds(county)
        sequence = (
            Application.objects.filter(
                type=ApplicationType.DESTITUTE,
                delegated=False,
                region_id__gte=lo,
                region_id__lte=hi,
                confirmation_requested_on__year=on.year,
            )
            .exclude(pk=application.pk)
            .count()
            + 1
        )
        if deadlines.spot_check_sampled(sequence, rules.spot_check_share):
            SpotCheck.objects.create(application=application, sequence=sequence)
            fields["spot_check_required"] = True
    return fields


def township_review(
    *,
    actor: User,
    application: Application,
    opinion: str,
    objection_outcome: str = "",
    reviewed_on: dt.date | None = None,
    client: Client | None = None,
) -> Application:
    """The township's review opinion, after a home visit and an answered data check. Types with
    publicity wait for it; the others go straight to confirmation. After an objection the
    outcome of the reinvestigation must be given."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.INVESTIGATING, doing="提出审核意见")
    reviewed_on = check_date(
        reviewed_on or today(),
        field="reviewed_on",
        label="审核日期",
        not_before=application.accepted_on,
    )
    if not opinion.strip():
        raise DeterminationError("请填写审核意见", field="opinion")
    if not application.home_visits.exists():
        raise DeterminationError("尚未登记入户调查", field="home_visits")
    checks = list(application.data_checks.all())
    if not checks or any(c.answered_on is None for c in checks):
        raise DeterminationError("经济状况核对尚未反馈", field="data_checks")
    open_objections = list(application.objections.filter(resolved_on__isnull=True))
    if open_objections and not objection_outcome.strip():
        raise DeterminationError("请填写异议复查结论", field="objection_outcome")
    publicity = application.type in PUBLICITY_TYPES
    to_status = Status.REVIEWED if publicity else Status.CONFIRMING
    with transaction.atomic():
        for objection in open_objections:
            objection.outcome = objection_outcome.strip()
            objection.resolved_on = reviewed_on
            objection.save(update_fields=["outcome", "resolved_on"])
        fields: dict[str, Any] = {
            "township_opinion": opinion.strip(),
            "township_reviewed_on": reviewed_on,
        }
        if publicity:
            fields["step_due_on"] = application.procedure_due_on
        else:
            fields.update(_request_confirmation(application, reviewed_on))
        from_status = bump(application, to_status=to_status, **fields)
        event(
            household=application.household,
            application=application,
            kind=EventKind.TOWNSHIP_REVIEW,
            actor=actor,
            on=reviewed_on,
            from_status=from_status,
            to_status=to_status,
            note=application.township_opinion,
            data={"objection_outcome": objection_outcome.strip()} if open_objections else {},
        )
        audit(actor=actor, application=application, summary="乡镇(街道)审核", client=client)
    return application


def publicity_start(
    *,
    actor: User,
    application: Application,
    starts_on: dt.date | None = None,
    place: str = "",
    client: Client | None = None,
) -> Publicity:
    """Publicise for 7 calendar days (the first day included)."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.REVIEWED, doing="开始公示")
    starts_on = check_date(
        starts_on or today(),
        field="starts_on",
        label="公示开始日期",
        not_before=application.township_reviewed_on,
    )
    rules = limits(application.region_id, starts_on)
    ends_on = deadlines.publicity_end(starts_on, rules)
    with transaction.atomic():
        publicity = Publicity.objects.create(
            application=application,
            starts_on=starts_on,
            ends_on=ends_on,
            place=place.strip()[:200],
            started_by=actor,
        )
        from_status = bump(application, to_status=Status.PUBLICITY, step_due_on=ends_on)
        event(
            household=application.household,
            application=application,
            kind=EventKind.PUBLICITY_STARTED,
            actor=actor,
            on=starts_on,
            from_status=from_status,
            to_status=Status.PUBLICITY,
            data={"publicity_id": publicity.pk, "ends_on": ends_on.isoformat()},
        )
        audit(actor=actor, application=application, summary="开始公示", client=client)
    return publicity


def _current_publicity(application: Application) -> Publicity:
    publicity = (
        application.publicities.filter(closed_on__isnull=True).order_by("-starts_on").first()
    )
    if publicity is None:
        raise DeterminationError("没有进行中的公示")
    return publicity


def objection_record(
    *,
    actor: User,
    application: Application,
    content: str,
    received_on: dt.date | None = None,
    client: Client | None = None,
) -> Objection:
    """An objection during publicity interrupts it and reopens the investigation, due within
    the reinvestigation limit (15 working days)."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.PUBLICITY, doing="登记异议")
    publicity = _current_publicity(application)
    received_on = check_date(
        received_on or today(),
        field="received_on",
        label="收到异议日期",
        not_before=publicity.starts_on,
    )
    if received_on > publicity.ends_on:
        raise DeterminationError(
            f"公示期已于 {publicity.ends_on:%Y-%m-%d} 届满，期满后收到的意见不作为公示异议",
            field="received_on",
        )
    if not content.strip():
        raise DeterminationError("请填写异议内容", field="content")
    rules = limits(application.region_id, received_on)
    due = deadlines.reinvestigation_due(received_on, rules)
    with transaction.atomic():
        objection = Objection.objects.create(
            application=application,
            publicity=publicity,
            received_on=received_on,
            content=content.strip(),
            received_by=actor,
            reinvestigation_due_on=due,
        )
        publicity.closed_on = received_on
        publicity.interrupted = True
        publicity.save(update_fields=["closed_on", "interrupted"])
        from_status = bump(application, to_status=Status.INVESTIGATING, step_due_on=due)
        event(
            household=application.household,
            application=application,
            kind=EventKind.OBJECTION,
            actor=actor,
            on=received_on,
            from_status=from_status,
            to_status=Status.INVESTIGATING,
            note=objection.content,
            data={"objection_id": objection.pk, "reinvestigation_due_on": due.isoformat()},
        )
        audit(actor=actor, application=application, summary="登记公示异议", client=client)
    return objection


def publicity_close(
    *,
    actor: User,
    application: Application,
    closed_on: dt.date | None = None,
    client: Client | None = None,
) -> Application:
    """Close a publicity without objection once its last day has passed; the case goes for
    confirmation (10 working days, 15 for destitute persons, counted from the publicity's last
    day whenever the officer closes it)."""
    require_any(actor, Capability.INVESTIGATE)
    require_scope(actor, application.region_id)
    require_status(application, Status.PUBLICITY, doing="结束公示")
    publicity = _current_publicity(application)
    closed_on = check_date(closed_on or today(), field="closed_on", label="公示结束日期")
    if closed_on <= publicity.ends_on:
        raise DeterminationError(
            f"公示期至 {publicity.ends_on:%Y-%m-%d} 届满，届满后方可结束公示", field="closed_on"
        )
    with transaction.atomic():
        publicity.closed_on = closed_on
        publicity.save(update_fields=["closed_on"])
        fields = _request_confirmation(application, closed_on, due_from=publicity.ends_on)
        from_status = bump(application, to_status=Status.CONFIRMING, **fields)
        event(
            household=application.household,
            application=application,
            kind=EventKind.PUBLICITY_CLOSED,
            actor=actor,
            on=closed_on,
            from_status=from_status,
            to_status=Status.CONFIRMING,
            data={
                "confirmation_due_on": application.step_due_on.isoformat()
                if application.step_due_on
                else None,
                "spot_check": application.spot_check_required,
            },
        )
        audit(actor=actor, application=application, summary="公示期满无异议", client=client)
    return application
