"""Direct inclusion of existing registers (二)."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safetynet.determination.inclusion import views as views_inclusion

urlpatterns: list[URLPattern | URLResolver] = [
    path("inclusion/", views_inclusion.inclusion_import, name="inclusion"),
    path(
        "inclusion/jobs/<int:job_id>/report.xlsx",
        views_inclusion.inclusion_report,
        name="inclusion_report",
    ),
]
