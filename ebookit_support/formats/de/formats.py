# Swiss German formats for the "de" language: amounts as 24.90 and 1'250.00 (CHF), dates as 03.12.2026.
from django.conf.locale.de_CH.formats import *  # noqa: F403

DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = "'"
