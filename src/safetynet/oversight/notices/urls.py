from django.urls import path

from safetynet.oversight.notices import views

urlpatterns = [
    path("", views.board, name="board"),
    path("settings/", views.settings_page, name="settings"),
    path("objections/", views.public_objections, name="public_objections"),
]
