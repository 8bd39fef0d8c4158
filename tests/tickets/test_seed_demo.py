"""`manage.py seed_demo` fills an empty database as PRODUCT.md describes, and running it twice changes nothing."""

from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command

from mail.models import OutboundMessage
from tickets.models import Bookshop, Ticket, TicketEvent


def counts():
    return (Bookshop.objects.count(), get_user_model().objects.count(), Ticket.objects.count(),
            TicketEvent.objects.count(), OutboundMessage.objects.count())


def test_seed_demo_creates_logins_shops_and_cases_in_every_state(db):
    call_command("seed_demo", "--password", "pw-demo", verbosity=0)
    assert Bookshop.objects.count() >= 2
    for username in ["bookshop1", "bookshop2", "level1", "level2", "admin"]:
        assert authenticate(username=username, password="pw-demo") is not None, username
    assert set(Ticket.objects.values_list("state", flat=True)) == {
        "bookshop", "level1", "level2", "solved", "aborted", "refunded"}
    # Demo mails are history: nothing is waiting to be sent to the example addresses.
    assert not OutboundMessage.objects.filter(status="pending").exists()

    before = counts()
    call_command("seed_demo", "--password", "pw-demo", verbosity=0)
    assert counts() == before
