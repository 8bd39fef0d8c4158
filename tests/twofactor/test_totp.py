"""The one-time password maths against the RFCs' own test vectors, and the checks around it."""

import base64
from urllib.parse import parse_qs, urlparse

import pytest

from twofactor import totp

RFC4226_SECRET = b"12345678901234567890"
# RFC 4226, appendix D: HOTP values for counters 0..9.
RFC4226_HOTP = ["755224", "287082", "359152", "969429", "338314", "254676", "287922", "162583", "399871", "520489"]

# RFC 6238, appendix B: (time, SHA-1, SHA-256, SHA-512), 8 digits, 30 s steps; each algorithm has its own seed.
RFC6238_SEEDS = {
    "sha1": b"12345678901234567890",
    "sha256": b"12345678901234567890123456789012",
    "sha512": b"1234567890123456789012345678901234567890123456789012345678901234",
}
RFC6238 = [
    (59, "94287082", "46119246", "90693936"),
    (1111111109, "07081804", "68084774", "25091201"),
    (1111111111, "14050471", "67062674", "99943326"),
    (1234567890, "89005924", "91819424", "93441116"),
    (2000000000, "69279037", "90698825", "38618901"),
    (20000000000, "65353130", "77737706", "47863826"),
]


@pytest.mark.parametrize(("counter", "expected"), enumerate(RFC4226_HOTP))
def test_hotp_matches_rfc4226_vectors(counter, expected):
    assert totp.hotp(RFC4226_SECRET, counter) == expected


@pytest.mark.parametrize(("at", "sha1", "sha256", "sha512"), RFC6238)
def test_totp_matches_rfc6238_vectors(at, sha1, sha256, sha512):
    for algorithm, expected in [("sha1", sha1), ("sha256", sha256), ("sha512", sha512)]:
        assert totp.totp(RFC6238_SEEDS[algorithm], at, digits=8, algorithm=algorithm) == expected


def b32(raw: bytes) -> str:
    return base64.b32encode(raw).decode().rstrip("=")


def test_verify_accepts_the_current_code_and_one_step_of_clock_drift():
    secret = b32(RFC4226_SECRET)
    at = 1111111111
    step = totp.time_step(at)
    for drift in (-1, 0, 1):
        code = totp.hotp(RFC4226_SECRET, step + drift)
        assert totp.verify(secret, code, at=at) == step + drift
    assert totp.verify(secret, totp.hotp(RFC4226_SECRET, step + 2), at=at) is None
    assert totp.verify(secret, totp.hotp(RFC4226_SECRET, step - 2), at=at) is None


def test_a_code_of_a_step_already_used_is_refused():
    secret = b32(RFC4226_SECRET)
    at = 1111111111
    step = totp.time_step(at)
    code = totp.hotp(RFC4226_SECRET, step)
    assert totp.verify(secret, code, at=at, last_step=step - 1) == step
    assert totp.verify(secret, code, at=at, last_step=step) is None
    # Nor may an older code follow a newer one.
    assert totp.verify(secret, totp.hotp(RFC4226_SECRET, step - 1), at=at, last_step=step) is None


@pytest.mark.parametrize("code", ["", "12345", "1234567", "abcdef", "12345a", None])
def test_malformed_codes_never_match(code):
    assert totp.verify(b32(RFC4226_SECRET), code, at=59) is None


def test_codes_typed_with_spaces_or_dashes_are_accepted():
    at = 1234567890
    code = totp.totp(RFC4226_SECRET, at)
    assert totp.verify(b32(RFC4226_SECRET), f"{code[:3]} {code[3:]}", at=at) is not None
    assert totp.verify(b32(RFC4226_SECRET), f"{code[:3]}-{code[3:]}", at=at) is not None


def test_a_broken_secret_does_not_crash_verification():
    assert totp.verify("not base32 !!", "123456") is None


def test_random_secrets_are_160_bits_of_base32_and_differ():
    secrets = {totp.random_secret() for _ in range(20)}
    assert len(secrets) == 20
    for secret in secrets:
        assert len(totp.decode_secret(secret)) == 20
        assert secret == secret.upper() and "=" not in secret


def test_secret_as_people_type_it_decodes_the_same():
    secret = totp.random_secret()
    assert totp.decode_secret(totp.grouped(secret).lower()) == totp.decode_secret(secret)


def test_provisioning_uri_follows_the_key_uri_format():
    uri = totp.provisioning_uri("JBSWY3DPEHPK3PXP", "level1", "eBookit Support")
    parsed = urlparse(uri)
    assert (parsed.scheme, parsed.netloc) == ("otpauth", "totp")
    assert parsed.path == "/eBookit%20Support%3Alevel1"
    query = parse_qs(parsed.query)
    assert query == {"secret": ["JBSWY3DPEHPK3PXP"], "issuer": ["eBookit Support"], "algorithm": ["SHA1"],
                     "digits": ["6"], "period": ["30"]}
