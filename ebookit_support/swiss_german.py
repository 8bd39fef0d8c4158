"""Django's own German uses "ß"; the Swiss write "ss". Naming those msgids here keeps them in our German
catalogue (locale/de), whose Swiss msgstr then wins over Django's (LOCALE_PATHS come first)."""

from django.utils.translation import gettext_noop

DJANGO_STRINGS_WITH_SHARP_S = [
    gettext_noop("Ensure this value is greater than or equal to %(limit_value)s."),
    gettext_noop("“%(value)s” value must be a float."),
    gettext_noop("Date out of range"),
    gettext_noop("Close"),
    gettext_noop(
        "Please enter the correct %(username)s and password for a staff account. Note that both fields may be "
        "case-sensitive."
    ),
    gettext_noop(
        "Please enter a correct %(username)s and password. Note that both fields may be case-sensitive."
    ),
    gettext_noop(
        "Enter a valid username. This value may contain only unaccented lowercase a-z and uppercase A-Z letters, "
        "numbers, and @/./+/-/_ characters."
    ),
]
