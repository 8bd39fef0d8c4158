"""Delivery events from anymail's tracking webhook: each is logged once (a replay is a no-op), the outbox row
it belongs to gets its delivery status, and the status is announced with `mail.signals.delivery_status`
for the app that owns the thread. An exception rolls everything back (the event is not marked as seen)
and answers 500, so the provider sends it again."""

import hashlib
import logging

from anymail.signals import EventType
from django.db import IntegrityError, transaction
from django.db.models import Q

from .models import DeliveryEvent, OutboundMessage
from .signals import delivery_status

log = logging.getLogger(__name__)

Delivery = OutboundMessage.Delivery

# anymail's normalised event types -> the outbox's delivery status (others are only logged).
STATUS_FOR_EVENT = {
    EventType.QUEUED: Delivery.QUEUED,
    EventType.SENT: Delivery.QUEUED,
    EventType.DEFERRED: Delivery.DEFERRED,
    EventType.DELIVERED: Delivery.DELIVERED,
    EventType.BOUNCED: Delivery.BOUNCED,
    EventType.REJECTED: Delivery.REJECTED,
    EventType.FAILED: Delivery.REJECTED,
    EventType.COMPLAINED: Delivery.COMPLAINED,
}
# A mail's overall status only moves forward: a late "delivered" does not hide a bounce of the same mail.
RANK = {
    Delivery.UNKNOWN: 0,
    Delivery.QUEUED: 1,
    Delivery.DEFERRED: 2,
    Delivery.DELIVERED: 3,
    Delivery.BOUNCED: 4,
    Delivery.REJECTED: 4,
    Delivery.COMPLAINED: 5,
}


def event_key(event, esp_name: str) -> str:
    if event.event_id:
        key = f"{esp_name.lower()}:{event.event_id}"
    else:  # Postmark's delivery events carry no id: the event's facts identify it
        stamp = event.timestamp.isoformat() if event.timestamp else ""
        key = f"{esp_name.lower()}:{event.event_type}:{event.message_id}:{event.recipient}:{stamp}"
    if len(key) > 255:
        key = f"{esp_name.lower()}:sha:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def find_outbound(provider_message_id: str) -> OutboundMessage | None:
    if not provider_message_id:
        return None
    bracketed = provider_message_id if provider_message_id.startswith("<") else f"<{provider_message_id}>"
    bare = provider_message_id.strip("<>")
    return (
        OutboundMessage.objects.select_for_update()
        .filter(Q(provider_message_id__in=[provider_message_id, bare, bracketed]) | Q(message_id=bracketed))
        .order_by("-created_at")
        .first()
    )


def record(event, esp_name: str) -> DeliveryEvent | None:
    """Apply one tracking event. None when it was seen before."""
    provider_id = str(event.message_id or "")[:255]
    with transaction.atomic():
        try:
            with transaction.atomic():
                logged = DeliveryEvent.objects.create(
                    key=event_key(event, esp_name),
                    esp=esp_name,
                    event_type=str(event.event_type)[:20],
                    provider_message_id=provider_id,
                    recipient=str(event.recipient or "")[:254],
                    description=" ".join(
                        str(part) for part in (event.description, event.mta_response) if part
                    )[:4000],
                    occurred_at=event.timestamp,
                )
        except IntegrityError:
            log.info("Tracking event %s from %s delivered again; already handled", event.event_id, esp_name)
            return None
        message = find_outbound(provider_id)
        status = STATUS_FOR_EVENT.get(event.event_type)
        if message is None:
            if status is not None:
                log.warning("Tracking event for an unknown mail %s (%s)", provider_id, esp_name)
            return logged
        logged.message = message
        logged.save(update_fields=["message"])
        if status is None:
            return logged
        if RANK[status] >= RANK.get(message.delivery_status, 0) and message.delivery_status != status:
            message.delivery_status = status
            message.save(update_fields=["delivery_status"])
        delivery_status.send(
            sender=OutboundMessage,
            message=message,
            status=status,
            recipient=logged.recipient,
            description=logged.description,
            occurred_at=event.timestamp,
        )
        return logged


def on_tracking(sender, event, esp_name, **kwargs):
    """anymail.signals.tracking receiver (connected in MailConfig.ready)."""
    record(event, esp_name)
