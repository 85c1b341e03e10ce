"""Read-only admin: cases and their records change only through the services (state machine,
optimistic lock, timeline, audit)."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from safetynet.determination.models import (
    Application,
    CaseEvent,
    Decision,
    ReviewSchedule,
    Termination,
    TimeLimits,
)


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(TimeLimits)
class TimeLimitsAdmin(ReadOnlyAdmin):
    list_display = ("region", "effective_from", "procedure_days", "confirmation_delegated")
    list_filter = ("effective_from",)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = ("id", "type", "region", "status", "step_due_on", "procedure_due_on")
    list_filter = ("type", "status")
    raw_id_fields = ("household", "applicant", "transferred_from")


@admin.register(CaseEvent)
class CaseEventAdmin(ReadOnlyAdmin):
    list_display = ("at", "household", "application", "kind", "actor_name")
    list_filter = ("kind",)
    raw_id_fields = ("household", "application")


@admin.register(Decision)
class DecisionAdmin(ReadOnlyAdmin):
    list_display = ("application", "outcome", "category", "monthly_amount", "decided_on")
    list_filter = ("outcome", "category")


@admin.register(ReviewSchedule)
class ReviewScheduleAdmin(ReadOnlyAdmin):
    list_display = ("household", "kind", "due_on", "done_on", "outcome")
    list_filter = ("kind", "outcome")
    raw_id_fields = ("household", "application", "person")


@admin.register(Termination)
class TerminationAdmin(ReadOnlyAdmin):
    list_display = ("household", "category", "status", "effective_from")
    list_filter = ("status",)
    raw_id_fields = ("household", "application", "person")
