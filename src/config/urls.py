from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from safetynet.api import api

urlpatterns = [
    path("", include("safetynet.web.urls")),
    path("accounts/", include("safetynet.accounts.urls")),
    path("system/", include("safetynet.accounts.staff.urls")),
    path("regions/", include("safetynet.regions.urls")),
    path("households/", include("safetynet.registry.urls")),
    path("audit/", include("safetynet.audit.urls")),
    path("policy/", include("safetynet.policy.urls")),
    path("feeds/", include("safetynet.feeds.urls")),
    path("determination/", include("safetynet.determination.urls")),
    path("monitoring/", include("safetynet.monitoring.urls")),
    path("jobs/", include("safetynet.jobs.urls")),
    path("changes/", include("safetynet.changes.urls")),
    path("reports/", include("safetynet.reports.urls")),
    path("oversight/", include("safetynet.oversight.urls")),
    path("jinmin/", include("safetynet.jinmin.urls")),
    # Public pages without login (oversight: self-declaration, tip-offs).
    path("public/", include("safetynet.oversight.public.urls")),
    path("assistance/", include("safetynet.assistance.urls")),
    path("api/", api.urls),
    path("admin/", admin.site.urls),
]

handler404 = "safetynet.api.page_not_found"
