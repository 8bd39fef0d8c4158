"""The public form: every field's message, the protections, and what is stored (or not)."""

import pytest
from django.template.defaultfilters import filesizeformat
from django.urls import reverse

from mail.models import OutboundMessage
from payments.models import PaymentProblem
from tests.common.files import EXE, HTML, PNG, big_png, stored_files, upload

from .helpers import valid_data

URL = "/payment-problem/"


def post(client, data, **extra):
    return client.post(URL, data, **extra)


def test_url_name_is_stable():
    assert reverse("payments:report") == URL


@pytest.mark.django_db
def test_form_page_in_german_with_a_label_for_every_field(client):
    response = client.get(URL)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Zahlungsproblem melden" in html
    assert "ß" not in html
    form = response.context["form"]
    for name, field in form.fields.items():
        if field.widget.is_hidden:
            continue
        if getattr(field.widget, "input_type", "") == "radio":
            assert f"<legend>{field.label}</legend>" in html
        else:
            assert f'for="id_{name}"' in html, name
    assert 'name="submission_key"' in html and 'type="hidden"' in html
    assert 'name="viewport"' in html


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("name", "", "Bitte geben Sie Ihren Namen an."),
        ("name", "x" * 121, "Bitte höchstens 120 Zeichen (jetzt sind es 121)."),
        ("email", "", "Bitte geben Sie Ihre E-Mail-Adresse an."),
        (
            "email",
            "anna(at)example",
            "Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.ch.",
        ),
        ("phone", "079\n123", "Bitte ohne Zeilenumbrüche oder Steuerzeichen schreiben."),
        ("ebook_titles", "", "Bitte geben Sie den Titel des eBooks an."),
        ("order_number", "", "Bitte geben Sie die Bestell- oder Transaktionsnummer an."),
        ("amount_chf", "", "Bitte geben Sie den Betrag in CHF an."),
        ("amount_chf", "zwanzig", "Bitte geben Sie den Betrag als Zahl an, z. B. 19.90."),
        ("amount_chf", "0", "Bitte einen Betrag über 0 CHF angeben."),
        ("amount_chf", "-5", "Bitte einen Betrag über 0 CHF angeben."),
        ("amount_chf", "19.999", "Bitte höchstens zwei Stellen nach dem Komma (Rappen)."),
        ("amount_chf", "123456789", "Bitte prüfen Sie den Betrag: er ist zu hoch."),
        ("payment_method", "", "Bitte wählen Sie das Zahlungsmittel."),
        ("payment_method", "bitcoin", "Bitte wählen Sie das Zahlungsmittel aus der Liste."),
        ("occurred_on", "", "Bitte geben Sie an, wann Sie bezahlt haben."),
        ("occurred_on", "gestern", "Bitte geben Sie ein gültiges Datum an, z. B. 24.03.2026."),
        ("occurred_on", "2999-01-01", "Das Datum liegt in der Zukunft. Bitte prüfen Sie es."),
        ("occurred_time", "25:99", "Bitte geben Sie eine gültige Uhrzeit an, z. B. 14:30."),
        ("completed", "", "Bitte geben Sie an, ob die Zahlung abgeschlossen wurde (oder «Weiss nicht»)."),
        ("completed", "vielleicht", "Bitte wählen Sie Ja, Nein oder «Weiss nicht»."),
        ("description", "   ", "Bitte beschreiben Sie kurz, was passiert ist."),
        ("description", "x" * 5001, "Bitte höchstens 5000 Zeichen (jetzt sind es 5001)."),
    ],
)
def test_each_field_has_a_clear_message_and_the_form_comes_back_filled_in(client, field, value, message):
    data = valid_data(**{field: value})
    response = post(client, data)
    assert response.status_code == 200
    form = response.context["form"]
    assert form.errors[field] == [message]
    assert list(form.errors) == [field]
    html = response.content.decode()
    assert "Bitte prüfen Sie die markierten Angaben" in html
    assert 'value="Anna Meier"' in html or field == "name"
    assert "EBK-778812" in html or field == "order_number"
    assert data["submission_key"] in html
    assert not PaymentProblem.objects.exists()
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("field", ["name", "ebook_titles", "order_number"])
@pytest.mark.parametrize("bad", ["Anna\r\nBcc: spam@evil.example", "Anna\nMeier", "Anna\x00", "Anna\x1b[31m"])
def test_line_breaks_and_control_characters_are_refused_in_one_line_fields(client, field, bad):
    response = post(client, valid_data(**{field: bad}))
    assert response.status_code == 200
    assert response.context["form"].errors[field] == [
        "Bitte ohne Zeilenumbrüche oder Steuerzeichen schreiben."
    ]
    assert not PaymentProblem.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("amount", ["19,90", "CHF 19.90", "19.90 Fr.", "19.9"])
