"""What other apps may ask of eHelp (placeholder until the eHelp app lands)."""


def article_snapshot(slug: str) -> dict | None:
    return None


def note_contact_sent(request, article_slug: str = "") -> None:
    return None
