"""What the mail app announces. It knows no case: a reply or a delivery event is announced with its thread key
(for a case, its reference), and the app that owns the thread listens.

A receiver of `inbound_reply` returns a short description of what it did when the thread is its own, None when
it is not, and raises `Rejected(reason)` to keep the mail for staff review instead. Any other exception rolls
the whole handling back and answers the webhook with 500, so the provider delivers it again."""

from dataclasses import dataclass, field

from django.dispatch import Signal

#: A reply matched to a thread. Sends `reply` (an InboundReply).
inbound_reply = Signal()

#: The provider reported on an outgoing mail. Sends `message` (OutboundMessage), `status`
#: (an OutboundMessage.Delivery value), `recipient`, `description`, `occurred_at`.
delivery_status = Signal()


class Rejected(Exception):
    """The receiver owns the thread but will not take this mail: kept for staff review with the reason."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = str(reason)


@dataclass(frozen=True)
class InboundReply:
    thread: str
    # How the thread was found: "reply_address", "headers", "subject" or "staff" (assigned in the admin).
    method: str
    from_address: str
    from_name: str
    subject: str
    text: str
    # Stored private files: {"path", "name", "content_type", "size"}.
    attachments: list[dict] = field(default_factory=list)
    inbound_id: int | None = None
