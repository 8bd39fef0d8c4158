"""Every write to a case. Each function opens the transaction, locks the case row, checks the permission,
runs the django-fsm-2 transition, saves, records the timeline event and writes the mails as outbox rows,
all in one transaction: either all of it happens, or none of it.

Views and the admin call these functions and turn their exceptions into messages a person understands:
`PermissionDenied` (not yours to do), `CaseMovedOn` (someone else acted first, or the step no longer fits
the case's state), `ValidationError` (a required text is missing)."""

import secrets
import uuid
from dataclasses import dataclass
from decimal import Decimal

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import ConcurrentTransition, can_proceed, has_transition_perm

from common import references
from timelimits.clock import answer_due_at

from . import attachments, notifications, roles
from .models import (
    OPEN_STATES,
    AbortFinding,
    Bookshop,
    ReferenceCounter,
    Refund,
    State,
    Ticket,
    TicketEvent,
    staff_of_case,
)


class CaseMovedOn(Exception):
    """The step does not fit the case any more: someone else acted on it first."""

    message = _(
        "Dieser Schritt ist nicht mehr möglich: Der Fall wurde inzwischen von jemand anderem bearbeitet. "
        "Bitte prüfen Sie den aktuellen Stand."
    )


def _require_text(text: str, field: str = "text") -> str:
    text = (text or "").strip()
    if not text:
        raise ValidationError({field: _("Bitte ausfüllen: Dieser Schritt braucht einen Text.")})
    return text


def next_reference(now=None) -> str:
    """`EB-2026-000123`, unique however many cases are created at once."""
    return references.next_reference(ReferenceCounter, "EB", now)


def record_event(ticket: Ticket, actor, kind: str, *, text: str = "", audience=TicketEvent.Audience.INTERNAL,
                 transition: str = "", from_state: str = "", to_state: str = "") -> TicketEvent:
    return TicketEvent.objects.create(
        ticket=ticket,
        kind=kind,
        actor=actor if actor is not None and actor.is_authenticated else None,
        actor_role=roles.role_for(actor, from_state or ticket.state),
        transition=transition,
        from_state=from_state,
        to_state=to_state,
        audience=audience,
        text=text,
    )


# --- intake ------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class NewCase:
    ticket: Ticket
    access_token: str | None  # None when the submission was a repeat of one already stored


def create_ticket(*, bookshop: Bookshop, customer_name: str, customer_email: str, subject: str, message: str,
                  language: str = "de", category: str = "question", device: str = "", order_number: str = "",
                  tried_ehelp: dict | None = None, submission_key: uuid.UUID | None = None,
                  files=()) -> NewCase:
    """A contact form becomes a case at the chosen bookshop; the bookshop and the customer are told.

    The same `submission_key` twice (a double click, a reload) makes one case."""
    if submission_key is not None:
        existing = Ticket.objects.filter(submission_key=submission_key).first()
        if existing is not None:
            return NewCase(existing, None)
    if not bookshop.is_active:
        raise ValidationError({"bookshop": _("Diese Partnerbuchhandlung nimmt keine Anfragen mehr an.")})
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    try:
        with attachments.stored(files) as stored, transaction.atomic():
            ticket = Ticket(
                reference=next_reference(),
                bookshop=bookshop,
                customer_name=customer_name.strip(),
                customer_email=customer_email.strip(),
                subject=subject.strip(),
                message=message.strip(),
                language=language,
                category=category,
                device=device,
                order_number=order_number.strip(),
                tried_ehelp=tried_ehelp or {},
                access_token_hash=Ticket.hash_token(token),
                submission_key=submission_key,
                waiting_since=now,
                answer_due_at=answer_due_at(State.BOOKSHOP, bookshop.pk, now),
            )
            ticket.full_clean(exclude=["state"])
            ticket.save()
            event = record_event(ticket, None, TicketEvent.Kind.CREATED, text=ticket.message,
                                 audience=TicketEvent.Audience.CUSTOMER, to_state=ticket.state)
            attachments.attach(ticket, event, stored)
            notifications.new_case(ticket, token, attachments.as_mail_attachments(stored))
    except IntegrityError:
        # Two submits with one key raced each other; the other one stored the case.
        existing = Ticket.objects.filter(submission_key=submission_key).first() if submission_key else None
        if existing is None:
            raise
        return NewCase(existing, None)
    return NewCase(ticket, token)


# --- transitions -------------------------------------------------------------------------------------------

# The transitions whose text the customer sees on the case page (the others' texts are internal).
CUSTOMER_TOLD = {"solve", "abort", "refund", "reopen"}


