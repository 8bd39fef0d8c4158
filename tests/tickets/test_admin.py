"""Level 1 and Level 2 work cases in the admin: list, filters, transition forms, messages, assignment."""

import pytest
from django.core import mail
from django.urls import reverse

from mail.models import OutboundMessage
from tests.conftest import login
from tickets import services
from tickets.models import Refund

from .helpers import case_in_state


@pytest.fixture
def level1_case(new_case, bookshop_user, level1_user, level2_user):
    return case_in_state("level1", new_case, bookshop_user=bookshop_user, level1_user=level1_user,
                         level2_user=level2_user)


def test_change_page_offers_only_the_transitions_the_user_may_do_now(client, level1_case, level1_user, level2_user):
    login(client, level1_user)
    page = client.get(reverse("admin:tickets_ticket_change", args=[level1_case.pk])).content.decode()
    for name in ["escalate_to_level2", "return_to_bookshop", "solve", "refund"]:
        assert f"/transition/{name}/" in page
    for name in ["abort", "return_to_level1", "escalate_to_level1"]:
        assert f"/transition/{name}/" not in page
    login(client, level2_user)
    page = client.get(reverse("admin:tickets_ticket_change", args=[level1_case.pk])).content.decode()
    assert "/transition/" not in page


def test_refund_without_customer_consulted_is_refused_in_the_admin(client, level1_case, level1_user):
    login(client, level1_user)
    response = client.post(reverse("admin:tickets_ticket_transition", args=[level1_case.pk, "refund"]), {
        "ebook_title": "Der Gotthard", "amount_chf": "24.90", "reason": "not_solvable",
    })
    assert response.status_code == 400
    assert "nur nach Rücksprache mit dem Kunden" in response.content.decode()
    level1_case.refresh_from_db()
    assert level1_case.state == "level1"
    assert not Refund.objects.exists()


def test_refund_in_the_admin_closes_the_case_and_instructs_the_hotline(
    client, level1_case, level1_user, settings, django_capture_on_commit_callbacks
):
    login(client, level1_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("admin:tickets_ticket_transition", args=[level1_case.pk, "refund"]), {
            "ebook_title": "Der Gotthard", "amount_chf": "24.90", "payment_reference": "TX-1",
            "reason": "technical", "customer_consulted": "on",
        })
    assert response.status_code == 302
    level1_case.refresh_from_db()
    assert level1_case.state == "refunded" and level1_case.closed_at
    hotline = next(m for m in mail.outbox if m.to == [settings.SUPPORT_HOTLINE_EMAIL])
    for text in ["Der Gotthard", "CHF 24.90", "TX-1", "technische Probleme", level1_case.customer_email]:
        assert text in hotline.body
    assert any(m.to == [level1_case.customer_email] for m in mail.outbox)


def test_level1_message_goes_to_the_bookshop_by_default(client, level1_case, level1_user):
    login(client, level1_user)
    form = client.get(reverse("admin:tickets_ticket_message", args=[level1_case.pk])).context["form"]
    assert form["to"].value() == "bookshop"
    client.post(reverse("admin:tickets_ticket_message", args=[level1_case.pk]),
                {"text": "Bitte Kunde nach Firmware fragen.", "to": "bookshop"})
    row = OutboundMessage.objects.latest("created_at")
    assert row.to == ["team@lesezeichen.example"]
    event = level1_case.events.latest("created_at")
    assert (event.kind, event.audience) == ("message", "bookshop")


def test_level1_may_write_to_the_customer_when_chosen_explicitly(client, level1_case, level1_user):
    login(client, level1_user)
    client.post(reverse("admin:tickets_ticket_message", args=[level1_case.pk]),
                {"text": "Direkt an Sie.", "to": "customer"})
    row = OutboundMessage.objects.latest("created_at")
    assert row.to == [level1_case.customer_email]
    assert "Direkt an Sie." in row.body_text


def test_transition_form_requires_its_text(client, level1_case, level1_user):
    login(client, level1_user)
    response = client.post(reverse("admin:tickets_ticket_transition", args=[level1_case.pk, "escalate_to_level2"]),
                           {"text": ""})
    assert response.status_code == 400
    level1_case.refresh_from_db()
    assert level1_case.state == "level1"


def test_stale_transition_tells_the_user_someone_else_acted(client, level1_case, level1_user, bookshop_user):
    login(client, level1_user)
    services.solve(ticket_id=level1_case.pk, actor=level1_user, what_solved_it="Erledigt.")
    response = client.post(reverse("admin:tickets_ticket_transition", args=[level1_case.pk, "escalate_to_level2"]),
                           {"text": "zu spät"}, follow=True)
    assert "nicht möglich" in response.content.decode()
    level1_case.refresh_from_db()
    assert level1_case.state == "solved"


def test_assignment_to_a_staff_member(client, level1_case, level1_user):
    login(client, level1_user)
    url = reverse("admin:tickets_ticket_change", args=[level1_case.pk])
    response = client.post(url, {"assigned_to": level1_user.pk})
    assert response.status_code == 302
    level1_case.refresh_from_db()
    assert level1_case.assigned_to == level1_user
    assert level1_case.state == "level1"


@pytest.mark.parametrize("filters", [{}, {"state__exact": "level1"}, {"overdue": "yes"}, {"q": "Anna"}])
def test_list_with_filters_and_search(client, level1_case, level1_user, filters):
    login(client, level1_user)
    response = client.get(reverse("admin:tickets_ticket_changelist"), filters)
    assert response.status_code == 200


@pytest.mark.parametrize("count", [5, 60])
def test_list_query_count_does_not_grow(client, bookshop, level1_user, count, django_assert_max_num_queries):
    for i in range(count):
        services.create_ticket(bookshop=bookshop, customer_name=f"K{i}", customer_email=f"k{i}@example.ch",
                               subject="s", message="m")
    login(client, level1_user)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("admin:tickets_ticket_changelist")).status_code == 200
