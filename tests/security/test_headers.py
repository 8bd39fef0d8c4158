"""Response headers on every kind of page: content security policy, permissions policy, referrer policy, framing,
sniffing; and, with production settings (DJANGO_DEBUG=0, run in a subprocess), HSTS, HTTPS redirect and secure
cookies. `manage.py check --deploy --fail-level WARNING` with production settings passes."""

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from tests.conftest import login

ROOT = Path(__file__).resolve().parents[2]

pytestmark = pytest.mark.django_db


def csp(response) -> dict[str, set[str]]:
    policy = {}
    for directive in response["Content-Security-Policy"].split(";"):
        name, *values = directive.split()
        policy[name] = set(values)
    return policy


@pytest.fixture
def pages(client, new_case, bookshop_user, level1_user):
    from tickets import services

    token = services.create_ticket(bookshop=new_case.bookshop, customer_name="Eva", customer_email="eva@example.ch",
                                   subject="Hilfe", message="Bitte").access_token
    shop = login(Client(), bookshop_user)
    staff = login(Client(), level1_user)
    return {
        "ehelp": (client, "/"),
        "contact": (client, reverse("tickets:contact")),
        "payment": (client, reverse("payments:report")),
        "case": (client, f"/case/{token}/"),
        "login": (client, reverse("login")),
        "queue": (shop, reverse("tickets:queue")),
        "queue case": (shop, f"/queue/{new_case.reference}/"),
        "admin change": (staff, reverse("admin:tickets_ticket_change", args=[new_case.pk])),
        "not found": (client, "/gibt-es-nicht/"),
    }


def test_every_page_sends_a_strict_content_security_policy(pages):
    for label, (client, url) in pages.items():
        response = client.get(url)
        assert response.status_code in (200, 404), label
        policy = csp(response)
        assert policy["default-src"] == {"'self'"}, label
        assert policy["object-src"] == {"'none'"}, label
        assert policy["frame-ancestors"] == {"'none'"}, label
        assert policy["base-uri"] == {"'self'"}, label
        assert policy["form-action"] == {"'self'"}, label
        # Nothing from another origin, ever (every asset is served by the app).
        assert not any(v.startswith(("http:", "https:", "*")) for values in policy.values() for v in values), label
        if not url.startswith("/admin/"):
            assert policy["script-src"] == {"'self'"}, label
            assert policy["style-src"] == {"'self'"}, label


def test_the_admins_policy_allows_no_eval_and_no_other_origin(pages):
    client, url = pages["admin change"]
    policy = csp(client.get(url))
    assert "'unsafe-eval'" not in policy["script-src"]
    assert policy["script-src"] <= {"'self'", "'unsafe-inline'"}


def test_every_page_sends_the_other_security_headers(pages):
    for label, (client, url) in pages.items():
        response = client.get(url)
        assert response["X-Frame-Options"] == "DENY", label
        assert response["X-Content-Type-Options"] == "nosniff", label
        assert response["Referrer-Policy"] == "same-origin", label
        assert response["Cross-Origin-Opener-Policy"] == "same-origin", label
        permissions = dict(item.split("=") for item in response["Permissions-Policy"].split(", "))
        for feature in ["camera", "microphone", "geolocation", "payment", "usb"]:
            assert permissions[feature] == "()", (label, feature)


def test_pages_with_a_token_in_the_url_keep_it_from_other_sites_and_their_forms_still_work(pages):
    """same-origin: the token never goes to another site in a Referer. Not no-referrer: browsers then send
    "Origin: null" with the page's own POST, and Django's CSRF check (which trusts Origin) refuses it."""
    client, url = pages["case"]
    assert client.get(url)["Referrer-Policy"] == "same-origin"
    csrf_client = Client(enforce_csrf_checks=True)
    page = csrf_client.get(url)
    token = page.cookies["csrftoken"].value
    response = csrf_client.post(url, {"text": "Antwort", "csrfmiddlewaretoken": token},
                                HTTP_ORIGIN="http://testserver")
    assert response.status_code == 302


def test_private_pages_are_not_cached(pages):
    for label in ["case", "contact"]:
        client, url = pages[label]
        cache_control = client.get(url)["Cache-Control"]
        assert "no-store" in cache_control or "no-cache" in cache_control, label


