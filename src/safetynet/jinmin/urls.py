from django.urls import path

from safetynet.jinmin import views

app_name = "jinmin"
urlpatterns = [
    path("", views.index, name="index"),
    path("export/", views.export, name="export"),
    path("import/", views.import_lists, name="import"),
    path("<int:pk>/", views.exchange_detail, name="detail"),
    path("<int:pk>/differences/", views.differences, name="differences"),
]
