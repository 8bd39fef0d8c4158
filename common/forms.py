"""Form fields shared by the customer forms: file uploads checked by content (see common.uploads).

A checked file carries two extra attributes for whoever stores it: `detected_content_type` and `safe_name`.
Nothing is written to disk here: the service that stores the form's data calls `store_private` once the whole
form is valid."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

from .uploads import ACCEPT_ATTRIBUTE, sanitize_name, validate_upload


def _check(uploaded):
    content_type = validate_upload(uploaded)
    uploaded.detected_content_type = content_type
    uploaded.safe_name = sanitize_name(uploaded.name, content_type)
    return uploaded


class CheckedFileInput(forms.ClearableFileInput):
    def __init__(self, attrs=None):
        super().__init__(attrs={"accept": ACCEPT_ATTRIBUTE, **(attrs or {})})


class CheckedFileField(forms.FileField):
    """One screenshot or PDF, checked by content and size."""

    widget = CheckedFileInput
    default_error_messages = {
        "invalid": _("Die Datei konnte nicht gelesen werden. Bitte wählen Sie sie noch einmal."),
        "missing": _("Die Datei ist nicht angekommen. Bitte wählen Sie sie noch einmal."),
        "empty": _("Die gewählte Datei ist leer."),
        "contradiction": _("Bitte wählen Sie eine Datei oder entfernen Sie die Auswahl, nicht beides."),
    }

    def clean(self, data, initial=None):
        uploaded = super().clean(data, initial)
        if uploaded and hasattr(uploaded, "read"):
            return _check(uploaded)
        return uploaded


class MultipleFileInput(CheckedFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Up to `max_files` screenshots or PDFs, each checked by content and size; cleans to a list."""

    widget = MultipleFileInput
    default_error_messages = {
        **CheckedFileField.default_error_messages,
        "too_many": ngettext_lazy(
            "Bitte höchstens %(max)d Datei anhängen (Sie haben %(count)d gewählt).",
            "Bitte höchstens %(max)d Dateien anhängen (Sie haben %(count)d gewählt).",
            "max",
        ),
    }

    def __init__(self, *args, max_files: int = 3, **kwargs):
        self.max_files = max_files
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        files = [item for item in (data if isinstance(data, list | tuple) else [data]) if item]
        if not files:
            super().clean(None, initial)  # "required" when the field is
            return []
        if len(files) > self.max_files:
            raise ValidationError(
                self.error_messages["too_many"],
                code="too_many",
                params={"max": self.max_files, "count": len(files)},
            )
        cleaned, errors = [], []
        for item in files:
            try:
                cleaned.append(_check(super().clean(item, initial)))
            except ValidationError as exc:
                errors.extend(exc.error_list)
        if errors:
            raise ValidationError(errors)
        return cleaned
