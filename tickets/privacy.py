"""Personal data under the Swiss data-protection law (DSG): anonymise, export, erase.

- `anonymise_expired()` (Celery beat, daily): cases closed longer than `settings.PRIVACY_RETENTION_DAYS`
  (default 730 days, two years) lose their personal data.
- `export(address)`: everything held about one customer address, as a JSON-ready dict.
- `erase(address, actor=...)`: the same data removed now, on the customer's request.

Anonymising a case keeps its skeleton for the statistics (reference, state, bookshop, category, device, language,
dates, who worked it) and replaces what identifies the customer: name, address, subject, message, every timeline
text, refund and remote-session details, the case's mails (bodies, recipients) and replies; its attachments are
deleted from disk and their rows removed; the private case link stops working. A timeline note records who did
it and when. Every step is a bulk update, in batches: the number of queries does not grow with a case's size.

Payment-problem reports (payments app) hold customer addresses too; tickets does not reach into payments (see
STYLE.md), so that app needs its own export and erase."""

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from email.utils import parseaddr

from django.conf import settings
from django.db import transaction
from django.db.models import Case, CharField, Count, F, Prefetch, Q, QuerySet, Value, When
from django.db.models.functions import Concat
from django.utils import timezone

from common import personal_data, uploads
from mail.models import DeliveryEvent, InboundMessage, OutboundMessage

from . import roles
from .models import CLOSED_STATES, Refund, RemoteSession, Ticket, TicketAttachment, TicketEvent

log = logging.getLogger(__name__)

PLACEHOLDER = "anonymisiert"
# Still a syntactically valid address (the field is an EmailField), in a top-level domain that never resolves:
# nothing can be sent to it.
PLACEHOLDER_EMAIL = "anonymisiert@anonymisiert.invalid"
DEFAULT_RETENTION_DAYS = 730
BATCH_SIZE = 500
# Superusers have it implicitly; propose it as Ticket.Meta.permissions ("manage_personal_data") for others.
PRIVACY_PERM = "tickets.manage_personal_data"

RETENTION_NOTE = "Personendaten nach Ablauf der Aufbewahrungsfrist ({days} Tage) anonymisiert."
ERASURE_NOTE = "Personendaten auf Verlangen der betroffenen Person gelöscht."


def may_manage(user) -> bool:
    """Who may export and erase personal data: superusers, and whoever holds PRIVACY_PERM."""
    return bool(
        user and user.is_authenticated and user.is_active and (user.is_superuser or user.has_perm(PRIVACY_PERM))
    )


def retention_days() -> int:
    return int(getattr(settings, "PRIVACY_RETENTION_DAYS", DEFAULT_RETENTION_DAYS))


def normalise(address: str) -> str:
    return (address or "").strip()


# --- which data -------------------------------------------------------------------------------------------


def expired_cases(now: datetime | None = None) -> QuerySet:
    """Closed cases whose retention period is over and that still hold personal data."""
    now = now or timezone.now()
    return Ticket.objects.filter(
        state__in=CLOSED_STATES,
        closed_at__lt=now - timedelta(days=retention_days()),
        anonymised_at__isnull=True,
    )


def cases_of(address: str) -> QuerySet:
    return Ticket.objects.filter(customer_email__iexact=normalise(address), anonymised_at__isnull=True)


def _is_address(value: str, address: str) -> bool:
    return parseaddr(str(value))[1].strip().lower() == address.lower()


def _mails_to(address: str) -> list[int]:
    """Outbox mails addressed to `address` that belong to no case of it (for instance the confirmation of a
    payment-problem report). One query; the database narrows by substring, Python checks each candidate."""
    address = normalise(address)
    if not address:
        return []
    candidates = OutboundMessage.objects.filter(to__icontains=address).values_list("pk", "to")
    return [pk for pk, to in candidates if any(_is_address(value, address) for value in to or [])]


def _inbound_filter(references: list[str], address: str | None) -> Q:
    condition = Q(thread__in=references) if references else Q(pk__in=[])
    if address:
        condition |= Q(from_address__iexact=address)
    return condition


@dataclass(frozen=True)
class Status:
    retention_days: int
    anonymised: int  # cases without personal data
    due: int  # closed cases past the retention period, to be anonymised by the next run


def status(now: datetime | None = None) -> Status:
    now = now or timezone.now()
    limit = now - timedelta(days=retention_days())
    row = Ticket.objects.aggregate(
        anonymised=Count("pk", filter=Q(anonymised_at__isnull=False)),
        due=Count("pk", filter=Q(state__in=CLOSED_STATES, closed_at__lt=limit, anonymised_at__isnull=True)),
    )
    return Status(retention_days=retention_days(), **row)


# --- export -----------------------------------------------------------------------------------------------


def _iso(value):
    return value.isoformat() if value else None


