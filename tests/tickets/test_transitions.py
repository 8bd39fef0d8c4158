"""The case state machine: every state x every transition x every role, as PRODUCT.md's table says."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.exceptions import PermissionDenied, ValidationError

from mail.models import OutboundMessage
from tickets import services
from tickets.models import Ticket, TicketEvent

from .helpers import TRANSITION_ARGS, case_in_state, run

STATES = ["bookshop", "level1", "level2", "solved", "aborted", "refunded"]
ROLES = ["own_bookshop", "other_bookshop", "level1", "level2", "anonymous"]

# (transition, from state) -> (target, roles allowed). Everything not listed is refused.
ALLOWED = {
    ("solve", "bookshop"): ("solved", {"own_bookshop"}),
    ("solve", "level1"): ("solved", {"level1"}),
    ("solve", "level2"): ("solved", {"level2"}),
    ("escalate_to_level1", "bookshop"): ("level1", {"own_bookshop", "level1"}),
    ("return_to_bookshop", "level1"): ("bookshop", {"level1"}),
    ("escalate_to_level2", "level1"): ("level2", {"level1"}),
    ("return_to_level1", "level2"): ("level1", {"level2"}),
    ("abort", "level2"): ("aborted", {"level2"}),
    ("refund", "level1"): ("refunded", {"level1"}),
    ("refund", "level2"): ("refunded", {"level2"}),
    # The fixture's solved case was solved by its bookshop, so reopening returns it there.
    ("reopen", "solved"): ("bookshop", {"own_bookshop", "level1", "level2"}),
}

MATRIX = [(state, name, role) for state in STATES for name in TRANSITION_ARGS for role in ROLES]


@pytest.fixture
def actors(bookshop_user, other_bookshop_user, level1_user, level2_user):
    return {
        "own_bookshop": bookshop_user,
        "other_bookshop": other_bookshop_user,
        "level1": level1_user,
        "level2": level2_user,
        "anonymous": AnonymousUser(),
    }


@pytest.mark.parametrize(("state", "name", "role"), MATRIX, ids=["-".join(row) for row in MATRIX])
def test_transition_matrix(state, name, role, new_case, actors):
    ticket = case_in_state(state, new_case, bookshop_user=actors["own_bookshop"], level1_user=actors["level1"],
                           level2_user=actors["level2"])
    events_before = ticket.events.count()
    mails_before = OutboundMessage.objects.count()
    target, roles = ALLOWED.get((name, state), (None, set()))

    if role in roles:
        run(name, ticket, actors[role])
        ticket.refresh_from_db()
        assert ticket.state == target
        event = ticket.events.last()
        assert (event.kind, event.transition, event.from_state, event.to_state) == (
            TicketEvent.Kind.TRANSITION, name, state, target)
        assert event.actor == actors[role]
        assert OutboundMessage.objects.count() > mails_before, "every transition tells someone"
    else:
        with pytest.raises((PermissionDenied, services.CaseMovedOn)):
            run(name, ticket, actors[role])
        ticket.refresh_from_db()
        assert ticket.state == state
        assert ticket.events.count() == events_before
        assert OutboundMessage.objects.count() == mails_before


def test_writing_the_state_directly_is_impossible(new_case):
    with pytest.raises(AttributeError):
        new_case.state = "solved"
    new_case.refresh_from_db()
    assert new_case.state == "bookshop"


@pytest.mark.parametrize("name", ["solve", "escalate_to_level1"])
def test_bookshop_transition_without_its_text_is_refused(name, new_case, bookshop_user):
    keyword = next(iter(TRANSITION_ARGS[name]))
    with pytest.raises(ValidationError):
        services.TRANSITION_SERVICES[name](ticket_id=new_case.pk, actor=bookshop_user, **{keyword: "   "})
    new_case.refresh_from_db()
    assert new_case.state == "bookshop"


def test_refund_without_customer_consulted_is_refused(new_case, bookshop_user, level1_user, level2_user):
    ticket = case_in_state("level1", new_case, bookshop_user=bookshop_user, level1_user=level1_user,
                           level2_user=level2_user)
    args = {**TRANSITION_ARGS["refund"], "customer_consulted": False}
    with pytest.raises(ValidationError):
        services.refund(ticket_id=ticket.pk, actor=level1_user, **args)
    ticket.refresh_from_db()
    assert ticket.state == "level1"
    assert not hasattr(ticket, "refund_record") or ticket.refund_record is None


def test_refund_writes_record_and_instructs_the_hotline(settings, new_case, bookshop_user, level1_user, level2_user):
    ticket = case_in_state("level1", new_case, bookshop_user=bookshop_user, level1_user=level1_user,
                           level2_user=level2_user)
    run("refund", ticket, level1_user)
    ticket.refresh_from_db()
    assert ticket.refund_record.amount_chf == TRANSITION_ARGS["refund"]["amount_chf"]
    hotline = OutboundMessage.objects.get(to=[settings.SUPPORT_HOTLINE_EMAIL])
    assert "Der Gotthard" in hotline.body_text and "24.90" in hotline.body_text
    assert hotline.subject.startswith(f"[{ticket.reference}]")
    assert OutboundMessage.objects.filter(to=[ticket.customer_email], subject__contains="rückerstattet").exists()


def test_reopen_returns_the_case_to_the_level_that_solved_it(new_case, bookshop_user, level1_user, level2_user):
    ticket = case_in_state("level2", new_case, bookshop_user=bookshop_user, level1_user=level1_user,
                           level2_user=level2_user)
    services.solve(ticket_id=ticket.pk, actor=level2_user, what_solved_it="Neu autorisiert.")
    services.reopen(ticket_id=ticket.pk, actor=bookshop_user, reason="Fehler wieder da.")
    ticket.refresh_from_db()
    assert ticket.state == "level2"
    assert ticket.closed_at is None


def test_references_count_up_per_year(bookshop):
    first = services.create_ticket(bookshop=bookshop, customer_name="A", customer_email="a@example.ch",
                                   subject="s", message="m").ticket
    second = services.create_ticket(bookshop=bookshop, customer_name="B", customer_email="b@example.ch",
                                    subject="s", message="m").ticket
    year = first.created_at.year
    assert first.reference == f"EB-{year}-000001"
    assert second.reference == f"EB-{year}-000002"


def test_every_case_mail_carries_the_reference_in_its_subject(new_case, bookshop_user, level1_user, level2_user):
    case_in_state("level2", new_case, bookshop_user=bookshop_user, level1_user=level1_user, level2_user=level2_user)
    subjects = list(OutboundMessage.objects.values_list("subject", flat=True))
    assert len(subjects) >= 5
    assert all(subject.startswith(f"[{new_case.reference}] ") for subject in subjects)


def test_ticket_ordering_does_not_leak_into_matrix(db):
    assert Ticket.objects.count() == 0
