from django import forms
from django.utils.translation import gettext_lazy as _

from .selectors import SEARCH_MAX_CHARS


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Was ist das Problem?"),
        required=False,
        widget=forms.TextInput(
            attrs={
                "type": "search",
                "maxlength": SEARCH_MAX_CHARS,
                "placeholder": _("z.B. startet nicht, WLAN, Adobe"),
                "autocomplete": "off",
                "enterkeyhint": "search",
            }
        ),
    )


class VoteForm(forms.Form):
    helpful = forms.TypedChoiceField(
        choices=[("yes", _("Ja")), ("no", _("Nein"))], coerce=lambda value: value == "yes"
    )
