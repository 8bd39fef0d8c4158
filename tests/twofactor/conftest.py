"""Run the twofactor tests whether or not the project has wired the app in yet.

When `twofactor` is missing from INSTALLED_APPS (the project's settings before the wiring lands), the app, its
middleware and URLs are added for each test here, and its table is created for this package only and dropped
again afterwards (and its admin registration removed), so the rest of the suite is untouched. Once the
project's settings include the app, all of this is a no-op."""

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.core.management import call_command
from django.test.utils import override_settings
from django.urls import NoReverseMatch, reverse

APP = "twofactor"
MIDDLEWARE = "twofactor.middleware.TwoFactorMiddleware"
AUTH_MIDDLEWARE = "django.contrib.auth.middleware.AuthenticationMiddleware"


def _wired() -> dict:
    changes = {}
    if APP not in django_settings.INSTALLED_APPS:
        changes["INSTALLED_APPS"] = [*django_settings.INSTALLED_APPS, APP]
    if MIDDLEWARE not in django_settings.MIDDLEWARE:
        middleware = list(django_settings.MIDDLEWARE)
        middleware.insert(middleware.index(AUTH_MIDDLEWARE) + 1, MIDDLEWARE)
        changes["MIDDLEWARE"] = middleware
    try:
        reverse("twofactor:verify")
    except NoReverseMatch:
        changes["ROOT_URLCONF"] = "tests.twofactor.urls"
    return changes


@pytest.fixture(scope="package", autouse=True)
def _twofactor_table(django_db_setup, django_db_blocker):
    installed_by_us = APP not in django_settings.INSTALLED_APPS
    if not installed_by_us:
        yield
        return
    with override_settings(INSTALLED_APPS=[*django_settings.INSTALLED_APPS, APP]), django_db_blocker.unblock():
        call_command("migrate", APP, verbosity=0)
    yield
    with override_settings(INSTALLED_APPS=[*django_settings.INSTALLED_APPS, APP]), django_db_blocker.unblock():
        call_command("migrate", APP, "zero", verbosity=0)
    # The admin registered the app's model while it was installed; later tests' admin pages list every
    # registered model's app, and this one is gone again.
    from django.contrib import admin

    from twofactor.models import TOTPDevice

    if admin.site.is_registered(TOTPDevice):
        admin.site.unregister(TOTPDevice)


@pytest.fixture(autouse=True)
def _twofactor_wired(settings):
    for name, value in _wired().items():
        setattr(settings, name, value)
    settings.AUTHENTICATION_BACKENDS = ["ebookit_support.login_throttle.LoginThrottleBackend",
                                        "django.contrib.auth.backends.ModelBackend"]
    cache.clear()
    yield
    cache.clear()
