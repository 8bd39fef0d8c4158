"""Mail is written as outbox rows in the same transaction as the change, and sent only after commit."""

import pytest
from django.core import mail
from django.db import transaction

from mail.models import OutboundMessage
from mail.sending import deliver
from tickets import services


def test_rolled_back_change_sends_no_mail(bookshop, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        services.create_ticket(bookshop=bookshop, customer_name="Anna", customer_email="anna@example.ch",
                               subject="Hilfe", message="Text")
        raise RuntimeError("something later in the request failed")
    assert callbacks == []
    assert OutboundMessage.objects.count() == 0
    assert mail.outbox == []


def test_new_case_mails_the_bookshop_and_the_customer_after_commit(bookshop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        result = services.create_ticket(bookshop=bookshop, customer_name="Anna", customer_email="anna@example.ch",
                                        subject="Hilfe", message="Mein Reader startet nicht.")
    recipients = sorted(tuple(message.to) for message in mail.outbox)
    assert recipients == [("anna@example.ch",), ("team@lesezeichen.example",)]
    customer = next(m for m in mail.outbox if m.to == ["anna@example.ch"])
    assert result.access_token in customer.body
    assert customer.subject.startswith(f"[{result.ticket.reference}]")
    assert OutboundMessage.objects.filter(status="sent").count() == 2


def test_a_sent_row_is_never_sent_again(new_case, django_capture_on_commit_callbacks):
    message = OutboundMessage.objects.first()
    assert deliver(message.pk) == "sent"
    assert deliver(message.pk) == "skipped"
    assert len([m for m in mail.outbox if m.extra_headers["Message-ID"] == message.message_id]) == 1


def test_failing_send_waits_with_backoff_then_succeeds(new_case, settings):
    message = OutboundMessage.objects.first()
    settings.EMAIL_BACKEND = "tests.tickets.failing_backend.EmailBackend"
    assert deliver(message.pk) == "pending"
    message.refresh_from_db()
    assert message.attempts == 1
    assert "provider down" in message.last_error
    first_wait = message.next_attempt_at
    assert deliver(message.pk) == "waiting", "not retried before its backoff has passed"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert deliver(message.pk, force=True) == "sent"
    message.refresh_from_db()
    assert message.attempts == 2 and message.sent_at and first_wait
    assert len(mail.outbox) == 1


def test_customer_supplied_subject_cannot_inject_headers(bookshop):
    services.create_ticket(bookshop=bookshop, customer_name="Eve", customer_email="eve@example.ch",
                           subject="Hallo", message="x")
    for row in OutboundMessage.objects.all():
        assert "\n" not in row.subject and "\r" not in row.subject
