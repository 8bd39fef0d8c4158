"""Mail is easy to forge: the From address proves nothing. A mail that names a case only by the reference in
its subject (references are sequential, EB-2026-000001, 000002, ...) must not be taken as the bookshop's message
and mailed on to the customer in the bookshop's name: that would let anyone who knows a shop's public address
send phishing ("pay here to get your refund") to the shop's customers through eBookit's own mail."""

import pytest

from mail.models import InboundMessage, OutboundMessage
from tests.mail.conftest import (
    MAILGUN_KEY,
    REPLY_DOMAIN,
    WEBHOOK_AUTH,
    load_payload,
    post_json,
    send_all,
)
from tickets.models import TicketEvent

pytestmark = pytest.mark.django_db

POSTMARK_INBOUND = "/anymail/postmark/inbound/"
PHISHING = "Ihre Rückerstattung: bitte Kartendaten auf https://evil.example/refund eingeben."


@pytest.fixture(autouse=True)
def _webhooks(settings):
    settings.ANYMAIL = {"WEBHOOK_SECRET": WEBHOOK_AUTH, "MAILGUN_WEBHOOK_SIGNING_KEY": MAILGUN_KEY}
    settings.EMAIL_BACKEND = "anymail.backends.test.EmailBackend"
    settings.MAIL_REPLY_DOMAIN = REPLY_DOMAIN


def forged_mail(ticket, sender: str) -> dict:
    payload = load_payload("postmark_inbound.json", TO="support@ebookit.ch", MAILBOX_HASH="",
                           SUBJECT=f"Re: [{ticket.reference}] Ihre Anfrage", MESSAGE_ID="<forged-1@evil.example>",
                           IN_REPLY_TO="", REFERENCES="")
    payload["From"] = sender
    payload["FromFull"]["Email"] = sender
    payload["FromName"] = "Buchhandlung Lesezeichen"
    payload["TextBody"] = payload["StrippedTextReply"] = PHISHING
    payload["HtmlBody"] = ""
    payload["Headers"] = [h for h in payload["Headers"] if h["Value"]]
    return payload


def phishing_reached_the_customer(ticket) -> bool:
    send_all()
    to_customer = OutboundMessage.objects.filter(to=[ticket.customer_email], body_text__contains="evil.example")
    shown = ticket.events.filter(audience=TicketEvent.Audience.CUSTOMER, text__contains="evil.example")
    return to_customer.exists() or shown.exists()


def test_a_forged_bookshop_mail_found_only_by_the_subject_is_held_not_sent_to_the_customer(new_case):
    send_all()  # the case's first mails: the reference now names a thread the outbox wrote to
    response = post_json(POSTMARK_INBOUND, forged_mail(new_case, "team@lesezeichen.example"))
    assert response.status_code == 200
    assert not phishing_reached_the_customer(new_case), "a forged mail went to the customer in the shop's name"
    inbound = InboundMessage.objects.get(message_id="<forged-1@evil.example>")
    assert inbound.status == InboundMessage.Status.HELD


def test_a_forged_customer_mail_from_a_stranger_found_only_by_the_subject_is_held(new_case):
    """The customer's side already holds this (the sender must be the customer's address)."""
    send_all()
    post_json(POSTMARK_INBOUND, forged_mail(new_case, "mallory@evil.example"))
    assert not new_case.events.filter(text__contains="evil.example").exists()
    assert InboundMessage.objects.get(message_id="<forged-1@evil.example>").status == InboundMessage.Status.HELD
