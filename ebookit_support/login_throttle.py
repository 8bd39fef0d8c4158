"""Login throttling: after too many failed logins for one username, or from one IP address, within a window,
every further login for it is refused (even with the right password) until the window ends, with a clear message.

Django does not throttle logins by itself. This works for every login that goes through
`django.contrib.auth.authenticate` (the bookshops' `/accounts/login/` and the admin's login):

- `LoginThrottleBackend`, first in AUTHENTICATION_BACKENDS, refuses a locked username or IP before any password
  is checked (it raises PermissionDenied, which makes `authenticate` stop and report a failed login);
- the `user_login_failed` signal counts failures per username and per IP in Django's cache (atomic add/incr,
  so web workers sharing Redis count together); `user_logged_in` clears the username's count;
- `ThrottleMessageMixin` on a login form replaces "wrong username or password" with the reason and the wait.

Settings (optional, read with defaults):
    LOGIN_THROTTLE_ENABLED          False switches it off (default True)
    LOGIN_THROTTLE_PER_USERNAME     failed logins per username and window (default 5)
    LOGIN_THROTTLE_PER_IP           failed logins per client IP and window (default 20)
    LOGIN_THROTTLE_WINDOW_SECONDS   the window, counted from the first failure (default 900)
The client IP is `common.ratelimit.client_ip` (REMOTE_ADDR, or X-Forwarded-For behind RATELIMIT_TRUSTED_PROXIES).
"""

import hashlib
import logging

from django.conf import settings
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.signals import user_logged_in, user_login_failed
from django.core.cache import cache
from django.core.exceptions import PermissionDenied, ValidationError
from django.dispatch import receiver
from django.utils.translation import gettext_lazy as _

from common.ratelimit import client_ip

log = logging.getLogger(__name__)

DEFAULT_PER_USERNAME = 5
DEFAULT_PER_IP = 20
DEFAULT_WINDOW_SECONDS = 15 * 60
REFUSED_FLAG = "_login_throttled"

THROTTLED_MESSAGE = _(
    "Zu viele fehlgeschlagene Anmeldungen. Aus Sicherheitsgründen ist die Anmeldung für %(minutes)d Minuten "
    "gesperrt. Bitte versuchen Sie es später wieder oder setzen Sie Ihr Passwort zurück."
)


def enabled() -> bool:
    return bool(getattr(settings, "LOGIN_THROTTLE_ENABLED", True))


def per_username() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_PER_USERNAME", DEFAULT_PER_USERNAME))


def per_ip() -> int:
    return int(getattr(settings, "LOGIN_THROTTLE_PER_IP", DEFAULT_PER_IP))


def window_seconds() -> int:
    return max(1, int(getattr(settings, "LOGIN_THROTTLE_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS)))


def _key(kind: str, value: str) -> str:
    # Hashed: no username or address in the cache's keys.
    return f"login-throttle:{kind}:" + hashlib.sha256(value.encode()).hexdigest()[:40]


def _normalise(username) -> str:
    # "Admin" and " admin" are the same target for an attacker, so they share one count.
    return str(username or "").strip().lower()


def _keys(request, username) -> list[tuple[str, int]]:
    """(cache key, limit) for the username and, when known, the client's IP."""
    keys = []
    name = _normalise(username)
    if name:
        keys.append((_key("user", name), per_username()))
    ip = client_ip(request) if request is not None else ""
    if ip:
        keys.append((_key("ip", ip), per_ip()))
    return keys


def is_locked(request, username) -> bool:
    if not enabled():
        return False
    return any((cache.get(key) or 0) >= limit for key, limit in _keys(request, username))


def record_failure(request, username) -> None:
    if not enabled():
        return
    for key, limit in _keys(request, username):
        # The window starts with the first failure; incr keeps the entry's expiry.
        if cache.add(key, 1, timeout=window_seconds()):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, timeout=window_seconds())
                count = 1
        if count == limit:
            log.warning("Login locked for %s s after %d failures (%s)", window_seconds(), count,
                        "username" if ":user:" in key else "IP")


def clear_username(username) -> None:
    name = _normalise(username)
    if name:
        cache.delete(_key("user", name))


def was_refused(request) -> bool:
    return bool(getattr(request, REFUSED_FLAG, False))


class LoginThrottleBackend:
    """Authenticates nobody; refuses a locked username or IP before the real backend checks a password."""

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(get_user_model().USERNAME_FIELD)
        if is_locked(request, username):
            if request is not None:
                setattr(request, REFUSED_FLAG, True)
            raise PermissionDenied("login throttled")
        return None

    # No get_user(): sessions never name this backend, and force_login() and login() pick the real one.


@receiver(user_login_failed, dispatch_uid="ebookit_support.login_throttle.failed")
def _on_login_failed(sender, credentials, request=None, **kwargs):
    username = credentials.get("username", credentials.get(get_user_model().USERNAME_FIELD))
    if request is not None and was_refused(request):
        return  # refused while locked: the window stays as it is
    record_failure(request, username)


@receiver(user_logged_in, dispatch_uid="ebookit_support.login_throttle.logged_in")
def _on_logged_in(sender, request, user, **kwargs):
    clear_username(user.get_username())


class ThrottleMessageMixin:
    """For an AuthenticationForm: say that the login is locked, instead of "wrong username or password"."""

    def get_invalid_login_error(self):
        if was_refused(self.request):
            return ValidationError(THROTTLED_MESSAGE, code="throttled",
                                   params={"minutes": max(1, window_seconds() // 60)})
        return super().get_invalid_login_error()


class ThrottledAuthenticationForm(ThrottleMessageMixin, AuthenticationForm):
    pass


class ThrottledAdminAuthenticationForm(ThrottleMessageMixin, AdminAuthenticationForm):
    pass
