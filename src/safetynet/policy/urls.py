"""Each part of the policy app keeps its own URL module so that the parts grow independently."""

from django.urls import include, path

app_name = "policy"
urlpatterns = [
    path("standards/", include("safetynet.policy.urls_standards")),
    path("assessment/", include("safetynet.policy.urls_assessment")),
    path("bulk/", include("safetynet.policy.urls_bulk")),
    path("calendar/", include("safetynet.policy.urls_calendar")),
]