def _transition(ticket_id: int, actor, name: str, text: str, *, before_save=None, notify=None) -> Ticket:
    try:
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().select_related("bookshop").get(pk=ticket_id)
            method = getattr(ticket, name)
            if not can_proceed(method):
                raise CaseMovedOn()
            if actor is None or not has_transition_perm(method, actor):
                raise PermissionDenied(_("Diesen Schritt dürfen Sie bei diesem Fall nicht ausführen."))
            from_state = ticket.state
            method(text=text)
            if ticket.state in OPEN_STATES:
                # A new holder: its own clock starts now.
                ticket.answer_due_at = answer_due_at(ticket.state, ticket.bookshop_id, timezone.now())
            if before_save is not None:
                before_save(ticket)
            ticket.save()
            audience = TicketEvent.Audience.CUSTOMER if name in CUSTOMER_TOLD else TicketEvent.Audience.INTERNAL
            record_event(ticket, actor, TicketEvent.Kind.TRANSITION, text=text, audience=audience,
                         transition=name, from_state=from_state, to_state=ticket.state)
            (notify or notifications.transition)(ticket, name, text, from_state)
    except ConcurrentTransition as exc:
        # Caught outside the atomic block: the whole attempt is rolled back, nothing else of the caller's.
        raise CaseMovedOn() from exc
    return ticket


def solve(*, ticket_id: int, actor, what_solved_it: str) -> Ticket:
    return _transition(ticket_id, actor, "solve", _require_text(what_solved_it))


def escalate_to_level1(*, ticket_id: int, actor, what_was_tried: str) -> Ticket:
    return _transition(ticket_id, actor, "escalate_to_level1", _require_text(what_was_tried))


def return_to_bookshop(*, ticket_id: int, actor, instructions: str) -> Ticket:
    return _transition(ticket_id, actor, "return_to_bookshop", _require_text(instructions))


def escalate_to_level2(*, ticket_id: int, actor, summary: str) -> Ticket:
    return _transition(ticket_id, actor, "escalate_to_level2", _require_text(summary))


def return_to_level1(*, ticket_id: int, actor, note: str) -> Ticket:
    return _transition(ticket_id, actor, "return_to_level1", _require_text(note))


def abort(*, ticket_id: int, actor, finding: str, text: str) -> Ticket:
    if finding not in AbortFinding.values:
        raise ValidationError({"finding": _("Bitte wählen Sie den Befund.")})
    text = _require_text(text)
    told = f"{AbortFinding(finding).label}: {text}"
    return _transition(ticket_id, actor, "abort", told)


def refund(*, ticket_id: int, actor, ebook_title: str, amount_chf: Decimal, reason: str,
           customer_consulted: bool, payment_reference: str = "") -> Ticket:
    if not customer_consulted:
        raise ValidationError(
            {"customer_consulted": _("Eine Rückerstattung gibt es nur nach Rücksprache mit dem Kunden.")}
        )
    ebook_title = _require_text(ebook_title, "ebook_title")
    if amount_chf is None or Decimal(amount_chf) <= 0:
        raise ValidationError({"amount_chf": _("Bitte einen Betrag über 0 CHF angeben.")})
    if reason not in Refund.Reason.values:
        raise ValidationError({"reason": _("Bitte wählen Sie den Grund.")})
    record = {}

    def make_record(ticket):
        record["refund"] = Refund.objects.create(
            ticket=ticket, ebook_title=ebook_title, amount_chf=amount_chf, reason=reason,
            payment_reference=payment_reference.strip(), customer_consulted=True, created_by=actor)

    def notify(ticket, name, text, from_state):
        notifications.refund(ticket, record["refund"])

    text = f"{ebook_title}, CHF {Decimal(amount_chf):.2f}"
    return _transition(ticket_id, actor, "refund", text, before_save=make_record, notify=notify)


def reopen(*, ticket_id: int, actor, reason: str) -> Ticket:
    return _transition(ticket_id, actor, "reopen", _require_text(reason))


TRANSITION_SERVICES = {
    "solve": solve,
    "escalate_to_level1": escalate_to_level1,
    "return_to_bookshop": return_to_bookshop,
    "escalate_to_level2": escalate_to_level2,
    "return_to_level1": return_to_level1,
    "abort": abort,
    "refund": refund,
    "reopen": reopen,
}


# --- messages ----------------------------------------------------------------------------------------------


