"""Inbound mail from anymail's inbound webhook (Postmark, Mailgun, ...).

Every mail is first stored as an InboundMessage (committed on its own), then handled under that row's lock:

1. recognised auto-replies, bounces and spam are kept, never added to a thread;
2. the thread is found by the signed reply address first, then the In-Reply-To/References headers (Message-IDs
   the outbox sent), then a `[EB-2026-000123]` reference in the subject (a thread the outbox wrote to) - never
   by the From address alone;
3. the quoted text is stripped and the reply is announced with `mail.signals.inbound_reply`; the app that owns
   the thread takes it, declines it (kept for review) or raises (rolled back, 500, the provider retries).

A replay of a mail already handled (same Message-ID) changes nothing."""

import hashlib
import html as html_lib
import logging
import re
from email.utils import getaddresses

import nh3
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from common.text import clean_multiline

from . import addresses
from .models import InboundMessage, OutboundMessage
from .signals import InboundReply, Rejected, inbound_reply

log = logging.getLogger(__name__)

Status = InboundMessage.Status

MAX_TEXT = 100_000
MAX_REPLY_TEXT = 20_000
DEFAULT_SUBJECT_PATTERN = r"\[([A-Z]{2,4}-\d{4}-\d{4,8})\]"
_MESSAGE_ID = re.compile(r"<[^<>\s]+>")


# --- reading the mail --------------------------------------------------------------------------------


def _address_list(values) -> list[str]:
    return [
        address.strip().lower()
        for _name, address in getaddresses([str(v) for v in values if v])
        if "@" in address
    ]


def message_ids(value: str | None) -> list[str]:
    return _MESSAGE_ID.findall(value or "")


def html_to_text(html: str) -> str:
    """Plain text of an HTML body, without quoted blocks (blockquote, Gmail's and Outlook's quotes)."""
    html = re.sub(r"(?is)<(script|style|head)\b.*?</\1\s*>", "", html or "")
    html = re.sub(r"(?is)<blockquote\b.*?</blockquote\s*>", "", html)
    html = re.sub(r'(?is)<div[^>]*class="[^"]*gmail_quote.*', "", html)
    html = re.sub(r'(?is)<div[^>]*id="(divRplyFwdMsg|appendonsend)".*', "", html)
    html = re.sub(r"(?i)<br\s*/?>", "\n", html)
    html = re.sub(r"(?i)</(p|div|li|tr|h[1-6])\s*>", "\n", html)
    text = html_lib.unescape(nh3.clean(html, tags=set()))
    return re.sub(r"\n{3,}", "\n\n", text).strip()


_ATTRIBUTION = re.compile(
    r"^(on|am|le|il|el|op)\s.{4,300}?\s(wrote|schrieb|a\s+écrit|ha\s+scritto|escribió|schreef)(\s.{0,200})?:\s*$",
    re.IGNORECASE,
)
_SEPARATOR = re.compile(
    r"^(-{2,}\s*(original message|ursprüngliche nachricht|originalnachricht|message d'origine|"
    r"messaggio originale|forwarded message|weitergeleitete nachricht)\s*-{2,}|_{10,}|-{10,})\s*$",
    re.IGNORECASE,
)
_HEADER_FROM = re.compile(r"^\*?(from|von|de|da)\s*:\*?\s", re.IGNORECASE)
_HEADER_NEXT = re.compile(
    r"^\*?(sent|gesendet|envoyé|inviato|date|datum|to|an|à|a|subject|betreff|objet)\s*:", re.IGNORECASE
)
_MOBILE_SIGNATURE = re.compile(
    r"^(sent from my \w+|von meinem \w+ gesendet|envoyé de mon \w+|gesendet von meinem \w+)", re.IGNORECASE
)


def strip_quoted(text: str) -> str:
    """The new part of a reply: everything above the quoted mail, its attribution line or a signature."""
    lines = (text or "").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    kept: list[str] = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        following = [lines[i].strip() for i in range(index + 1, min(index + 4, len(lines)))]
        if _ATTRIBUTION.match(stripped) or (following and _ATTRIBUTION.match(f"{stripped} {following[0]}")):
            break
        if _SEPARATOR.match(stripped) or line == "-- " or _MOBILE_SIGNATURE.match(stripped):
            break
        if _HEADER_FROM.match(stripped) and any(_HEADER_NEXT.match(candidate) for candidate in following):
            break
        if stripped.startswith(">"):
            continue
        kept.append(line)
    return "\n".join(kept).strip()


