"""anymail's webhooks are the way in for mail. With the secret set, a POST without it is refused; without the
secret (ANYMAIL_WEBHOOK_SECRET unset, the default) anymail only warns and takes anyone's POST, which is why
the deploy check must insist on it (test_headers.py)."""

import json

import pytest

from mail.models import InboundMessage
from tests.mail.conftest import WEBHOOK_AUTH, basic_auth, load_payload

pytestmark = pytest.mark.django_db

INBOUND = "/anymail/postmark/inbound/"


def payload():
    return load_payload("postmark_inbound.json", TO="support@ebookit.ch", MAILBOX_HASH="", SUBJECT="Hallo",
                        MESSAGE_ID="<w-1@example.ch>", IN_REPLY_TO="", REFERENCES="")


@pytest.mark.parametrize("auth", [None, "anymail:falsch"])
def test_with_the_secret_a_post_without_it_is_refused_and_stores_nothing(client, settings, auth):
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_AUTH}
    response = client.post(INBOUND, data=json.dumps(payload()), content_type="application/json",
                           **(basic_auth(auth) if auth else {}))
    assert response.status_code in (400, 401, 403)
    assert not InboundMessage.objects.exists()


def test_with_the_secret_the_provider_gets_in(client, settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_AUTH}
    response = client.post(INBOUND, data=json.dumps(payload()), content_type="application/json",
                           **basic_auth(WEBHOOK_AUTH))
    assert response.status_code == 200
    assert InboundMessage.objects.count() == 1
