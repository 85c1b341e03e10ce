from django.urls import path

from safetynet.monitoring.alerts import views

urlpatterns = [
    path("", views.alert_list, name="alert_list"),
    path("export/", views.alert_export, name="alert_export"),
    path("figures/", views.figures, name="figures"),
    path("scan/", views.scan_start, name="scan_start"),
    path("<int:pk>/", views.alert_detail, name="alert_detail"),
]
