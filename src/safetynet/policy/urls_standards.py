from django.urls import URLPattern, URLResolver, path

from safetynet.policy.views import standards

urlpatterns: list[URLPattern | URLResolver] = [
    path("", standards.standards_index, name="standards"),
    path("new/", standards.standards_create, name="standards_create"),
    path("export.xlsx", standards.standards_export, name="standards_export"),
    path("<int:pk>/delete/", standards.standards_delete, name="standards_delete"),
]
