from __future__ import annotations

from django.urls import path

from safetynet.determination.limits import views as views_limits

urlpatterns = [
    path("", views_limits.limits_index, name="limits"),
    path("export.xlsx", views_limits.limits_export, name="limits_export"),
    path("<int:pk>/delete/", views_limits.limits_delete, name="limits_delete"),
]
