"""Batch pages at /feeds/ (names in the ``feeds`` namespace: batch_list, upload, …)."""

from django.urls import path

from safetynet.feeds.importing import views as batches

urlpatterns = [
    path("", batches.batch_list, name="batch_list"),
    path("upload/", batches.upload, name="upload"),
    path(
        "upload/<int:job_id>/accept-valid/",
        batches.upload_accept_valid,
        name="upload_accept_valid",
    ),
    path("<int:pk>/", batches.batch_detail, name="batch_detail"),
    path("<int:pk>/report.xlsx", batches.batch_report, name="batch_report"),
    path("<int:pk>/quarantine.xlsx", batches.batch_quarantine, name="batch_quarantine"),
    path("sources/", batches.source_catalogue, name="source_list"),
    path("sources/new/", batches.source_create, name="source_create"),
    path("sources/<slug:code>/sample.xlsx", batches.source_sample, name="source_sample"),
]
