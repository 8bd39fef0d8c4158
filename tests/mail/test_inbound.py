"""Replies by mail, posted through the real inbound webhook URLs as Postmark and Mailgun post them."""

import base64

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from mail.models import InboundMessage, OutboundMessage
from tickets import services
from tickets.models import State, Ticket, TicketAttachment, TicketEvent

from .conftest import (
    OLD_WEBHOOK_AUTH,
    PAYLOADS,
    load_payload,
    mailgun_sign,
    post_json,
    post_mailgun_form,
    send_all,
)

pytestmark = pytest.mark.django_db

POSTMARK_INBOUND = "/anymail/postmark/inbound/"
MAILGUN_INBOUND = "/anymail/mailgun/inbound/"
MAILGUN_INBOUND_MIME = "/anymail/mailgun/inbound_mime/"
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def customer_mail(ticket) -> OutboundMessage:
    send_all()
    return OutboundMessage.objects.filter(thread=ticket.reference, to=[ticket.customer_email]).latest("created_at")


def postmark_reply(ticket, *, to=None, subject=None, message_id="<reply-1@mail.example.ch>", in_reply_to="",
                   references="", sender="anna@example.ch", headers=(), attachments=()):
    mail = customer_mail(ticket)
    payload = load_payload(
        "postmark_inbound.json",
        TO=to if to is not None else mail.reply_to[0],
        MAILBOX_HASH="",
        SUBJECT=subject if subject is not None else f"Re: {mail.subject}",
        MESSAGE_ID=message_id,
        IN_REPLY_TO=in_reply_to,
        REFERENCES=references,
    )
    payload["From"] = sender
    payload["FromFull"]["Email"] = sender
    payload["Headers"] = [h for h in payload["Headers"] if h["Value"]] + [
        {"Name": name, "Value": value} for name, value in headers
    ]
    payload["Attachments"] = list(attachments)
    return payload


def customer_messages(ticket):
    return list(ticket.events.filter(kind=TicketEvent.Kind.CUSTOMER_MESSAGE).values_list("text", flat=True))


def test_reply_to_the_signed_address_lands_on_the_case_without_the_quote(new_case):
    response = post_json(POSTMARK_INBOUND, postmark_reply(new_case))
    assert response.status_code == 200
    texts = customer_messages(new_case)
    assert len(texts) == 1
    assert "der Bildschirm bleibt aber schwarz" in texts[0]
    assert "Bitte starten Sie das Gerät neu" not in texts[0]
    inbound = InboundMessage.objects.get()
    assert (inbound.status, inbound.thread, inbound.match_method) == ("processed", new_case.reference,
                                                                       "reply_address")
    # The bookshop holding the case is told.
    told = OutboundMessage.objects.filter(thread=new_case.reference, to=["team@lesezeichen.example"],
                                          body_text__contains="der Bildschirm bleibt aber schwarz")
    assert told.exists()


def test_reply_matched_by_in_reply_to_when_the_reply_address_is_missing(new_case):
    mail = customer_mail(new_case)
    payload = postmark_reply(new_case, to="support@ebookit.ch", subject="Re: Ihre Anfrage",
                             in_reply_to=mail.message_id, references=f"{mail.in_reply_to} {mail.message_id}")
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert len(customer_messages(new_case)) == 1
    assert InboundMessage.objects.get().match_method == "headers"


def test_mailgun_reply_matched_by_references_lands_on_the_case(new_case):
    mail = customer_mail(new_case)
    fields = load_payload(
        "mailgun_inbound_parsed.json", TO="support@ebookit.ch", FROM="anna@example.ch",
        FROM_HEADER="Anna Meier <anna@example.ch>", SUBJECT="Re: Ihre Anfrage", MESSAGE_ID="<mg-1@example.ch>",
        IN_REPLY_TO="<unknown@elsewhere.example>", REFERENCES=f"{mail.in_reply_to} {mail.message_id}",
    )
    response = post_mailgun_form(MAILGUN_INBOUND, fields)
    assert response.status_code == 200
    assert customer_messages(new_case) == ["Danke, jetzt funktioniert es wieder!"]


def _mime_fields(ticket, *, sender="anna@example.ch", subject=None, body="Hier ist das Bildschirmfoto.",
                 attachment=("foto.pdf", "application/pdf", PDF), extra_headers="", message_id="<mime-1@x.ch>"):
    name, content_type, content = attachment
    raw = (PAYLOADS / "mailgun_inbound_mime.eml").read_text()
    for key, value in {
        "FROM_HEADER": f"Kunde <{sender}>", "TO": "support@ebookit.ch",
        "SUBJECT": subject or f"AW: [{ticket.reference}] Ihre Anfrage", "MESSAGE_ID": message_id,
        "EXTRA_HEADERS": extra_headers, "BODY": body, "ATTACHMENT_TYPE": content_type,
        "ATTACHMENT_NAME": name, "ATTACHMENT_BASE64": base64.b64encode(content).decode(),
    }.items():
        raw = raw.replace("{{" + key + "}}", value)
    return {"recipient": "support@ebookit.ch", "sender": sender, "from": sender, "subject": "x",
            "body-mime": raw, "timestamp": "1778833900", "token": "f" * 50}


