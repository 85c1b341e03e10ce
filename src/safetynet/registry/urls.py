from django.urls import path

from safetynet.registry.views import conflicts, edit, households, imports

app_name = "registry"
urlpatterns = [
    path("", households.household_list, name="list"),
    path("export/", households.household_export, name="export"),
    path("new/", households.household_create, name="create"),
    path("import/", imports.household_import, name="import"),
    path("import/template.xlsx", imports.import_template, name="import_template"),
    path("import/reports/<slug:token>.xlsx", imports.import_report, name="import_report"),
    path("conflicts/", conflicts.conflict_list, name="conflicts"),
    path("conflicts/<int:pk>/resolve/", conflicts.conflict_resolve, name="conflict_resolve"),
    path("<int:pk>/", households.household_detail, name="detail"),
    path("persons/<int:pk>/reveal/", households.person_reveal, name="person_reveal"),
    path("<int:pk>/edit/", edit.household_edit, name="edit"),
    path("<int:pk>/members/add/", edit.member_add, name="member_add"),
    path("<int:pk>/members/<int:person_id>/edit/", edit.member_edit, name="member_edit"),
    path("<int:pk>/members/<int:person_id>/remove/", edit.member_remove, name="member_remove"),
    path("<int:pk>/head/", edit.household_change_head, name="change_head"),
    path("<int:pk>/incomes/", edit.incomes_edit, name="incomes"),
    path("<int:pk>/assets/", edit.assets_edit, name="assets"),
    path("<int:pk>/expenditures/", edit.expenditures_edit, name="expenditures"),
    path("<int:pk>/supporters/add/", edit.supporter_add, name="supporter_add"),
    path(
        "<int:pk>/supporters/<int:supporter_id>/remove/",
        edit.supporter_remove,
        name="supporter_remove",
    ),
    path("<int:pk>/category/", edit.category_edit, name="category"),
    path("<int:pk>/relapse-watch/", edit.relapse_watch_edit, name="relapse_watch"),
]
