"""Per-thread reply addresses: `reply+<thread>.<signature>@<MAIL_REPLY_DOMAIN>`.

The signature is an HMAC of the thread key (django.utils.crypto.salted_hmac, the primitive under
django.core.signing) in lower-case hex: some mail systems change the case of an address's local part, so the
token must survive lower-casing, which base64 signatures do not. Old SECRET_KEY_FALLBACKS still verify, so a
key rotation does not orphan replies to mails sent before it."""

import re

from django.conf import settings
from django.utils.crypto import constant_time_compare, salted_hmac

SALT = "mail.reply-address"
SIGNATURE_LENGTH = 20
_THREAD = re.compile(r"^[a-z0-9_-]{1,40}$")


def reply_domain() -> str:
    return (getattr(settings, "MAIL_REPLY_DOMAIN", "") or "").strip().lower()


def reply_prefix() -> str:
    return (getattr(settings, "MAIL_REPLY_PREFIX", "reply") or "reply").strip().lower()


def _signature(key: str, secret) -> str:
    return salted_hmac(SALT, key, secret=secret, algorithm="sha256").hexdigest()[:SIGNATURE_LENGTH]


def reply_address(thread: str) -> str:
    """The address replies to this thread should go to, or "" when no reply domain is configured."""
    domain = reply_domain()
    key = (thread or "").lower()
    if not domain or not _THREAD.match(key):
        return ""
    return f"{reply_prefix()}+{key}.{_signature(key, settings.SECRET_KEY)}@{domain}"


def looks_like_reply_address(address: str) -> bool:
    local, _at, domain = (address or "").lower().rpartition("@")
    return bool(reply_domain()) and domain == reply_domain() and local.startswith(reply_prefix() + "+")


def thread_from_address(address: str) -> str | None:
    """The (lower-case) thread key of a genuine reply address, or None (not ours, or a forged signature)."""
    if not looks_like_reply_address(address):
        return None
    local = address.lower().rpartition("@")[0]
    token = local[len(reply_prefix()) + 1 :]
    key, _dot, signature = token.rpartition(".")
    if not _THREAD.match(key) or len(signature) != SIGNATURE_LENGTH:
        return None
    for secret in [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]:
        if constant_time_compare(signature, _signature(key, secret)):
            return key
    return None
