"""Oversight staff pages, one prefix per feature (the public pages are under /public/)."""

from django.urls import include, path

app_name = "oversight"
urlpatterns = [
    path("declarations/", include("safetynet.oversight.declarations.urls")),
    path("tipoffs/", include("safetynet.oversight.tipoffs.urls")),
    path("recoveries/", include("safetynet.oversight.recoveries.urls")),
    path("notices/", include("safetynet.oversight.notices.urls")),
]
