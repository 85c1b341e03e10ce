from django.urls import path

from safetynet.oversight.recoveries import views

urlpatterns = [
    path("", views.recovery_list, name="recovery_list"),
    path("households/<int:household_pk>/new/", views.recovery_new, name="recovery_new"),
    path("<int:pk>/", views.recovery_detail, name="recovery_detail"),
]
