"""Who is told what: the hotline gets every field (Reply-To the customer, the screenshot attached), the
customer a confirmation in their language. The hotline's address comes from settings only."""

import pytest
from django.core import mail

from mail.models import OutboundMessage
from payments.models import PaymentProblem
from tests.common.files import PNG, upload

from .helpers import valid_data

URL = "/payment-problem/"


def submit(client, capture, data=None, **extra):
    with capture(execute=True):
        response = client.post(URL, data or valid_data(), **extra)
    assert response.status_code == 302, response.context and response.context["form"].errors
    return PaymentProblem.objects.latest("created_at")


def sent_to(address):
    return [message for message in mail.outbox if address in message.to]


@pytest.mark.django_db
def test_hotline_mail_holds_every_field_and_replies_go_to_the_customer(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_HOTLINE_EMAIL = "hotline@comelivres.example"
    problem = submit(
        client,
        django_capture_on_commit_callbacks,
        valid_data(screenshot=upload("Fehler.png", PNG, "image/png"), completed="yes"),
    )
    [hotline] = sent_to("hotline@comelivres.example")
    assert hotline.to == ["hotline@comelivres.example"]
    assert hotline.reply_to == ["anna@example.ch"]
    assert hotline.subject.startswith(f"[{problem.reference}] ")
    assert "CHF 19.90" in hotline.subject and "TWINT" in hotline.subject
    body = hotline.body
    for expected in [
        problem.reference,
        "Name: Anna Meier",
        "E-Mail: anna@example.ch",
        "Telefon: +41 79 123 45 67",
        "eBook-Titel: Der Besuch der alten Dame, Homo faber",
        "Bestell- oder Transaktionsnummer: EBK-778812",
        "Betrag: CHF 19.90",
        "Zahlungsmittel: TWINT",
        f"Zeitpunkt der Zahlung: {problem.occurred_on:%d.%m.%Y} 14:30",
        "Zahlung abgeschlossen?: Ja",
        "Die TWINT-App zeigte «Zahlung erfolgreich»,\naber der Download startete nicht.",
        "Fehler.png (im Anhang)",
        "Sprache: de",
        f"/admin/payments/paymentproblem/{problem.pk}/change/",
    ]:
        assert expected in body, expected
    html = hotline.alternatives[0][0]
    assert "<td>Anna Meier</td>" in html and "Zahlung erfolgreich" in html and "EBK-778812" in html
    [(name, content, mimetype)] = hotline.attachments
    assert (name, content, mimetype) == ("Fehler.png", PNG, "image/png")


@pytest.mark.django_db
def test_hotline_mail_escapes_html_the_customer_typed(client, django_capture_on_commit_callbacks):
    submit(client, django_capture_on_commit_callbacks, valid_data(description="<img src=x onerror=alert(1)>"))
    [hotline] = sent_to("hotline@comelivres.ch")
    assert "<img src=x" in hotline.body  # plain text shows it as typed
    assert "<img src=x" not in hotline.alternatives[0][0]
    assert "&lt;img src=x" in hotline.alternatives[0][0]


@pytest.mark.django_db
def test_mail_goes_only_to_the_configured_hotline_even_if_the_form_is_tampered_with(
    client, settings, django_capture_on_commit_callbacks
):
    settings.SUPPORT_HOTLINE_EMAIL = "hotline@comelivres.example"
    tampered = valid_data(
        to="attacker@evil.example",
        hotline="attacker@evil.example",
        recipient="attacker@evil.example",
        SUPPORT_HOTLINE_EMAIL="attacker@evil.example",
    )
    submit(client, django_capture_on_commit_callbacks, tampered)
    recipients = {address for message in mail.outbox for address in message.to + message.cc + message.bcc}
    assert recipients == {"hotline@comelivres.example", "anna@example.ch"}
    assert all("evil" not in row.to[0] for row in OutboundMessage.objects.all())


@pytest.mark.django_db
def test_header_injection_through_the_name_never_reaches_a_mail(client, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(URL, valid_data(name="Anna\r\nBcc: spam@evil.example"))
    assert response.status_code == 200
    assert mail.outbox == []


@pytest.mark.django_db
def test_customer_confirmation_in_german_says_the_hotline_will_call(
    client, django_capture_on_commit_callbacks
):
    problem = submit(client, django_capture_on_commit_callbacks)
    [confirmation] = sent_to("anna@example.ch")
    assert confirmation.subject == f"[{problem.reference}] Ihre Meldung eines Zahlungsproblems ist angekommen"
    assert "Guten Tag Anna Meier" in confirmation.body
    assert (
        "Hotline von Comelivres" in confirmation.body and "meldet sich direkt bei Ihnen" in confirmation.body
    )
    assert problem.reference in confirmation.body
    assert "Freundliche Grüsse" in confirmation.body and "ß" not in confirmation.body
    assert confirmation.reply_to == ["hotline@comelivres.ch"]
    assert confirmation.attachments == []
    row = OutboundMessage.objects.get(to=["anna@example.ch"])
    assert row.language == "de" and row.thread == problem.reference


@pytest.mark.django_db
@pytest.mark.parametrize("how", ["cookie", "header"])
def test_customer_confirmation_follows_the_customers_language(
    client, settings, django_capture_on_commit_callbacks, how
):
    extra = {}
    if how == "cookie":
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    else:
        extra["HTTP_ACCEPT_LANGUAGE"] = "fr-CH,fr;q=0.9"
    problem = submit(client, django_capture_on_commit_callbacks, **extra)
    assert problem.language == "fr"
    customer_row = OutboundMessage.objects.get(to=["anna@example.ch"])
    hotline_row = OutboundMessage.objects.get(to=["hotline@comelivres.ch"])
    assert customer_row.language == "fr"
    assert (
        hotline_row.language == "de"
    )  # the hotline reads German unless SUPPORT_HOTLINE_LANGUAGE says otherwise
    assert "Sprache: fr" in hotline_row.body_text


@pytest.mark.django_db
def test_both_mails_are_written_in_the_same_transaction_as_the_report(client):
    client.post(URL, valid_data())
    problem = PaymentProblem.objects.get()
    rows = OutboundMessage.objects.filter(thread=problem.reference)
    assert sorted(row.template for row in rows) == ["payments/mail/confirmation", "payments/mail/hotline"]
    assert all(row.status == OutboundMessage.Status.PENDING for row in rows)  # sent only after commit
