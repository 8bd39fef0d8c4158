from celery import shared_task
from django.conf import settings

from . import privacy


@shared_task(ignore_result=True)
def anonymise_expired_reports() -> int:
    """Handled payment-problem reports older than PRIVACY_RETENTION_DAYS lose their personal data."""
    return privacy.anonymise_expired(settings.PRIVACY_RETENTION_DAYS)
