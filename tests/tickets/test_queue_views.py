"""The bookshop's queue: its own cases only, the actions with their required texts, constant query counts."""

import pytest
from django.urls import reverse

from tests.conftest import login
from tickets import services
from tickets.models import Ticket


def make_cases(bookshop, count):
    for i in range(count):
        services.create_ticket(bookshop=bookshop, customer_name=f"Kunde {i}", customer_email=f"k{i}@example.ch",
                               subject=f"Frage {i}", message="Text")


CASE_URLS = ["tickets:queue-case"]
ACTIONS = ["reply", "note", "message_level1", "solve", "escalate_to_level1", "reopen"]


def test_anonymous_gets_the_login_page(client, new_case):
    for url in [reverse("tickets:queue"), reverse("tickets:queue-case", args=[new_case.reference])]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_other_bookshop_gets_404_on_case_page(client, new_case, other_bookshop_user):
    login(client, other_bookshop_user)
    assert client.get(reverse("tickets:queue-case", args=[new_case.reference])).status_code == 404


@pytest.mark.parametrize("action", ACTIONS)
def test_other_bookshop_gets_404_on_every_action_and_nothing_changes(client, new_case, other_bookshop_user, action):
    login(client, other_bookshop_user)
    response = client.post(reverse("tickets:queue-action", args=[new_case.reference, action]),
                           {f"{action}-text": "Hallo"})
    assert response.status_code == 404
    new_case.refresh_from_db()
    assert new_case.state == "bookshop"
    assert new_case.events.count() == 1


def test_level_staff_without_shop_gets_404_on_queue_case(client, new_case, level1_user):
    login(client, level1_user)
    assert client.get(reverse("tickets:queue-case", args=[new_case.reference])).status_code == 404


def test_queue_lists_only_own_cases(client, bookshop, other_bookshop, bookshop_user):
    make_cases(bookshop, 2)
    make_cases(other_bookshop, 3)
    login(client, bookshop_user)
    response = client.get(reverse("tickets:queue"))
    shown = {ticket.reference for ticket in response.context["page"]}
    assert shown == set(Ticket.objects.filter(bookshop=bookshop).values_list("reference", flat=True))
    assert response.context["counts"]["bookshop"] == 2


def test_escalation_without_what_was_tried_is_refused(client, new_case, bookshop_user):
    login(client, bookshop_user)
    response = client.post(reverse("tickets:queue-action", args=[new_case.reference, "escalate_to_level1"]),
                           {"escalate_to_level1-text": "  "})
    assert response.status_code == 400
    assert "Dieses Feld ist zwingend erforderlich." in response.content.decode()
    new_case.refresh_from_db()
    assert new_case.state == "bookshop"


def test_solve_without_what_solved_it_is_refused(client, new_case, bookshop_user):
    login(client, bookshop_user)
    response = client.post(reverse("tickets:queue-action", args=[new_case.reference, "solve"]), {"solve-text": ""})
    assert response.status_code == 400
    new_case.refresh_from_db()
    assert new_case.state == "bookshop"


def test_bookshop_escalates_and_still_sees_the_case(client, new_case, bookshop_user, settings):
    login(client, bookshop_user)
    response = client.post(reverse("tickets:queue-action", args=[new_case.reference, "escalate_to_level1"]),
                           {"escalate_to_level1-text": "Neustart und Sync versucht."}, follow=True)
    assert response.status_code == 200
    new_case.refresh_from_db()
    assert new_case.state == "level1"
    page = response.content.decode()
    assert "Neustart und Sync versucht." in page
    assert "bei Support Level 1" in page
    # Only Level 1 and 2 move it on now: the bookshop is offered no transition.
    assert response.context["transitions"] == []


def test_reply_goes_to_the_customer_and_stops_the_clock(client, new_case, bookshop_user):
    from mail.models import OutboundMessage

    login(client, bookshop_user)
    client.post(reverse("tickets:queue-action", args=[new_case.reference, "reply"]),
                {"reply-text": "Bitte halten Sie den Knopf 30 Sekunden gedrückt."})
    new_case.refresh_from_db()
    assert new_case.waiting_since is None and new_case.answer_due_at is None
    mail = OutboundMessage.objects.filter(to=[new_case.customer_email]).latest("created_at")
    assert "30 Sekunden" in mail.body_text


