"""Time-based one-time passwords (RFC 6238, on HOTP of RFC 4226) with the standard library only.

    secret = random_secret()                      # base32, as authenticator apps expect it
    uri = provisioning_uri(secret, "level1", "eBookit Support")
    step = verify(secret, "123456", last_step=device.last_used_step)   # the matching time step, or None

Authenticator apps (FreeOTP, Aegis, Google Authenticator, 1Password, ...) use SHA-1, 6 digits and 30 seconds;
those are the defaults here. `verify` accepts the codes of one step before and after the current one (clock
drift) and refuses a step at or before `last_step`, so a code that was used once cannot be used again."""

import base64
import hashlib
import hmac
import secrets
import struct
import time
from urllib.parse import quote, urlencode

DIGITS = 6
STEP_SECONDS = 30
ALGORITHM = "sha1"
SECRET_BYTES = 20  # 160 bits, as RFC 4226 recommends for HMAC-SHA-1
ALGORITHMS = {"sha1": hashlib.sha1, "sha256": hashlib.sha256, "sha512": hashlib.sha512}


def random_secret(nbytes: int = SECRET_BYTES) -> str:
    """A new shared secret in base32 without padding (what otpauth URIs and the apps use)."""
    return base64.b32encode(secrets.token_bytes(nbytes)).decode("ascii").rstrip("=")


def decode_secret(secret: str) -> bytes:
    """The key bytes of a base32 secret; spaces, dashes and lower case (as people type it) are accepted."""
    cleaned = "".join(secret.split()).replace("-", "").upper()
    return base64.b32decode(cleaned + "=" * (-len(cleaned) % 8))


def hotp(key: bytes, counter: int, *, digits: int = DIGITS, algorithm: str = ALGORITHM) -> str:
    """RFC 4226: HMAC of the 8-byte big-endian counter, dynamically truncated to `digits` decimal digits."""
    digest = hmac.new(key, struct.pack(">Q", counter), ALGORITHMS[algorithm]).digest()
    offset = digest[-1] & 0x0F
    number = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return str(number % 10**digits).zfill(digits)


def time_step(at: float | None = None, *, step: int = STEP_SECONDS, t0: int = 0) -> int:
    """RFC 6238's T: whole steps since T0."""
    return int(((time.time() if at is None else at) - t0) // step)


def totp(key: bytes, at: float | None = None, *, digits: int = DIGITS, step: int = STEP_SECONDS,
         algorithm: str = ALGORITHM) -> str:
    return hotp(key, time_step(at, step=step), digits=digits, algorithm=algorithm)


def normalise_code(code: str) -> str:
    """"123 456" and "123-456" as people type them; anything but digits stays (and never matches)."""
    return "".join((code or "").split()).replace("-", "")


def verify(secret: str, code: str, *, at: float | None = None, window: int = 1, last_step: int = 0,
           digits: int = DIGITS, step: int = STEP_SECONDS, algorithm: str = ALGORITHM) -> int | None:
    """The time step whose code matches, or None. Steps at or before `last_step` (already used) never match."""
    code = normalise_code(code)
    if len(code) != digits or not code.isdigit():
        return None
    try:
        key = decode_secret(secret)
    except (ValueError, TypeError):
        return None
    current = time_step(at, step=step)
    matched = None
    for candidate in range(current - window, current + window + 1):
        # Compare every candidate (constant work whatever matches) with a constant-time comparison.
        if hmac.compare_digest(hotp(key, candidate, digits=digits, algorithm=algorithm), code) and matched is None:
            matched = candidate
    if matched is None or matched <= last_step:
        return None
    return matched


def provisioning_uri(secret: str, account: str, issuer: str) -> str:
    """The otpauth:// URI authenticator apps read (Key URI Format), for the setup page."""
    label = quote(f"{issuer}:{account}", safe="")
    query = urlencode({"secret": secret, "issuer": issuer, "algorithm": ALGORITHM.upper(), "digits": DIGITS,
                       "period": STEP_SECONDS})
    return f"otpauth://totp/{label}?{query}"


def grouped(secret: str, size: int = 4) -> str:
    """"JBSW Y3DP EHPK 3PXP": easier to type from the screen."""
    return " ".join(secret[i : i + size] for i in range(0, len(secret), size))
