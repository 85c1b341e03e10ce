"""Batches and imports (urls_batches) and verification reports (urls_verification)."""

from django.urls import include, path

app_name = "feeds"
urlpatterns = [
    path("", include("safetynet.feeds.urls_batches")),
    path("verification/", include("safetynet.feeds.urls_verification")),
]
