"""A payment problem a customer reports to the hotline of Comelivres. Not a case: it has its own reference
(`ZP-2026-000123`), goes to the hotline by mail, and the hotline marks it handled in the admin."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

DEFAULT_PAYMENT_METHODS = [
    ("credit_card", _("Kreditkarte")),
    ("postfinance", _("PostFinance")),
    ("twint", _("TWINT")),
    ("paypal", _("PayPal")),
    ("other", _("Andere")),
]


def payment_methods() -> list[tuple[str, str]]:
    """The choices of `settings.PAYMENT_METHODS` (pairs of value and label), or the default list."""
    return list(getattr(settings, "PAYMENT_METHODS", None) or DEFAULT_PAYMENT_METHODS)


class ReferenceCounter(models.Model):
    """One row per year; its row lock makes references unique however many reports arrive at once."""

    year = models.PositiveIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    def __str__(self):
        return f"{self.year}: {self.last_number}"


class PaymentProblem(models.Model):
    class Completed(models.TextChoices):
        YES = "yes", _("Ja")
        NO = "no", _("Nein")
        UNKNOWN = "unknown", _("Weiss nicht")

    reference = models.CharField(_("Referenz"), max_length=20, unique=True, editable=False)
    # The hidden token of the form: the same submission twice stores one report.
    submission_key = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    name = models.CharField(_("Name"), max_length=120)
    email = models.EmailField(_("E-Mail"), max_length=254)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    ebook_titles = models.CharField(_("Titel des eBooks"), max_length=300)
    order_number = models.CharField(_("Bestell- oder Transaktionsnummer"), max_length=80)
    amount_chf = models.DecimalField(_("Betrag (CHF)"), max_digits=8, decimal_places=2)
    # The configurable list lives in settings; the stored value stays readable if the list changes.
    payment_method = models.CharField(_("Zahlungsmittel"), max_length=40)
    occurred_on = models.DateField(_("Datum der Zahlung"))
    occurred_time = models.TimeField(_("Uhrzeit der Zahlung"), null=True, blank=True)
    completed = models.CharField(_("Zahlung abgeschlossen?"), max_length=10, choices=Completed.choices)
    description = models.TextField(_("Was ist passiert?"))

    screenshot_path = models.CharField(max_length=255, blank=True, editable=False)
    screenshot_name = models.CharField(_("Bildschirmfoto"), max_length=255, blank=True, editable=False)
    screenshot_content_type = models.CharField(max_length=50, blank=True, editable=False)
    screenshot_size = models.PositiveIntegerField(null=True, blank=True, editable=False)

    language = models.CharField(_("Sprache"), max_length=8, default="de")
    created_at = models.DateTimeField(_("gemeldet am"), default=timezone.now, editable=False, db_index=True)

    handled = models.BooleanField(_("erledigt"), default=False)
    handled_at = models.DateTimeField(_("erledigt am"), null=True, blank=True)
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("erledigt von"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("Zahlungsproblem")
        verbose_name_plural = _("Zahlungsprobleme")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_chf__gt=0), name="payment_problem_amount_positive"),
        ]

    def __str__(self):
        return f"{self.reference} – {self.name}"

    def get_payment_method_display(self) -> str:
        return str(dict(payment_methods()).get(self.payment_method, self.payment_method))

    @property
    def has_screenshot(self) -> bool:
        return bool(self.screenshot_path)
