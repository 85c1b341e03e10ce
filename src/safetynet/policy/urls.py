"""Each part of the policy app keeps its own URL module so that the parts grow independently."""

from django.urls import include, path

app_name = "policy"
urlpatterns = [
    path("standards/", include("safetynet.policy.standards.urls")),
    path("assessment/", include("safetynet.policy.assessment.urls")),
    path("bulk/", include("safetynet.policy.bulk.urls")),
    path("calendar/", include("safetynet.policy.calendar.urls")),
]
