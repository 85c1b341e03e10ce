from django.urls import URLPattern, URLResolver, path

from safetynet.policy.views import calendar

urlpatterns: list[URLPattern | URLResolver] = [
    path("", calendar.calendar_year, name="calendar"),
    path("days/", calendar.calendar_day_set, name="calendar_day_set"),
    path("days/delete/", calendar.calendar_day_delete, name="calendar_day_delete"),
    path("years/declare/", calendar.calendar_year_declare, name="calendar_year_declare"),
    path("template.xlsx", calendar.calendar_template, name="calendar_template"),
    path("import/", calendar.calendar_import, name="calendar_import"),
    path("years/withdraw/", calendar.calendar_year_withdraw, name="calendar_year_withdraw"),
]
