import re
from decimal import Decimal

from django import forms
from django.core.validators import MaxLengthValidator, ProhibitNullCharactersValidator
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from common.forms import CheckedFileField
from common.text import clean_multiline, validate_single_line
from common.uploads import max_bytes

from .models import PaymentProblem, payment_methods


def _required(message):
    return {"required": message}


TOO_LONG = _("Bitte höchstens %(limit_value)d Zeichen (jetzt sind es %(show_value)d).")


class _OwnLengthMessage:
    """Django's own length message, replaced by one in Swiss German; null characters are refused (one line) or
    removed (long text) by common.text, so Django's second message about them is dropped."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.validators = [
            MaxLengthValidator(v.limit_value, message=TOO_LONG) if isinstance(v, MaxLengthValidator) else v
            for v in self.validators
            if not isinstance(v, ProhibitNullCharactersValidator)
        ]


class SingleLineField(_OwnLengthMessage, forms.CharField):
    """One line of text: CR, LF and other control characters are refused (they could inject mail headers)."""

    default_validators = [validate_single_line]


class LongTextField(_OwnLengthMessage, forms.CharField):
    widget = forms.Textarea

    def to_python(self, value):
        return clean_multiline(super().to_python(value)).strip()


class AmountField(forms.DecimalField):
    """An amount as people write it: "19.90", "19,90", "CHF 1'250.–"."""

    def to_python(self, value):
        if isinstance(value, str):
            value = re.sub(r"(?i)sfr\.?|chf|fr\.|[\s'’]", "", value)
            value = re.sub(r"[.,][-–—]+$", "", value).replace(",", ".")
        return super().to_python(value)


class PaymentProblemForm(forms.Form):
    name = SingleLineField(
        label=_("Ihr Name"),
        max_length=120,
        error_messages=_required(_("Bitte geben Sie Ihren Namen an.")),
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=_("Ihre E-Mail-Adresse"),
        max_length=254,
        help_text=_("Die Hotline von Comelivres meldet sich unter dieser Adresse bei Ihnen."),
        error_messages={
            "required": _("Bitte geben Sie Ihre E-Mail-Adresse an."),
            "invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an, z. B. name@beispiel.ch."),
        },
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = SingleLineField(
        label=_("Telefonnummer"),
        max_length=40,
        required=False,
        help_text=_("Falls die Hotline Sie auch telefonisch erreichen darf."),
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"}),
    )
    ebook_titles = SingleLineField(
        label=_("Titel des eBooks"),
        max_length=300,
        help_text=_("Mehrere Titel bitte mit Komma trennen."),
        error_messages=_required(_("Bitte geben Sie den Titel des eBooks an.")),
    )
    order_number = SingleLineField(
        label=_("Bestell- oder Transaktionsnummer"),
        max_length=80,
        help_text=_(
            "Steht in der Bestellbestätigung von eBookit.ch oder in der Abrechnung Ihres Zahlungsmittels."
        ),
        error_messages=_required(_("Bitte geben Sie die Bestell- oder Transaktionsnummer an.")),
    )
    amount_chf = AmountField(
        label=_("Betrag (CHF)"),
        max_digits=8,
        decimal_places=2,
        error_messages={
            "required": _("Bitte geben Sie den Betrag in CHF an."),
            "invalid": _("Bitte geben Sie den Betrag als Zahl an, z. B. 19.90."),
            "max_digits": _("Bitte prüfen Sie den Betrag: er ist zu hoch."),
            "max_whole_digits": _("Bitte prüfen Sie den Betrag: er ist zu hoch."),
            "max_decimal_places": _("Bitte höchstens zwei Stellen nach dem Komma (Rappen)."),
        },
        widget=forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off"}),
    )
    payment_method = forms.ChoiceField(
        label=_("Zahlungsmittel"),
        error_messages={
            "required": _("Bitte wählen Sie das Zahlungsmittel."),
            "invalid_choice": _("Bitte wählen Sie das Zahlungsmittel aus der Liste."),
        },
    )
    occurred_on = forms.DateField(
        label=_("Datum der Zahlung"),
        error_messages={
            "required": _("Bitte geben Sie an, wann Sie bezahlt haben."),
            "invalid": _("Bitte geben Sie ein gültiges Datum an, z. B. 24.03.2026."),
        },
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    occurred_time = forms.TimeField(
        label=_("Uhrzeit (ungefähr)"),
        required=False,
        error_messages={"invalid": _("Bitte geben Sie eine gültige Uhrzeit an, z. B. 14:30.")},
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    completed = forms.ChoiceField(
        label=_("Wurde die Zahlung abgeschlossen?"),
        choices=PaymentProblem.Completed.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Bitte geben Sie an, ob die Zahlung abgeschlossen wurde (oder «Weiss nicht»)."),
            "invalid_choice": _("Bitte wählen Sie Ja, Nein oder «Weiss nicht»."),
        },
    )
    description = LongTextField(
        label=_("Was ist passiert?"),
        max_length=5000,
        help_text=_(
            "Zum Beispiel: Fehlermeldung, bei welchem Schritt es passiert ist, ob Geld abgebucht wurde."
        ),
        error_messages=_required(_("Bitte beschreiben Sie kurz, was passiert ist.")),
    )
    screenshot = CheckedFileField(
        label=_("Bildschirmfoto oder PDF"),
        required=False,
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    # A field people never see: bots fill it in.
    website = forms.CharField(
        label=_("Bitte leer lassen"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["payment_method"].choices = [("", _("Bitte wählen"))] + payment_methods()
        self.fields["screenshot"].help_text = _(
            "Zum Beispiel die Fehlermeldung oder die Abbuchung. "
            "PNG, JPEG, GIF, WebP oder PDF, höchstens %(limit)s."
        ) % {"limit": _limit_text()}
        for name, field in self.fields.items():
            if field.help_text and not field.widget.is_hidden:
                field.widget.attrs.setdefault("aria-describedby", f"id_{name}_help")

    def clean_amount_chf(self):
        amount = self.cleaned_data["amount_chf"]
        if amount is not None and amount <= Decimal("0"):
            raise forms.ValidationError(_("Bitte einen Betrag über 0 CHF angeben."), code="min_value")
        return amount

    def clean_occurred_on(self):
        occurred_on = self.cleaned_data["occurred_on"]
        if occurred_on and occurred_on > timezone.localdate():
            raise forms.ValidationError(
                _("Das Datum liegt in der Zukunft. Bitte prüfen Sie es."), code="future"
            )
        return occurred_on


def _limit_text() -> str:
    return filesizeformat(max_bytes())