def _dedupe_key(message, event, esp_name: str) -> str:
    ids = message_ids(message.get("Message-ID"))
    if ids:
        key = f"mid:{ids[0].lower()}"
    elif event.event_id:
        key = f"esp:{esp_name.lower()}:{event.event_id}"
    else:
        key = "sha:" + hashlib.sha256(message.as_bytes()).hexdigest()
    if len(key) > 255:
        key = "sha:" + hashlib.sha256(key.encode()).hexdigest()
    return key


def _store_attachments(message) -> tuple[list[dict], list[dict]]:
    """Every attachment through the same checks as a customer's upload; refused ones are named, not stored."""
    from common.uploads import sanitize_name, store_private

    limit = int(getattr(settings, "MAIL_INBOUND_MAX_ATTACHMENTS", 10))
    stored: list[dict] = []
    refused: list[dict] = []
    folder = timezone.localdate().strftime("inbound/%Y/%m")
    for part in message.attachments:
        name = sanitize_name(part.get_filename() or "")
        if len(stored) + len(refused) >= limit:
            refused.append({"name": name, "reason": _("Zu viele Anhänge (höchstens %(n)d).") % {"n": limit}})
            continue
        try:
            uploaded = part.as_uploaded_file()
            if uploaded is None:
                continue
            stored.append(store_private(uploaded, folder))
        except ValidationError as exc:
            refused.append({"name": name, "reason": " ".join(exc.messages)})
        except Exception as exc:  # noqa: BLE001 - a malformed MIME part must not lose the mail
            log.warning("Inbound attachment %r unreadable: %s", name, exc)
            refused.append({"name": name, "reason": _("Der Anhang ist nicht lesbar.")})
    return stored, refused


def _discard_files(files: list[dict]) -> None:
    from common.uploads import delete_private

    for item in files:
        delete_private(item["path"])


def _build_row(message, event, esp_name: str, key: str) -> InboundMessage:
    sender = message.from_email
    if isinstance(sender, list):
        sender = sender[0] if sender else None
    body_text = message.text or ""
    body_html = message.html or ""
    if not body_text.strip() and body_html:
        body_text = html_to_text(body_html)
    provider_stripped = (getattr(message, "stripped_text", None) or "").strip()
    reply_text = strip_quoted(provider_stripped or body_text)
    recipients = _address_list(
        [
            message.get("To"),
            message.get("Cc"),
            message.get("Bcc"),
            getattr(message, "envelope_recipient", None),
            *(message.get_all("Delivered-To") or []),
            *(message.get_all("X-Original-To") or []),
        ]
    )
    stored, refused = _store_attachments(message)
    return InboundMessage(
        esp=esp_name,
        event_id=str(event.event_id or "")[:255],
        dedupe_key=key,
        message_id=(message_ids(message.get("Message-ID")) or [""])[0][:998],
        in_reply_to=str(message.get("In-Reply-To") or ""),
        references=" ".join(str(value) for value in (message.get_all("References") or [])),
        from_address=(sender.addr_spec if sender else "")[:254],
        from_name=(sender.display_name if sender else "")[:200],
        envelope_sender=getattr(message, "envelope_sender", None),
        to=_address_list([message.get("To"), message.get("Cc")]),
        recipients=list(dict.fromkeys(recipients)),
        subject=clean_multiline(str(message.get("Subject") or "")).replace("\n", " ")[:998],
        headers=[[str(name), str(value)[:2000]] for name, value in message.items()],
        body_text=clean_multiline(body_text)[:MAX_TEXT],
        body_html=body_html[:MAX_TEXT],
        reply_text=clean_multiline(reply_text)[:MAX_REPLY_TEXT],
        attachments=stored,
        refused_attachments=refused,
        spam_score=getattr(message, "spam_score", None),
        status=Status.SPAM if getattr(message, "spam_detected", False) else Status.RECEIVED,
        reason=_("Der Anbieter hat die Mail als Spam erkannt.")
        if getattr(message, "spam_detected", False)
        else "",
    )


# --- recognising what is not a reply ----------------------------------------------------------------------

