"""Personal data (DSG): the daily anonymisation of old closed cases, and export and erasure of one customer address
from the admin's privacy page."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import include, path
from django.utils import timezone

from common.uploads import private_path
from ebookit_support import urls as site_urls
from mail.models import InboundMessage, OutboundMessage
from tests.conftest import login, make_user
from tests.tickets.helpers import case_in_state
from tickets import privacy, services
from tickets.models import Refund, Ticket, TicketAttachment, TicketEvent
from tickets.tasks import anonymise_expired_cases

_wired = any(getattr(p, "namespace", None) == "staff_admin" for p in site_urls.urlpatterns)
urlpatterns = list(site_urls.urlpatterns) if _wired else [
    path("admin/", include("tickets.staff_admin")), *site_urls.urlpatterns
]
pytestmark = pytest.mark.urls(__name__)

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
PAGE, EXPORT, ERASE = "/admin/privacy/", "/admin/privacy/export/", "/admin/privacy/erase/"


def new_case(bookshop, *, name="Anna Meier", email="anna@example.ch", files=()):
    made = services.create_ticket(
        bookshop=bookshop, customer_name=name, customer_email=email, subject="PocketBook startet nicht",
        message="Der Bildschirm bleibt schwarz.", order_number="ORD-4711",
        files=[SimpleUploadedFile("bildschirm.png", PNG, content_type="image/png") for _ in files],
    )
    return made.ticket, made.access_token


def close_days_ago(ticket, days: int) -> None:
    when = timezone.now() - timedelta(days=days)
    Ticket.objects.filter(pk=ticket.pk).update(created_at=when - timedelta(days=3), closed_at=when)


def is_anonymised(ticket) -> bool:
    ticket.refresh_from_db()
    return ticket.anonymised_at is not None


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("chefin", "chefin@ebookit.example", "pw-chefin")


@pytest.fixture
def users(bookshop_user, level1_user, level2_user):
    return {"bookshop_user": bookshop_user, "level1_user": level1_user, "level2_user": level2_user}


# --- the periodic anonymisation ----------------------------------------------------------------------------


def test_task_anonymises_cases_closed_longer_than_two_years(
    bookshop, users, django_capture_on_commit_callbacks
):
    old, _token = new_case(bookshop, files=["png"])
    case_in_state("refunded", old, **users)
    close_days_ago(old, 731)
    stored = private_path(TicketAttachment.objects.get(ticket=old).path)
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert anonymise_expired_cases.apply().get() == 1

    old.refresh_from_db()
    assert (old.customer_name, old.customer_email, old.subject, old.message, old.order_number) == (
        "anonymisiert", privacy.PLACEHOLDER_EMAIL, "anonymisiert", "anonymisiert", "")
    assert old.access_token_hash is None
    assert old.anonymised_at is not None
    # The skeleton stays for the statistics.
    assert (old.state, old.bookshop_id) == ("refunded", bookshop.pk) and old.closed_at and old.reference
    texts = list(old.events.exclude(kind=TicketEvent.Kind.INTERNAL_NOTE).values_list("text", flat=True))
    assert texts and set(texts) == {"anonymisiert"}
    note = old.events.get(kind=TicketEvent.Kind.INTERNAL_NOTE)
    assert note.actor is None and note.actor_role == "system" and "Aufbewahrungsfrist (730 Tage)" in note.text
    assert not TicketAttachment.objects.filter(ticket=old).exists() and not stored.exists()
    refund = Refund.objects.get(ticket=old)
    assert refund.ebook_title == "anonymisiert" and refund.amount_chf > 0
    mails = OutboundMessage.objects.filter(thread=old.reference)
    assert mails.exists()
    for mail in mails:
        assert mail.to == [] and mail.reply_to == [] and mail.body_text == "anonymisiert" and mail.body_html == ""
        assert mail.subject == f"[{old.reference}] anonymisiert"
        assert "Anna" not in mail.subject


def test_task_leaves_open_and_recently_closed_cases_alone(bookshop, users):
    recent, _ = new_case(bookshop)
    case_in_state("solved", recent, **users)
    close_days_ago(recent, 729)
    still_open, _ = new_case(bookshop)
    Ticket.objects.filter(pk=still_open.pk).update(created_at=timezone.now() - timedelta(days=1000))

    assert anonymise_expired_cases.apply().get() == 0

    for ticket in (recent, still_open):
        assert not is_anonymised(ticket)
        assert ticket.customer_name == "Anna Meier"


def test_task_runs_once_per_case(bookshop, users):
    old, _ = new_case(bookshop)
    case_in_state("solved", old, **users)
    close_days_ago(old, 800)
    assert anonymise_expired_cases.apply().get() == 1
    assert anonymise_expired_cases.apply().get() == 0
    assert old.events.filter(kind=TicketEvent.Kind.INTERNAL_NOTE).count() == 1


def test_retention_period_comes_from_the_settings(bookshop, users, settings):
    settings.PRIVACY_RETENTION_DAYS = 30
    case, _ = new_case(bookshop)
    case_in_state("aborted", case, **users)
    close_days_ago(case, 31)
    assert privacy.anonymise_expired() == 1
    assert is_anonymised(case)


def test_anonymised_case_shows_placeholders_in_the_admin(client, bookshop, users, level1_user):
    case, _ = new_case(bookshop)
    case_in_state("solved", case, **users)
    close_days_ago(case, 800)
    privacy.anonymise_expired()
    page = login(client, level1_user).get(f"/admin/tickets/ticket/{case.pk}/change/").content.decode()
    assert "anonymisiert" in page
    assert "Anna Meier" not in page and "anna@example.ch" not in page and "schwarz" not in page


# --- who may use the privacy page ---------------------------------------------------------------------------


def test_privacy_page_is_for_superusers(client, superuser, db):
    response = login(client, superuser).get(PAGE)
    assert response.status_code == 200
    assert "730 Tage" in response.content.decode()


@pytest.mark.parametrize("url", [PAGE, EXPORT, ERASE])
def test_support_staff_without_the_privacy_permission_gets_403(client, level1_user, url):
    response = login(client, level1_user).post(url, {"email": "anna@example.ch", "confirm": "on", "step": "confirm"})
    assert response.status_code == 403


def test_bookshop_login_is_sent_to_the_admin_login(client, bookshop_user):
    response = login(client, bookshop_user).post(EXPORT, {"email": "anna@example.ch"})
    assert response.status_code == 302 and response["Location"].startswith("/admin/login/")


def test_export_and_erase_need_post(client, superuser):
    login(client, superuser)
    assert client.get(EXPORT).status_code == 405
    assert client.get(ERASE).status_code == 405


# --- lookup and export ---------------------------------------------------------------------------------------


def test_lookup_lists_the_cases_of_the_address(client, superuser, bookshop):
    case, _ = new_case(bookshop)
    new_case(bookshop, name="Beat Keller", email="beat@example.ch")
    page = login(client, superuser).post(PAGE, {"email": "ANNA@example.ch"}).content.decode()
    assert case.reference in page
    assert "EB-2026" in page and page.count("<tr><th scope=\"row\">EB-") == 1


def test_lookup_refuses_a_malformed_address(client, superuser):
    response = login(client, superuser).post(PAGE, {"email": "nicht-eine-adresse"})
    assert response.status_code == 400


def test_export_holds_cases_timeline_attachments_and_mails(client, superuser, bookshop, users):
    case, _ = new_case(bookshop, files=["png"])
    services.send_message(ticket_id=case.pk, actor=users["bookshop_user"], text="Bitte halten Sie die Taste 10 s.",
                          to="customer")
    case_in_state("refunded", case, **users)
    InboundMessage.objects.create(esp="test", dedupe_key="m1", from_address="anna@example.ch",
                                  subject="Danke", body_text="Es geht wieder.", thread=case.reference)
    other, _ = new_case(bookshop, name="Beat Keller", email="beat@example.ch")

    response = login(client, superuser).post(EXPORT, {"email": "Anna@Example.ch"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert [c["reference"] for c in data["cases"]] == [case.reference]
    exported = data["cases"][0]
    assert exported["customer_name"] == "Anna Meier" and exported["message"] == "Der Bildschirm bleibt schwarz."
    assert exported["order_number"] == "ORD-4711" and exported["state"] == "refunded"
    texts = [entry["text"] for entry in exported["timeline"]]
    assert "Der Bildschirm bleibt schwarz." in texts and "Bitte halten Sie die Taste 10 s." in texts
    assert [a["name"] for a in exported["attachments"]] == ["bildschirm.png"]
    assert exported["refund"]["ebook_title"] == "Der Gotthard"
    assert any(mail["to"] == ["anna@example.ch"] for mail in data["mails_sent"])
    assert {mail["case"] for mail in data["mails_sent"]} == {case.reference}
    assert [mail["body_text"] for mail in data["mails_received"]] == ["Es geht wieder."]
    assert other.reference not in response.content.decode()
    # Nothing changed by exporting.
    assert not is_anonymised(case)


# --- erase ---------------------------------------------------------------------------------------------------


def test_erase_asks_for_confirmation_first(client, superuser, bookshop):
    case, _ = new_case(bookshop)
    login(client, superuser)

    response = client.post(ERASE, {"email": "anna@example.ch"})
    assert response.status_code == 200
    page = response.content.decode()
    assert case.reference in page and 'id="erase-confirm"' in page and "noch offen" in page

    response = client.post(ERASE, {"email": "anna@example.ch", "step": "confirm"})  # box not ticked
    assert response.status_code == 400
    assert not is_anonymised(case)


def test_erase_removes_the_personal_data_of_the_address(
    client, superuser, bookshop, users, django_capture_on_commit_callbacks
):
    case, token = new_case(bookshop, files=["png"])
    assert client.get(f"/case/{token}/").status_code == 200
    case_in_state("solved", case, **users)
    stored = private_path(TicketAttachment.objects.get(ticket=case).path)
    reply = InboundMessage.objects.create(esp="test", dedupe_key="m1", from_address="anna@example.ch",
                                          from_name="Anna Meier", subject="Frage", body_text="Noch etwas.")
    other, _ = new_case(bookshop, name="Beat Keller", email="beat@example.ch")
    login(client, superuser)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(ERASE, {"email": "anna@example.ch", "step": "confirm", "confirm": "on"})

    assert response.status_code == 302 and response["Location"] == PAGE
    assert "Die Personendaten sind gelöscht: 1 Fall" in client.get(PAGE).content.decode()
    case.refresh_from_db()
    assert case.customer_name == "anonymisiert" and case.customer_email == privacy.PLACEHOLDER_EMAIL
    assert case.subject == "anonymisiert" and case.message == "anonymisiert"
    assert (case.state, case.bookshop_id) == ("solved", bookshop.pk) and case.created_at and case.closed_at
    note = case.events.get(kind=TicketEvent.Kind.INTERNAL_NOTE)
    assert note.actor == superuser and note.text == privacy.ERASURE_NOTE
    assert set(case.events.exclude(pk=note.pk).values_list("text", flat=True)) == {"anonymisiert"}
    assert not TicketAttachment.objects.filter(ticket=case).exists() and not stored.exists()
    for mail in OutboundMessage.objects.filter(thread=case.reference):
        assert mail.to == [] and mail.body_text == "anonymisiert"
    reply.refresh_from_db()
    assert (reply.from_address, reply.from_name, reply.body_text) == ("", "", "anonymisiert")
    # The private link is dead, and nothing is left to find under the address.
    assert client.get(f"/case/{token}/").status_code == 404
    assert json.loads(client.post(EXPORT, {"email": "anna@example.ch"}).content)["cases"] == []
    # Another customer's case is untouched.
    other.refresh_from_db()
    assert other.customer_name == "Beat Keller" and other.anonymised_at is None
    assert OutboundMessage.objects.filter(thread=other.reference).exclude(body_text="anonymisiert").exists()


def test_erase_of_an_open_case_stops_its_pending_mail(client, superuser, bookshop):
    case, _ = new_case(bookshop)
    OutboundMessage.objects.filter(thread=case.reference).update(status=OutboundMessage.Status.PENDING)
    login(client, superuser).post(ERASE, {"email": "anna@example.ch", "step": "confirm", "confirm": "on"})
    assert is_anonymised(case) and case.state == "bookshop"
    statuses = set(OutboundMessage.objects.filter(thread=case.reference).values_list("status", flat=True))
    assert statuses == {OutboundMessage.Status.FAILED}


def test_erased_cases_still_count_on_the_dashboard(client, superuser, bookshop):
    new_case(bookshop)
    login(client, superuser).post(ERASE, {"email": "anna@example.ch", "step": "confirm", "confirm": "on"})
    figures = client.get("/admin/dashboard/").context["figures"]
    assert figures.open_by_state["bookshop"] == 1


def test_custom_permission_opens_the_privacy_page(client, db, monkeypatch):
    """Until the permission exists, only superusers pass; a user granted it (as the lead may add it) passes too."""
    user = make_user("datenschutz", is_staff=True)
    monkeypatch.setattr(type(user), "has_perm", lambda self, perm, obj=None: perm == privacy.PRIVACY_PERM)
    assert login(client, user).get(PAGE).status_code == 200


def test_erase_scrubs_mail_to_the_address_outside_any_case(client, superuser, db):
    """A mail to the customer that belongs to no case (for instance a payment-problem confirmation)."""
    def mail(to, key):
        return OutboundMessage.objects.create(thread="ZP-2026-000001", from_email="support@ebookit.ch", to=to,
                                              subject="Ihre Meldung", body_text="Guten Tag Frau Meier",
                                              message_id=f"<{key}@test>")

    to_customer, to_hotline = mail(["Anna Meier <ANNA@example.ch>"], "a"), mail(["hotline@comelivres.ch"], "b")
    lookalike = mail(["hanna@example.ch"], "c")
    login(client, superuser)
    exported = json.loads(client.post(EXPORT, {"email": "anna@example.ch"}).content)
    assert [m["to"] for m in exported["mails_sent"]] == [["Anna Meier <ANNA@example.ch>"]]

    client.post(ERASE, {"email": "anna@example.ch", "step": "confirm", "confirm": "on"})

    to_customer.refresh_from_db()
    assert to_customer.to == [] and to_customer.body_text == "anonymisiert" and to_customer.subject == (
        "[ZP-2026-000001] anonymisiert")
    for untouched in (to_hotline, lookalike):
        untouched.refresh_from_db()
        assert untouched.body_text == "Guten Tag Frau Meier"