def _lock_for_staff(ticket_id: int, actor) -> Ticket:
    ticket = Ticket.objects.select_for_update().select_related("bookshop").get(pk=ticket_id)
    if not staff_of_case(ticket, actor):
        raise PermissionDenied(_("Sie arbeiten nicht an diesem Fall."))
    if ticket.is_closed:
        raise CaseMovedOn()
    return ticket


def send_message(*, ticket_id: int, actor, text: str, to: str, files=()) -> TicketEvent:
    """A message on the case. The bookshop writes to the customer, or to the support level that holds the case
    (`to="support"`); Level 1 and 2 write to the bookshop by default, and to the customer only when they choose
    it explicitly (`to="customer"`)."""
    text = _require_text(text)
    with attachments.stored(files) as stored, transaction.atomic():
        ticket = _lock_for_staff(ticket_id, actor)
        is_bookshop = roles.is_member_of(actor, ticket.bookshop_id)
        allowed = ("customer", "support") if is_bookshop else ("customer", "bookshop")
        if to not in allowed or (to == "support" and ticket.state not in (State.LEVEL1, State.LEVEL2)):
            raise ValidationError({"to": _("An diese Stelle kann bei diesem Fall keine Nachricht gehen.")})
        audience = {
            "customer": TicketEvent.Audience.CUSTOMER,
            "bookshop": TicketEvent.Audience.BOOKSHOP,
            "support": TicketEvent.Audience.INTERNAL,
        }[to]
        event = record_event(ticket, actor, TicketEvent.Kind.MESSAGE, text=text, audience=audience)
        attachments.attach(ticket, event, stored)
        files_for_mail = attachments.as_mail_attachments(stored)
        if to == "customer":
            ticket.save(update_fields=ticket.wait_on_customer())
            notifications.message_to_customer(ticket, text, files_for_mail)
        elif to == "bookshop":
            notifications.message_to_bookshop(ticket, text, event.actor_label, files_for_mail)
        else:
            notifications.message_to_support(ticket, text, ticket.bookshop.name, files_for_mail)
    return event


def add_internal_note(*, ticket_id: int, actor, text: str) -> TicketEvent:
    text = _require_text(text)
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket_id)
        if not staff_of_case(ticket, actor):
            raise PermissionDenied(_("Sie arbeiten nicht an diesem Fall."))
        return record_event(ticket, actor, TicketEvent.Kind.INTERNAL_NOTE, text=text)


def find_by_access_token(token: str) -> Ticket | None:
    """The case behind a private link, or None for a wrong or expired one (the caller answers 404)."""
    if not token or len(token) > 200:
        return None
    ticket = Ticket.objects.select_related("bookshop").filter(access_token_hash=Ticket.hash_token(token)).first()
    if ticket is None or ticket.link_expired():
        return None
    return ticket


def customer_reply(*, ticket_id: int, text: str, files=(), stored_files=()) -> TicketEvent:
    """The customer answers on the private page (or by mail). Whoever holds the case is told; a reply to a
    solved case within the reopen period reopens it at the level that solved it.

    `files` are uploads (checked and stored here); `stored_files` are already stored and described (a mail's
    attachments, stored by the mail app)."""
    text = _require_text(text)
    with attachments.stored(files) as stored, transaction.atomic():
        ticket = Ticket.objects.select_for_update().select_related("bookshop").get(pk=ticket_id)
        now = timezone.now()
        if ticket.state == State.SOLVED and ticket.reopen_window_open(now):
            from_state = ticket.state
            ticket.reopen(text=text)
            ticket.waiting_since = now
            ticket.answer_due_at = answer_due_at(ticket.state, ticket.bookshop_id, now)
            ticket.save()
            record_event(ticket, None, TicketEvent.Kind.TRANSITION, text=text, audience=TicketEvent.Audience.CUSTOMER,
                         transition="reopen", from_state=from_state, to_state=ticket.state)
        elif ticket.is_closed:
            raise CaseMovedOn()
        elif ticket.waiting_since is None:
            # The customer answered: the holder's clock runs again.
            ticket.waiting_since = now
            ticket.answer_due_at = answer_due_at(ticket.state, ticket.bookshop_id, now)
            ticket.save(update_fields=["waiting_since", "answer_due_at", "updated_at"])
        event = record_event(ticket, None, TicketEvent.Kind.CUSTOMER_MESSAGE, text=text,
                             audience=TicketEvent.Audience.CUSTOMER)
        stored = [*stored, *stored_files]
        attachments.attach(ticket, event, stored)
        notifications.customer_replied(ticket, text, attachments.as_mail_attachments(stored))
    return event
