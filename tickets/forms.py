from django import forms
from django.conf import settings
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from common.forms import MultipleFileField
from common.text import clean_multiline, validate_single_line
from mail import outbox

from . import roles
from .models import AbortFinding, Bookshop, Category, Device, Refund


class BookshopAwareAuthenticationForm(AuthenticationForm):
    """The logins of a bookshop that is no longer active cannot sign in."""

    error_messages = {
        **AuthenticationForm.error_messages,
        "inactive_bookshop": _("Diese Partnerbuchhandlung ist nicht mehr aktiv. Bitte wenden Sie sich an eBookit."),
    }

    def confirm_login_allowed(self, user):
        super().confirm_login_allowed(user)
        membership = getattr(user, "bookshop_membership", None)
        if membership is not None and roles.bookshop_id_of(user) is None:
            raise forms.ValidationError(self.error_messages["inactive_bookshop"], code="inactive_bookshop")


class OutboxPasswordResetForm(PasswordResetForm):
    """Password reset mail goes through the outbox like every other mail: sent by a worker, never lost."""

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        context = {key: value for key, value in context.items() if key != "user"} | {"username": context["user"]}
        outbox.enqueue(to=to_email, template="registration/mail/password_reset", context=context)


class SingleLineField(forms.CharField):
    default_validators = [validate_single_line]

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("strip", True)
        super().__init__(*args, **kwargs)


class LongTextField(forms.CharField):
    widget = forms.Textarea

    def to_python(self, value):
        return clean_multiline(super().to_python(value)).strip()


def attachment_help() -> str:
    """Says the configured upload limit (ATTACHMENT_MAX_BYTES), in the language of the request."""
    return gettext("Bis zu drei Bildschirmfotos (PNG, JPEG, GIF, WebP) oder PDF, je höchstens %(limit)s.") % {
        "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES)
    }


class WithAttachmentHelp:
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachment_help()


class ContactForm(WithAttachmentHelp, forms.Form):
    bookshop = forms.ModelChoiceField(
        label=_("Partnerbuchhandlung"),
        queryset=Bookshop.objects.filter(is_active=True).order_by("name"),
        empty_label=_("Bitte wählen"),
        help_text=_("Die Buchhandlung, bei der Sie eBookit nutzen oder Ihren eReader gekauft haben."),
    )
    customer_name = SingleLineField(label=_("Ihr Name"), max_length=120)
    customer_email = forms.EmailField(label=_("Ihre E-Mail-Adresse"), max_length=254)
    category = forms.ChoiceField(label=_("Art der Anfrage"), choices=Category.choices, initial=Category.PROBLEM)
    device = forms.ChoiceField(label=_("Gerät"), choices=[("", _("Bitte wählen"))] + Device.choices, required=False)
    order_number = SingleLineField(label=_("Bestellnummer (falls vorhanden)"), max_length=40, required=False)
    subject = SingleLineField(label=_("Betreff"), max_length=150)
    message = LongTextField(label=_("Ihre Nachricht"), max_length=10000)
    attachments = MultipleFileField(label=_("Anhänge"), required=False, max_files=3)
    privacy = forms.BooleanField(
        label=_("Ich bin einverstanden, dass meine Angaben zur Bearbeitung meiner Anfrage gespeichert werden."),
        error_messages={"required": _("Ohne Ihr Einverständnis können wir die Anfrage nicht bearbeiten.")},
    )
    submission_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    tried_article = forms.SlugField(widget=forms.HiddenInput, required=False)
    # A field people never see: bots fill it in.
    website = forms.CharField(label=_("Bitte leer lassen"), required=False, max_length=200)


class TransitionForm(forms.Form):
    """The one required text a transition carries."""

    text = LongTextField(max_length=10000)

    def __init__(self, *args, text_label=None, **kwargs):
        super().__init__(*args, **kwargs)
        if text_label:
            self.fields["text"].label = text_label


class AbortForm(forms.Form):
    finding = forms.ChoiceField(label=_("Befund"), choices=AbortFinding.choices)
    text = LongTextField(label=_("Was wurde festgestellt? (geht an den Kunden)"), max_length=10000)


class RefundForm(forms.Form):
    ebook_title = SingleLineField(label=_("eBook"), max_length=200)
    amount_chf = forms.DecimalField(label=_("Betrag (CHF)"), min_value=0.05, max_value=10000, decimal_places=2)
    payment_reference = SingleLineField(label=_("Zahlungsreferenz"), max_length=80, required=False)
    reason = forms.ChoiceField(label=_("Grund"), choices=Refund.Reason.choices)
    customer_consulted = forms.BooleanField(
        label=_("Der Kunde wurde konsultiert"),
        error_messages={"required": _("Eine Rückerstattung gibt es nur nach Rücksprache mit dem Kunden.")},
    )


class MessageForm(forms.Form):
    text = LongTextField(label=_("Nachricht"), max_length=10000)
    attachments = MultipleFileField(label=_("Anhänge"), required=False, max_files=3)
    to = forms.ChoiceField(
        label=_("An"),
        choices=[("bookshop", _("die Partnerbuchhandlung")), ("customer", _("den Kunden (direkt)"))],
        initial="bookshop",
        widget=forms.RadioSelect,
    )


class NoteForm(forms.Form):
    text = LongTextField(label=_("Interne Notiz (nie für den Kunden sichtbar)"), max_length=10000)


class RemoteConsentRequestForm(forms.Form):
    device = forms.ChoiceField(label=_("Gerät des Kunden"), choices=Device.choices)
    operating_system = SingleLineField(label=_("Betriebssystem"), max_length=80,
                                       help_text=_("z. B. Windows 11, macOS 14"))


class RemoteConsentForm(forms.Form):
    backup_confirmed = forms.BooleanField(
        label=_("Ich bestätige, dass eine aktuelle Datensicherung meines Rechners vorhanden ist."),
        error_messages={"required": _("Ohne Datensicherung können wir keine Fernwartung starten.")},
    )
    consent = forms.BooleanField(
        label=_("Ich bin einverstanden, dass der Support meinen Rechner mit dem Start der Fernwartung analysiert."),
        error_messages={"required": _("Ohne Ihr Einverständnis starten wir keine Fernwartung.")},
    )


class RemoteOutcomeForm(forms.Form):
    outcome = forms.ChoiceField(label=_("Ergebnis"), choices=[("completed", _("abgeschlossen")),
                                                              ("aborted", _("abgebrochen"))], widget=forms.RadioSelect)
    finding = forms.ChoiceField(label=_("Befund (bei Abbruch)"), choices=[("", "–")] + AbortFinding.choices,
                                required=False)
    text = LongTextField(label=_("Beschreibung (bei Abbruch geht sie an den Kunden)"), max_length=10000,
                         required=False)


class CustomerReplyForm(WithAttachmentHelp, forms.Form):
    text = LongTextField(label=_("Ihre Antwort"), max_length=10000)
    attachments = MultipleFileField(label=_("Anhänge"), required=False, max_files=3)


class ReplyForm(forms.Form):
    """The bookshop's (or a level's) message, with files."""

    text = LongTextField(label=_("Antwort an den Kunden"), max_length=10000)
    attachments = MultipleFileField(label=_("Anhänge"), required=False, max_files=3)
