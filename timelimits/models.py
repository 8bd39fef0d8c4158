"""Time limits (Antwortfristen): when the holder of a case must answer, in Swiss business hours.

- ResponseTarget: the target per holder (bookshop, Level 1, Level 2), in business hours;
  BookshopResponseTarget overrides the bookshop's first-answer target for one shop.
- BusinessHours: the opening intervals per weekday; PublicHoliday: days without business hours.
- Reminder / DigestSent: what was already sent, so a reminder goes out once per due date and the Level 1
  digest once per day, however often beat runs.
"""

from decimal import Decimal

from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tickets.models import Ticket

# One business day with the default hours (08:00-12:00, 13:30-17:30).
DEFAULT_TARGET_HOURS = Decimal("8")


class Holder(models.TextChoices):
    BOOKSHOP = "bookshop", _("Partnerbuchhandlung")
    LEVEL1 = "level1", _("Support Level 1")
    LEVEL2 = "level2", _("Support Level 2")


class ResponseTarget(models.Model):
    holder = models.CharField(_("wer antwortet"), max_length=10, choices=Holder.choices, unique=True)
    hours = models.DecimalField(
        _("Frist in Geschäftsstunden"),
        max_digits=6,
        decimal_places=2,
        default=DEFAULT_TARGET_HOURS,
        validators=[MinValueValidator(Decimal("0.25"))],
        help_text=_("8 Stunden = ein Geschäftstag mit den üblichen Geschäftszeiten."),
    )

    class Meta:
        verbose_name = _("Antwortfrist")
        verbose_name_plural = _("Antwortfristen")
        ordering = ["holder"]

    def __str__(self):
        return f"{self.get_holder_display()}: {self.hours} h"


class BookshopResponseTarget(models.Model):
    bookshop = models.OneToOneField(
        "tickets.Bookshop",
        on_delete=models.CASCADE,
        related_name="response_target",
        verbose_name=_("Partnerbuchhandlung"),
    )
    hours = models.DecimalField(
        _("Frist für die erste Antwort in Geschäftsstunden"),
        max_digits=6,
        decimal_places=2,
        default=DEFAULT_TARGET_HOURS,
        validators=[MinValueValidator(Decimal("0.25"))],
    )

    class Meta:
        verbose_name = _("Antwortfrist einer Partnerbuchhandlung")
        verbose_name_plural = _("Antwortfristen der Partnerbuchhandlungen")

    def __str__(self):
        return f"{self.bookshop}: {self.hours} h"


class BusinessHours(models.Model):
    class Weekday(models.IntegerChoices):
        MONDAY = 0, _("Montag")
        TUESDAY = 1, _("Dienstag")
        WEDNESDAY = 2, _("Mittwoch")
        THURSDAY = 3, _("Donnerstag")
        FRIDAY = 4, _("Freitag")
        SATURDAY = 5, _("Samstag")
        SUNDAY = 6, _("Sonntag")

    weekday = models.PositiveSmallIntegerField(_("Wochentag"), choices=Weekday.choices)
    opens = models.TimeField(_("von"))
    closes = models.TimeField(_("bis"))

    class Meta:
        verbose_name = _("Geschäftszeit")
        verbose_name_plural = _("Geschäftszeiten")
        ordering = ["weekday", "opens"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(closes__gt=models.F("opens")), name="business_hours_order"
            ),
        ]

    def __str__(self):
        return f"{self.get_weekday_display()} {self.opens:%H:%M}–{self.closes:%H:%M}"

    def clean(self):
        if self.opens and self.closes and self.closes <= self.opens:
            raise ValidationError({"closes": _("Das Ende muss nach dem Beginn liegen.")})


class PublicHoliday(models.Model):
    date = models.DateField(_("Datum"), unique=True)
    name = models.CharField(_("Name"), max_length=100)

    class Meta:
        verbose_name = _("Feiertag")
        verbose_name_plural = _("Feiertage")
        ordering = ["date"]

    def __str__(self):
        return f"{self.date:%d.%m.%Y} {self.name}"


class Reminder(models.Model):
    """A reminder sent about one case for one due date: the clock restarting gives a new due date."""

    ticket = models.ForeignKey("tickets.Ticket", on_delete=models.CASCADE, related_name="reminders")
    due_at = models.DateTimeField(_("fällig"))
    sent_at = models.DateTimeField(_("gesendet"), default=timezone.now)

    class Meta:
        verbose_name = _("Erinnerung")
        verbose_name_plural = _("Erinnerungen")
        ordering = ["-sent_at"]
        constraints = [models.UniqueConstraint(fields=["ticket", "due_at"], name="one_reminder_per_due_date")]

    def __str__(self):
        return f"{self.ticket_id} {self.due_at:%Y-%m-%d %H:%M}"


class DigestSent(models.Model):
    """The Level 1 digest of overdue cases, once a day."""

    date = models.DateField(unique=True)
    sent_at = models.DateTimeField(default=timezone.now)
    cases = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("Übersicht überfälliger Fälle")
        verbose_name_plural = _("Übersichten überfälliger Fälle")
        ordering = ["-date"]

    def __str__(self):
        return f"{self.date}: {self.cases}"


class OverdueCase(Ticket):
    """The cases whose answer is overdue, as Level 1 sees them in the admin (a view on Ticket, no table)."""

    class Meta:
        proxy = True
        default_permissions = ("view",)
        verbose_name = _("überfälliger Fall")
        verbose_name_plural = _("überfällige Fälle")
