from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path

from safetynet.accounts.login import LoginForm
from safetynet.accounts.staff.services import password_changed
from safetynet.audit.services import client_of


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; the change ends a one-time password and is audited."""

    success_url = "/"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=form.user, client=client_of(self.request))
        messages.success(self.request, "密码已修改。")
        return response


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
]