def test_internal_note_is_not_mailed_to_anyone(client, new_case, bookshop_user):
    from mail.models import OutboundMessage

    before = OutboundMessage.objects.count()
    login(client, bookshop_user)
    client.post(reverse("tickets:queue-action", args=[new_case.reference, "note"]), {"note-text": "Kunde ist VIP"})
    assert new_case.events.filter(kind="internal_note", text="Kunde ist VIP").exists()
    assert OutboundMessage.objects.count() == before


@pytest.mark.parametrize("count", [10, 200])
def test_queue_page_makes_the_same_number_of_queries(client, bookshop, bookshop_user, count,
                                                     django_assert_num_queries):
    make_cases(bookshop, count)
    login(client, bookshop_user)
    # session, user, membership, shop, counts, page count, page rows
    with django_assert_num_queries(7):
        response = client.get(reverse("tickets:queue"))
    assert response.status_code == 200


@pytest.mark.parametrize("events", [1, 40])
def test_case_page_makes_the_same_number_of_queries(client, new_case, bookshop_user, events,
                                                    django_assert_num_queries):
    for i in range(events):
        services.add_internal_note(ticket_id=new_case.pk, actor=bookshop_user, text=f"Notiz {i}")
    login(client, bookshop_user)
    # session, user, membership, shop, case, events (+actors), attachments, mails
    with django_assert_num_queries(8):
        response = client.get(reverse("tickets:queue-case", args=[new_case.reference]))
    assert response.status_code == 200


def test_inactive_bookshop_login_is_refused(client, bookshop, bookshop_user):
    bookshop.is_active = False
    bookshop.save()
    response = client.post(reverse("login"), {"username": "shopuser", "password": "pw-shopuser"})
    assert response.status_code == 200
    assert "nicht mehr aktiv" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_inactive_bookshop_loses_its_open_session(client, bookshop, bookshop_user):
    login(client, bookshop_user)
    assert client.get(reverse("tickets:queue")).status_code == 200
    bookshop.is_active = False
    bookshop.save()
    response = client.get(reverse("tickets:queue"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_password_reset_mail_goes_through_the_outbox(client, bookshop_user, django_capture_on_commit_callbacks):
    from django.core import mail

    from mail.models import OutboundMessage

    bookshop_user.email = "lea@lesezeichen.example"
    bookshop_user.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("password_reset"), {"email": "lea@lesezeichen.example"})
    assert response.status_code == 302
    row = OutboundMessage.objects.get(to=["lea@lesezeichen.example"])
    assert row.status == "sent"
    assert "/accounts/reset/" in mail.outbox[0].body
    assert "shopuser" in mail.outbox[0].body


def test_htmx_note_updates_the_case_section_in_place(client, new_case, bookshop_user):
    login(client, bookshop_user)
    response = client.post(reverse("tickets:queue-action", args=[new_case.reference, "note"]),
                           {"note-text": "per htmx"}, HTTP_HX_REQUEST="true", follow=True)
    page = response.content.decode()
    assert 'id="case-main"' in page
    assert "per htmx" in page
    assert "Die interne Notiz ist gespeichert." in page


def test_overdue_case_gets_a_badge_and_leads_the_overdue_sort(client, bookshop, bookshop_user):
    from datetime import timedelta

    from django.utils import timezone

    make_cases(bookshop, 3)
    late = Ticket.objects.order_by("pk").last()
    Ticket.objects.filter(pk=late.pk).update(answer_due_at=timezone.now() - timedelta(hours=2))
    login(client, bookshop_user)
    response = client.get(reverse("tickets:queue"), {"sort": "overdue"})
    rows = list(response.context["page"])
    assert rows[0].pk == late.pk
    assert response.content.decode().count("badge overdue") == 1


def test_login_error_is_in_swiss_spelling(client, bookshop_user):
    response = client.post(reverse("login"), {"username": "shopuser", "password": "falsch"})
    page = response.content.decode()
    assert "Gross-/Kleinschreibung" in page
    assert "ß" not in page


def test_password_reset_requests_are_limited_per_address(client, bookshop_user, settings):
    settings.RATELIMIT_PER_EMAIL = 2
    for _ in range(2):
        assert client.post(reverse("password_reset"), {"email": "x@example.ch"}).status_code == 302
    assert client.post(reverse("password_reset"), {"email": "x@example.ch"}).status_code == 429
