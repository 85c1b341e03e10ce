from __future__ import annotations

from django.urls import path

from safetynet.reports import views

app_name = "reports"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("data/", views.data, name="data"),
    path("drill/", views.drill, name="drill"),
    path("drill/export/", views.drill_export, name="drill_export"),
    path("monthly/", views.monthly_report, name="monthly"),
    path("monthly/export/", views.monthly_export, name="monthly_export"),
    path("assessment/", views.assessment_page, name="assessment"),
    path("assessment/export/", views.assessment_export, name="assessment_export"),
]
