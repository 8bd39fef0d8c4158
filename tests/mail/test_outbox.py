"""The outbox against anymail's test backend: a provider error is retried with backoff, and a mail is never sent
twice, not by the sweep, not by a redelivered task, not by two workers at once."""

import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from anymail.exceptions import AnymailAPIError
from anymail.signals import pre_send
from django.conf import settings
from django.core import mail as django_mail
from django.db import connection

from mail import outbox
from mail.models import OutboundMessage
from mail.sending import MAX_BACKOFF_SECONDS, backoff, deliver
from mail.tasks import send_message, send_pending

T0 = datetime(2026, 5, 13, 10, 0, tzinfo=ZoneInfo("Europe/Zurich"))


@pytest.fixture
def failing_provider():
    """The provider answers 503 to the first `failures["left"]` sends."""
    failures = {"left": 1, "seen": 0}

    def receiver(sender, message, esp_name, **kwargs):
        failures["seen"] += 1
        if failures["left"] > 0:
            failures["left"] -= 1
            message.anymail_test_response = AnymailAPIError("503 Service Unavailable from the provider")

    pre_send.connect(receiver, dispatch_uid="test-failing-provider")
    yield failures
    pre_send.disconnect(dispatch_uid="test-failing-provider")


def _enqueue():
    return outbox.enqueue(to="anna@example.ch", template="tickets/mail/staff", thread="EB-2026-000777",
                          context={"headline": "Hallo", "text": "Text", "ticket": None})


@pytest.mark.django_db
def test_a_provider_error_is_retried_with_backoff_and_the_mail_is_sent_once(failing_provider):
    with time_machine.travel(T0, tick=False) as clock:
        row = _enqueue()
        assert send_message(row.pk) == OutboundMessage.Status.PENDING  # the 503
        row.refresh_from_db()
        assert (row.attempts, row.status) == (1, OutboundMessage.Status.PENDING)
        assert "503" in row.last_error
        assert row.next_attempt_at == T0 + timedelta(seconds=30)

        clock.shift(timedelta(seconds=10))
        assert send_pending() == 0  # not due yet: the sweep leaves it alone
        assert send_message(row.pk) == "waiting"  # a redelivered task waits too

        clock.shift(timedelta(seconds=25))
        assert send_pending() == 1
        row.refresh_from_db()
        assert (row.status, row.attempts, row.last_error) == (OutboundMessage.Status.SENT, 2, "")

        # Everything after that leaves the sent mail alone.
        assert send_message(row.pk) == "skipped"
        assert send_pending() == 0
    delivered = [m for m in django_mail.outbox if not getattr(m, "anymail_test_response", None)]
    assert len(delivered) == 1 and delivered[0].to == ["anna@example.ch"]
    assert failing_provider["seen"] == 2


@pytest.mark.django_db
def test_a_mail_that_keeps_failing_gives_up_after_the_maximum_attempts(failing_provider, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    failing_provider["left"] = 99
    with time_machine.travel(T0, tick=False) as clock:
        row = _enqueue()
        for _attempt in range(5):
            send_message(row.pk)
            clock.shift(timedelta(hours=1))
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundMessage.Status.FAILED, 3)


def test_every_backoff_stays_below_the_broker_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert visibility > MAX_BACKOFF_SECONDS
    assert [backoff(n).total_seconds() for n in range(1, 5)] == [30, 60, 120, 240]
    assert all(backoff(n).total_seconds() < visibility for n in range(1, 50))


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_workers_at_once_send_the_mail_once():
    """While one worker holds the row (sending), another worker's attempt skips it."""
    with outbox.held():  # no eager dispatch on commit: the two "workers" below are the only senders
        row = _enqueue()
    second = {}

    def other_worker():
        try:
            second["result"] = deliver(row.pk, force=True)
        finally:
            connection.close()

    def while_sending(sender, message, esp_name, **kwargs):
        thread = threading.Thread(target=other_worker)
        thread.start()
        thread.join(timeout=10)

    pre_send.connect(while_sending, dispatch_uid="test-while-sending")
    try:
        assert deliver(row.pk) == OutboundMessage.Status.SENT
    finally:
        pre_send.disconnect(dispatch_uid="test-while-sending")
    assert second["result"] == "skipped"
    assert len(django_mail.outbox) == 1


@pytest.mark.django_db
def test_staff_resend_a_failed_mail_from_the_admin(admin_client, failing_provider, settings):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    row = _enqueue()
    send_message(row.pk)
    row.refresh_from_db()
    assert row.status == OutboundMessage.Status.FAILED
    response = admin_client.post("/admin/mail/outboundmessage/", {"action": "resend", "_selected_action": [row.pk]})
    assert response.status_code == 302
    send_pending()
    row.refresh_from_db()
    assert (row.status, row.attempts) == (OutboundMessage.Status.SENT, 1)


@pytest.mark.django_db
def test_outbox_admin_shows_status_attempts_and_last_error(admin_client, failing_provider):
    row = _enqueue()
    send_message(row.pk)
    page = admin_client.get("/admin/mail/outboundmessage/").content.decode()
    assert "503 Service Unavailable" in page
    detail = admin_client.get(f"/admin/mail/outboundmessage/{row.pk}/change/").content.decode()
    assert "In-Reply-To: &lt;EB-2026-000777@" in detail
