"""The second factor's rules in one place: who needs it, whether this session has passed it, checking a code
(with replay protection and a limit on wrong codes), and enrolling an authenticator app.

Settings (read with defaults, so the app works unconfigured):
    TWO_FACTOR_REQUIRED          True in production: staff (is_staff) must pass the second factor (default False)
    TWO_FACTOR_PROTECTED_PATHS   path prefixes that need it (default ["/admin/"])
    TWO_FACTOR_ISSUER            the name the authenticator app shows (default "eBookit Support")
    TWO_FACTOR_MAX_FAILURES      wrong codes per user per window before codes are refused (default 5)
    TWO_FACTOR_FAILURE_WINDOW    that window in seconds (default 900)
"""

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from . import totp
from .models import TOTPDevice

SESSION_KEY = "twofactor_verified_user"


def required() -> bool:
    return bool(getattr(settings, "TWO_FACTOR_REQUIRED", False))


def protected_paths() -> tuple[str, ...]:
    return tuple(getattr(settings, "TWO_FACTOR_PROTECTED_PATHS", ["/admin/"]))


def issuer() -> str:
    return str(getattr(settings, "TWO_FACTOR_ISSUER", "eBookit Support"))


def max_failures() -> int:
    return int(getattr(settings, "TWO_FACTOR_MAX_FAILURES", 5))


def failure_window() -> int:
    return int(getattr(settings, "TWO_FACTOR_FAILURE_WINDOW", 900))


def needs_second_factor(user) -> bool:
    """Level 1, Level 2 and administrators: everyone who can enter the admin."""
    return bool(user and user.is_authenticated and user.is_active and user.is_staff)


def is_verified(request) -> bool:
    return request.user.is_authenticated and request.session.get(SESSION_KEY) == request.user.pk


def mark_verified(request) -> None:
    # A new session key for the stronger session, as Django does at login.
    request.session.cycle_key()
    request.session[SESSION_KEY] = request.user.pk


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed_at__isnull=False).first()


def pending_device(user) -> TOTPDevice:
    """The device being set up: a new secret, or the one shown before (a reload keeps the same secret)."""
    device, _created = TOTPDevice.objects.get_or_create(user=user, defaults={"secret": totp.random_secret()})
    return device


def _failure_key(user) -> str:
    return "twofactor:fail:" + hashlib.sha256(str(user.pk).encode()).hexdigest()[:32]


def locked_out(user) -> bool:
    return (cache.get(_failure_key(user)) or 0) >= max_failures()


def _count_failure(user) -> None:
    key = _failure_key(user)
    if not cache.add(key, 1, timeout=failure_window()):
        try:
            cache.incr(key)
        except ValueError:
            cache.add(key, 1, timeout=failure_window())


def check_code(user, code: str, *, confirm: bool = False) -> bool:
    """True when `code` is the current code of the user's device (confirmed, or pending when `confirm`).

    The device row is locked while checking, so one code cannot be used twice, even at the same moment.
    Wrong codes are counted; past the limit every code is refused until the window ends."""
    if locked_out(user):
        return False
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().filter(user=user).first()
        if device is None or (device.is_confirmed == confirm):
            step = None
        else:
            step = totp.verify(device.secret, code, last_step=device.last_used_step)
        if step is None:
            ok = False
        else:
            device.last_used_step = step
            device.last_used_at = timezone.now()
            fields = ["last_used_step", "last_used_at"]
            if confirm:
                device.confirmed_at = device.last_used_at
                fields.append("confirmed_at")
            device.save(update_fields=fields)
            ok = True
    if not ok:
        _count_failure(user)
    else:
        cache.delete(_failure_key(user))
    return ok


def reset(user) -> None:
    """Remove the user's device (lost phone): the next admin visit asks to set up a new one."""
    TOTPDevice.objects.filter(user=user).delete()
