"""One real journey over HTTP: contact form -> bookshop -> Level 1 -> Level 2 -> solved."""

import re
import uuid

from django.core import mail
from django.urls import reverse

from tests.conftest import login
from tickets.models import Ticket


def contact_data(bookshop, **overrides):
    data = {
        "bookshop": bookshop.pk,
        "customer_name": "Anna Meier",
        "customer_email": "anna@example.ch",
        "category": "problem",
        "device": "windows_pc",
        "subject": "Adobe-Fehler beim Öffnen",
        "message": "Mein eBook zeigt E_ADEPT_REQUEST_EXPIRED.",
        "privacy": "on",
        "submission_key": str(uuid.uuid4()),
    }
    data.update(overrides)
    return data


def test_the_whole_journey(client, bookshop, bookshop_user, level1_user, level2_user,
                           django_capture_on_commit_callbacks):
    # The customer writes to the bookshop.
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("tickets:contact"), contact_data(bookshop), follow=True)
    assert response.status_code == 200
    ticket = Ticket.objects.get()
    assert ticket.reference in response.content.decode()
    to_bookshop = [m for m in mail.outbox if m.to == ["team@lesezeichen.example"]]
    assert len(to_bookshop) == 1 and "E_ADEPT_REQUEST_EXPIRED" in to_bookshop[0].body
    to_customer = [m for m in mail.outbox if m.to == ["anna@example.ch"]]
    case_link = re.search(r"http://testserver(/case/[\w-]+/)", to_customer[0].body).group(1)

    # The bookshop escalates to Level 1.
    shop = login(client.__class__(), bookshop_user)
    with django_capture_on_commit_callbacks(execute=True):
        shop.post(reverse("tickets:queue-action", args=[ticket.reference, "escalate_to_level1"]),
                  {"escalate_to_level1-text": "Neu autorisiert, ohne Erfolg."})
    assert any(m.to == ["level1@ebookit.ch"] for m in mail.outbox)

    # Level 1 passes it to Level 2 in the admin.
    level1 = login(client.__class__(), level1_user)
    change = level1.get(reverse("admin:tickets_ticket_change", args=[ticket.pk]))
    assert "escalate_to_level2" in change.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = level1.post(reverse("admin:tickets_ticket_transition", args=[ticket.pk, "escalate_to_level2"]),
                               {"text": "DRM-Fehler, braucht Fernwartung."})
    assert response.status_code == 302
    assert any(m.to == ["level2@ebookit.ch"] for m in mail.outbox)

    # Level 2 solves it; the customer is told.
    level2 = login(client.__class__(), level2_user)
    with django_capture_on_commit_callbacks(execute=True):
        level2.post(reverse("admin:tickets_ticket_transition", args=[ticket.pk, "solve"]),
                    {"text": "Adobe-ID neu verknüpft, das Buch öffnet wieder."})
    ticket.refresh_from_db()
    assert ticket.state == "solved"
    solved_mail = [m for m in mail.outbox if m.to == ["anna@example.ch"] and "gelöst" in m.subject]
    assert len(solved_mail) == 1 and "Adobe-ID neu verknüpft" in solved_mail[0].body

    # The timeline shows each step with who did it.
    steps = [(e.transition, e.actor_role, e.actor.username if e.actor else None)
             for e in ticket.events.filter(kind="transition")]
    assert steps == [("escalate_to_level1", "bookshop", "shopuser"), ("escalate_to_level2", "level1", "level1"),
                     ("solve", "level2", "level2")]
    page = level2.get(reverse("admin:tickets_ticket_change", args=[ticket.pk])).content.decode()
    for text in ["Neu autorisiert, ohne Erfolg.", "DRM-Fehler, braucht Fernwartung.", "Adobe-ID neu verknüpft"]:
        assert text in page

    # The customer's private page shows the state, and not the internal escalation texts.
    customer_page = client.get(case_link).content.decode()
    assert "gelöst" in customer_page
    assert "Adobe-ID neu verknüpft" in customer_page
    assert "DRM-Fehler, braucht Fernwartung." not in customer_page


def test_double_submit_makes_one_case(client, bookshop, django_capture_on_commit_callbacks):
    data = contact_data(bookshop)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("tickets:contact"), data)
        response = client.post(reverse("tickets:contact"), data, follow=True)
    assert response.status_code == 200
    assert Ticket.objects.count() == 1
    assert len([m for m in mail.outbox if m.to == ["anna@example.ch"]]) == 1


def test_level1_cannot_do_level2_transitions_in_admin(client, new_case, bookshop_user, level1_user, level2_user):
    from tests.tickets.helpers import case_in_state

    ticket = case_in_state("level2", new_case, bookshop_user=bookshop_user, level1_user=level1_user,
                           level2_user=level2_user)
    login(client, level1_user)
    response = client.post(reverse("admin:tickets_ticket_transition", args=[ticket.pk, "abort"]),
                           {"finding": "malware", "text": "x"})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "level2"


def test_bookshop_login_cannot_enter_the_admin(client, bookshop_user, new_case):
    login(client, bookshop_user)
    response = client.get(reverse("admin:tickets_ticket_change", args=[new_case.pk]))
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_replayed_submission_from_another_browser_shows_no_reference(client, bookshop):
    data = contact_data(bookshop)
    client.post(reverse("tickets:contact"), data)
    other = client.__class__()
    response = other.post(reverse("tickets:contact"), data, follow=True)
    assert Ticket.objects.count() == 1
    page = response.content.decode()
    assert Ticket.objects.get().reference not in page
    assert "bereits erhalten" in page
