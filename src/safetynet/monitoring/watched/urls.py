from django.urls import path

from safetynet.monitoring.watched import views

urlpatterns = [
    path("", views.watched_list, name="watched"),
    path("export/", views.watched_export, name="watched_export"),
]
