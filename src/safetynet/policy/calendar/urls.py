from django.urls import URLPattern, URLResolver, path

from safetynet.policy.calendar import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.calendar_year, name="calendar"),
    path("days/", views.calendar_day_set, name="calendar_day_set"),
    path("days/delete/", views.calendar_day_delete, name="calendar_day_delete"),
    path("years/declare/", views.calendar_year_declare, name="calendar_year_declare"),
    path("template.xlsx", views.calendar_template, name="calendar_template"),
    path("import/", views.calendar_import, name="calendar_import"),
    path("years/withdraw/", views.calendar_year_withdraw, name="calendar_year_withdraw"),
]