def test_mailgun_mime_reply_found_by_the_reference_in_the_subject_keeps_its_pdf(new_case):
    customer_mail(new_case)
    response = post_mailgun_form(MAILGUN_INBOUND_MIME, _mime_fields(new_case))
    assert response.status_code == 200
    event = new_case.events.get(kind=TicketEvent.Kind.CUSTOMER_MESSAGE)
    assert event.text == "Hier ist das Bildschirmfoto."
    attachment = TicketAttachment.objects.get(ticket=new_case)
    assert (attachment.event_id, attachment.name, attachment.content_type) == (event.pk, "foto.pdf",
                                                                               "application/pdf")
    assert InboundMessage.objects.get().match_method == "subject"


def test_reference_in_the_subject_from_a_stranger_is_kept_for_review(new_case):
    customer_mail(new_case)
    response = post_mailgun_form(MAILGUN_INBOUND_MIME, _mime_fields(new_case, sender="mallory@evil.example"))
    assert response.status_code == 200
    assert customer_messages(new_case) == []
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.HELD
    assert "mallory@evil.example" in inbound.reason


def test_an_executable_attachment_holds_the_reply_for_review(new_case):
    customer_mail(new_case)
    fields = _mime_fields(new_case, attachment=("rechnung.pdf.exe", "application/octet-stream", b"MZ\x90\x00evil"))
    assert post_mailgun_form(MAILGUN_INBOUND_MIME, fields).status_code == 200
    assert customer_messages(new_case) == []
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.HELD
    assert inbound.refused_attachments[0]["name"].startswith("rechnung.pdf.exe")
    assert not TicketAttachment.objects.exists()


def test_reply_from_the_bookshop_address_is_the_bookshops_message_to_the_customer(new_case):
    payload = postmark_reply(new_case, sender="Team@Lesezeichen.example")
    payload["StrippedTextReply"] = "Bitte halten Sie die Einschalttaste 30 Sekunden gedrückt."
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    event = new_case.events.get(kind=TicketEvent.Kind.MESSAGE)
    assert (event.actor_role, event.audience) == ("bookshop", TicketEvent.Audience.CUSTOMER)
    new_case.refresh_from_db()
    assert new_case.answer_due_at is None and new_case.waiting_since is None  # now waiting on the customer
    assert OutboundMessage.objects.filter(to=["anna@example.ch"], body_text__contains="30 Sekunden").exists()


def test_a_mail_that_matches_no_case_is_kept_for_review(new_case):
    payload = postmark_reply(new_case, to="support@ebookit.ch", subject="Frage zu meinem eBook")
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert customer_messages(new_case) == []
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.UNMATCHED
    assert inbound.reply_text.startswith("Guten Tag")


def test_a_forged_reply_address_matches_nothing(new_case):
    forged = f"reply+{new_case.reference.lower()}.{'a' * 20}@reply.ebookit.example"
    payload = postmark_reply(new_case, to=forged, subject="Hallo", sender="mallory@evil.example")
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.UNMATCHED
    assert "ungültiger Signatur" in inbound.reason
    assert customer_messages(new_case) == []


@pytest.mark.parametrize("header", [("Auto-Submitted", "auto-replied"), ("X-Autoreply", "yes"),
                                    ("Precedence", "bulk")])
def test_an_auto_reply_is_recognised_and_not_added(new_case, header):
    payload = postmark_reply(new_case, headers=[header])
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert customer_messages(new_case) == []
    assert InboundMessage.objects.get().status == InboundMessage.Status.AUTO_REPLY


def test_an_out_of_office_subject_is_recognised(new_case):
    payload = postmark_reply(new_case, subject="Automatische Antwort: Ihre Anfrage")
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert InboundMessage.objects.get().status == InboundMessage.Status.AUTO_REPLY
    assert customer_messages(new_case) == []


def test_a_bounce_sent_to_the_reply_address_is_not_a_message(new_case):
    payload = postmark_reply(new_case, sender="MAILER-DAEMON@mail.example.ch",
                             subject="Undelivered Mail Returned to Sender")
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert InboundMessage.objects.get().status == InboundMessage.Status.BOUNCE
    assert customer_messages(new_case) == []


def test_the_same_mail_delivered_twice_is_added_once(new_case):
    payload = postmark_reply(new_case)
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert len(customer_messages(new_case)) == 1
    assert InboundMessage.objects.count() == 1


