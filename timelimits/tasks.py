"""Reminders, run by Celery beat:

- `remind_bookshops` (every few minutes): a bookshop whose answer to a case is due gets one reminder mail per
  due date. A case waiting on the customer has no due date (the clock pauses), so it is never reminded.
- `overdue_digest` (each morning): Level 1 gets the list of every open case whose answer is overdue, once per
  business day (not on weekends or public holidays)."""

import logging

from celery import shared_task
from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from mail import outbox
from tickets.models import State, Ticket
from tickets.notifications import admin_url, queue_url

from .clock import business_time_between, holidays_from
from .models import DigestSent, Reminder

log = logging.getLogger(__name__)

REMINDER_TEMPLATE = "timelimits/mail/reminder"
DIGEST_TEMPLATE = "timelimits/mail/overdue_digest"


def due_for_reminder(now=None):
    now = now or timezone.now()
    return (
        Ticket.objects.filter(state=State.BOOKSHOP, answer_due_at__lte=now, waiting_since__isnull=False)
        .exclude(Exists(Reminder.objects.filter(ticket=OuterRef("pk"), due_at=OuterRef("answer_due_at"))))
        .order_by("answer_due_at")
    )


def remind_one(ticket_id: int, now=None) -> bool:
    """Send the reminder for one case if it is still due and not yet reminded for this due date."""
    now = now or timezone.now()
    with transaction.atomic():
        # The services lock the case for every answer: either the answer is committed first (no longer
        # due, no reminder) or the reminder is (and the answer follows it).
        ticket = Ticket.objects.select_for_update(skip_locked=True).filter(pk=ticket_id).first()
        if (
            ticket is None
            or ticket.state != State.BOOKSHOP
            or ticket.answer_due_at is None
            or ticket.waiting_since is None
            or ticket.answer_due_at > now
        ):
            return False
        try:
            with transaction.atomic():
                Reminder.objects.create(ticket=ticket, due_at=ticket.answer_due_at, sent_at=now)
        except IntegrityError:
            return False  # already reminded for this due date
        bookshop = ticket.bookshop
        outbox.enqueue(
            to=bookshop.notification_addresses,
            template=REMINDER_TEMPLATE,
            context={
                "ticket": ticket,
                "bookshop": bookshop,
                "link": queue_url(ticket),
                "due_at": ticket.answer_due_at,
                "waiting_since": ticket.waiting_since,
            },
            thread=ticket.reference,
            language=bookshop.language,
        )
    return True


@shared_task(ignore_result=True)
def remind_bookshops() -> int:
    now = timezone.now()
    sent = 0
    for ticket_id in list(due_for_reminder(now).values_list("pk", flat=True)[:500]):
        if remind_one(ticket_id, now):
            sent += 1
    if sent:
        log.info("Reminded bookshops about %d case(s)", sent)
    return sent


def overdue_cases(now=None):
    now = now or timezone.now()
    return (
        Ticket.objects.filter(state__in=[State.BOOKSHOP, State.LEVEL1, State.LEVEL2], answer_due_at__lt=now)
        .select_related("bookshop")
        .order_by("answer_due_at")
    )


@shared_task(ignore_result=True)
def overdue_digest(force: bool = False) -> int:
    """Mail Level 1 the overdue cases; once a day, only on business days. Returns the number of cases."""
    now = timezone.now()
    today = timezone.localdate(now)
    if not force and (today.weekday() >= 5 or today in holidays_from(today)):
        return 0
    cases = list(overdue_cases(now)[:500])
    if not cases:
        return 0
    rows = [
        {
            "ticket": ticket,
            "link": admin_url(ticket),
            "overdue": business_time_between(ticket.answer_due_at, now),
        }
        for ticket in cases
    ]
    try:
        with transaction.atomic():
            DigestSent.objects.create(date=today, sent_at=now, cases=len(cases))
            outbox.enqueue(
                to=settings.LEVEL1_EMAIL,
                template=DIGEST_TEMPLATE,
                context={"rows": rows, "date": today, "count": len(cases)},
                language="de",
            )
    except IntegrityError:
        return 0  # sent already today
    return len(cases)
