from django.urls import path

from safetynet.monitoring.flags import views

urlpatterns = [
    path("", views.flag_list, name="flag_list"),
    path("<int:pk>/resolve/", views.flag_resolve, name="flag_resolve"),
]