def export(address: str, *, now: datetime | None = None) -> dict:
    """Everything held about `address`: its cases with timeline, attachments (names), refund and remote
    sessions, the mails sent about them or to the address, and the mails received from it. Seven queries."""
    address = normalise(address)
    tickets = list(
        cases_of(address)
        .select_related("bookshop", "refund_record")
        .prefetch_related(
            Prefetch("events", queryset=TicketEvent.objects.order_by("created_at", "pk")),
            Prefetch("attachments", queryset=TicketAttachment.objects.order_by("created_at", "pk")),
            Prefetch("remote_sessions", queryset=RemoteSession.objects.order_by("requested_at", "pk")),
        )
        .order_by("created_at", "pk")
    )
    references = [t.reference for t in tickets]
    sent = OutboundMessage.objects.filter(Q(thread__in=references) | Q(pk__in=_mails_to(address))).order_by(
        "created_at", "pk"
    )
    received = InboundMessage.objects.filter(_inbound_filter(references, address)).order_by("received_at", "pk")
    return {
        "format": "ebookit-support/personendaten/1",
        "address": address,
        "exported_at": _iso(now or timezone.now()),
        "cases": [_case(t) for t in tickets],
        "mails_sent": [
            {
                "case": m.thread,
                "created_at": _iso(m.created_at),
                "sent_at": _iso(m.sent_at),
                "to": m.to,
                "reply_to": m.reply_to,
                "subject": m.subject,
                "body_text": m.body_text,
                "attachments": [a.get("name") for a in m.attachments or []],
                "status": m.status,
                "delivery_status": m.delivery_status,
            }
            for m in sent
        ],
        "mails_received": [
            {
                "case": m.thread,
                "received_at": _iso(m.received_at),
                "from": m.from_address,
                "from_name": m.from_name,
                "to": m.to,
                "subject": m.subject,
                "body_text": m.body_text,
                "attachments": [a.get("name") for a in m.attachments or []],
                "status": m.status,
            }
            for m in received
        ],
        # Held by other apps (payment-problem reports, ...), see common/personal_data.py.
        "other": personal_data.export_all(address),
    }


def _case(ticket: Ticket) -> dict:
    refund = getattr(ticket, "refund_record", None)
    return {
        "reference": ticket.reference,
        "state": ticket.state,
        "bookshop": ticket.bookshop.name,
        "created_at": _iso(ticket.created_at),
        "first_answer_at": _iso(ticket.first_answer_at),
        "closed_at": _iso(ticket.closed_at),
        "customer_name": ticket.customer_name,
        "customer_email": ticket.customer_email,
        "language": ticket.language,
        "category": ticket.category,
        "device": ticket.device,
        "order_number": ticket.order_number,
        "subject": ticket.subject,
        "message": ticket.message,
        "tried_ehelp": ticket.tried_ehelp,
        "timeline": [
            {
                "created_at": _iso(e.created_at),
                "kind": e.kind,
                "role": e.actor_role,
                "transition": e.transition,
                "from_state": e.from_state,
                "to_state": e.to_state,
                "audience": e.audience,
                "text": e.text,
            }
            for e in ticket.events.all()
        ],
        "attachments": [
            {"name": a.name, "content_type": a.content_type, "size": a.size, "created_at": _iso(a.created_at)}
            for a in ticket.attachments.all()
        ],
        "refund": None if refund is None else {
            "ebook_title": refund.ebook_title,
            "amount_chf": str(refund.amount_chf),
            "payment_reference": refund.payment_reference,
            "reason": refund.reason,
            "created_at": _iso(refund.created_at),
        },
        "remote_sessions": [
            {
                "device": s.device,
                "operating_system": s.operating_system,
                "requested_at": _iso(s.requested_at),
                "backup_confirmed": s.backup_confirmed,
                "consent_given_at": _iso(s.consent_given_at),
                "consent_ip": s.consent_ip,
                "outcome": s.outcome,
                "finding": s.finding,
                "finding_text": s.finding_text,
            }
            for s in ticket.remote_sessions.all()
        ],
    }


# --- anonymise and erase ----------------------------------------------------------------------------------


def _placeholder_unless_empty(field: str) -> Case:
    return Case(When(**{field: ""}, then=Value("")), default=Value(PLACEHOLDER), output_field=CharField())


