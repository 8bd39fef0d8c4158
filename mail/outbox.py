"""Writing mail: `enqueue()` renders a mail from templates in the recipient's language and stores it as an
outbox row inside the caller's transaction. Nothing leaves before the transaction commits."""

import logging
import re
import threading
from collections.abc import Iterable
from contextlib import contextmanager

from django.conf import settings
from django.db import transaction
from django.template.loader import TemplateDoesNotExist, render_to_string
from django.utils import translation

from .addresses import reply_address
from .models import OutboundMessage

log = logging.getLogger(__name__)

_held = threading.local()

_LINE_BREAKS = re.compile(r"[\r\n\x00-\x1f\x7f]+")


def one_line(text: str) -> str:
    """A header value on one line: whatever the caller passed, no CR/LF or control character gets through."""
    return _LINE_BREAKS.sub(" ", text).strip()


def thread_root_id(thread: str) -> str:
    """The Message-ID every mail of a thread refers to, so that mail clients group them."""
    return f"<{thread}@{settings.MAIL_MESSAGE_ID_DOMAIN}>"


def enqueue(
    *,
    to: str | Iterable[str],
    template: str,
    context: dict,
    thread: str = "",
    language: str = "de",
    reply_to: Iterable[str] = (),
    attachments: Iterable[dict] = (),
) -> OutboundMessage:
    """Render `<template>_subject.txt`, `<template>.txt` and (if present) `<template>.html`, store the mail.

    The subject gets the thread's reference in brackets, e.g. `[EB-2026-000123] ...`, when a thread is given,
    and Reply-To the thread's signed reply address (unless the caller passes its own `reply_to`), so that an
    answer from any mail program comes back to the thread.
    """
    recipients = [to] if isinstance(to, str) else [address for address in to if address]
    with translation.override(language):
        context = {"site_url": settings.SITE_URL, **context}
        subject = one_line(render_to_string(f"{template}_subject.txt", context))
        body_text = render_to_string(f"{template}.txt", context)
        try:
            body_html = render_to_string(f"{template}.html", context)
        except TemplateDoesNotExist:
            body_html = ""
    if thread and f"[{thread}]" not in subject:
        subject = f"[{thread}] {subject}"
    reply_to = [address for address in reply_to if address]
    if thread and not reply_to:
        reply_to = [address for address in [reply_address(thread)] if address]
    message = OutboundMessage.objects.create(
        thread=thread,
        template=template,
        language=language,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
        reply_to=[one_line(address) for address in reply_to],
        subject=subject[:255],
        body_text=body_text,
        body_html=body_html,
        message_id=OutboundMessage.new_message_id(thread, settings.MAIL_MESSAGE_ID_DOMAIN),
        in_reply_to=thread_root_id(thread) if thread else "",
        attachments=list(attachments),
    )
    if not getattr(_held, "active", False):
        transaction.on_commit(lambda: dispatch(message.pk))
    return message


@contextmanager
def held():
    """Write outbox rows without handing them to a worker (demo data, bulk imports); the caller decides."""
    _held.active = True
    try:
        yield
    finally:
        _held.active = False


def dispatch(message_pk: int) -> None:
    """Hand a committed outbox row to a worker. A broker that is down loses nothing: the sweep sends it."""
    from .tasks import send_message

    try:
        send_message.delay(message_pk)
    except Exception as exc:  # noqa: BLE001 - kombu raises several types for an unreachable broker
        log.warning("Broker unreachable, mail %s stays in the outbox for the sweep: %s", message_pk, exc)
