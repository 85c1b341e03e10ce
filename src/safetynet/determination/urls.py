from __future__ import annotations

from django.urls import include, path

app_name = "determination"

urlpatterns = [
    path("", include("safetynet.determination.procedure.urls")),
    path("", include("safetynet.determination.inclusion.urls")),
    path("", include("safetynet.determination.after.urls")),
    path("", include("safetynet.determination.documents.urls")),
    path("limits/", include("safetynet.determination.limits.urls")),
]
