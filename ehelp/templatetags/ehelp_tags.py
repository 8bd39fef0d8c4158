from django import template
from django.utils.safestring import mark_safe

from .. import selectors
from ..sanitise import clean_html

register = template.Library()


@register.filter
def ehelp_html(value: str) -> str:
    """Content HTML, sanitised again at output (see ehelp.sanitise)."""
    return mark_safe(clean_html(value))  # noqa: S308 - nh3 allow-list output  # nosec B308, B703


@register.filter
def percent(value) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.0f} %"


@register.simple_tag
def ehelp_contact_suggestions(subject):
    """Suggestions for a subject already typed (the contact form shown again after an error), without htmx.
    Reads only; counting happens when the customer types or clicks."""
    if not subject:
        return []
    return selectors.suggestions(str(subject), selectors.current_language())
