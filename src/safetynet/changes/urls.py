from django.urls import path

from safetynet.changes import views

app_name = "changes"
urlpatterns = [
    path("", views.change_list, name="list"),
    path("households/<int:household_pk>/new/", views.change_new, name="new"),
]
