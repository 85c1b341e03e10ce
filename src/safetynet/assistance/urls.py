"""Assistance pages, one prefix per feature."""

from django.urls import include, path

app_name = "assistance"
urlpatterns = [path("", include("safetynet.assistance.referrals.urls"))]
