"""Content HTML is cleaned with nh3 (an allow-list sanitiser): a few inline tags, lists and links survive; scripts,
styles, event handlers and `javascript:` links never do. Content is cleaned when saved and again when shown, so a
row written around the models (raw SQL, an old fixture) cannot carry a script either."""

import html
import re

import nh3

ALLOWED_TAGS = {"p", "br", "strong", "b", "em", "i", "code", "kbd", "ul", "ol", "li", "a"}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}}
URL_SCHEMES = {"http", "https", "mailto", "tel"}

_cleaner = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags={"script", "style", "template", "iframe", "object", "embed", "noscript", "textarea"},
    attributes=ALLOWED_ATTRIBUTES,
    url_schemes=URL_SCHEMES,
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_text_only = nh3.Cleaner(tags=set(), clean_content_tags={"script", "style", "template", "textarea"}, attributes={})
_BLOCK_END = re.compile(r"</(p|li|ul|ol)>|<br\s*/?>", re.IGNORECASE)
_SPACES = re.compile(r"\s+")


def clean_html(value: str) -> str:
    """Sanitised HTML, safe to mark safe in a template."""
    if not value:
        return ""
    return _cleaner.clean(value).strip()


def html_to_text(value: str) -> str:
    """Plain text of a content fragment, for search, mails and the case the bookshop sees."""
    if not value:
        return ""
    spaced = _BLOCK_END.sub(lambda m: m.group(0) + " ", value)
    return _SPACES.sub(" ", html.unescape(_text_only.clean(spaced))).strip()
