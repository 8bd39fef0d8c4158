"""Sending one outbox row: lock it, send it, record the outcome. At most one worker sends a row at a time
(the row lock), a sent row is never sent again, and a failing one waits with exponential backoff."""

import logging
from datetime import timedelta
from pathlib import Path

from anymail.exceptions import AnymailInvalidAddress, AnymailRecipientsRefused
from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from .models import OutboundMessage

log = logging.getLogger(__name__)

# Errors that no retry can mend: the address itself is refused.
PERMANENT_ERRORS = (AnymailRecipientsRefused, AnymailInvalidAddress)
# The sweep (not a Celery countdown) retries a failing row, but keep every delay below the broker's
# visibility timeout (3600 s) all the same, so no retry ever waits longer than a redelivery would.
MAX_BACKOFF_SECONDS = 1800


def backoff(attempts: int) -> timedelta:
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), MAX_BACKOFF_SECONDS))


def threading_headers(message: OutboundMessage) -> dict[str, str]:
    """Message-ID, In-Reply-To and References, so that mail clients group the mails of one thread.

    Every mail of a thread refers to the thread's root id (as GitHub does with issues). References also
    carries the mail's own Message-ID: a provider that rewrites Message-ID leaves References alone, so a
    reply still names a Message-ID that the outbox knows."""
    headers = {"Message-ID": message.message_id}
    if message.in_reply_to:
        headers["In-Reply-To"] = message.in_reply_to
        headers["References"] = f"{message.in_reply_to} {message.message_id}"
    # RFC 3834: these mails are generated; vacation responders should not answer them.
    headers["Auto-Submitted"] = "auto-generated"
    return headers


def provider_id(email) -> str:
    """The provider's id of a sent mail from anymail's status (0 is a valid id of the test backend)."""
    status = getattr(email, "anymail_status", None)
    message_id = getattr(status, "message_id", None)
    if message_id is None or message_id == "":
        return ""
    if isinstance(message_id, set):  # one id per recipient: keep one, deterministically
        message_id = sorted(str(item) for item in message_id)[0] if message_id else ""
    return str(message_id)[:255]


def build_email(message: OutboundMessage) -> EmailMultiAlternatives:
    headers = threading_headers(message)
    email = EmailMultiAlternatives(
        subject=message.subject,
        body=message.body_text,
        from_email=message.from_email,
        to=message.to,
        reply_to=message.reply_to or None,
        headers=headers,
    )
    if message.body_html:
        email.attach_alternative(message.body_html, "text/html")
    for attachment in message.attachments:
        path = Path(settings.PRIVATE_MEDIA_ROOT) / attachment["path"]
        email.attach(attachment["name"], path.read_bytes(), attachment.get("content_type"))
    return email


def _claim(message_pk: int, *, force: bool) -> tuple[str, int]:
    """Count the attempt and hold the row back for its backoff, in a transaction that commits before anything
    leaves. An attempt cut short by a killed worker so still counts: a mail that kills its worker every time is
    retried neither at once (the redelivered task finds it waiting) nor for ever (OUTBOX_MAX_ATTEMPTS)."""
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_pk, status=OutboundMessage.Status.PENDING)
            .first()
        )
        if message is None:
            return "skipped", 0  # already sent, failed for good, or another worker is sending it now
        now = timezone.now()
        if message.next_attempt_at > now and not force:
            return "waiting", 0
        if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
            message.status = OutboundMessage.Status.FAILED
            message.last_error = message.last_error or "Every attempt ended without an outcome (worker killed?)."
            message.save(update_fields=["status", "last_error"])
            log.error("Mail %s given up after %s attempts without an outcome", message.pk, message.attempts)
            return message.status, 0
        message.attempts += 1
        message.next_attempt_at = now + backoff(message.attempts)
        message.save(update_fields=["attempts", "next_attempt_at"])
        return "claimed", message.attempts


def deliver(message_pk: int, *, force: bool = False) -> str:
    """Send the row if it is pending and due (or `force`d by staff). Returns its status afterwards."""
    outcome, attempt = _claim(message_pk, force=force)
    if outcome != "claimed":
        return outcome
    with transaction.atomic():
        message = (
            OutboundMessage.objects.select_for_update(skip_locked=True)
            .filter(pk=message_pk, status=OutboundMessage.Status.PENDING, attempts=attempt)
            .first()
        )
        if message is None:
            return "skipped"  # staff reset it for a new attempt in the meantime
        try:
            email = build_email(message)
            email.send()
        except PERMANENT_ERRORS as exc:
            message.status = OutboundMessage.Status.FAILED
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            log.error("Mail %s refused for good: %s", message.pk, exc)
        except Exception as exc:  # noqa: BLE001 - any other error is worth another try (the claim set when)
            message.last_error = f"{type(exc).__name__}: {exc}"[:2000]
            if message.attempts >= settings.OUTBOX_MAX_ATTEMPTS:
                message.status = OutboundMessage.Status.FAILED
            log.warning("Mail %s failed (attempt %s): %s", message.pk, message.attempts, exc)
        else:
            message.status = OutboundMessage.Status.SENT
            message.sent_at = timezone.now()
            message.last_error = ""
            message.provider_message_id = provider_id(email)
            if message.provider_message_id and not message.delivery_status:
                message.delivery_status = OutboundMessage.Delivery.QUEUED
        message.save()
        return message.status


def due_pending_ids(limit: int = 500) -> list[int]:
    return list(
        OutboundMessage.objects.filter(
            status=OutboundMessage.Status.PENDING, next_attempt_at__lte=timezone.now()
        )
        .order_by("next_attempt_at")
        .values_list("pk", flat=True)[:limit]
    )
