"""Everything the customer touches: the contact form's checks, the private case page and its reply."""

import re
import uuid
from datetime import timedelta

import pytest
from django.core import mail
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from tests.common.files import EXE, HTML, PDF, PNG, big_png, stored_files, upload
from tickets import services
from tickets.models import Ticket, TicketAttachment

from .test_journey import contact_data


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()
    yield
    cache.clear()


def post_contact(client, data, **extra):
    return client.post(reverse("tickets:contact"), data, **extra)


@pytest.mark.parametrize(("field", "value", "message"), [
    ("customer_name", "", "Dieses Feld ist zwingend erforderlich."),
    ("customer_email", "keine-adresse", "Bitte gültige E-Mail-Adresse eingeben."),
    ("subject", "", "Dieses Feld ist zwingend erforderlich."),
    ("subject", "x" * 151, "höchstens 150 Zeichen"),
    ("message", "", "Dieses Feld ist zwingend erforderlich."),
    ("bookshop", "", "Dieses Feld ist zwingend erforderlich."),
    ("bookshop", "999999", "Bitte eine gültige Auswahl treffen."),
    ("category", "spam", "Bitte eine gültige Auswahl treffen."),
    ("privacy", "", "Ohne Ihr Einverständnis können wir die Anfrage nicht bearbeiten."),
    ("customer_name", "Eve\r\nBcc: victim@example.com", "ohne Zeilenumbrüche oder Steuerzeichen"),
    ("subject", "Hallo\nBcc: victim@example.com", "ohne Zeilenumbrüche oder Steuerzeichen"),
])
def test_each_field_has_its_message_and_the_form_comes_back_filled_in(client, bookshop, field, value, message):
    data = {**contact_data(bookshop), field: value}
    if value == "" and field == "privacy":
        data.pop("privacy")
    response = post_contact(client, data)
    assert response.status_code == 400
    page = response.content.decode()
    assert message in page
    assert Ticket.objects.count() == 0
    # What the customer typed is still there.
    if field != "message":
        assert "Mein eBook zeigt E_ADEPT_REQUEST_EXPIRED." in page
    assert mail.outbox == []


@pytest.mark.parametrize(("file", "message"), [
    (lambda: big_png(20 * 1024 * 1024), "zu gross"),
    (lambda: upload("rechnung.pdf", EXE, "application/pdf"), "kein Bildschirmfoto"),
    (lambda: upload("seite.html", HTML, "text/html"), "kein Bildschirmfoto"),
])
def test_bad_attachments_are_refused_and_nothing_is_stored(client, bookshop, settings, file, message):
    response = post_contact(client, {**contact_data(bookshop), "attachments": [upload("ok.png", PNG), file()]})
    assert response.status_code == 400
    assert message in response.content.decode()
    assert Ticket.objects.count() == 0
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


