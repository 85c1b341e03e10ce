from django.urls import path

from safetynet.policy.bulk.views import bulk_classify_view, bulk_export_view

urlpatterns = [
    path("", bulk_classify_view, name="bulk"),
    path("export/", bulk_export_view, name="bulk_export"),
]
