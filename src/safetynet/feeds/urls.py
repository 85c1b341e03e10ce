"""The feeds pages at /feeds/: importing batches (``importing.urls``) and verification reports
(``verification.urls``, at /feeds/verification/). URL names stay in the one ``feeds`` namespace,
so ``feeds:upload`` and ``feeds:verification_list`` keep working."""

from django.urls import include, path

app_name = "feeds"
urlpatterns = [
    path("", include("safetynet.feeds.importing.urls")),
    path("verification/", include("safetynet.feeds.verification.urls")),
]