_AUTO_HEADERS = (
    "x-autoreply",
    "x-autorespond",
    "x-autoresponder",
    "x-auto-reply",
    "x-mail-autoreply",
    "x-autogenerated",
    "x-autoreply-from",
    "x-ms-exchange-generated-message-source",
)
_BULK_PRECEDENCE = {"bulk", "junk", "list", "auto_reply", "auto-reply"}
_BOUNCE_SENDERS = {"mailer-daemon", "postmaster", "mail-daemon", "mailerdaemon"}
_BOUNCE_SUBJECT = re.compile(
    r"^(undeliver(able|ed)|unzustellbar|nicht zustellbar|delivery (status notification|failure|has failed)|"
    r"mail delivery (failed|failure|system)|returned mail|non remis|non distribuable|échec de (la )?remise|"
    r"failure notice|zustellung fehlgeschlagen)",
    re.IGNORECASE,
)
_AUTO_SUBJECT = re.compile(
    r"^(auto(matic|matische)?[ -]?(reply|response|antwort)|automatische antwort|abwesenheit|"
    r"out of (the )?office|"
    r"réponse automatique|absence|risposta automatica|abwesend|ferienabwesenheit|i am out of|ich bin)",
    re.IGNORECASE,
)


def classify(row: InboundMessage) -> tuple[str, str] | None:
    """(status, reason) for a bounce or an automatic reply, None for a mail a person wrote."""
    content_type = (row.header("Content-Type") or "").lower()
    local = row.from_address.lower().partition("@")[0]
    subject = re.sub(r"^((re|aw|wg|fw|fwd|tr)\s*:\s*)+", "", row.subject.strip(), flags=re.IGNORECASE)
    if "multipart/report" in content_type and "delivery-status" in content_type:
        return Status.BOUNCE, _("Unzustellbarkeitsmeldung (DSN).")
    if local in _BOUNCE_SENDERS or row.header("X-Failed-Recipients"):
        return Status.BOUNCE, _("Unzustellbarkeitsmeldung von %(sender)s.") % {"sender": row.from_address}
    if row.envelope_sender == "" and row.esp.lower() == "postmark":
        return Status.BOUNCE, _("Leerer Absender (Return-Path <>): eine Meldung des Mailsystems.")
    if _BOUNCE_SUBJECT.match(subject):
        return Status.BOUNCE, _("Betreff einer Unzustellbarkeitsmeldung.")
    auto_submitted = (row.header("Auto-Submitted") or "").strip().lower()
    if auto_submitted and auto_submitted != "no":
        return Status.AUTO_REPLY, f"Auto-Submitted: {auto_submitted}"
    for name in _AUTO_HEADERS:
        if row.header(name) is not None:
            return Status.AUTO_REPLY, _("Kopfzeile %(name)s.") % {"name": name}
    for name in ("Precedence", "X-Precedence"):
        if (row.header(name) or "").strip().lower() in _BULK_PRECEDENCE:
            return Status.AUTO_REPLY, f"{name}: {row.header(name)}"
    if "disposition-notification" in content_type:
        return Status.AUTO_REPLY, _("Lesebestätigung.")
    if _AUTO_SUBJECT.match(subject):
        return Status.AUTO_REPLY, _("Betreff einer automatischen Antwort.")
    return None


# --- finding the thread --------------------------------------------------------------------------------


def _canonical_thread(key: str) -> str:
    """The thread as the outbox spelled it (reply addresses are lower case)."""
    found = OutboundMessage.objects.filter(thread__iexact=key).values_list("thread", flat=True).first()
    return found or key


def match_thread(row: InboundMessage) -> tuple[str, str, str]:
    """(thread, method, note). Reply address, then headers, then subject; ("", "", note) when none fits."""
    notes = []
    for address in row.recipients:
        if addresses.looks_like_reply_address(address):
            key = addresses.thread_from_address(address)
            if key:
                return _canonical_thread(key), "reply_address", ""
            notes.append(_("Antwortadresse mit ungültiger Signatur: %(address)s.") % {"address": address})
    ids = list(dict.fromkeys(message_ids(row.in_reply_to) + message_ids(row.references)))
    if ids:
        bare = [value.strip("<>").partition("@")[0] for value in ids]
        found = (
            OutboundMessage.objects.filter(
                Q(message_id__in=ids) | Q(provider_message_id__in=[b for b in bare if b])
            )
            .exclude(thread="")
            .order_by("-created_at")
            .values_list("thread", flat=True)
            .first()
        )
        if found:
            return found, "headers", ""
    pattern = getattr(settings, "MAIL_THREAD_SUBJECT_PATTERN", DEFAULT_SUBJECT_PATTERN)
    for candidate in re.findall(pattern, row.subject or ""):
        found = (
            OutboundMessage.objects.filter(thread__iexact=candidate).values_list("thread", flat=True).first()
        )
        if found:
            return found, "subject", ""
    notes.append(_("Weder Antwortadresse noch Kopfzeilen noch Betreff passen zu einem Fall."))
    return "", "", " ".join(notes)


