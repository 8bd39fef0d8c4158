"""Reads that pages share. Each returns a queryset or list built with a fixed number of queries."""

from django.db.models import Count, F, Q
from django.http import Http404
from django.utils import timezone

from mail.models import OutboundMessage

from .models import CLOSED_STATES, State, Ticket, TicketEvent

QUEUE_VIEWS = {
    "bookshop": Q(state=State.BOOKSHOP),
    "level1": Q(state=State.LEVEL1),
    "level2": Q(state=State.LEVEL2),
    "closed": Q(state__in=CLOSED_STATES),
}
QUEUE_SORTS = {
    # Longest waiting for an answer first; cases waiting on the customer after them.
    "oldest": (F("waiting_since").asc(nulls_last=True), "created_at"),
    "newest": ("-created_at",),
    # The earliest answer deadline first: overdue cases lead.
    "overdue": (F("answer_due_at").asc(nulls_last=True), "created_at"),
}


def queue_counts(bookshop_id: int) -> dict[str, int]:
    counts = Ticket.objects.filter(bookshop_id=bookshop_id).aggregate(
        # Count("state"), not Count("pk"): the counts then come from the queue index alone.
        **{name: Count("state", filter=condition) for name, condition in QUEUE_VIEWS.items()}
    )
    return counts


def now():
    return timezone.now()


def queue(bookshop_id: int, *, view: str = "bookshop", search: str = "", sort: str = "oldest"):
    tickets = Ticket.objects.filter(bookshop_id=bookshop_id).filter(QUEUE_VIEWS.get(view, QUEUE_VIEWS["bookshop"]))
    search = search.strip()[:100]
    if search:
        tickets = tickets.filter(
            Q(reference__iexact=search)
            | Q(customer_name__icontains=search)
            | Q(customer_email__icontains=search)
            | Q(subject__icontains=search)
            | Q(message__icontains=search)
        )
    order = QUEUE_SORTS.get(sort, QUEUE_SORTS["oldest"])
    return tickets.only(
        "pk", "reference", "subject", "customer_name", "state", "created_at", "waiting_since", "answer_due_at",
        "category", "bookshop_id", "customer_email_bounced",
    ).order_by(*order, "pk")


def case_for_bookshop(reference: str, bookshop_id: int | None) -> Ticket:
    """The shop's own case, or 404: another shop's case does not exist for it."""
    if bookshop_id is None:
        raise Http404
    try:
        return Ticket.objects.select_related("bookshop").get(reference=reference, bookshop_id=bookshop_id)
    except Ticket.DoesNotExist as exc:
        raise Http404 from exc


def timeline(ticket: Ticket, *, public_only: bool = False) -> list[TicketEvent]:
    events = ticket.events.select_related("actor").prefetch_related("attachments")
    if public_only:
        events = events.filter(audience=TicketEvent.Audience.CUSTOMER)
    return list(events)


def mails_of(ticket: Ticket) -> list[OutboundMessage]:
    return list(
        OutboundMessage.objects.filter(thread=ticket.reference)
        .only("created_at", "subject", "to", "status", "delivery_status", "sent_at", "thread")
        .order_by("created_at")
    )
