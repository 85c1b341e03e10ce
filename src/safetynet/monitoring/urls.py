"""Monitoring pages, one prefix per feature."""

from django.urls import include, path

app_name = "monitoring"
urlpatterns = [
    path("alerts/", include("safetynet.monitoring.alerts.urls")),
    path("checks/", include("safetynet.monitoring.checks.urls")),
    path("watched/", include("safetynet.monitoring.watched.urls")),
    path("indicators/", include("safetynet.monitoring.indicators.urls")),
    path("flags/", include("safetynet.monitoring.flags.urls")),
]
