"""Periodic work on cases, run by Celery beat."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded

from . import privacy

log = logging.getLogger(__name__)


# The first run after going live may find years of closed cases: each batch commits on its own, so a run cut short
# by the time limit keeps what it did and the next run goes on. Both limits stay far below the broker's
# visibility timeout (one hour), or Redis would hand the task out a second time.
@shared_task(ignore_result=True, soft_time_limit=600, time_limit=660)
def anonymise_expired_cases() -> int:
    """Anonymise the personal data of cases closed longer than PRIVACY_RETENTION_DAYS (default two years)."""
    try:
        return privacy.anonymise_expired()
    except SoftTimeLimitExceeded:
        log.warning("privacy: anonymisation stopped at the time limit; the next run continues")
        return 0
