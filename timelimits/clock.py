"""When must the holder of a case answer? (placeholder: plain hours; business hours come with issue 7)"""

from datetime import datetime, timedelta

from django.conf import settings


def answer_due_at(holder: str, bookshop_id: int | None, start: datetime) -> datetime:
    """`holder` is the case's state while it waits for an answer: "bookshop", "level1" or "level2"."""
    return start + timedelta(hours=settings.BOOKSHOP_ANSWER_HOURS)
