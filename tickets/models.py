"""The case (Ticket) and what belongs to it: the partner bookshop, the timeline, the refund.

The state field is protected: only the transitions below change it, each with its permission. Services in
`tickets.services` call them inside a transaction with a row lock; nothing else writes a case."""

import hashlib
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import RETURN_VALUE, ConcurrentTransitionMixin, FSMField, transition

from . import roles


class Bookshop(models.Model):
    name = models.CharField(_("Name"), max_length=120)
    slug = models.SlugField(unique=True)
    place = models.CharField(_("Ort"), max_length=120)
    notification_emails = models.TextField(
        _("Benachrichtigungsadressen"), help_text=_("Eine Mailadresse pro Zeile; neue Fälle gehen an alle.")
    )
    language = models.CharField(_("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de")
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Partnerbuchhandlung")
        verbose_name_plural = _("Partnerbuchhandlungen")
        ordering = ["name"]

    def __str__(self):
        return f"{self.name}, {self.place}"

    @property
    def notification_addresses(self) -> list[str]:
        return [line.strip() for line in self.notification_emails.splitlines() if line.strip()]

    def clean(self):
        if not self.notification_addresses:
            raise ValidationError({"notification_emails": _("Mindestens eine Adresse ist nötig.")})
        for address in self.notification_addresses:
            try:
                validate_email(address)
            except ValidationError as exc:
                raise ValidationError(
                    {"notification_emails": _("«%(address)s» ist keine gültige Mailadresse.") % {"address": address}}
                ) from exc


class BookshopMember(models.Model):
    """A login of a partner bookshop. Such a user sees the queue of this shop and nothing else."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="bookshop_membership")
    bookshop = models.ForeignKey(Bookshop, on_delete=models.CASCADE, related_name="members")

    class Meta:
        verbose_name = _("Login der Buchhandlung")
        verbose_name_plural = _("Logins der Buchhandlung")

    def __str__(self):
        return f"{self.user} @ {self.bookshop.name}"


class ReferenceCounter(models.Model):
    """One row per year; its row lock makes references unique however many cases are created at once."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class State(models.TextChoices):
    BOOKSHOP = "bookshop", _("bei der Partnerbuchhandlung")
    LEVEL1 = "level1", _("bei Support Level 1")
    LEVEL2 = "level2", _("bei Support Level 2")
    SOLVED = "solved", _("gelöst")
    ABORTED = "aborted", _("abgebrochen")
    REFUNDED = "refunded", _("rückerstattet")


OPEN_STATES = (State.BOOKSHOP, State.LEVEL1, State.LEVEL2)
CLOSED_STATES = (State.SOLVED, State.ABORTED, State.REFUNDED)


class Category(models.TextChoices):
    QUESTION = "question", _("Frage")
    PROBLEM = "problem", _("Problem")
    WISH = "wish", _("Wunsch")
    OTHER = "other", _("Anderes")


class Device(models.TextChoices):
    POCKETBOOK_LUX = "pocketbook_lux", _("PocketBook LUX")
    OTHER_EREADER = "other_ereader", _("anderer eReader")
    WINDOWS_PC = "windows_pc", _("Windows-PC")
    MAC = "mac", _("Mac")
    TABLET = "tablet", _("Tablet")
    SMARTPHONE = "smartphone", _("Smartphone")


class AbortFinding(models.TextChoices):
    UNSTABLE = "unstable", _("Rechner läuft instabil")
    OUTDATED_OS = "outdated_os", _("veraltetes Betriebssystem (z. B. Windows 98)")
    MALWARE = "malware", _("Virenbefall oder Schadsoftware")
    OTHER = "other", _("anderer Befund")


# --- transition permissions: (ticket, user) -> bool, pure -------------------------------------------------


def holder_may_act(ticket: "Ticket", user) -> bool:
    """Whoever holds the case: the bookshop while it is there, else the level it is at."""
    if ticket.state == State.BOOKSHOP:
        return roles.is_member_of(user, ticket.bookshop_id)
    if ticket.state == State.LEVEL1:
        return roles.is_level1(user)
    if ticket.state == State.LEVEL2:
        return roles.is_level2(user)
    return False


def bookshop_or_level1(ticket: "Ticket", user) -> bool:
    return roles.is_member_of(user, ticket.bookshop_id) or roles.is_level1(user)


def level1_only(ticket: "Ticket", user) -> bool:
    return roles.is_level1(user)


def level2_only(ticket: "Ticket", user) -> bool:
    return roles.is_level2(user)


def staff_of_case(ticket: "Ticket", user) -> bool:
    """Anyone who works this case: its bookshop, Level 1, Level 2."""
    return roles.is_member_of(user, ticket.bookshop_id) or roles.is_level1(user) or roles.is_level2(user)


class Ticket(ConcurrentTransitionMixin, models.Model):
    reference = models.CharField(_("Referenz"), max_length=20, unique=True, editable=False)
    bookshop = models.ForeignKey(
        Bookshop, on_delete=models.PROTECT, related_name="tickets", verbose_name=_("Partnerbuchhandlung")
    )
    state = FSMField(_("Status"), default=State.BOOKSHOP, choices=State.choices, protected=True)
    # The level that solved the case: a reopened case goes back there.
    solved_from = models.CharField(max_length=10, choices=State.choices, blank=True, editable=False)

    customer_name = models.CharField(_("Name"), max_length=120)
    customer_email = models.EmailField(_("E-Mail"))
    language = models.CharField(_("Sprache"), max_length=8, choices=settings.LANGUAGES, default="de")
    subject = models.CharField(_("Betreff"), max_length=150)
    message = models.TextField(_("Nachricht"), max_length=10000)
    category = models.CharField(_("Art"), max_length=12, choices=Category.choices, default=Category.QUESTION)
    device = models.CharField(_("Gerät"), max_length=20, choices=Device.choices, blank=True)
    order_number = models.CharField(_("Bestellnummer"), max_length=40, blank=True)
    # What the customer already tried on eHelp before writing (a snapshot: title and steps).
    tried_ehelp = models.JSONField(_("in eHelp versucht"), default=dict, blank=True)

    access_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    submission_key = models.UUIDField(unique=True, null=True, blank=True, editable=False)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="assigned_tickets",
        verbose_name=_("zugewiesen an"),
    )

    created_at = models.DateTimeField(_("eröffnet"), default=timezone.now, editable=False)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)
    closed_at = models.DateTimeField(_("geschlossen"), null=True, blank=True, editable=False)
    # Set when the customer writes, cleared when the bookshop or a level answers: "waiting since".
    waiting_since = models.DateTimeField(_("wartet seit"), null=True, blank=True, editable=False)
    first_answer_at = models.DateTimeField(null=True, blank=True, editable=False)
    # When the holder must answer; None while the case waits on the customer or is closed (the clock pauses).
    answer_due_at = models.DateTimeField(_("Antwort fällig"), null=True, blank=True, editable=False)
    # Set when a mail to the customer bounced: the bookshop should check the address.
    customer_email_bounced = models.BooleanField(_("Mail an den Kunden unzustellbar"), default=False)
    # Personal data removed (retention period over, or erased on the customer's request).
    anonymised_at = models.DateTimeField(_("anonymisiert"), null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("Fall")
        verbose_name_plural = _("Fälle")
        ordering = ["-created_at"]
        permissions = [
            ("act_as_level1", _("Kann als Support Level 1 handeln")),
            ("act_as_level2", _("Kann als Support Level 2 handeln")),
            ("manage_personal_data", _("Kann Personendaten exportieren und löschen")),
        ]
        indexes = [
            models.Index(fields=["bookshop", "state", "waiting_since"], name="ticket_queue_waiting"),
            models.Index(fields=["bookshop", "state", "created_at"], name="ticket_queue_created"),
            models.Index(fields=["state", "created_at"], name="ticket_state_created"),
            models.Index(fields=["customer_email"], name="ticket_customer_email"),
            models.Index(fields=["state", "answer_due_at"], name="ticket_state_due"),
            # The admin's case list, newest first.
            models.Index(fields=["created_at", "id"], name="ticket_created"),
            # The queue's "closed" view, sorted like the others without a sort step.
            models.Index(fields=["bookshop", "waiting_since", "created_at", "id"], name="ticket_queue_closed",
                         condition=models.Q(state__in=["solved", "aborted", "refunded"])),
        ]

    def __str__(self):
        return f"{self.reference} {self.subject}"

    # --- derived -------------------------------------------------------------------------------------------

    @property
    def is_closed(self) -> bool:
        return self.state in CLOSED_STATES

    @staticmethod
    def hash_token(token: str) -> str:
        return hashlib.sha256(token.encode()).hexdigest()

    def reopen_window_open(self, now=None) -> bool:
        """A customer's reply reopens a solved case only within the configured period."""
        now = now or timezone.now()
        return (
            self.state == State.SOLVED
            and self.closed_at is not None
            and now - self.closed_at <= timedelta(days=settings.REOPEN_WINDOW_DAYS)
        )

    def link_expired(self, now=None) -> bool:
        now = now or timezone.now()
        return self.closed_at is not None and now - self.closed_at > timedelta(
            days=settings.CASE_LINK_DAYS_AFTER_CLOSE
        )

    def wait_on_customer(self, now=None) -> list[str]:
        """Someone answered the customer: the case now waits on them and the answer clock pauses. Returns the
        fields to save."""
        fields = ["waiting_since", "answer_due_at", "updated_at"]
        if self.first_answer_at is None:
            self.first_answer_at = now or timezone.now()
            fields.append("first_answer_at")
        self.waiting_since = None
        self.answer_due_at = None
        return fields

    def _close(self):
        self.closed_at = timezone.now()
        self.waiting_since = None
        self.answer_due_at = None

    # --- transitions (each carries a text; the services record it on the timeline) --------------------------

    @transition(field=state, source=[State.BOOKSHOP, State.LEVEL1, State.LEVEL2], target=State.SOLVED,
                permission=holder_may_act, custom={"admin": False})
    def solve(self, text: str):
        self.solved_from = self.state
        self._close()

    @transition(field=state, source=State.BOOKSHOP, target=State.LEVEL1, permission=bookshop_or_level1,
                custom={"admin": False})
    def escalate_to_level1(self, text: str):
        pass

    @transition(field=state, source=State.LEVEL1, target=State.BOOKSHOP, permission=level1_only,
                custom={"admin": False})
    def return_to_bookshop(self, text: str):
        pass

    @transition(field=state, source=State.LEVEL1, target=State.LEVEL2, permission=level1_only,
                custom={"admin": False})
    def escalate_to_level2(self, text: str):
        pass

    @transition(field=state, source=State.LEVEL2, target=State.LEVEL1, permission=level2_only,
                custom={"admin": False})
    def return_to_level1(self, text: str):
        pass

    @transition(field=state, source=State.LEVEL2, target=State.ABORTED, permission=level2_only,
                custom={"admin": False})
    def abort(self, text: str):
        self._close()

    @transition(field=state, source=[State.LEVEL1, State.LEVEL2], target=State.REFUNDED,
                permission=holder_may_act, custom={"admin": False})
    def refund(self, text: str):
        self._close()

    @transition(field=state, source=State.SOLVED, target=RETURN_VALUE(State.BOOKSHOP, State.LEVEL1, State.LEVEL2),
                permission=staff_of_case, custom={"admin": False})
    def reopen(self, text: str):
        self.closed_at = None
        return self.solved_from or State.BOOKSHOP


class TicketEvent(models.Model):
    """One line of the timeline (Verlauf): a message, a note or a transition, with who, when and the text."""

    class Kind(models.TextChoices):
        CREATED = "created", _("Fall eröffnet")
        CUSTOMER_MESSAGE = "customer_message", _("Nachricht des Kunden")
        MESSAGE = "message", _("Nachricht")
        INTERNAL_NOTE = "internal_note", _("interne Notiz")
        TRANSITION = "transition", _("Statuswechsel")

    class Audience(models.TextChoices):
        CUSTOMER = "customer", _("Kunde")
        BOOKSHOP = "bookshop", _("Partnerbuchhandlung")
        INTERNAL = "internal", _("intern")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    actor_role = models.CharField(max_length=10)
    transition = models.CharField(max_length=30, blank=True)
    from_state = models.CharField(max_length=10, blank=True)
    to_state = models.CharField(max_length=10, blank=True)
    # Who the text was written for: the customer sees only what was written for the customer.
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.INTERNAL)
    text = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("Eintrag im Verlauf")
        verbose_name_plural = _("Verlauf")
        ordering = ["created_at", "pk"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket_created"),
            # The dashboard's escalation rate: cases that ever reached Level 1.
            models.Index(fields=["created_at", "ticket"], condition=models.Q(transition="escalate_to_level1"),
                         name="event_escalated_level1"),
        ]

    def __str__(self):
        return f"{self.ticket_id} {self.kind} {self.created_at:%Y-%m-%d %H:%M}"

    @property
    def actor_label(self):
        return roles.ROLE_LABELS.get(self.actor_role, self.actor_role)

    @property
    def is_public(self) -> bool:
        return self.audience == self.Audience.CUSTOMER

    @property
    def from_state_label(self):
        return State(self.from_state).label if self.from_state else ""

    @property
    def to_state_label(self):
        return State(self.to_state).label if self.to_state else ""