# --- handling ------------------------------------------------------------------------------------------


def _route(row: InboundMessage, *, staff: bool) -> None:
    """Decide what the mail is and announce it. Sets status/reason on `row` (the caller saves it)."""
    if not staff:
        if row.status == Status.SPAM:
            return
        kind = classify(row)
        if kind is not None:
            row.status, row.reason = kind
            return
        if row.refused_attachments:
            row.status = Status.HELD
            row.reason = _("Anhang abgelehnt: %(list)s") % {
                "list": "; ".join(f"{item['name']}: {item['reason']}" for item in row.refused_attachments)
            }
            thread, method, _note = match_thread(row)
            row.thread, row.match_method = thread, method
            return
        thread, method, note = match_thread(row)
    else:
        thread, method, note = row.thread.strip(), "staff", ""
    if not thread:
        row.status, row.reason = Status.UNMATCHED, note
        return
    row.thread, row.match_method = thread, method
    if not row.reply_text.strip() and not row.attachments:
        row.status, row.reason = Status.HELD, _("Die Antwort ist leer (nur Zitat oder nichts).")
        return
    reply = InboundReply(
        thread=thread,
        method=method,
        from_address=row.from_address,
        from_name=row.from_name,
        subject=row.subject,
        text=row.reply_text,
        attachments=list(row.attachments),
        inbound_id=row.pk,
    )
    try:
        outcomes = [
            result for _receiver, result in inbound_reply.send(sender=InboundMessage, reply=reply) if result
        ]
    except Rejected as exc:
        row.status, row.reason = Status.HELD, exc.reason
        return
    if not outcomes:
        row.status = Status.UNMATCHED
        row.reason = _("Niemand führt den Thread %(thread)s.") % {"thread": thread}
        return
    row.status, row.reason = Status.PROCESSED, "; ".join(str(outcome) for outcome in outcomes)
    row.processed_at = timezone.now()


def process(pk: int, *, staff: bool = False) -> InboundMessage:
    """Handle a stored mail once. An exception marks the row as failed and propagates (500, retry)."""
    try:
        with transaction.atomic():
            row = InboundMessage.objects.select_for_update().get(pk=pk)
            if row.status in InboundMessage.FINAL and not staff:
                return row  # handled already (a replay, or a retry racing the first delivery)
            row.attempts += 1
            row.last_error = ""
            _route(row, staff=staff)
            row.save()
            return row
    except Exception as exc:
        InboundMessage.objects.filter(pk=pk).update(
            status=Status.ERROR, last_error=f"{type(exc).__name__}: {exc}"[:2000], attempts=F("attempts") + 1
        )
        log.exception("Inbound mail %s could not be handled; the provider will retry", pk)
        raise


def receive(event, esp_name: str) -> InboundMessage:
    """Store one inbound event (once) and handle it."""
    message = event.message
    key = _dedupe_key(message, event, esp_name)
    existing = InboundMessage.objects.filter(dedupe_key=key).first()
    if existing is None:
        row = _build_row(message, event, esp_name, key)
        try:
            with transaction.atomic():
                row.save()
        except IntegrityError:
            # The same mail is being stored by a parallel delivery: keep theirs, drop our copies of the files.
            _discard_files(row.attachments)
            existing = InboundMessage.objects.get(dedupe_key=key)
        else:
            existing = row
    elif existing.status in InboundMessage.FINAL:
        log.info("Inbound mail %s delivered again (%s); already handled", existing.pk, key)
        return existing
    return process(existing.pk)


def on_inbound(sender, event, esp_name, **kwargs):
    """anymail.signals.inbound receiver (connected in MailConfig.ready)."""
    receive(event, esp_name)
