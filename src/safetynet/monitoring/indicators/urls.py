from django.urls import path

from safetynet.monitoring.indicators import views

urlpatterns = [
    path("", views.indicator_list, name="indicators"),
    path("<slug:code>/version/", views.indicator_version, name="indicator_version"),
]
