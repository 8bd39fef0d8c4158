from celery import shared_task

from .sending import deliver, due_pending_ids


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def send_message(message_pk: int) -> str:
    return deliver(message_pk)


@shared_task(ignore_result=True)
def send_pending() -> int:
    """The sweep (Celery beat): send every due row that is still pending."""
    sent = 0
    for pk in due_pending_ids():
        if deliver(pk) == "sent":
            sent += 1
    return sent
