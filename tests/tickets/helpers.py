"""Drive a case into any state through the services, as people would."""

from decimal import Decimal

from tickets import services
from tickets.models import Ticket

# What each transition must carry, as keyword arguments of its service.
TRANSITION_ARGS = {
    "solve": {"what_solved_it": "Neustart hat geholfen."},
    "escalate_to_level1": {"what_was_tried": "Neustart und Sync versucht."},
    "return_to_bookshop": {"instructions": "Bitte Kunden nach Firmware fragen."},
    "escalate_to_level2": {"summary": "DRM-Fehler trotz neuer Autorisierung."},
    "return_to_level1": {"note": "Kein Fernwartungsfall."},
    "abort": {"finding": "outdated_os", "text": "Windows 98 gefunden."},
    "refund": {"ebook_title": "Der Gotthard", "amount_chf": Decimal("24.90"), "reason": "not_solvable",
               "customer_consulted": True},
    "reopen": {"reason": "Problem ist zurück."},
}


def run(name: str, ticket: Ticket, actor):
    return services.TRANSITION_SERVICES[name](ticket_id=ticket.pk, actor=actor, **TRANSITION_ARGS[name])


def case_in_state(state: str, ticket: Ticket, *, bookshop_user, level1_user, level2_user) -> Ticket:
    path = {
        "bookshop": [],
        "level1": [("escalate_to_level1", bookshop_user)],
        "level2": [("escalate_to_level1", bookshop_user), ("escalate_to_level2", level1_user)],
        "solved": [("solve", bookshop_user)],
        "aborted": [("escalate_to_level1", bookshop_user), ("escalate_to_level2", level1_user),
                    ("abort", level2_user)],
        "refunded": [("escalate_to_level1", bookshop_user), ("refund", level1_user)],
    }[state]
    for name, actor in path:
        run(name, ticket, actor)
    ticket.refresh_from_db()
    assert ticket.state == state
    return ticket
