from django.urls import URLPattern, URLResolver, path

from safetynet.policy.standards import views

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.standards_index, name="standards"),
    path("new/", views.standards_create, name="standards_create"),
    path("export.xlsx", views.standards_export, name="standards_export"),
    path("<int:pk>/delete/", views.standards_delete, name="standards_delete"),
]
