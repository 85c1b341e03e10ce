from django.urls import path

from safetynet.monitoring.checks import views

urlpatterns = [
    path("", views.check_list, name="check_list"),
    path("survey/", views.survey, name="survey"),
    path("<int:pk>/", views.check_detail, name="check_detail"),
    path("<int:pk>/assign/", views.check_assign, name="check_assign"),
]
