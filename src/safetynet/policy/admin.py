from django.contrib import admin

from safetynet.policy.models import CalendarDay, CalendarYear, StandardVersion


@admin.register(StandardVersion)
class StandardVersionAdmin(admin.ModelAdmin):
    list_display = ("region", "effective_from", "dibao_urban_monthly", "dibao_rural_monthly")
    list_filter = ("is_example",)
    search_fields = ("region__code", "region__name")
    raw_id_fields = ("region",)


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ("date", "name", "is_working_day", "note")
    date_hierarchy = "date"


@admin.register(CalendarYear)
class CalendarYearAdmin(admin.ModelAdmin):
    list_display = ("year", "source")