def test_missing_or_wrong_basic_auth_is_refused_and_nothing_is_stored(new_case):
    payload = postmark_reply(new_case)
    assert post_json(POSTMARK_INBOUND, payload, auth=None).status_code == 400
    assert post_json(POSTMARK_INBOUND, payload, auth="anymail:guessed").status_code == 400
    assert not InboundMessage.objects.exists()
    assert customer_messages(new_case) == []


def test_the_previous_webhook_secret_still_works_during_rotation(new_case):
    assert post_json(POSTMARK_INBOUND, postmark_reply(new_case), auth=OLD_WEBHOOK_AUTH).status_code == 200
    assert len(customer_messages(new_case)) == 1


def test_a_forged_mailgun_signature_is_refused(new_case):
    fields = _mime_fields(new_case)
    fields["signature"] = mailgun_sign(fields["timestamp"], fields["token"], key="wrong-key")
    response = post_mailgun_form(MAILGUN_INBOUND_MIME, fields, sign=False)
    assert response.status_code == 400
    assert not InboundMessage.objects.exists()


def test_an_error_while_handling_answers_500_and_the_retry_adds_the_reply_once(new_case, monkeypatch):
    from tickets import replies

    real = replies.customer_reply
    calls = {"n": 0}

    def failing_once(**kwargs):
        calls["n"] += 1
        if calls["n"] == 1:
            raise RuntimeError("database hiccup")
        return real(**kwargs)

    monkeypatch.setattr(replies, "customer_reply", failing_once)
    payload = postmark_reply(new_case)
    assert post_json(POSTMARK_INBOUND, payload).status_code == 500
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.ERROR and "database hiccup" in inbound.last_error
    assert customer_messages(new_case) == []
    # The provider retries the same mail.
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert post_json(POSTMARK_INBOUND, payload).status_code == 200
    assert len(customer_messages(new_case)) == 1
    assert InboundMessage.objects.get().status == InboundMessage.Status.PROCESSED


def test_a_reply_to_a_solved_case_reopens_it(new_case, bookshop_user):
    services.solve(ticket_id=new_case.pk, actor=bookshop_user, what_solved_it="Neustart")
    assert post_json(POSTMARK_INBOUND, postmark_reply(new_case)).status_code == 200
    new_case.refresh_from_db()
    assert new_case.state == State.BOOKSHOP
    assert len(customer_messages(new_case)) == 1


def test_a_reply_to_a_case_closed_long_ago_is_kept_for_review(new_case, bookshop_user):
    services.solve(ticket_id=new_case.pk, actor=bookshop_user, what_solved_it="Neustart")
    Ticket.objects.filter(pk=new_case.pk).update(closed_at=new_case.created_at.replace(year=2020))
    assert post_json(POSTMARK_INBOUND, postmark_reply(new_case)).status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.HELD and "geschlossen" in inbound.reason
    assert customer_messages(new_case) == []


def test_staff_assign_an_unmatched_mail_to_a_case_in_the_admin(new_case, admin_client):
    payload = postmark_reply(new_case, to="support@ebookit.ch", subject="Frage", sender="anna.privat@example.ch")
    post_json(POSTMARK_INBOUND, payload)
    inbound = InboundMessage.objects.get(status=InboundMessage.Status.UNMATCHED)
    InboundMessage.objects.filter(pk=inbound.pk).update(thread=new_case.reference)
    response = admin_client.post("/admin/mail/inboundmessage/", {
        "action": "process_again", "_selected_action": [inbound.pk]})
    assert response.status_code == 302
    inbound.refresh_from_db()
    assert (inbound.status, inbound.match_method) == (InboundMessage.Status.PROCESSED, "staff")
    assert "anna.privat@example.ch" in customer_messages(new_case)[0]


def test_a_large_attachment_is_refused_like_an_upload(new_case, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    customer_mail(new_case)
    assert post_mailgun_form(MAILGUN_INBOUND_MIME, _mime_fields(new_case)).status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.status == InboundMessage.Status.HELD
    assert "zu gross" in inbound.refused_attachments[0]["reason"]


def test_mailgun_parsed_attachments_are_checked_too(new_case):
    mail = customer_mail(new_case)
    fields = load_payload(
        "mailgun_inbound_parsed.json", TO=mail.reply_to[0], FROM="anna@example.ch",
        FROM_HEADER="Anna Meier <anna@example.ch>", SUBJECT=f"Re: {mail.subject}", MESSAGE_ID="<mg-2@example.ch>",
        IN_REPLY_TO=mail.message_id, REFERENCES=mail.message_id,
    )
    fields["attachment-count"] = "1"
    files = {"attachment-1": SimpleUploadedFile("beleg.pdf", PDF, content_type="application/pdf")}
    assert post_mailgun_form(MAILGUN_INBOUND, fields, files=files).status_code == 200
    assert TicketAttachment.objects.get(ticket=new_case).name == "beleg.pdf"
