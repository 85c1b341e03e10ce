"""What the determination features share: errors, capability and scope checks, the optimistic
version bump and the timeline event for the services; showing a service's refusal on a form and
the audited download of an attachment for the views."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import F
from django.utils import timezone

from safetynet.accounts.models import User
from safetynet.accounts.permissions import PermissionDenied, allowed, require
from safetynet.accounts.scope import in_scope
from safetynet.audit.models import Action
from safetynet.audit.services import Client, audit_record
from safetynet.determination.limits.selectors import Limits, TimeLimitsMissing, limits_for
from safetynet.determination.models import Application, Attachment, CaseEvent, Status
from safetynet.regions.models import Level

CASE_CHANGED = "该案件已被他人更新，请刷新后重试"


class DeterminationError(Exception):
    """A request the procedure refuses, with a Chinese message for the user.

    ``field`` names the input the message is about, when there is one.
    """

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class CaseChanged(DeterminationError):
    """Someone acted on the case since the actor loaded it (its version moved on)."""

    def __init__(self) -> None:
        super().__init__(CASE_CHANGED)


def today() -> dt.date:
    return timezone.localdate()


def require_any(actor: User, *capabilities: str) -> None:
    """``accounts.permissions.require`` for a step that any one of several capabilities may
    take (an application is entered by a village assistant or a township officer)."""
    require(actor, next((c for c in capabilities if allowed(actor, c)), capabilities[0]))


def require_scope(actor: User, region_code: str) -> None:
    if not in_scope(region_code, user=actor):
        raise PermissionDenied("该案件不在您的管辖范围内")


def acts_for_township(actor: User) -> bool:
    """Whether the actor works at a township (or below): its confirmations are the township's,
    allowed only where the county delegated them (ADR 0010). The level of the actor's scope
    says so, not a role name."""
    scope = getattr(actor, "scope_region", None)
    return scope is not None and scope.level in (Level.TOWNSHIP, Level.VILLAGE)


def limits(region_code: str, on: dt.date) -> Limits:
    try:
        return limits_for(region_code=region_code, on=on)
    except TimeLimitsMissing as exc:
        raise DeterminationError(str(exc)) from exc


def check_date(
    value: dt.date, *, field: str, label: str, not_before: dt.date | None = None
) -> dt.date:
    """A date the actor entered: not in the future, not before the step it follows."""
    if value > today():
        raise DeterminationError(f"{label}不能晚于今天", field=field)
    if not_before is not None and value < not_before:
        raise DeterminationError(f"{label}不能早于 {not_before:%Y-%m-%d}", field=field)
    return value


def status_label(status: str) -> str:
    return str(Status(status).label)


def require_status(application: Application, *statuses: str, doing: str) -> None:
    if application.status not in statuses:
        raise DeterminationError(
            f"案件当前处于“{status_label(application.status)}”环节，不能{doing}"
        )


def bump(application: Application, *, to_status: str | None = None, **fields: Any) -> str:
    """Apply ``fields`` (and the move to ``to_status``) if the case is still at the version the
    actor loaded; raise ``CaseChanged`` otherwise. Returns the status it moved from.

    The conditional UPDATE is the lock: on PostgreSQL the loser waits for the winner's commit and
    then matches no row; on SQLite the write transaction is already exclusive.
    """
    from_status = application.status
    if (
        to_status is not None
        and to_status != from_status
        and not application.can_move_to(to_status)
    ):
        raise DeterminationError(
            f"案件不能从“{status_label(from_status)}”转到“{status_label(to_status)}”"
        )
    values: dict[str, Any] = {**fields, "updated_at": timezone.now()}
    if to_status is not None:
        values["status"] = to_status
    updated = Application.objects.filter(pk=application.pk, version=application.version).update(
        version=F("version") + 1, **values
    )
    if updated != 1:
        raise CaseChanged()
    for name, value in values.items():
        setattr(application, name, value)
    application.version += 1
    return from_status


def event(
    *,
    household: Any,
    kind: str,
    actor: User,
    on: dt.date,
    application: Application | None = None,
    from_status: str = "",
    to_status: str = "",
    note: str = "",
    data: dict[str, Any] | None = None,
) -> CaseEvent:
    return CaseEvent.objects.create(
        household=household,
        application=application,
        region_id=household.region_id,
        kind=kind,
        from_status=from_status,
        to_status=to_status,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=getattr(actor, "get_full_name", lambda: "")() or getattr(actor, "username", ""),
        at=timezone.now(),
        on=on,
        note=note,
        data=data or {},
    )


def audit(
    *,
    actor: User,
    application: Application,
    summary: str,
    detail: dict[str, Any] | None = None,
    action: str = Action.UPDATE,
    client: Client | None = None,
    channel: str | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="application",
        object_id=application.pk,
        region_code=application.region_id,
        summary=f"认定案件 {application.number}：{summary}",
        detail=detail,
        client=client,
        channel=channel,
    )


def audit_household(
    *,
    actor: User,
    household: Any,
    summary: str,
    detail: dict[str, Any] | None = None,
    action: str = Action.UPDATE,
    client: Client | None = None,
) -> None:
    audit_record(
        actor=actor,
        action=action,
        object_type="household",
        object_id=household.pk,
        region_code=household.region_id,
        summary=summary,
        detail=detail,
        client=client,
    )


# --- for the views -----------------------------------------------------------------------------

# Service field names shown on a form field of another name (the first the form has).
FIELD_ALIASES = {"file": ("uploads", "photos", "authorisation")}


def show_refusal(form: forms.Form, exc: DeterminationError) -> None:
    """Put a service refusal on the field it names, or on the form as a whole (a permission
    refusal is no ``DeterminationError``: it passes on to the 403 page)."""
    names = (exc.field, *FIELD_ALIASES.get(exc.field or "", ()))
    field = next((name for name in names if name and name in form.fields), None)
    form.add_error(field, exc.message)


def attachment_downloaded(
    *, user: User, application: Application, attachment: Attachment, client: Client | None
) -> None:
    """A scanned document holds the family's personal data: every download is on the audit
    trail with the hash of what was handed out."""
    audit_record(
        actor=user,
        action=Action.EXPORT,
        object_type="application_attachment",
        object_id=attachment.pk,
        region_code=application.region_id,
        summary=f"认定案件 {application.number}：下载{attachment.get_kind_display()}",
        detail={"application_id": application.pk, "sha256": attachment.sha256},
        client=client,
    )