def test_attachments_are_downloads_never_rendered(client, bookshop, bookshop_user, django_capture_on_commit_callbacks):
    from tests.common.files import PNG, upload
    from tickets import services

    case = services.create_ticket(bookshop=bookshop, customer_name="Eva", customer_email="eva@example.ch",
                                  subject="Hilfe", message="Bitte", files=[upload('"><img src=x>.png', PNG)])
    attachment = case.ticket.attachments.get()
    response = client.get(f"/case/{case.access_token}/files/{attachment.pk}/")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert "<" not in response["Content-Disposition"] and '">' not in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"] == "image/png"
    assert "no-store" in response["Cache-Control"]


# --- production settings, in a fresh process ------------------------------------------------------------------

PRODUCTION_PROBE = r"""
import json
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings

# Pages name their static files through the manifest, which only collectstatic writes; that is not under test.
override_settings(STORAGES={**settings.STORAGES, "staticfiles": {
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}).enable()
client = Client()
secure = client.get("/accounts/login/", secure=True)
plain = client.get("/accounts/login/")
cookie = secure.cookies.get("csrftoken")
print(json.dumps({
    "hsts": secure.get("Strict-Transport-Security"),
    "plain_status": plain.status_code,
    "plain_location": plain.get("Location"),
    "csrf_cookie": {"secure": cookie["secure"], "httponly": cookie["httponly"], "samesite": cookie["samesite"]}
        if cookie else None,
    "session_cookie": [settings.SESSION_COOKIE_SECURE, settings.SESSION_COOKIE_HTTPONLY,
                       settings.SESSION_COOKIE_SAMESITE],
    "csrf_settings": [settings.CSRF_COOKIE_SECURE, settings.CSRF_COOKIE_HTTPONLY],
    "proxy_ssl_header": list(settings.SECURE_PROXY_SSL_HEADER or []),
    "debug": settings.DEBUG,
}))
"""


def production_env(tmp_path) -> dict:
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update({
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "support.ebookit.ch,testserver",
        "ANYMAIL_WEBHOOK_SECRET": "ebookit:" + secrets.token_urlsafe(24),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'unused.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "ebookit_support.settings",
        "PYTHONPATH": str(ROOT),
    })
    return env


def test_production_settings_send_hsts_redirect_to_https_and_mark_cookies_secure(tmp_path):
    result = subprocess.run([sys.executable, "-c", PRODUCTION_PROBE], cwd=ROOT, env=production_env(tmp_path),
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr[-3000:]
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    assert seen["debug"] is False
    assert seen["hsts"] == "max-age=31536000; includeSubDomains; preload"
    assert seen["plain_status"] == 301 and seen["plain_location"].startswith("https://")
    assert seen["csrf_cookie"] == {"secure": True, "httponly": True, "samesite": "Lax"}
    assert seen["session_cookie"] == [True, True, "Lax"]
    assert seen["csrf_settings"] == [True, True]
    assert seen["proxy_ssl_header"] == ["HTTP_X_FORWARDED_PROTO", "https"]


def test_production_settings_pass_the_deploy_check_at_warning_level(tmp_path):
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=production_env(tmp_path), capture_output=True, text=True, timeout=120,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "System check identified no issues" in result.stdout


def test_production_without_a_webhook_secret_fails_the_deploy_check(tmp_path):
    """anymail only warns (at request time) when WEBHOOK_SECRET is missing, and then accepts anyone's POST to
    /anymail/.../inbound/: forged customer replies and bounces. The deploy check must catch the missing secret."""
    env = production_env(tmp_path)
    del env["ANYMAIL_WEBHOOK_SECRET"]
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=120,
    )
    assert result.returncode != 0, "check --deploy passes although the webhooks are open to anyone"
    assert "WEBHOOK_SECRET" in result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    env = production_env(tmp_path)
    del env["DJANGO_SECRET_KEY"]
    result = subprocess.run([sys.executable, "manage.py", "check"], cwd=ROOT, env=env, capture_output=True,
                            text=True, timeout=120)
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr
