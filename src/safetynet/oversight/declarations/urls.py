from django.urls import path

from safetynet.oversight.declarations import views

urlpatterns = [
    path("", views.declaration_list, name="declaration_list"),
    path("<int:pk>/", views.declaration_detail, name="declaration_detail"),
]
