from django.contrib import admin
from django.http import HttpRequest

from safetynet.policy.models import CalendarDay, CalendarYear, StandardVersion


class ReadOnlyAdmin(admin.ModelAdmin):
    """Edits go through the audited services of the policy pages (standards, calendar)."""

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(StandardVersion)
class StandardVersionAdmin(ReadOnlyAdmin):
    list_display = ("region", "effective_from", "dibao_urban_monthly", "dibao_rural_monthly")
    list_filter = ("is_example",)
    search_fields = ("region__code", "region__name")
    raw_id_fields = ("region",)


@admin.register(CalendarDay)
class CalendarDayAdmin(ReadOnlyAdmin):
    list_display = ("date", "name", "is_working_day", "note")
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(ReadOnlyAdmin):
    list_display = ("year", "source")
