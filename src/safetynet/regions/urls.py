from django.urls import path

from safetynet.regions import views

app_name = "regions"
urlpatterns = [path("children/", views.children, name="children")]
