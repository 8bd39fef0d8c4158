"""Reminders with frozen time: a bookshop is reminded once when its answer is due, never while the case waits on
the customer, and not on a public holiday's clock; Level 1 sees every overdue case."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from mail.models import OutboundMessage
from tickets import services
from timelimits.models import Reminder
from timelimits.tasks import overdue_digest, remind_bookshops

pytestmark = pytest.mark.django_db
ZURICH = ZoneInfo("Europe/Zurich")
SHOP = "team@lesezeichen.example"


def at(*args):
    return datetime(*args, tzinfo=ZURICH)


def reminders_to_shop(ticket):
    return OutboundMessage.objects.filter(thread=ticket.reference, to=[SHOP], template="timelimits/mail/reminder")


def open_case(bookshop):
    return services.create_ticket(bookshop=bookshop, customer_name="Anna Meier", customer_email="anna@example.ch",
                                  subject="PocketBook startet nicht", message="Schwarzer Bildschirm.").ticket


def test_the_bookshop_is_reminded_once_when_due_and_the_holiday_does_not_count(bookshop, settings):
    settings.MAIL_REPLY_DOMAIN = "reply.ebookit.example"
    # Wednesday 13 May 2026, 10:00; Thursday 14 May is Ascension (Auffahrt): due Friday 10:00.
    with time_machine.travel(at(2026, 5, 13, 10, 0), tick=False) as clock:
        ticket = open_case(bookshop)
        clock.move_to(at(2026, 5, 14, 11, 0))  # on the holiday, 25 hours later: not due yet
        assert remind_bookshops() == 0
        clock.move_to(at(2026, 5, 15, 9, 55))
        assert remind_bookshops() == 0
        clock.move_to(at(2026, 5, 15, 10, 5))
        assert remind_bookshops() == 1
        clock.move_to(at(2026, 5, 15, 14, 0))
        assert remind_bookshops() == 0  # once per due date
    reminder = reminders_to_shop(ticket).get()
    assert f"[{ticket.reference}]" in reminder.subject and "Erinnerung" in reminder.subject
    assert "15.05.2026 10:00" in reminder.body_text
    assert reminder.reply_to  # the bookshop can answer the reminder directly


def test_no_reminder_while_the_case_waits_on_the_customer(bookshop, bookshop_user):
    with time_machine.travel(at(2026, 5, 13, 10, 0), tick=False) as clock:
        ticket = open_case(bookshop)
        clock.move_to(at(2026, 5, 13, 14, 0))
        services.send_message(ticket_id=ticket.pk, actor=bookshop_user, text="Bitte neu starten.", to="customer")
        clock.move_to(at(2026, 5, 18, 9, 0))  # days later, the customer still has not answered
        assert remind_bookshops() == 0
        # The customer answers on Monday 18 May at 09:00: the clock runs again, due Tuesday 09:00.
        services.customer_reply(ticket_id=ticket.pk, text="Hat nicht geholfen.")
        clock.move_to(at(2026, 5, 19, 8, 55))
        assert remind_bookshops() == 0
        clock.move_to(at(2026, 5, 19, 9, 5))
        assert remind_bookshops() == 1
    assert reminders_to_shop(ticket).count() == 1
    assert Reminder.objects.get(ticket=ticket).due_at == at(2026, 5, 19, 9, 0)


def test_a_case_at_level1_is_not_the_bookshops_to_answer(bookshop, bookshop_user):
    with time_machine.travel(at(2026, 6, 9, 10, 0), tick=False) as clock:
        ticket = open_case(bookshop)
        services.escalate_to_level1(ticket_id=ticket.pk, actor=bookshop_user, what_was_tried="Neustart")
        clock.move_to(at(2026, 6, 12, 10, 0))
        assert remind_bookshops() == 0
    assert not reminders_to_shop(ticket).exists()


def test_level1_gets_a_daily_digest_of_overdue_cases(bookshop, bookshop_user, settings):
    settings.LEVEL1_EMAIL = "level1@ebookit.example"
    with time_machine.travel(at(2026, 6, 9, 10, 0), tick=False) as clock:
        late = open_case(bookshop)
        answered = open_case(bookshop)
        services.send_message(ticket_id=answered.pk, actor=bookshop_user, text="Erledigt?", to="customer")
        clock.move_to(at(2026, 6, 11, 8, 0))
        assert overdue_digest() == 1
        assert overdue_digest() == 0  # once a day
        clock.move_to(at(2026, 6, 13, 8, 0))  # Saturday: no digest
        assert overdue_digest() == 0
    digest = OutboundMessage.objects.get(to=["level1@ebookit.example"], template="timelimits/mail/overdue_digest")
    assert late.reference in digest.body_text and answered.reference not in digest.body_text
    assert "1 überfälliger Fall" in digest.subject


def test_overdue_cases_stand_out_for_level1_in_the_admin(client, bookshop, level1_user):
    with time_machine.travel(at(2026, 6, 9, 10, 0), tick=False) as clock:
        late = open_case(bookshop)
        clock.move_to(at(2026, 6, 12, 10, 0))
        client.force_login(level1_user)
        page = client.get("/admin/timelimits/overduecase/")
    assert page.status_code == 200
    assert late.reference in page.content.decode()
