"""The outbox: every mail the product sends is first a row here, written in the same transaction as the
change it reports. A Celery task sends it after commit; a periodic sweep sends whatever is still pending
(for instance because the broker was down when the change committed). The mail app knows no case: a
mail belongs to a thread, named by the app that wrote it (for a case, its reference)."""

import uuid

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OutboundMessage(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        SENT = "sent", _("gesendet")
        FAILED = "failed", _("fehlgeschlagen")

    class Delivery(models.TextChoices):
        UNKNOWN = "", _("unbekannt")
        QUEUED = "queued", _("beim Anbieter")
        DELIVERED = "delivered", _("zugestellt")
        BOUNCED = "bounced", _("unzustellbar")
        REJECTED = "rejected", _("abgelehnt")
        COMPLAINED = "complained", _("als Spam gemeldet")
        DEFERRED = "deferred", _("verzögert")

    created_at = models.DateTimeField(default=timezone.now, editable=False)
    thread = models.CharField(_("Thread"), max_length=64, db_index=True, blank=True)
    template = models.CharField(max_length=120, blank=True)
    language = models.CharField(max_length=8, default="de")
    from_email = models.CharField(max_length=254)
    to = models.JSONField(_("an"), default=list)
    reply_to = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("Betreff"), max_length=255)
    body_text = models.TextField()
    body_html = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    # Files from private storage, as [{"path": ..., "name": ..., "content_type": ...}].
    attachments = models.JSONField(default=list, blank=True)

    status = models.CharField(_("Status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    delivery_status = models.CharField(
        _("Zustellung"), max_length=12, choices=Delivery.choices, default=Delivery.UNKNOWN, blank=True
    )

    class Meta:
        verbose_name = _("ausgehende Mail")
        verbose_name_plural = _("ausgehende Mails")
        ordering = ["-created_at"]
        indexes = [
            models.Index(
                fields=["next_attempt_at"], name="outbox_pending_due", condition=models.Q(status="pending")
            ),
        ]

    def __str__(self):
        return f"{self.subject} -> {', '.join(self.to)}"

    @staticmethod
    def new_message_id(thread: str, domain: str) -> str:
        return f"<{uuid.uuid4().hex}.{thread or 'mail'}@{domain}>"


class InboundMessage(models.Model):
    """A mail that reached the inbound webhook. Every one is kept: a reply that threads into a case is marked
    processed; anything else (no matching thread, an auto-reply or bounce, spam, a refused attachment, a
    receiver that declined it) waits here for staff review. The dedupe key makes a replayed webhook a
    no-op."""

    class Status(models.TextChoices):
        RECEIVED = "received", _("empfangen")
        PROCESSED = "processed", _("zugeordnet")
        UNMATCHED = "unmatched", _("keinem Fall zugeordnet")
        HELD = "held", _("zurückgehalten")
        AUTO_REPLY = "auto_reply", _("automatische Antwort")
        BOUNCE = "bounce", _("Unzustellbarkeitsmeldung")
        SPAM = "spam", _("Spam")
        ERROR = "error", _("Fehler bei der Verarbeitung")
        DISMISSED = "dismissed", _("erledigt")

    # Statuses after which a replay of the same mail changes nothing.
    FINAL = (
        Status.PROCESSED, Status.UNMATCHED, Status.HELD, Status.AUTO_REPLY, Status.BOUNCE, Status.SPAM,
        Status.DISMISSED,
    )
    # Statuses a person should look at.
    NEEDS_REVIEW = (Status.UNMATCHED, Status.HELD, Status.ERROR)

    received_at = models.DateTimeField(_("empfangen"), default=timezone.now, db_index=True)
    esp = models.CharField(_("Anbieter"), max_length=40)
    event_id = models.CharField(max_length=255, blank=True)
    dedupe_key = models.CharField(max_length=255, unique=True)
    message_id = models.CharField(_("Message-ID"), max_length=998, blank=True)
    in_reply_to = models.TextField(blank=True)
    references = models.TextField(blank=True)
    from_address = models.CharField(_("von"), max_length=254, blank=True)
    from_name = models.CharField(max_length=200, blank=True)
    envelope_sender = models.CharField(max_length=254, blank=True, null=True)
    to = models.JSONField(_("an"), default=list, blank=True)
    recipients = models.JSONField(default=list, blank=True)
    subject = models.CharField(_("Betreff"), max_length=998, blank=True)
    headers = models.JSONField(default=list, blank=True)
    body_text = models.TextField(_("Text"), blank=True)
    body_html = models.TextField(blank=True)
    reply_text = models.TextField(_("Antwort ohne Zitat"), blank=True)
    # Stored files, as {"path", "name", "content_type", "size"}; refused ones as {"name", "reason"}.
    attachments = models.JSONField(_("Anhänge"), default=list, blank=True)
    refused_attachments = models.JSONField(_("abgelehnte Anhänge"), default=list, blank=True)
    spam_score = models.FloatField(null=True, blank=True)

    status = models.CharField(_("Status"), max_length=12, choices=Status.choices, default=Status.RECEIVED,
                              db_index=True)
    reason = models.TextField(_("Grund"), blank=True)
    thread = models.CharField(
        _("Thread"), max_length=64, blank=True, db_index=True,
        help_text=_(
            "Die Referenz des Falls (z. B. EB-2026-000123). Zum Zuordnen eintragen, dann «Verarbeiten»."
        ),
    )
    match_method = models.CharField(_("zugeordnet über"), max_length=20, blank=True)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    last_error = models.TextField(_("letzter Fehler"), blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("eingehende Mail")
        verbose_name_plural = _("eingehende Mails")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.from_address}: {self.subject}"

    def header(self, name: str) -> str | None:
        name = name.lower()
        for key, value in self.headers:
            if key.lower() == name:
                return value
        return None

    def header_values(self, name: str) -> list[str]:
        name = name.lower()
        return [value for key, value in self.headers if key.lower() == name]


class DeliveryEvent(models.Model):
    """One delivery or engagement event from the provider's tracking webhook. The unique key makes a replayed
    event a no-op; the row is also the log of what the provider said about each mail."""

    key = models.CharField(max_length=255, unique=True)
    esp = models.CharField(_("Anbieter"), max_length=40)
    event_type = models.CharField(_("Ereignis"), max_length=20)
    provider_message_id = models.CharField(max_length=255, blank=True, db_index=True)
    recipient = models.CharField(_("Empfänger"), max_length=254, blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    occurred_at = models.DateTimeField(_("Zeitpunkt"), null=True, blank=True)
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    message = models.ForeignKey(
        OutboundMessage, on_delete=models.SET_NULL, null=True, blank=True, related_name="delivery_events",
        verbose_name=_("Mail"),
    )

    class Meta:
        verbose_name = _("Zustellereignis")
        verbose_name_plural = _("Zustellereignisse")
        ordering = ["-received_at"]

    def __str__(self):
        return f"{self.event_type} {self.recipient}"
