"""Two people acting on one case at once: exactly one wins, the other is told, nothing is sent twice."""

import threading

import pytest
from django.db import connection

from mail.models import OutboundMessage
from tickets import services
from tickets.models import Ticket, TicketEvent

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _at_once(count, work):
    barrier = threading.Barrier(count)
    results = [None] * count

    def run(index):
        try:
            barrier.wait(30)  # generous: a loaded CI machine may be slow to start a thread
            results[index] = ("ok", work(index))
        except Exception as exc:  # noqa: BLE001 - the test inspects what each thread got
            results[index] = ("error", exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return results


def test_two_escalations_at_once_make_one_transition_and_one_set_of_mails(new_case, bookshop_user, level1_user):
    mails_before = OutboundMessage.objects.count()
    actors = [bookshop_user, level1_user]
    results = _at_once(2, lambda i: services.escalate_to_level1(
        ticket_id=new_case.pk, actor=actors[i], what_was_tried=f"Versuch {i}"))

    outcomes = sorted(kind for kind, _ in results)
    assert outcomes == ["error", "ok"], results
    loser = next(value for kind, value in results if kind == "error")
    assert isinstance(loser, services.CaseMovedOn)
    assert "inzwischen" in str(loser.message)
    assert Ticket.objects.get(pk=new_case.pk).state == "level1"
    assert TicketEvent.objects.filter(ticket=new_case, transition="escalate_to_level1").count() == 1
    # One escalation tells Level 1 and the bookshop: two mails, not four.
    assert OutboundMessage.objects.count() - mails_before == 2


def test_solve_and_escalate_at_once_one_wins(new_case, bookshop_user, level1_user):
    calls = [
        lambda: services.solve(ticket_id=new_case.pk, actor=bookshop_user, what_solved_it="Neustart."),
        lambda: services.escalate_to_level1(ticket_id=new_case.pk, actor=level1_user, what_was_tried="Nichts."),
    ]
    results = _at_once(2, lambda i: calls[i]())
    assert sorted(kind for kind, _ in results) == ["error", "ok"], results
    assert TicketEvent.objects.filter(ticket=new_case, kind="transition").count() == 1


def test_many_cases_at_once_get_distinct_references(bookshop):
    results = _at_once(8, lambda i: services.create_ticket(
        bookshop=bookshop, customer_name=f"K{i}", customer_email=f"k{i}@example.ch", subject="s", message="m"
    ).ticket.reference)
    references = [value for kind, value in results if kind == "ok"]
    assert len(references) == 8
    assert len(set(references)) == 8


def test_loser_keeps_its_own_other_writes(new_case, bookshop_user, level1_user):
    """The lost race is reported outside the transaction: the caller's earlier, separate writes stay."""
    services.add_internal_note(ticket_id=new_case.pk, actor=bookshop_user, text="vorher notiert")
    services.escalate_to_level1(ticket_id=new_case.pk, actor=level1_user, what_was_tried="x")
    with pytest.raises(services.CaseMovedOn):
        services.escalate_to_level1(ticket_id=new_case.pk, actor=bookshop_user, what_was_tried="y")
    assert TicketEvent.objects.filter(ticket=new_case, kind="internal_note", text="vorher notiert").exists()
