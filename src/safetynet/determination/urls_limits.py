from __future__ import annotations

from django.urls import path

from safetynet.determination import views_limits

urlpatterns = [
    path("", views_limits.limits_index, name="limits"),
]
