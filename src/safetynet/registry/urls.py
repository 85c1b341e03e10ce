from django.urls import path

from safetynet.registry.views import households

app_name = "registry"
urlpatterns = [
    path("", households.household_list, name="list"),
    path("export.xlsx", households.household_export, name="export"),
    path("new/", households.household_create, name="create"),
    path("<int:pk>/", households.household_detail, name="detail"),
    path("persons/<int:pk>/reveal/", households.person_reveal, name="person_reveal"),
]