def _scrub_mails(outbound: Q, inbound: Q) -> tuple[int, list[str]]:
    """Remove the bodies and addresses of the outbox mails and received mails matched; a mail still waiting to
    go out is not sent any more. Returns the number of mails and the stored files of the received ones."""
    pending = OutboundMessage.Status.PENDING
    DeliveryEvent.objects.filter(message__in=OutboundMessage.objects.filter(outbound).values("pk")).update(
        recipient="", description=""
    )
    sent = OutboundMessage.objects.filter(outbound).update(
        to=[],
        reply_to=[],
        subject=Case(
            When(thread="", then=Value(PLACEHOLDER)),
            default=Concat(Value("["), "thread", Value("] " + PLACEHOLDER)),
            output_field=CharField(),
        ),
        body_text=PLACEHOLDER,
        body_html="",
        attachments=[],
        last_error=Case(When(status=pending, then=Value(PLACEHOLDER)), default=F("last_error"),
                        output_field=CharField()),
        status=Case(When(status=pending, then=Value(OutboundMessage.Status.FAILED)), default=F("status"),
                    output_field=CharField()),
    )
    files = [
        item["path"]
        for stored in InboundMessage.objects.filter(inbound).values_list("attachments", flat=True)
        for item in stored or []
        if isinstance(item, dict) and item.get("path")
    ]
    received = InboundMessage.objects.filter(inbound).update(
        from_address="",
        from_name="",
        envelope_sender="",
        to=[],
        recipients=[],
        subject=PLACEHOLDER,
        headers=[],
        body_text=PLACEHOLDER,
        body_html="",
        reply_text=PLACEHOLDER,
        attachments=[],
        refused_attachments=[],
    )
    return sent + received, files


def _anonymise(ticket_ids: list[int], *, actor, note: str, now: datetime, mail_ids=(), address: str = "") -> dict:
    """Inside the caller's transaction, with the cases locked."""
    references = list(Ticket.objects.filter(pk__in=ticket_ids).values_list("reference", flat=True))
    files = list(TicketAttachment.objects.filter(ticket_id__in=ticket_ids).values_list("path", flat=True))
    TicketAttachment.objects.filter(ticket_id__in=ticket_ids).delete()
    cases = Ticket.objects.filter(pk__in=ticket_ids).update(
        customer_name=PLACEHOLDER,
        customer_email=PLACEHOLDER_EMAIL,
        subject=PLACEHOLDER,
        message=PLACEHOLDER,
        order_number="",
        access_token_hash=None,
        customer_email_bounced=False,
        anonymised_at=now,
        updated_at=now,
    )
    TicketEvent.objects.filter(ticket_id__in=ticket_ids).exclude(text="").update(text=PLACEHOLDER)
    Refund.objects.filter(ticket_id__in=ticket_ids).update(ebook_title=PLACEHOLDER, payment_reference="")
    RemoteSession.objects.filter(ticket_id__in=ticket_ids).update(
        consent_ip=None, consent_token_hash=None, finding_text=_placeholder_unless_empty("finding_text")
    )
    outbound = Q(thread__in=references) | Q(pk__in=list(mail_ids))
    mails, mail_files = _scrub_mails(outbound, _inbound_filter(references, address or None))
    role = roles.role_for(actor, "") if actor is not None else "system"
    TicketEvent.objects.bulk_create(
        TicketEvent(ticket_id=pk, kind=TicketEvent.Kind.INTERNAL_NOTE, actor=actor, actor_role=role,
                    audience=TicketEvent.Audience.INTERNAL, text=note, created_at=now)
        for pk in ticket_ids
    )
    files += mail_files
    # The rows are gone with the transaction; the files only once it has committed.
    transaction.on_commit(lambda: [uploads.delete_private(path) for path in files])
    return {"cases": cases, "mails": mails, "files": len(set(files))}


def anonymise_expired(now: datetime | None = None, *, batch_size: int = BATCH_SIZE, limit: int | None = None) -> int:
    """Anonymise every case whose retention period is over, `batch_size` cases per transaction. Cases another
    transaction holds are skipped; the next run takes them. Returns the number of cases anonymised."""
    now = now or timezone.now()
    note = RETENTION_NOTE.format(days=retention_days())
    done = 0
    while limit is None or done < limit:
        size = batch_size if limit is None else min(batch_size, limit - done)
        with transaction.atomic():
            ids = list(
                expired_cases(now).select_for_update(skip_locked=True).order_by("pk").values_list("pk", flat=True)[
                    :size
                ]
            )
            if not ids:
                break
            done += _anonymise(ids, actor=None, note=note, now=now)["cases"]
    if done:
        log.info("privacy: %d case(s) past the retention period anonymised", done)
    return done


@dataclass(frozen=True)
class Erasure:
    cases: int
    mails: int
    files: int
    other_records: int = 0  # e.g. payment-problem reports


def erase(address: str, *, actor, now: datetime | None = None) -> Erasure:
    """Remove the personal data of `address` now: its cases are anonymised (also open ones: they stay where they
    are, without the customer's data), the mails about them or to it and the mails from it are scrubbed."""
    address = normalise(address)
    if not address:
        raise ValueError("an address is needed")
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(cases_of(address).select_for_update().order_by("pk").values_list("pk", flat=True))
        result = _anonymise(ids, actor=actor, note=ERASURE_NOTE, now=now, mail_ids=_mails_to(address),
                            address=address)
        other = personal_data.erase_all(address)
        result["files"] += sum(counts["files"] for counts in other.values())
        result["other_records"] = sum(counts["records"] for counts in other.values())
    log.info("privacy: personal data erased by user %s: %d case(s), %d mail(s), %d file(s)",
             getattr(actor, "pk", None), result["cases"], result["mails"], result["files"])
    return Erasure(**result)
