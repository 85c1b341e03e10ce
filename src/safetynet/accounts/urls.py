from django.contrib.auth import views as auth_views
from django.urls import path

from safetynet.accounts import second_factor_views
from safetynet.accounts.login import LoginForm

urlpatterns = [
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", second_factor_views.PasswordChange.as_view(), name="password_change"),
    path("enrol/", second_factor_views.enrol, name="second_factor_enrol"),
    path("second-factor/", second_factor_views.code, name="second_factor"),
]
