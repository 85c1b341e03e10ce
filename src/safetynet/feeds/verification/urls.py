"""Verification reports (核对报告), included at /feeds/verification/."""

from django.urls import URLPattern, URLResolver, path

from safetynet.feeds.verification import views as verification

urlpatterns: list[URLPattern | URLResolver] = [
    path("", verification.report_list, name="verification_list"),
    path("household/<int:household_pk>/new/", verification.report_new, name="verification_new"),
    path("<int:pk>/", verification.report_detail, name="verification_detail"),
    path("<int:pk>/report.pdf", verification.report_pdf, name="verification_pdf"),
]
