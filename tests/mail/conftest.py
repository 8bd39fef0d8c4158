"""Helpers for the mail tests: webhook settings, recorded payloads, and posting them through the real URLs."""

import base64
import hashlib
import hmac
import json
from pathlib import Path

import pytest
from django.core import mail as django_mail
from django.test import Client

from mail.models import OutboundMessage
from mail.tasks import send_pending

PAYLOADS = Path(__file__).parent / "payloads"
WEBHOOK_AUTH = "anymail:s3cret-new"
OLD_WEBHOOK_AUTH = "anymail:s3cret-old"
MAILGUN_KEY = "key-test-webhook-signing"
REPLY_DOMAIN = "reply.ebookit.example"


@pytest.fixture(autouse=True)
def _webhook_settings(settings):
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": [WEBHOOK_AUTH, OLD_WEBHOOK_AUTH],
        "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY,
        "MAILGUN_API_KEY": "key-test-api",
        "MAILGUN_SENDER_DOMAIN": "mg.ebookit.example",
    }
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.MAIL_REPLY_DOMAIN = REPLY_DOMAIN
    settings.MAIL_MESSAGE_ID_DOMAIN = "support.ebookit.example"
    settings.LEVEL1_EMAIL = "level1@ebookit.example"
    settings.LEVEL2_EMAIL = "level2@ebookit.example"


def _fill(value, values: dict):
    if isinstance(value, str):
        for name, replacement in values.items():
            value = value.replace("{{" + name + "}}", str(replacement))
        return value
    if isinstance(value, list):
        return [_fill(item, values) for item in value]
    if isinstance(value, dict):
        return {key: _fill(item, values) for key, item in value.items()}
    return value


def load_payload(name: str, **values):
    return _fill(json.loads((PAYLOADS / name).read_text()), values)


def mailgun_sign(timestamp: str, token: str, key: str = MAILGUN_KEY) -> str:
    return hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256).hexdigest()


def basic_auth(credentials: str = WEBHOOK_AUTH) -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def webhook_client() -> Client:
    """A client that answers like the server does (500 instead of raising), as the provider would see it."""
    return Client(raise_request_exception=False)


def post_json(url: str, payload: dict, auth: str | None = WEBHOOK_AUTH, client=None):
    client = client or webhook_client()
    extra = basic_auth(auth) if auth else {}
    return client.post(url, data=json.dumps(payload), content_type="application/json", **extra)


def post_mailgun_form(url: str, fields: dict, files: dict | None = None, auth: str | None = WEBHOOK_AUTH,
                      sign: bool = True, client=None):
    client = client or webhook_client()
    data = dict(fields)
    if isinstance(data.get("message-headers"), list):
        data["message-headers"] = json.dumps(data["message-headers"])
    if sign:
        data["signature"] = mailgun_sign(data["timestamp"], data["token"])
    data.update(files or {})
    extra = basic_auth(auth) if auth else {}
    return client.post(url, data=data, **extra)


def send_all() -> list:
    """Send every pending outbox row through anymail's test backend; returns the sent EmailMessages."""
    if not hasattr(django_mail, "outbox"):
        django_mail.outbox = []
    before = len(django_mail.outbox)
    send_pending()
    return list(django_mail.outbox[before:])


def latest_mail_to(address: str, thread: str = "") -> OutboundMessage:
    rows = OutboundMessage.objects.filter(to__contains=[address])
    if thread:
        rows = rows.filter(thread=thread)
    return rows.order_by("-created_at", "-pk").first()
