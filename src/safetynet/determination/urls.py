from __future__ import annotations

from django.urls import include, path

app_name = "determination"

urlpatterns = [
    path("", include("safetynet.determination.urls_web")),
    path("", include("safetynet.determination.urls_inclusion")),
    path("", include("safetynet.determination.urls_reviews")),
    path("", include("safetynet.determination.urls_documents")),
    path("limits/", include("safetynet.determination.urls_limits")),
]
