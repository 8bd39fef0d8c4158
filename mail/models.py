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
