"""Mail that reaches a case. The mail app announces a reply matched to a thread (a case reference) and the
provider's delivery reports; this module, connected in TicketsConfig.ready(), turns them into the case's
messages and timeline:

- a reply from the bookshop's own notification address is the bookshop's message (to the customer while the
  case is at the bookshop, to the support level that holds it otherwise);
- any other reply is the customer's (tickets.services.customer_reply: the holder is told, the clock restarts,
  a solved case reopens within the reopen period); a reply found only by the reference in its subject must
  come from the customer's address, and replies from the team addresses are kept for review;
- a bounce or complaint on the customer's address flags the case for the bookshop; delivered, bounced and
  complained mails show on the timeline.
"""

from django.conf import settings
from django.db import transaction
from django.dispatch import receiver
from django.utils.translation import gettext as _

from mail.models import OutboundMessage
from mail.signals import Rejected, delivery_status, inbound_reply

from . import attachments, notifications
from .models import OPEN_STATES, State, Ticket, TicketEvent
from .services import CaseMovedOn, customer_reply, record_event

ONLY_ATTACHMENTS = "(Anhang per Mail, ohne Text)"


def _same(a: str, b: str) -> bool:
    return bool(a) and bool(b) and a.strip().lower() == b.strip().lower()


def _attach(ticket: Ticket, event: TicketEvent, files: list[dict]) -> None:
    """The files were checked and stored by the mail app (common.uploads); link them to the message."""
    attachments.attach(ticket, event, list(files))


def _as_role(event: TicketEvent, role: str) -> TicketEvent:
    """record_event derives the role from the actor; a mail has none, so name the role it was written in."""
    if event.actor_role != role:
        TicketEvent.objects.filter(pk=event.pk).update(actor_role=role)
        event.actor_role = role
    return event


def bookshop_message_by_mail(*, ticket_id: int, text: str, attachments: list[dict] = ()) -> TicketEvent:
    """The bookshop answered a case mail from its notification address: the same as its message in the queue.

    At the bookshop, the message goes to the customer and the case waits on the customer (the answer clock
    pauses); at Level 1 or 2 it goes to the level that holds the case. A closed case raises CaseMovedOn."""
    text = text.strip() or ONLY_ATTACHMENTS
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("bookshop").get(pk=ticket_id)
        if ticket.is_closed:
            raise CaseMovedOn()
        if ticket.state == State.BOOKSHOP:
            event = record_event(
                ticket, None, TicketEvent.Kind.MESSAGE, text=text, audience=TicketEvent.Audience.CUSTOMER
            )
            ticket.save(update_fields=ticket.wait_on_customer())
            notifications.message_to_customer(ticket, text)
        else:
            event = record_event(
                ticket, None, TicketEvent.Kind.MESSAGE, text=text, audience=TicketEvent.Audience.INTERNAL
            )
            notifications.message_to_support(ticket, text, ticket.bookshop.name)
        _as_role(event, "bookshop")
        _attach(ticket, event, list(attachments))
    return event


def _team_addresses() -> set[str]:
    return {
        address.lower()
        for address in (settings.LEVEL1_EMAIL, settings.LEVEL2_EMAIL, settings.SUPPORT_HOTLINE_EMAIL)
        if address
    }


@receiver(inbound_reply, dispatch_uid="tickets.replies.inbound_reply")
def on_inbound_reply(sender, reply, **kwargs):
    ticket = Ticket.objects.select_related("bookshop").filter(reference__iexact=reply.thread).first()
    if ticket is None:
        return None  # not a case: someone else's thread, or none
    sender_address = reply.from_address.strip().lower()
    if sender_address in {address.lower() for address in ticket.bookshop.notification_addresses}:
        if reply.method == "subject":
            # A From: line is easy to forge and references are sequential: speaking to the customer in the
            # bookshop's name takes the signed reply address or a Message-ID we sent.
            raise Rejected(_("Absender der Partnerbuchhandlung, aber nur die Referenz im Betreff passt."))
        try:
            bookshop_message_by_mail(ticket_id=ticket.pk, text=reply.text, attachments=reply.attachments)
        except CaseMovedOn as exc:
            raise Rejected(_("Antwort der Partnerbuchhandlung auf einen geschlossenen Fall.")) from exc
        return _("Nachricht der Partnerbuchhandlung im Fall %(reference)s") % {"reference": ticket.reference}
    if sender_address in _team_addresses():
        raise Rejected(
            _("Antwort von einer Team-Adresse (%(address)s): bitte im Admin am Fall schreiben.")
            % {"address": sender_address}
        )
    from_customer = _same(sender_address, ticket.customer_email)
    if not from_customer and reply.method == "subject":
        raise Rejected(
            _("Nur die Referenz im Betreff passt, und der Absender %(address)s gehört nicht zum Fall.")
            % {"address": sender_address or "?"}
        )
    text = reply.text.strip() or ONLY_ATTACHMENTS
    if not from_customer:
        # A genuine reply (signed address or known Message-ID) from another address of the customer's.
        text = f"{text}\n\n({_('gesendet von %(address)s') % {'address': sender_address}})"
    try:
        customer_reply(ticket_id=ticket.pk, text=text, stored_files=reply.attachments)
    except CaseMovedOn as exc:
        raise Rejected(
            _("Der Fall ist geschlossen; die Antwort kam nach der Frist zum Wiedereröffnen.")
        ) from exc
    if from_customer and ticket.customer_email_bounced:
        # The customer's address works again.
        Ticket.objects.filter(pk=ticket.pk).update(customer_email_bounced=False)
    return _("Antwort des Kunden im Fall %(reference)s") % {"reference": ticket.reference}


TIMELINE_TEXT = {
    OutboundMessage.Delivery.DELIVERED: "Mail zugestellt",
    OutboundMessage.Delivery.BOUNCED: "Mail unzustellbar",
    OutboundMessage.Delivery.REJECTED: "Mail vom Mailanbieter abgelehnt",
    OutboundMessage.Delivery.COMPLAINED: "Mail als Spam gemeldet",
}
PROBLEMS = (
    OutboundMessage.Delivery.BOUNCED,
    OutboundMessage.Delivery.REJECTED,
    OutboundMessage.Delivery.COMPLAINED,
)


@receiver(delivery_status, dispatch_uid="tickets.replies.delivery_status")
def on_delivery_status(sender, message, status, recipient, description, **kwargs):
    if not message.thread or status not in TIMELINE_TEXT:
        return
    ticket = Ticket.objects.select_related("bookshop").filter(reference__iexact=message.thread).first()
    if ticket is None:
        return
    line = f"{TIMELINE_TEXT[status]}: «{message.subject}» an {recipient or ', '.join(message.to)}"
    if description and status in PROBLEMS:
        line += f" – {description}"
    _as_role(record_event(ticket, None, TicketEvent.Kind.INTERNAL_NOTE, text=line), "system")
    if status in PROBLEMS and _same(recipient, ticket.customer_email):
        flagged = Ticket.objects.filter(pk=ticket.pk, customer_email_bounced=False).update(
            customer_email_bounced=True
        )
        if flagged and ticket.state in OPEN_STATES:
            notifications.message_to_bookshop(
                ticket,
                _(
                    "Die Mail an %(address)s kam nicht an (%(reason)s). "
                    "Bitte prüfen Sie die Adresse des Kunden "
                    "und erreichen Sie ihn wenn nötig anders."
                )
                % {"address": ticket.customer_email, "reason": description or TIMELINE_TEXT[status]},
                _("eBookit Support (automatisch)"),
            )
