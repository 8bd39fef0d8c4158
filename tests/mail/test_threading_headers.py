"""Every mail about a case threads in the recipient's mail program and a reply finds its way back."""

import pytest
from django.test import override_settings

from mail import addresses, outbox
from mail.models import OutboundMessage
from tickets import services

from .conftest import REPLY_DOMAIN, send_all

pytestmark = pytest.mark.django_db


def _walk_case_through_every_mail(new_case, bookshop_user, level1_user, level2_user):
    ticket = new_case
    services.send_message(ticket_id=ticket.pk, actor=bookshop_user, text="Bitte neu starten.", to="customer")
    services.customer_reply(ticket_id=ticket.pk, text="Hat nicht geholfen.")
    services.escalate_to_level1(ticket_id=ticket.pk, actor=bookshop_user, what_was_tried="Neustart")
    services.send_message(ticket_id=ticket.pk, actor=level1_user, text="Firmware?", to="bookshop")
    services.escalate_to_level2(ticket_id=ticket.pk, actor=level1_user, summary="Firmware defekt")
    services.solve(ticket_id=ticket.pk, actor=level2_user, what_solved_it="Firmware neu installiert")
    return ticket


def test_every_case_mail_carries_threading_headers_and_the_signed_reply_address(
    new_case, bookshop_user, level1_user, level2_user
):
    ticket = _walk_case_through_every_mail(new_case, bookshop_user, level1_user, level2_user)
    sent = send_all()
    rows = {row.message_id: row for row in OutboundMessage.objects.filter(thread=ticket.reference)}
    assert len(sent) == len(rows) >= 8
    root = f"<{ticket.reference}@support.ebookit.example>"
    reply_to = f"reply+{ticket.reference.lower()}."
    recipients = set()
    for email in sent:
        message = email.message()
        row = rows[message["Message-ID"]]
        recipients.update(email.to)
        assert f"[{ticket.reference}]" in email.subject
        assert message["In-Reply-To"] == root
        assert message["References"].split() == [root, row.message_id]
        assert message["Reply-To"].startswith(reply_to) and message["Reply-To"].endswith("@" + REPLY_DOMAIN)
        assert addresses.thread_from_address(message["Reply-To"]) == ticket.reference.lower()
        assert message["Auto-Submitted"] == "auto-generated"
        assert row.status == OutboundMessage.Status.SENT
    assert {"anna@example.ch", "team@lesezeichen.example", "level1@ebookit.example",
            "level2@ebookit.example"} <= recipients


def test_customer_mail_is_multipart_text_and_html_in_the_customer_language(bookshop):
    ticket = services.create_ticket(bookshop=bookshop, customer_name="Léa Roux", customer_email="lea@example.ch",
                                    subject="Écran noir", message="Rien ne marche.", language="fr").ticket
    send_all()
    row = OutboundMessage.objects.get(thread=ticket.reference, to=["lea@example.ch"])
    assert row.language == "fr"
    assert row.body_html and row.body_text
    assert row.reply_to == [addresses.reply_address(ticket.reference)]


def test_an_explicit_reply_to_is_kept(db):
    row = outbox.enqueue(to="hotline@example.ch", template="tickets/mail/staff", thread="ZP-2026-000001",
                         context={"headline": "Zahlungsproblem", "text": "x", "ticket": None},
                         reply_to=["kunde@example.ch"])
    assert row.reply_to == ["kunde@example.ch"]
    sent = send_all()
    assert sent[0].message()["Reply-To"] == "kunde@example.ch"


def test_without_a_reply_domain_mail_has_no_reply_to(settings, new_case):
    settings.MAIL_REPLY_DOMAIN = ""
    row = outbox.enqueue(to="anna@example.ch", template="tickets/mail/customer", thread=new_case.reference,
                         context={"ticket": new_case, "headline": "x", "text": "y"})
    assert row.reply_to == []


def test_a_forged_or_altered_reply_address_is_not_trusted(db):
    genuine = addresses.reply_address("EB-2026-000123")
    assert addresses.thread_from_address(genuine) == "eb-2026-000123"
    assert addresses.thread_from_address(genuine.upper()) == "eb-2026-000123"  # mail systems change case
    forged = genuine.replace("000123", "000124")
    assert addresses.thread_from_address(forged) is None
    assert addresses.thread_from_address(f"reply+eb-2026-000123.{'0' * 20}@{REPLY_DOMAIN}") is None
    assert addresses.thread_from_address("reply+eb-2026-000123@elsewhere.example") is None


def test_reply_addresses_survive_a_secret_key_rotation(settings):
    old = addresses.reply_address("EB-2026-000123")
    with override_settings(SECRET_KEY="a-brand-new-secret-key-0123456789", SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert addresses.thread_from_address(old) == "eb-2026-000123"
    with override_settings(SECRET_KEY="a-brand-new-secret-key-0123456789", SECRET_KEY_FALLBACKS=[]):
        assert addresses.thread_from_address(old) is None
