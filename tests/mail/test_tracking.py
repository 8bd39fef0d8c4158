"""Delivery events posted through the real tracking webhook URLs: the mail's status, the case's timeline, and the
bounce flag on the case."""

import pytest

from mail.models import DeliveryEvent, OutboundMessage
from tickets.models import TicketEvent

from .conftest import load_payload, mailgun_sign, post_json, send_all

pytestmark = pytest.mark.django_db

POSTMARK_TRACKING = "/anymail/postmark/tracking/"
MAILGUN_TRACKING = "/anymail/mailgun/tracking/"


def sent_customer_mail(ticket, provider_id="883953f4-6105-42a2-a16a-77a8eac79483") -> OutboundMessage:
    send_all()
    row = OutboundMessage.objects.get(thread=ticket.reference, to=[ticket.customer_email])
    # What Postmark answers on send (anymail_status.message_id) is stored as the provider id.
    OutboundMessage.objects.filter(pk=row.pk).update(provider_message_id=provider_id)
    row.refresh_from_db()
    return row


def timeline_notes(ticket):
    return list(ticket.events.filter(kind=TicketEvent.Kind.INTERNAL_NOTE).values_list("text", flat=True))


def bookshop_warnings(ticket):
    return OutboundMessage.objects.filter(thread=ticket.reference, to=["team@lesezeichen.example"],
                                          body_text__contains="kam nicht an")


def test_postmark_delivery_marks_the_mail_delivered_and_shows_on_the_timeline(new_case):
    row = sent_customer_mail(new_case)
    payload = load_payload("postmark_delivery.json", PROVIDER_ID=row.provider_message_id,
                           RECIPIENT="anna@example.ch")
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    row.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.DELIVERED
    assert any(note.startswith("Mail zugestellt") and "anna@example.ch" in note for note in timeline_notes(new_case))


def test_postmark_hard_bounce_on_the_customer_flags_the_case_for_the_bookshop(new_case):
    row = sent_customer_mail(new_case)
    payload = load_payload("postmark_bounce.json", PROVIDER_ID=row.provider_message_id,
                           RECIPIENT="anna@example.ch", SUBJECT=row.subject)
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    row.refresh_from_db()
    new_case.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.BOUNCED
    assert new_case.customer_email_bounced is True
    assert any("unzustellbar" in note for note in timeline_notes(new_case))
    assert bookshop_warnings(new_case).count() == 1


def test_the_same_bounce_delivered_twice_is_handled_once(new_case):
    row = sent_customer_mail(new_case)
    payload = load_payload("postmark_bounce.json", PROVIDER_ID=row.provider_message_id,
                           RECIPIENT="anna@example.ch", SUBJECT=row.subject)
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    assert DeliveryEvent.objects.count() == 1
    assert len([n for n in timeline_notes(new_case) if "unzustellbar" in n]) == 1
    assert bookshop_warnings(new_case).count() == 1


def test_a_late_delivered_event_does_not_hide_a_bounce(new_case):
    row = sent_customer_mail(new_case)
    bounce = load_payload("postmark_bounce.json", PROVIDER_ID=row.provider_message_id, RECIPIENT="anna@example.ch",
                          SUBJECT=row.subject)
    delivered = load_payload("postmark_delivery.json", PROVIDER_ID=row.provider_message_id,
                             RECIPIENT="anna@example.ch")
    post_json(POSTMARK_TRACKING, bounce)
    post_json(POSTMARK_TRACKING, delivered)
    row.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.BOUNCED


def test_postmark_spam_complaint_is_shown(new_case):
    row = sent_customer_mail(new_case)
    payload = load_payload("postmark_spam_complaint.json", PROVIDER_ID=row.provider_message_id,
                           RECIPIENT="anna@example.ch", SUBJECT=row.subject)
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    row.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.COMPLAINED
    assert any("Spam" in note for note in timeline_notes(new_case))


