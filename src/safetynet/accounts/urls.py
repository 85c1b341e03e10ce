from typing import Any

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.http import HttpResponse
from django.urls import path

from safetynet.accounts import second_factor, second_factor_views
from safetynet.accounts.login import LoginForm
from safetynet.accounts.staff.services import password_changed
from safetynet.audit.services import client_of


class PasswordChangeView(auth_views.PasswordChangeView):
    """Django's view; the change ends a one-time password and is audited."""

    success_url = "/"

    def form_valid(self, form: Any) -> HttpResponse:
        response = super().form_valid(form)
        password_changed(user=form.user, client=client_of(self.request))
        second_factor.password_changed(form.user)  # its age, for PASSWORD_MAX_AGE_DAYS
        messages.success(self.request, "密码已修改。")
        return response

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["expired"] = second_factor.password_expired(self.request.user)  # type: ignore[arg-type]
        return context


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(form_class=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password/", PasswordChangeView.as_view(), name="password_change"),
    path("enrol/", second_factor_views.enrol, name="second_factor_enrol"),
    path("second-factor/", second_factor_views.code, name="second_factor"),
]