class TicketAttachment(models.Model):
    """A file the customer or staff attached, stored under PRIVATE_MEDIA_ROOT and served only to those who
    may see the case."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    event = models.ForeignKey(TicketEvent, on_delete=models.CASCADE, null=True, blank=True, related_name="attachments")
    path = models.CharField(max_length=255, unique=True)
    name = models.CharField(_("Dateiname"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Anhang")
        verbose_name_plural = _("Anhänge")
        ordering = ["created_at", "pk"]

    def __str__(self):
        return self.name


class RemoteSession(models.Model):
    """Remote maintenance (Fernwartung) by Level 2 on the customer's PC or Mac, only with recorded consent."""

    class DeviceKind(models.TextChoices):
        WINDOWS_PC = "windows_pc", _("Windows-PC oder -Notebook")
        MAC = "mac", _("Mac")

    class Outcome(models.TextChoices):
        COMPLETED = "completed", _("abgeschlossen")
        ABORTED = "aborted", _("abgebrochen")

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="remote_sessions")
    device = models.CharField(_("Gerät"), max_length=12, choices=DeviceKind.choices)
    operating_system = models.CharField(_("Betriebssystem"), max_length=80)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                     related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    consent_token_hash = models.CharField(max_length=64, unique=True, null=True, editable=False)
    consent_expires_at = models.DateTimeField(null=True)
    backup_confirmed = models.BooleanField(_("Datensicherung bestätigt"), default=False)
    consent_given_at = models.DateTimeField(_("Einverständnis erteilt"), null=True, blank=True)
    consent_ip = models.GenericIPAddressField(_("IP beim Einverständnis"), null=True, blank=True)
    started_at = models.DateTimeField(_("gestartet"), null=True, blank=True)
    finished_at = models.DateTimeField(_("beendet"), null=True, blank=True)
    outcome = models.CharField(_("Ergebnis"), max_length=10, choices=Outcome.choices, blank=True)
    finding = models.CharField(_("Befund"), max_length=12, choices=AbortFinding.choices, blank=True)
    finding_text = models.TextField(_("Befund (Text)"), blank=True)

    class Meta:
        verbose_name = _("Fernwartung")
        verbose_name_plural = _("Fernwartungen")
        ordering = ["-requested_at"]

    def __str__(self):
        return f"{self.ticket.reference}: {self.get_device_display()} ({self.operating_system})"

    @property
    def has_consent(self) -> bool:
        return self.consent_given_at is not None and self.backup_confirmed

    @property
    def is_open(self) -> bool:
        return self.finished_at is None


class Refund(models.Model):
    class Reason(models.TextChoices):
        NOT_SOLVABLE = "not_solvable", _("mit vertretbarem Aufwand nicht lösbar")
        TECHNICAL = "technical", _("technische Probleme verhindern den Support")

    ticket = models.OneToOneField(Ticket, on_delete=models.CASCADE, related_name="refund_record")
    ebook_title = models.CharField(_("eBook"), max_length=200)
    amount_chf = models.DecimalField(_("Betrag (CHF)"), max_digits=8, decimal_places=2)
    payment_reference = models.CharField(_("Zahlungsreferenz"), max_length=80, blank=True)
    reason = models.CharField(_("Grund"), max_length=20, choices=Reason.choices)
    customer_consulted = models.BooleanField(_("Kunde wurde konsultiert"))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Rückerstattung")
        verbose_name_plural = _("Rückerstattungen")

    def __str__(self):
        return f"{self.ticket.reference}: CHF {self.amount_chf}"