def test_tracking_without_basic_auth_is_refused(new_case):
    row = sent_customer_mail(new_case)
    payload = load_payload("postmark_bounce.json", PROVIDER_ID=row.provider_message_id,
                           RECIPIENT="anna@example.ch", SUBJECT=row.subject)
    assert post_json(POSTMARK_TRACKING, payload, auth=None).status_code == 400
    row.refresh_from_db()
    new_case.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.QUEUED
    assert new_case.customer_email_bounced is False


def mailgun_event(name, row, *, key=None):
    payload = load_payload(name, RECIPIENT="anna@example.ch", MAILGUN_MESSAGE_ID=row.message_id.strip("<>"),
                           SUBJECT=row.subject)
    signature = payload["signature"]
    kwargs = {"key": key} if key else {}
    signature["signature"] = mailgun_sign(signature["timestamp"], signature["token"], **kwargs)
    return payload


def test_mailgun_delivered_then_failed_for_good(new_case):
    send_all()
    # Mailgun keeps the Message-ID we set; its send API returns it as the id.
    row = OutboundMessage.objects.get(thread=new_case.reference, to=["anna@example.ch"])
    OutboundMessage.objects.filter(pk=row.pk).update(provider_message_id=row.message_id)
    assert post_json(MAILGUN_TRACKING, mailgun_event("mailgun_delivered.json", row)).status_code == 200
    row.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.DELIVERED
    assert post_json(MAILGUN_TRACKING, mailgun_event("mailgun_failed_permanent.json", row)).status_code == 200
    row.refresh_from_db()
    new_case.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.BOUNCED
    assert new_case.customer_email_bounced is True
    assert any("does not exist" in note for note in timeline_notes(new_case))


def test_mailgun_complaint_matched_by_our_message_id(new_case):
    send_all()
    row = OutboundMessage.objects.get(thread=new_case.reference, to=["anna@example.ch"])
    assert post_json(MAILGUN_TRACKING, mailgun_event("mailgun_complained.json", row)).status_code == 200
    row.refresh_from_db()
    assert row.delivery_status == OutboundMessage.Delivery.COMPLAINED


def test_mailgun_event_with_a_forged_signature_is_refused(new_case):
    send_all()
    row = OutboundMessage.objects.get(thread=new_case.reference, to=["anna@example.ch"])
    payload = mailgun_event("mailgun_failed_permanent.json", row, key="not-the-key")
    assert post_json(MAILGUN_TRACKING, payload).status_code == 400
    assert not DeliveryEvent.objects.exists()
    new_case.refresh_from_db()
    assert new_case.customer_email_bounced is False


def test_an_error_while_recording_answers_500_and_the_retry_is_applied_once(new_case, monkeypatch):
    from tickets import replies

    row = sent_customer_mail(new_case)
    real = replies.record_event
    calls = {"n": 0}

    def failing_once(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("timeline unavailable")
        return real(*args, **kwargs)

    monkeypatch.setattr(replies, "record_event", failing_once)
    payload = load_payload("postmark_bounce.json", PROVIDER_ID=row.provider_message_id,
                           RECIPIENT="anna@example.ch", SUBJECT=row.subject)
    assert post_json(POSTMARK_TRACKING, payload).status_code == 500
    assert not DeliveryEvent.objects.exists()  # rolled back: the retry is not mistaken for a duplicate
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    assert DeliveryEvent.objects.count() == 1
    assert len([n for n in timeline_notes(new_case) if "unzustellbar" in n]) == 1


def test_events_for_unknown_mails_are_logged_and_answered_200(db):
    payload = load_payload("postmark_delivery.json", PROVIDER_ID="00000000-0000-0000-0000-000000000000",
                           RECIPIENT="someone@example.ch")
    assert post_json(POSTMARK_TRACKING, payload).status_code == 200
    assert DeliveryEvent.objects.get().message is None