def test_amount_accepts_how_people_write_it(client, amount):
    response = post(client, valid_data(amount_chf=amount))
    assert response.status_code == 302
    assert str(PaymentProblem.objects.get().amount_chf) == "19.90"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("name", "content", "message_part"),
    [
        ("rechnung.pdf", EXE, "kein Bildschirmfoto"),
        ("seite.html", HTML, "kein Bildschirmfoto"),
        ("bild.png", HTML, "kein Bildschirmfoto"),
    ],
)
def test_bad_files_are_refused_with_a_message_and_nothing_is_stored(
    client, settings, name, content, message_part
):
    response = post(client, valid_data(screenshot=upload(name, content)))
    assert response.status_code == 200
    errors = response.context["form"].errors["screenshot"]
    assert message_part in errors[0] and name in errors[0]
    assert "noch einmal auswählen" in response.content.decode()
    assert not PaymentProblem.objects.exists()
    assert not OutboundMessage.objects.exists()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.django_db
def test_20_mb_upload_is_refused_with_the_limit_and_nothing_is_stored(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024
    response = post(client, valid_data(screenshot=big_png(20 * 1024 * 1024)))
    assert response.status_code == 200
    error = response.context["form"].errors["screenshot"][0]
    assert "zu gross" in error and f"höchstens {filesizeformat(10 * 1024 * 1024)} pro Datei" in error
    assert not PaymentProblem.objects.exists()
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.django_db
def test_invalid_form_with_a_good_screenshot_stores_no_file(client, settings):
    response = post(client, valid_data(name="", screenshot=upload("ok.png", PNG)))
    assert response.status_code == 200
    assert stored_files(settings.PRIVATE_MEDIA_ROOT) == []


@pytest.mark.django_db
def test_good_screenshot_is_stored_privately_under_a_random_name(client, settings):
    response = post(client, valid_data(screenshot=upload("Bildschirmfoto 2026.png", PNG, "image/png")))
    assert response.status_code == 302
    problem = PaymentProblem.objects.get()
    assert problem.screenshot_name == "Bildschirmfoto 2026.png"
    assert problem.screenshot_content_type == "image/png"
    assert "Bildschirmfoto" not in problem.screenshot_path
    files = stored_files(settings.PRIVATE_MEDIA_ROOT)
    assert len(files) == 1 and files[0].read_bytes() == PNG


@pytest.mark.django_db
def test_success_redirects_to_a_confirmation_with_the_reference(client):
    response = post(client, valid_data())
    assert response.status_code == 302
    assert response["Location"] == reverse("payments:sent")
    problem = PaymentProblem.objects.get()
    assert problem.reference.startswith("ZP-")
    page = client.get(reverse("payments:sent"))
    html = page.content.decode()
    assert problem.reference in html
    assert "anna@example.ch" in html
    assert "meldet sich direkt bei Ihnen" in html


@pytest.mark.django_db
def test_confirmation_page_shows_nothing_to_another_visitor(client, django_user_model):
    post(client, valid_data())
    from django.test import Client

    stranger = Client()
    response = stranger.get(reverse("payments:sent"))
    assert response.status_code == 302
    assert response["Location"] == URL


@pytest.mark.django_db
def test_stored_report_holds_every_field(client):
    post(client, valid_data(completed="no", payment_method="postfinance"))
    problem = PaymentProblem.objects.get()
    assert problem.name == "Anna Meier"
    assert problem.email == "anna@example.ch"
    assert problem.phone == "+41 79 123 45 67"
    assert problem.ebook_titles == "Der Besuch der alten Dame, Homo faber"
    assert problem.order_number == "EBK-778812"
    assert str(problem.amount_chf) == "19.90"
    assert problem.payment_method == "postfinance"
    assert problem.get_payment_method_display() == "PostFinance"
    assert problem.occurred_time.strftime("%H:%M") == "14:30"
    assert problem.completed == "no"
    assert problem.description.startswith("Die TWINT-App")
    assert problem.language == "de"
    assert problem.handled is False


@pytest.mark.django_db
def test_double_submit_stores_one_report(client):
    data = valid_data()
    first = post(client, data)
    second = post(client, data)
    assert first.status_code == second.status_code == 302
    assert PaymentProblem.objects.count() == 1
    assert OutboundMessage.objects.count() == 2  # the hotline and the customer, once each
    assert PaymentProblem.objects.get().reference in client.get(reverse("payments:sent")).content.decode()


@pytest.mark.django_db
def test_replayed_token_from_another_browser_reveals_no_address(client):
    data = valid_data()
    post(client, data)
    from django.test import Client

    other = Client()
    response = other.post(URL, {**data, "email": "mallory@example.ch"})
    assert response.status_code == 302
    html = other.get(reverse("payments:sent")).content.decode()
    assert "anna@example.ch" not in html
    assert PaymentProblem.objects.count() == 1


@pytest.mark.django_db
def test_honeypot_filled_stores_nothing_and_looks_like_success(client):
    response = post(client, valid_data(website="http://spam.example"))
    assert response.status_code == 302
    assert not PaymentProblem.objects.exists()
    assert not OutboundMessage.objects.exists()


@pytest.mark.django_db
def test_payment_methods_come_from_settings(client, settings):
    settings.PAYMENT_METHODS = [("invoice", "Rechnung"), ("twint", "TWINT")]
    html = client.get(URL).content.decode()
    assert "Rechnung" in html and "PayPal" not in html
    response = post(client, valid_data(payment_method="paypal"))
    assert response.context["form"].errors["payment_method"]
    assert post(client, valid_data(payment_method="invoice")).status_code == 302
    assert PaymentProblem.objects.get().get_payment_method_display() == "Rechnung"


@pytest.mark.django_db
def test_submits_past_the_ip_limit_get_429_with_a_clear_message(client, settings):
    settings.RATELIMIT_PER_IP = 3
    settings.RATELIMIT_PER_EMAIL = 100
    codes = [post(client, valid_data(email=f"kunde{i}@example.ch")).status_code for i in range(5)]
    assert codes == [302, 302, 302, 429, 429]
    response = post(client, valid_data())
    assert response.status_code == 429
    assert response["Retry-After"]
    html = response.content.decode()
    assert "Zu viele Anfragen" in html and "nicht gespeichert" in html
    assert PaymentProblem.objects.count() == 3


@pytest.mark.django_db
def test_submits_past_the_address_limit_get_429_even_from_new_ips(client, settings):
    settings.RATELIMIT_PER_IP = 100
    settings.RATELIMIT_PER_EMAIL = 2
    codes = [post(client, valid_data(), REMOTE_ADDR=f"10.0.0.{i}").status_code for i in range(3)]
    assert codes == [302, 302, 429]
    assert post(client, valid_data(email="ANNA@example.ch"), REMOTE_ADDR="10.0.0.9").status_code == 429
    assert post(client, valid_data(email="beat@example.ch"), REMOTE_ADDR="10.0.0.9").status_code == 302
    assert PaymentProblem.objects.count() == 3


@pytest.mark.django_db
def test_get_requests_do_not_count_against_the_limit(client, settings):
    settings.RATELIMIT_PER_IP = 1
    for _ in range(3):
        assert client.get(URL).status_code == 200
    assert post(client, valid_data()).status_code == 302
