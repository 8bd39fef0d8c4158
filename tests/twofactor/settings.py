"""The project's settings with the twofactor app, its middleware and URLs wired in, as production would have
them (with TWO_FACTOR_REQUIRED=True). Used for `makemigrations twofactor` and to run tests/twofactor alone:

    DJANGO_SETTINGS_MODULE=tests.twofactor.settings python manage.py makemigrations twofactor
    pytest tests/twofactor --ds=tests.twofactor.settings
"""

from ebookit_support.settings import *  # noqa: F403
from ebookit_support.settings import INSTALLED_APPS, MIDDLEWARE

INSTALLED_APPS = [*INSTALLED_APPS, "twofactor"]
_auth = MIDDLEWARE.index("django.contrib.auth.middleware.AuthenticationMiddleware")
MIDDLEWARE = [*MIDDLEWARE[: _auth + 1], "twofactor.middleware.TwoFactorMiddleware", *MIDDLEWARE[_auth + 1 :]]
ROOT_URLCONF = "tests.twofactor.urls"
AUTHENTICATION_BACKENDS = [
    "ebookit_support.login_throttle.LoginThrottleBackend",
    "django.contrib.auth.backends.ModelBackend",
]
TWO_FACTOR_REQUIRED = True
