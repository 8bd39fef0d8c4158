"""Customer pages and mails come in French and English from the compiled catalogues (committed .mo files)."""

import pytest
from django.urls import reverse
from django.utils import translation

from mail.models import OutboundMessage
from tickets import services


@pytest.mark.parametrize(("language", "expected", "german"), [
    ("fr", "Votre nom", "Ihr Name"),
    ("en", "Your name", "Ihr Name"),
])
def test_contact_form_in_the_browsers_language(client, db, language, expected, german):
    page = client.get(reverse("tickets:contact"), HTTP_ACCEPT_LANGUAGE=language).content.decode()
    assert expected in page
    assert german not in page


@pytest.mark.parametrize(("language", "expected"), [("fr", "Votre demande"), ("en", "your request")])
def test_confirmation_mail_in_the_customers_language(bookshop, language, expected):
    services.create_ticket(bookshop=bookshop, customer_name="Claire", customer_email="claire@example.ch",
                           subject="Liseuse", message="Bonjour", language=language)
    mail = OutboundMessage.objects.get(to=["claire@example.ch"])
    assert expected.lower() in (mail.subject + mail.body_text).lower()
    with translation.override("de"):
        assert "Guten Tag" not in mail.body_text
