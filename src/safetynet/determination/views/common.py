"""What the determination views share: today's date, showing a service's
refusal on a form, and the audited download of an attachment."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.http import HttpRequest
from django.utils import timezone

from safetynet.audit.models import Action
from safetynet.audit.services import audit_record
from safetynet.determination import services
from safetynet.determination.models import Application, Attachment

# Service field names shown on a form field of another name (the first the form has).
FIELD_ALIASES = {"file": ("uploads", "photos", "authorisation")}


def today() -> dt.date:
    return timezone.localdate()


def show_refusal(form: forms.Form, exc: services.DeterminationError) -> None:
    """Put a service refusal on the field it names, or on the form as a whole (a permission
    refusal is no ``DeterminationError``: it passes on to the 403 page)."""
    names = (exc.field, *FIELD_ALIASES.get(exc.field or "", ()))
    field = next((name for name in names if name and name in form.fields), None)
    form.add_error(field, exc.message)


def attachment_downloaded(
    *, user: Any, application: Application, attachment: Attachment, request: HttpRequest
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
        request=request,
    )
