from django.urls import path

from safetynet.oversight.tipoffs import views

urlpatterns = [
    path("", views.tipoff_list, name="tipoff_list"),
    path("new/", views.tipoff_new, name="tipoff_new"),
    path("figures/", views.figures, name="figures"),
    path("<int:pk>/", views.tipoff_detail, name="tipoff_detail"),
]
