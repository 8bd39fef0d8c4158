# Swiss French: dates are also typed as 24.03.2026, amounts in CHF as 24.90.
from django.conf.locale.fr.formats import *  # noqa: F403
from django.conf.locale.fr.formats import DATE_INPUT_FORMATS as _FRENCH_DATES

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%d.%m.%y", *_FRENCH_DATES]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "'"
