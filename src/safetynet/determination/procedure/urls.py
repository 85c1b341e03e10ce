"""Screens of the determination procedure (work queues, case pages, actions), at /determination/."""

from __future__ import annotations

from django.urls import URLPattern, URLResolver, path

from safetynet.determination.procedure.views import actions, cases, queues

urlpatterns: list[URLPattern | URLResolver] = [
    path("", queues.township_queue, name="queue"),
    path("county/", queues.county_queue, name="county_queue"),
    path("escalations/", queues.escalations, name="escalations"),
    path("export/<slug:slug>.xlsx", queues.queue_export, name="queue_export"),
    path("apply/<int:household_pk>/", cases.application_new, name="application_new"),
    path("households/<int:household_pk>/", cases.household_chain, name="household_chain"),
    path("cases/<int:pk>/", cases.case_detail, name="case"),
    path("cases/<int:pk>/attachments/", cases.attachment_upload, name="attachment_upload"),
    path(
        "cases/<int:pk>/attachments/<int:attachment_id>/",
        cases.attachment_download,
        name="attachment_download",
    ),
    path("cases/<int:pk>/do/<slug:action>/", actions.case_action, name="action"),
]
