"""Rate limits on Django's cache: fixed windows counted with atomic `add` and `incr`, so two processes sharing
one cache (Redis, Memcached, the database cache) never lose a hit. With the default local-memory cache each
process counts for itself, which is enough for one process and for tests.

    if ratelimit.hit("contact:ip", ratelimit.client_ip(request), limit=20, window_seconds=3600):
        return ratelimit.too_many_requests(request)

Settings (all optional, read with defaults):
    RATELIMIT_ENABLED          False turns every limit off (default True)
    RATELIMIT_PER_IP           submissions per window from one IP address (default 20)
    RATELIMIT_PER_EMAIL        submissions per window for one email address (default 5)
    RATELIMIT_WINDOW_SECONDS   the window (default 3600)
    RATELIMIT_TRUSTED_PROXIES  how many reverse proxies in front of Django append to X-Forwarded-For
                               (default 0: REMOTE_ADDR is the client)
"""

import hashlib
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.template import TemplateDoesNotExist
from django.template.loader import select_template
from django.utils.html import escape
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

DEFAULT_PER_IP = 20
DEFAULT_PER_EMAIL = 5
DEFAULT_WINDOW_SECONDS = 3600


def enabled() -> bool:
    return bool(getattr(settings, "RATELIMIT_ENABLED", True))


def per_ip() -> int:
    return int(getattr(settings, "RATELIMIT_PER_IP", DEFAULT_PER_IP))


def per_email() -> int:
    return int(getattr(settings, "RATELIMIT_PER_EMAIL", DEFAULT_PER_EMAIL))


def window_seconds() -> int:
    return int(getattr(settings, "RATELIMIT_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))


def _cache_key(scope: str, key: str, window: int, bucket: int) -> str:
    digest = hashlib.sha256(key.strip().lower().encode()).hexdigest()[:32]  # no address in the cache's keys
    return f"ratelimit:{scope}:{window}:{bucket}:{digest}"


def hit(scope: str, key: str, limit: int, window_seconds: int) -> bool:
    """Count one hit for `key` in `scope`; True when this hit is over the limit (the caller refuses it)."""
    if not enabled() or not key:
        return False
    window = max(int(window_seconds), 1)
    bucket = int(time.time() // window)
    cache_key = _cache_key(scope, key, window, bucket)
    if cache.add(cache_key, 1, timeout=window + 5):
        count = 1
    else:
        try:
            count = cache.incr(cache_key)
        except ValueError:  # the entry expired between add and incr
            cache.add(cache_key, 1, timeout=window + 5)
            count = 1
    return count > limit


def retry_after(window_seconds: int) -> int:
    """Seconds until the current window ends."""
    window = max(int(window_seconds), 1)
    return window - int(time.time()) % window


def client_ip(request) -> str:
    """The client's address: REMOTE_ADDR, or the entry the trusted proxies wrote into X-Forwarded-For."""
    proxies = int(getattr(settings, "RATELIMIT_TRUSTED_PROXIES", 0))
    if proxies > 0:
        forwarded = [
            part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if part.strip()
        ]
        if len(forwarded) >= proxies:
            return forwarded[-proxies]
    return request.META.get("REMOTE_ADDR", "")


def over_ip_limit(request, scope: str) -> bool:
    return hit(f"{scope}:ip", client_ip(request), per_ip(), window_seconds())


def over_email_limit(email: str, scope: str) -> bool:
    return hit(f"{scope}:email", email, per_email(), window_seconds())


def default_message(seconds: int) -> str:
    minutes = max(1, -(-seconds // 60))
    return ngettext(
        "Sie haben in kurzer Zeit sehr viele Anfragen gesendet. Ihre Anfrage wurde nicht gespeichert. "
        "Bitte versuchen Sie es in %(minutes)d Minute wieder.",
        "Sie haben in kurzer Zeit sehr viele Anfragen gesendet. Ihre Anfrage wurde nicht gespeichert. "
        "Bitte versuchen Sie es in %(minutes)d Minuten wieder.",
        minutes,
    ) % {"minutes": minutes}


def too_many_requests(
    request,
    *,
    message: str | None = None,
    template_name: str = "429.html",
    context: dict | None = None,
    retry_after_seconds: int | None = None,
) -> HttpResponse:
    """An HTTP 429 page with a clear message. Renders `template_name` (falling back to the site's `429.html`,
    then to plain HTML) with `message` in the context; the Retry-After header says when to try again."""
    seconds = retry_after(window_seconds()) if retry_after_seconds is None else retry_after_seconds
    message = message or default_message(seconds)
    try:
        template = select_template([template_name, "429.html"])
    except TemplateDoesNotExist:
        title = escape(_("Zu viele Anfragen"))
        content = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>{escape(message)}</p>"
    else:
        content = template.render({**(context or {}), "message": message, "retry_after": seconds}, request)
    response = HttpResponse(content, status=429)
    response["Retry-After"] = str(seconds)
    return response