def test_attachments_are_stored_privately_and_served_only_to_who_may_see_the_case(
    client, bookshop, bookshop_user, other_bookshop_user, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        post_contact(client, {**contact_data(bookshop), "attachments": [upload("Fehler.png", PNG),
                                                                          upload("Beleg.pdf", PDF)]})
    ticket = Ticket.objects.get()
    files = list(ticket.attachments.order_by("name"))
    assert [f.name for f in files] == ["Beleg.pdf", "Fehler.png"]
    assert all(str(settings.PRIVATE_MEDIA_ROOT) not in f.path for f in files)
    assert len(stored_files(settings.PRIVATE_MEDIA_ROOT)) == 2
    bookshop_mail = next(m for m in mail.outbox if m.to == ["team@lesezeichen.example"])
    assert sorted(a[0] for a in bookshop_mail.attachments) == ["Beleg.pdf", "Fehler.png"]

    url = reverse("tickets:queue-file", args=[ticket.reference, files[1].pk])
    client.force_login(bookshop_user)
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PNG
    assert response["Content-Disposition"].startswith("attachment")
    client.force_login(other_bookshop_user)
    assert client.get(url).status_code == 404
    client.logout()
    assert client.get(url).status_code == 302  # to the login page


def test_submits_past_the_limit_get_429(client, bookshop, settings):
    settings.RATELIMIT_PER_IP = 3
    for i in range(3):
        response = post_contact(client, contact_data(bookshop, customer_email=f"k{i}@example.ch"))
        assert response.status_code == 302
    response = post_contact(client, contact_data(bookshop, customer_email="k9@example.ch"))
    assert response.status_code == 429
    assert "nicht gespeichert" in response.content.decode()
    assert Ticket.objects.count() == 3


def test_submits_past_the_address_limit_get_429(client, bookshop, settings):
    settings.RATELIMIT_PER_EMAIL = 2
    for i in range(2):
        assert post_contact(client, contact_data(bookshop), REMOTE_ADDR=f"10.0.0.{i}").status_code == 302
    response = post_contact(client, contact_data(bookshop), REMOTE_ADDR="10.0.0.9")
    assert response.status_code == 429


def test_honeypot_stores_nothing(client, bookshop):
    response = post_contact(client, contact_data(bookshop, website="http://spam.example"))
    assert response.status_code == 302
    assert Ticket.objects.count() == 0


def test_language_of_the_page_is_kept_on_the_case_and_its_mails(client, bookshop,
                                                                django_capture_on_commit_callbacks):
    client.cookies["django_language"] = "fr"
    with django_capture_on_commit_callbacks(execute=True):
        post_contact(client, contact_data(bookshop))
    ticket = Ticket.objects.get()
    assert ticket.language == "fr"
    from mail.models import OutboundMessage

    assert OutboundMessage.objects.get(to=[ticket.customer_email]).language == "fr"


# --- the private case page ---------------------------------------------------------------------------------


def new_case_with_token(bookshop):
    result = services.create_ticket(bookshop=bookshop, customer_name="Anna", customer_email="anna@example.ch",
                                    subject="Reader", message="Startet nicht.")
    return result.ticket, result.access_token


def test_wrong_token_is_404(client, bookshop):
    new_case_with_token(bookshop)
    assert client.get(reverse("tickets:case", args=["x" * 43])).status_code == 404
    assert client.get(reverse("tickets:case", args=["1"])).status_code == 404


def test_token_is_stored_hashed(bookshop):
    ticket, token = new_case_with_token(bookshop)
    assert len(token) >= 40
    assert token not in ticket.access_token_hash
    assert Ticket.objects.filter(access_token_hash=Ticket.hash_token(token)).exists()


def test_expired_token_is_404(client, bookshop, bookshop_user, settings):
    ticket, token = new_case_with_token(bookshop)
    services.solve(ticket_id=ticket.pk, actor=bookshop_user, what_solved_it="Neustart.")
    url = reverse("tickets:case", args=[token])
    assert client.get(url).status_code == 200
    Ticket.objects.filter(pk=ticket.pk).update(
        closed_at=timezone.now() - timedelta(days=settings.CASE_LINK_DAYS_AFTER_CLOSE + 1))
    assert client.get(url).status_code == 404


def test_internal_notes_and_escalation_texts_are_never_shown(client, bookshop, bookshop_user, level1_user):
    ticket, token = new_case_with_token(bookshop)
    services.add_internal_note(ticket_id=ticket.pk, actor=bookshop_user, text="GEHEIME NOTIZ")
    services.escalate_to_level1(ticket_id=ticket.pk, actor=bookshop_user, what_was_tried="INTERNER VERSUCH")
    services.send_message(ticket_id=ticket.pk, actor=level1_user, text="AN DIE BUCHHANDLUNG", to="bookshop")
    services.send_message(ticket_id=ticket.pk, actor=level1_user, text="Bitte Firmware prüfen.", to="customer")
    page = client.get(reverse("tickets:case", args=[token])).content.decode()
    assert "GEHEIME NOTIZ" not in page
    assert "INTERNER VERSUCH" not in page
    assert "AN DIE BUCHHANDLUNG" not in page
    assert "Bitte Firmware prüfen." in page
    assert "Level 1" in page


def test_reply_notifies_the_holder(client, bookshop, django_capture_on_commit_callbacks):
    ticket, token = new_case_with_token(bookshop)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tickets:case", args=[token]),
                               {"text": "Es geht immer noch nicht.", "attachments": [upload("neu.png", PNG)]})
    assert response.status_code == 302
    assert ticket.events.filter(kind="customer_message", text="Es geht immer noch nicht.").exists()
    assert TicketAttachment.objects.filter(ticket=ticket, name="neu.png").exists()
    assert [m.to for m in mail.outbox] == [["team@lesezeichen.example"]]


def test_reply_to_a_solved_case_within_the_period_reopens_it(client, bookshop, bookshop_user,
                                                             django_capture_on_commit_callbacks):
    ticket, token = new_case_with_token(bookshop)
    services.solve(ticket_id=ticket.pk, actor=bookshop_user, what_solved_it="Neustart.")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tickets:case", args=[token]), {"text": "Das Problem ist zurück."})
    ticket.refresh_from_db()
    assert ticket.state == "bookshop"
    assert ticket.answer_due_at is not None
    assert any(m.to == ["team@lesezeichen.example"] for m in mail.outbox)


def test_reply_to_a_solved_case_after_the_period_does_not_reopen(client, bookshop, bookshop_user, settings):
    ticket, token = new_case_with_token(bookshop)
    services.solve(ticket_id=ticket.pk, actor=bookshop_user, what_solved_it="Neustart.")
    Ticket.objects.filter(pk=ticket.pk).update(
        closed_at=timezone.now() - timedelta(days=settings.REOPEN_WINDOW_DAYS + 1))
    page = client.get(reverse("tickets:case", args=[token])).content.decode()
    assert 'name="text"' not in page
    response = client.post(reverse("tickets:case", args=[token]), {"text": "Hallo?"}, follow=True)
    ticket.refresh_from_db()
    assert ticket.state == "solved"
    assert "abgeschlossen" in response.content.decode()


def test_confirmation_mail_holds_reference_and_private_link(client, bookshop, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = post_contact(client, contact_data(bookshop), follow=True)
    ticket = Ticket.objects.get()
    confirmation = next(m for m in mail.outbox if m.to == ["anna@example.ch"])
    assert ticket.reference in confirmation.subject
    link = re.search(r"http://testserver/case/([\w-]+)/", confirmation.body).group(1)
    assert services.find_by_access_token(link) == ticket
    assert "Wie es weitergeht" in response.content.decode()
    assert ticket.reference in response.content.decode()
    assert uuid.UUID(str(ticket.submission_key))


def test_private_link_is_shown_once_on_the_confirmation_page(client, bookshop):
    post_contact(client, contact_data(bookshop))
    first = client.get(reverse("tickets:contact-sent")).content.decode()
    second = client.get(reverse("tickets:contact-sent")).content.decode()
    reference = Ticket.objects.get().reference
    assert "/case/" in first and reference in first
    assert "/case/" not in second and reference in second


def test_attachment_help_states_the_configured_limit(client, db, settings):
    settings.ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
    page = client.get(reverse("tickets:contact")).content.decode()
    assert "höchstens 5.0\xa0MB" in page or "höchstens 5.0 MB" in page
