"""Login, logout and password reset for bookshops and staff (Django's views, our templates)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from common import ratelimit
from ebookit_support.login_throttle import ThrottleMessageMixin

from .forms import BookshopAwareAuthenticationForm, OutboxPasswordResetForm


class PasswordResetView(auth_views.PasswordResetView):
    """Password reset by mail, through the outbox, and limited so nobody floods an address with reset mails."""

    form_class = OutboxPasswordResetForm

    def post(self, request, *args, **kwargs):
        if ratelimit.over_ip_limit(request, "password_reset") or ratelimit.over_email_limit(
            request.POST.get("email", "").strip().lower()[:254], "password_reset"
        ):
            return ratelimit.too_many_requests(request)
        return super().post(request, *args, **kwargs)


class LoginForm(ThrottleMessageMixin, BookshopAwareAuthenticationForm):
    """Says so when too many failed logins locked the login (ebookit_support/login_throttle.py)."""


urlpatterns = [
    path("login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("password_reset/", PasswordResetView.as_view(), name="password_reset"),
    path("password_reset/done/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("reset/<uidb64>/<token>/", auth_views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("reset/done/", auth_views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
]
