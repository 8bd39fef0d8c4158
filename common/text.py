"""Text checks shared by every form: one-line fields must not smuggle headers into mail."""

import re

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

_CONTROL = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]")


def validate_single_line(value: str) -> None:
    """Refuse CR, LF and every other control character (they would let a name or subject inject mail headers)."""
    if value and _CONTROL.search(value):
        raise ValidationError(
            _("Bitte ohne Zeilenumbrüche oder Steuerzeichen schreiben."), code="control_characters"
        )


_MULTILINE_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_multiline(value: str) -> str:
    """Free text keeps its line breaks and tabs but loses other control characters."""
    return _MULTILINE_CONTROL.sub("", value or "").replace("\r\n", "\n").replace("\r", "\n")
