"""What other apps may ask of eHelp. The contact form (tickets) uses these two functions and nothing else."""

import logging

from django.db import DatabaseError, transaction

from . import selectors, services

logger = logging.getLogger(__name__)


def article_snapshot(slug: str) -> dict | None:
    """The article a customer said "did not help" for, frozen as it reads now, in the customer's language (German
    where there is none): `{"slug", "title", "language", "steps": [plain-text steps]}`. None for a slug that is
    unknown or not published."""
    if not slug or not isinstance(slug, str) or len(slug) > 80:
        return None
    article = selectors.article(slug, selectors.current_language())
    if article is None:
        return None
    return {
        "slug": article.slug,
        "title": article.title,
        "language": article.language,
        "steps": article.step_texts,
    }


def note_contact_sent(request, article_slug: str = "") -> None:
    """After a case was created: count "contact form sent afterwards" for the articles this browser session read,
    was suggested or clicked, and for `article_slug` (the one that did not help). Counting never gets in the way
    of the case, which is already stored."""
    try:
        with transaction.atomic():
            services.contact_sent(request, article_slug or "", selectors.current_language())
    except DatabaseError:
        logger.exception("eHelp could not count a contact form sent after eHelp")
