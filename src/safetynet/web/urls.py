from django.urls import path

from safetynet.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("desk/", views.village_desk, name="village_desk"),
]
