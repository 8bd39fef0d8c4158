"""The project's URLs with the login wired as proposed in docs/security.md: the bookshop-aware login form with
the throttle's message. Until tickets/account_urls.py carries the same lines, the throttle still refuses locked
logins on the real URL (through AUTHENTICATION_BACKENDS), only with Django's generic message."""

from django.contrib.auth import views as auth_views
from django.urls import path

from ebookit_support.login_throttle import ThrottleMessageMixin
from ebookit_support.urls import urlpatterns as project_urlpatterns
from tickets.forms import BookshopAwareAuthenticationForm


class LoginForm(ThrottleMessageMixin, BookshopAwareAuthenticationForm):
    pass


urlpatterns = [
    path("accounts/login/", auth_views.LoginView.as_view(authentication_form=LoginForm), name="login"),
    *project_urlpatterns,
]
