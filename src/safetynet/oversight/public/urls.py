from django.urls import path

from safetynet.oversight.public import views

app_name = "public"
urlpatterns = [
    path("declare/", views.declare, name="declare"),
    path("tipoff/", views.tipoff, name="tipoff"),
    path("tipoff/follow-up/", views.follow_up, name="follow_up"),
    path("places/", views.places, name="places"),
    path("notices/", views.notice_board, name="notices"),
    path("notices/objection/", views.notice_objection, name="notice_objection"),
]
