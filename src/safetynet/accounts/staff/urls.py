from django.urls import path

from safetynet.accounts.staff import views

app_name = "system"
urlpatterns = [
    path("users/", views.user_list, name="users"),
    path("users/new/", views.user_new, name="user_new"),
    path("users/<int:pk>/", views.user_detail, name="user_detail"),
    path("users/<int:pk>/active/", views.user_active, name="user_active"),
    path("users/<int:pk>/password/", views.user_password, name="user_password"),
    path("users/<int:pk>/second-factor/", views.user_second_factor, name="user_second_factor"),
    path("tokens/", views.token_list, name="tokens"),
    path("tokens/new/", views.token_new, name="token_new"),
    path("tokens/<int:pk>/revoke/", views.token_revoke, name="token_revoke"),
    path("offices/", views.office_list, name="offices"),
    path("offices/new/", views.office_new, name="office_new"),
    path("offices/<int:pk>/", views.office_edit, name="office_edit"),
]
